/* The kernel benchmark of issue 6: sparseroof's kernels against peers (OpenBLAS, CLBlast,
 * SciPy's CSR product) on fixed shapes, interleaved round by round, medians. Shared types
 * of bench_kernels.c (cases and rounds), bench_peers.c (the peers) and bench_report.c
 * (table and JSON). The peers are optional: a build without them reports "n/a". */
#ifndef SR_BENCHMARKS_BENCH_H
#define SR_BENCHMARKS_BENCH_H

#include <stddef.h>

#include "bench/spmm.h"
#include "model/ceilings.h"
#include "model/roofline.h"
#include "runtime/runtime.h"
#include "sparse/format.h"

typedef enum { PEER_OPENBLAS, PEER_CLBLAST, PEER_SCIPY, PEER_PLAIN_CSR } peer_kind;

#define MAX_PEERS 2

typedef struct peer_state peer_state; /* a peer's buffers for one case (bench_peers.c) */

typedef struct {
    peer_kind kind;
    int usable;         /* 0: absent, failed or wrong; `note` says which */
    int verified;       /* its output passed the CPU reference check */
    char note[SR_ERR_MSG_MAX + 64]; /* why it is not usable, or how it ran ("2 threads") */
    double *round_s;    /* per-round median time */
    int rounds;
    double median_s;    /* median of round_s (0 if none) */
    peer_state *state;
} bench_peer;

typedef struct {
    const char *id;      /* "dense1024", "csr", ... (--cases) */
    const char *pattern; /* as sr_pattern_parse reads it */
    int m, k, n;
    double sparsity;
    /* filled by the setup */
    sr_pattern pat;
    sr_kernel_params kp;
    float *w, *x;        /* pruned weights (m x k) and inputs (k x n) */
    sr_sparse *s;
    double useful_flops; /* 2 * nonzeros of w * n */
    double flops, bytes; /* what the kernel does and moves (sr_spmm_flops / _bytes) */
    double achieved;     /* achieved sparsity */
    /* ours */
    double *round_s;
    int rounds;
    double median_s;
    double *pack_round_s; /* of which repacking X (0: none, or timed by the wall clock) */
    double pack_median_s;
    char params[96];
    int wallclock;       /* some round was timed by the wall clock */
    bench_peer peers[MAX_PEERS];
    int npeers;
    int dense_ref;       /* index of the dense case of the same shape, or -1 */
} bench_case;

typedef struct {
    int rounds, reps;
    /* The roofline's ceilings: from `sparseroof peaks --json` (--ceilings), measured at
     * the start (sr_peaks_measure), or given by hand (--peak-gflops, --bw-gbps). */
    int have_ceilings;
    sr_ceilings ceilings;
    char ceilings_source[96];
    double fma_gflops;           /* fp32 FMA ceiling (0: unknown) */
    const char *python, *scipy_script;
    int threads;                 /* OpenBLAS threads (the device's compute units) */
    double load_before, load_after; /* host 1-minute load average (-1: unknown) */
    long cpus;                   /* online CPUs (0: unknown) */
    const sr_device_info *dev;
} bench_config;

/* Peers (bench_peers.c). peer_setup prepares a peer for a case (buffers, files; CLBlast
 * and the SciPy check run once here) and marks it unusable with a note when it cannot
 * run. peer_round runs one round: a warm-up, `reps` timed repetitions, and the check of
 * the output against the CPU reference when `verify` is set; returns the round median
 * in *median_s. */
void peer_setup(bench_peer *p, sr_cl *cl, const bench_case *c, const bench_config *cfg);
sr_code peer_round(bench_peer *p, const bench_case *c, const bench_config *cfg, int reps, int verify,
                   double *median_s, sr_err *err);
void peer_free(bench_peer *p);
const char *peer_name(peer_kind kind);
/* Finds a python3 that imports scipy: `want` if given, else python3 on PATH, else
 * /usr/bin/python3. NULL if none. */
const char *peer_find_python(const char *want);

/* One comparison line of the report: ours against a peer or a reference figure. */
typedef struct {
    char against[32]; /* "OpenBLAS", "FMA peak", "dense, same shape" */
    const char *unit; /* what ratio is: "ours/peer", "of peak", "time/dense", "GF/dense" */
    double theirs;    /* their GFLOP/s (0: n/a) */
    double ratio;     /* 0: n/a */
    double target;    /* 0: none */
    int at_most;      /* the target is an upper bound (times) */
    int met;          /* -1: no target or n/a, 0: missed, 1: met */
    char note[SR_ERR_MSG_MAX + 64]; /* why n/a */
} bench_cmp;

/* Comparisons of a case, at most 4 (bench_report.c). */
int bench_compare(const bench_case *cases, int i, const bench_config *cfg, bench_cmp *out);
/* The roofline point of a case (its FLOPs and bytes on the ceilings); 0 if none. */
int bench_roofline(const bench_case *c, const bench_config *cfg, sr_roofline_point *pt);
void bench_print_table(const bench_case *cases, int n, const bench_config *cfg);
void bench_print_json(const bench_case *cases, int n, const bench_config *cfg);

#endif
