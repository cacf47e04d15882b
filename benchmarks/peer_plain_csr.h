/* The plain-C CSR peer (peer_plain_csr.c): the algorithm of our CSR kernel without
 * OpenCL, built apart with OpenMP and -march=native. */
#ifndef SR_BENCHMARKS_PEER_PLAIN_CSR_H
#define SR_BENCHMARKS_PEER_PLAIN_CSR_H

#include "common/status.h"
#include "sparse/format.h"

typedef struct plain_csr plain_csr;

/* Prepares W (a CSR matrix) and the buffers for Y = W * X with X k x n. */
plain_csr *plain_csr_create(const sr_sparse *csr, int n, sr_err *err);

/* Y (m x n, row-major) = W * X (k x n, row-major), packing X first, all threads. */
void plain_csr_run(plain_csr *p, const float *x, float *y);

void plain_csr_free(plain_csr *p); /* NULL is a no-op */

#endif
