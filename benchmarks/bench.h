/* The kernel benchmark of issues 6 and 14: sparseroof's kernels against peers (OpenBLAS,
 * CLBlast, SciPy's CSR product, Intel MKL's dense and sparse products, onnxruntime) on
 * fixed shapes or on every distinct layer shape of a network, interleaved round by round,
 * medians. Shared types of bench_kernels.c (options, fixed cases), bench_cases.c (setting
 * cases up and the rounds), bench_network.c (a network's shapes), bench_peers.c (the
 * peers), bench_report.c and bench_network_report.c (tables and JSON). The peers are
 * optional: a build or machine without them reports "n/a". */
#ifndef SR_BENCHMARKS_BENCH_H
#define SR_BENCHMARKS_BENCH_H

#include <stddef.h>

#include "bench/spmm.h"
#include "model/ceilings.h"
#include "model/roofline.h"
#include "runtime/runtime.h"
#include "session/session.h"
#include "sparse/format.h"

typedef enum {
    PEER_OPENBLAS,
    PEER_CLBLAST,
    PEER_SCIPY,
    PEER_PLAIN_CSR,
    PEER_MKL_GEMM,  /* cblas_sgemm */
    PEER_MKL_CSR,   /* mkl_sparse_s_mm on CSR */
    PEER_MKL_BSR,   /* mkl_sparse_s_mm on BSR */
    PEER_ORT,       /* onnxruntime, a one-node Gemm model */
    PEER_KINDS
} peer_kind;

#define MAX_PEERS 4

typedef struct peer_state peer_state; /* a peer's buffers for one case (bench_peers.c) */

typedef struct {
    peer_kind kind;
    int usable;         /* 0: absent, failed or wrong; `note` says which */
    int verified;       /* its output passed the CPU reference check */
    char note[SR_ERR_MSG_MAX + 64]; /* why it is not usable, or how it ran ("2 threads") */
    double *round_s;    /* per-round median time */
    int rounds;
    double median_s;    /* median of round_s (0 if none) */
    double setup_s;     /* preparing it, apart from the time (MKL's optimize, onnxruntime's session) */
    peer_state *state;
} bench_peer;

typedef struct {
    const char *id;      /* "dense1024", "csr", ... (--cases) */
    const char *pattern; /* as sr_pattern_parse reads it */
    int m, k, n;
    double sparsity;
    int groups;          /* products of this shape, each its own weights and inputs (0: 1) */
    int count;           /* network: layers of this shape (0: a fixed case) */
    const char *layer;   /* network: the first layer of this shape (allocated) */
    /* filled by the setup */
    sr_pattern pat;
    sr_kernel_params kp;
    float *w, *x;        /* pruned weights (groups x m x k) and inputs (groups x k x n) */
    sr_sparse **s;       /* each group's weights in the pattern's format */
    int row_step;        /* the reference checks every row_step-th row of Y (1: all) */
    char skipped[SR_ERR_MSG_MAX]; /* why our kernel cannot take this shape ("": it runs) */
    double useful_flops; /* 2 * nonzeros of w * n */
    double flops, bytes; /* what the kernel does and moves (sr_spmm_flops / _bytes) */
    double nnz, weight_bytes; /* stored values and the layout's weight bytes, every group */
    double achieved;     /* achieved sparsity */
    /* ours */
    double *round_s;
    int rounds;
    double median_s;
    double *pack_round_s; /* of which repacking X (0: none, or timed by the wall clock) */
    double pack_median_s;
    char params[96];
    const char *params_source; /* "default", "tuned", ... (sr_params_source_name) */
    int wallclock;       /* some round was timed by the wall clock */
    int packed;          /* ours repacks X before the kernel (its time includes it) */
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
    const char *venv;            /* the PyPI peers' virtual environment (MKL, onnxruntime) */
    const char *ort_script;      /* benchmarks/ort_gemm.py */
    double check_macs;           /* the reference's budget per check (0: every row) */
    int threads;                 /* peers' threads (the device's compute units) */
    double load_before, load_after; /* host 1-minute load average (-1: unknown) */
    long cpus;                   /* online CPUs (0: unknown) */
    const sr_device_info *dev;
    const sr_session *session; /* --db: tuned parameters by shape (NULL: the defaults) */
} bench_config;

/* Cases (bench_cases.c). bench_case_setup generates, prunes and encodes a case's matrices
 * (seeded) and prepares its peers; a shape our kernel cannot take is marked skipped (not
 * an error) when `skip_ok`. bench_run_rounds runs every case not skipped, ours and the
 * peers in turn, order flipped every round, and fills the medians. */
sr_code bench_case_setup(bench_case *c, sr_cl *cl, const bench_config *cfg, unsigned long long seed, int peers,
                         int skip_ok, sr_err *err);
void bench_case_free(bench_case *c);
void bench_cases_free(bench_case *cases, int n); /* each case, its layer name, the array */
sr_code bench_run_rounds(sr_cl *cl, bench_case *cases, int n, const bench_config *cfg, sr_err *err);
/* The dense case of case i's shape among cases, or -1. */
int bench_dense_of(const bench_case *cases, int n, int i);
double bench_median(const double *v, int n);
/* n floats on a 64-byte boundary (zeroed if `zero`), for free(): the inputs and outputs the
 * peers get. MKL asks for such arrays, and runs its CSR product 2x faster on them (768 x
 * 768 x 128: 0.11 ms against 0.20 to 0.22 at 16 or 32 bytes past a boundary); with
 * malloc's alignment it ran at one speed or the other from process to process. */
float *bench_floats(size_t n, int zero);
/* Sets want[i] for each of the n ids that the comma-separated list names ("all": every
 * one; NULL: all); an unknown name is SR_ERR_ARG naming `option` and the known ids. */
sr_code bench_select(const char *option, const char *list, const char *const *ids, int n, int *want, sr_err *err);

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

/* Comparisons of a case, at most 8 (bench_report.c). */
int bench_compare(const bench_case *cases, int i, const bench_config *cfg, bench_cmp *out);
/* The roofline point of a case (its FLOPs and bytes on the ceilings); 0 if none. */
int bench_roofline(const bench_case *c, const bench_config *cfg, sr_roofline_point *pt);
void bench_print_table(const bench_case *cases, int n, const bench_config *cfg);
void bench_print_json(const bench_case *cases, int n, const bench_config *cfg);
/* A case as JSON (bench_report.c), and the run's header fields added to top. */
struct json_object *bench_case_json(const bench_case *cases, int i, const bench_config *cfg);
void bench_json_header(struct json_object *top, const bench_config *cfg);
/* Roofline time / measured time of a case, 0 if n/a. */
double bench_efficiency(const bench_case *c, const bench_config *cfg, sr_roofline_point *pt);

/* Network mode (bench_network.c): the cases of every distinct layer shape of a network at
 * a batch (as `bench` runs them: sr_layer_batched; prunable layers only), for each of the
 * patterns in `patterns` (ids of bench_pattern_table; dense always). quick keeps the 3
 * smallest shapes. *out is allocated, shape by shape; *n_shapes the distinct shapes. */
typedef struct {
    const char *id;      /* "dense", "csr", "bsr4", "bsr16", "nm24" */
    const char *pattern; /* as sr_pattern_parse reads it */
    double sparsity;
} bench_pattern;
extern const bench_pattern bench_pattern_table[];
extern const int bench_n_patterns;
sr_code bench_network_cases(const char *network, int batch, const char *patterns, int quick, bench_case **out,
                            int *n, int *n_shapes, sr_err *err);
/* The network report (bench_network_report.c): per shape and pattern, ours and the peers;
 * per pattern the totals weighted by layer count and the median roofline efficiency. */
void bench_network_print(const char *network, int batch, const bench_case *cases, int n, const bench_config *cfg);
void bench_network_json(const char *network, int batch, const bench_case *cases, int n, const bench_config *cfg);

#endif
