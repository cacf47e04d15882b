/* Searching a kernel's parameters for one device: coordinate descent from the defaults
 * over vector width, vectors per row, tile rows, tiles per work-item, K block,
 * work-group size and X's layout (repacked or in place), each
 * candidate verified and timed; the fastest median wins where it is clearly (by
 * SR_TUNE_MARGIN) faster than the best before it, and stays only where it is so again
 * against the start, the two run side by side. The winner is kept with the panel (nv) it
 * ran with at this N. */
#ifndef SR_BENCH_TUNE_H
#define SR_BENCH_TUNE_H

#include "bench/spmm.h"

typedef struct {
    sr_kernel_params best;
    double best_time_s;  /* median of the winner */
    double best_gflops;  /* useful GFLOP/s of the winner */
    double default_time_s;
    int evaluated;       /* candidates run (each verified) */
    int failed;          /* candidates that could not build, run or verify (skipped) */
    int stopped;         /* the progress callback asked to stop */
    int confirmed;       /* side-by-side rounds of the winner against the start (0: the
                            start won the search, or a run of the two failed) */
} sr_tune_result;

/* Called after each candidate (may be NULL): for progress output. ok 0: the candidate was
 * skipped, and `why` says why (the build, launch or verification message; NULL when ok).
 * Returning nonzero stops the search (an interrupt); the best so far is kept. */
typedef int (*sr_tune_progress)(void *ctx, const sr_kernel_params *kp, double time_s, int ok,
                                const char *why);

/* How much faster (a fraction of the best median) a candidate must run to replace the
 * best so far. */
#define SR_TUNE_MARGIN 0.05
/* Rounds of the winner against the start, side by side, that confirm the search's result
 * (odd: their median is one round's). */
#define SR_TUNE_CONFIRM_ROUNDS 5

/* Tunes the kernel of w's pattern for x (k x n). `start` is where the search begins
 * (defaults or a stored best); it stops after `budget_s` seconds of wall clock. A
 * candidate that does not build, run or verify (a driver that cannot run it, e.g.
 * llvmpipe's loop limit) is skipped and the search goes on, the start point too; an error
 * only when no candidate worked. default_time_s is 0 when the start point was skipped. */
sr_code sr_tune(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                const sr_kernel_params *start, int reps, double budget_s, sr_tune_progress progress,
                void *ctx, sr_tune_result *out, sr_err *err);

#endif
