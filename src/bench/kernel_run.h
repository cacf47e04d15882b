/* One kernel run, the way every command runs one: prune the weights to the pattern,
 * encode them, run the product on the device, verify it against the CPU reference, time
 * it, count its work the model's way (and the kernel layout's), and predict it from the
 * device's ceilings. `kernel`, `tune` and the network sweep all call this. */
#ifndef SR_BENCH_KERNEL_RUN_H
#define SR_BENCH_KERNEL_RUN_H

#include <stdint.h>

#include "bench/problem.h"
#include "bench/spmm.h"
#include "model/roofline.h"

typedef struct {
    sr_pattern pattern;
    double sparsity;         /* asked for; dense and N:M have their own */
    sr_kernel_params params; /* what runs (checked against the device before anything) */
    int reps;
    double min_time_s; /* more repetitions while fewer than this many seconds ran (0: none) */
    /* The reference checks every row of a layer unless that would cost more than this
     * many multiply-adds; then an even sample of rows within it (the outcome says how
     * many). 0: every row, always. */
    double check_macs;
} sr_kernel_spec;

/* What the caller hears and says during a run (any field may be NULL): progress at each
 * stage ("pruning and encoding", "verifying and timing"); stop, asked between stages,
 * ends the run with SR_ERR_INTERRUPTED. */
typedef struct {
    void (*progress)(void *ctx, const char *stage);
    int (*stop)(void);
    void *ctx;
} sr_kernel_hooks;

typedef struct {
    size_t nnz;          /* values stored, over every group (padding included) */
    double achieved;     /* fraction of the weights that are zero after pruning */
    double flops;        /* 2 * nnz * n */
    double bytes;        /* the model's count (model/roofline.h): what is stored and compared */
    double layout_bytes; /* what the kernel's own layout reads (e.g. a byte per N:M index
                            where the model counts ceil(log2 M) bits) */
    sr_spmm_result res;
    double prune_s;      /* pruning and encoding the weights on the host */
    size_t rows;         /* rows of Y over every group; res.rows_checked of them verified */
    int predicted;       /* pt holds the roofline prediction (ceilings were given) */
    sr_roofline_point pt;
} sr_kernel_outcome;

/* Refuses, before anything is allocated or run: parameters that do not fit the pattern,
 * and a problem (prob's shape and groups) whose buffers exceed the device's limits or
 * whose host arrays exceed this machine's memory. */
sr_code sr_kernel_check(const sr_device_info *dev, int m, int k, int n, int groups, const sr_kernel_spec *spec,
                        sr_err *err);

/* Runs spec on prob (its weights pruned group by group; prob is not changed) on the open
 * device; ceil (may be NULL) adds the prediction; hooks may be NULL. A result that fails verification
 * returns SR_ERR_VERIFY and no time. */
sr_code sr_kernel_run(sr_cl *cl, const sr_problem *prob, const sr_kernel_spec *spec, const sr_ceilings *ceil,
                      const sr_kernel_hooks *hooks, sr_kernel_outcome *out, sr_err *err);

#endif
