/* One verified, timed SpMM run on a device: upload W (in its format) and X, repack X into
 * panels, run the pattern's kernel, check Y against the CPU reference, then time
 * repetitions of pack + kernel (the repacking is part of the time). */
#ifndef SR_BENCH_SPMM_H
#define SR_BENCH_SPMM_H

#include "bench/params.h"
#include "bench/reference.h"
#include "bench/timing.h"
#include "runtime/runtime.h"
#include "sparse/format.h"

typedef struct {
    sr_time_stats time;     /* per repetition: pack + kernel */
    double pack_s;          /* median event time of the pack alone (0: X needed none, or
                               the time is by the wall clock) */
    double build_s;         /* program builds, kept apart from the time */
    sr_verify_result verify;
    int verified;
    char params[96];        /* as requested: "vw=16,nv=4,rows=6,wg=8,tiles=1,kc=0" (the run
                               uses sr_kernel_params_effective of them) */
} sr_spmm_result;

/* w: the matrix in its format; w_dense: the same weights dense (m x k), for the reference;
 * x: k x n row-major. reps >= 1. A result that fails verification returns SR_ERR_VERIFY
 * and no time. */
sr_code sr_spmm_run(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                    const sr_kernel_params *kp, int reps, sr_spmm_result *res, sr_err *err);

/* Refuses, before anything is allocated, a problem whose buffers exceed the device's
 * largest allocation or its global memory. */
sr_code sr_spmm_check_limits(const sr_device_info *dev, const sr_pattern *p, int m, int k, int n,
                             double sparsity, const sr_kernel_params *kp, sr_err *err);

/* FLOPs (2 * stored values * n) and bytes (W as stored + X read + Y written) of a run. */
double sr_spmm_flops(const sr_sparse *w, int n);
double sr_spmm_bytes(const sr_sparse *w, int n);

#endif
