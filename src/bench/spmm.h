/* One verified, timed SpMM run on a device: upload W (in its format) and X (its rows padded
 * to whole vectors where the parameters say so, untimed: the layout a padded layer writes
 * its Y in), repack X into panels, run the pattern's kernel, check Y against the CPU
 * reference, then time repetitions of pack + kernel (the repacking is part of the time),
 * on a CPU device with its cores held awake (runtime/keep_awake.h). */
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
    double setup_s;         /* buffers and uploads (builds apart) */
    double first_s;         /* the first launch (PoCL compiles for its local size there) */
    double verify_s;        /* reading Y back and checking it against the reference */
    sr_verify_result verify;
    int verified;
    size_t rows_checked;    /* rows of Y compared with the reference (over every group) */
    int launches;           /* kernel launches a repetition makes (pack and product, per group) */
    int row_floats;         /* floats per row of X and Y as the kernels ran: N, or N padded to
                               whole vectors (sr_kernel_params_row_floats) */
    int awake_cpus;         /* cores held awake while timed (0: none; runtime/keep_awake.h) */
    double device_s;        /* wall clock of the repetitions, untimed warm ones included:
                               what a sweep spends running kernels */
    char params[96];        /* as requested: "vw=16,nv=4,rows=6,wg=8,tiles=1,kc=0" (the run
                               uses sr_kernel_params_effective of them) */
} sr_spmm_result;

/* One group's operands: w in its format, the same weights dense (m x k) for the
 * reference, x (k x n) row-major. */
typedef struct {
    const sr_sparse *w;
    const float *w_dense;
    const float *x;
} sr_spmm_operand;

/* groups independent products of one shape and pattern (a grouped convolution), each
 * with its own weights and inputs: a repetition runs all of them (its time is theirs
 * together). The reference checks every row_step-th row of each Y (1: all). At least
 * reps repetitions are timed, more (up to 1000) while fewer than min_time_s of them have
 * run (res->time.reps says how many). */
sr_code sr_spmm_run_groups(sr_cl *cl, const sr_spmm_operand *ops, int groups, int n, const sr_kernel_params *kp,
                           int reps, int row_step, double min_time_s, sr_spmm_result *res, sr_err *err);

/* w: the matrix in its format; w_dense: the same weights dense (m x k), for the reference;
 * x: k x n row-major. reps >= 1. A result that fails verification returns SR_ERR_VERIFY
 * and no time. */
sr_code sr_spmm_run(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                    const sr_kernel_params *kp, int reps, sr_spmm_result *res, sr_err *err);

/* Refuses, before anything is allocated, a problem whose buffers exceed the device's
 * largest allocation or its global memory. */
sr_code sr_spmm_check_limits(const sr_device_info *dev, const sr_pattern *p, int m, int k, int n,
                             double sparsity, const sr_kernel_params *kp, sr_err *err);

/* FLOPs of a run: 2 * stored values * n. (Bytes: the model's count, model/roofline.h,
 * and the kernel layout's, sr_sparse_weight_bytes: see bench/kernel_run.h.) */
double sr_spmm_flops(const sr_sparse *w, int n);

#endif
