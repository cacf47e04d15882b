/* Intel MKL's products as peers (peer_mkl.c): cblas_sgemm, and mkl_sparse_s_mm on CSR or
 * BSR (row-major, with the mm hint and mkl_sparse_optimize, whose time is kept apart).
 * Built only where find_peers.sh found MKL (HAVE_MKL); elsewhere create says so. */
#ifndef SR_BENCHMARKS_PEER_MKL_H
#define SR_BENCHMARKS_PEER_MKL_H

#include <stddef.h>

#include "bench.h"

typedef struct peer_mkl peer_mkl;

/* Prepares peer `kind` (PEER_MKL_GEMM, _CSR, _BSR) for case c with `threads` threads:
 * every group's handle made and optimized (*setup_s: how long that took). note: how it
 * runs. NULL with a message in err when it cannot (not built, a pattern MKL lacks). */
peer_mkl *peer_mkl_create(peer_kind kind, const bench_case *c, int threads, double *setup_s, char *note,
                          size_t note_size, sr_err *err);

/* One product of every group: y (groups x m x n, row-major). */
sr_code peer_mkl_run(peer_mkl *p, const bench_case *c, float *y, sr_err *err);

void peer_mkl_free(peer_mkl *p); /* NULL is a no-op */

/* Whether the process's cblas_sgemm (what a plain call binds to) is MKL's: then the
 * OpenBLAS peer would not run OpenBLAS. */
int peer_mkl_owns_cblas(void);

#endif
