/* The device's own prediction ("device"), beside the paper's ("peak"): what this device's
 * kernels really do, from terms measured on the device on synthetic shapes (never on the
 * network predicted):
 *   - throughput per pattern as a function of the shape: the rate each kernel reached on
 *     a grid of (M, K, N, sparsity), over the columns it really computes (N padded to its
 *     panels: by the kernels' own rule where the model's builder gives it, `layout`, and the
 *     points their `cols`), interpolated multilinearly in log M, log K, log N and log(1 - sparsity) on
 *     log(rate), clamped at the grid's edges; an N that is not a whole number of vectors
 *     (unaligned rows of Y, slower) from the grid's unaligned points, unless the kernels pad
 *     rows to whole vectors (row_pad); dense where it runs
 *     with vectors along M (panels would pad N much: along_m_*) from its points there; a single column
 *     (dense runs a GEMV there) from the grid's N = 1 points alone; a layer reading X in
 *     place at a row stride that reaches few cache sets (`crowded`, the kernels' rule) from
 *     the points that did, where the grid has them, and no other layer from those;
 *   - the fixed cost a layer pays (repacking X): where the model knows the kernels' rule for
 *     it (x_packed) and their repacking speed (pack_*, from the calibration points that
 *     repacked), rates count the kernel alone and a layer whose kernel repacks pays
 *     pack_fixed_s + X's packed bytes / pack_gbps, whatever its neighbours on the grid did;
 *     else as the share of the time it took at the grid points, interpolated the same way;
 *   - the traffic of formats that re-read X (CSR reads a row of X, N values, for every
 *     nonzero; BSR bc rows for every block) from the level whose working set holds the
 *     slice of X the kernel sweeps: the rows of one K block (all of K where it does not
 *     block K) of one panel (the pattern's kernel parameters; without them K rows of at
 *     most SR_DEVICE_PANEL columns);
 *   - the launch overhead, once per kernel launch.
 * A layer's kernel time is max(flops / rate, re-read bytes / that level's bandwidth);
 * launches come on top (event timing leaves them out, so they are kept apart). */
#ifndef SR_MODEL_DEVICE_MODEL_H
#define SR_MODEL_DEVICE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "common/pattern.h"
#include "model/ceilings.h"

#define SR_DEVICE_PANEL 64.0 /* columns of X in a panel (the kernels' width on CPUs) */

/* How a pattern's kernel sweeps X, from the parameters it ran with in calibration. */
typedef struct {
    char pattern[SR_NAME_MAX];
    int k_block; /* rows of X per K block (0: all of K at once) */
    int width;   /* columns of X per panel (0: unknown) */
} sr_device_blocking;

#define SR_DEVICE_MAX_BLOCKING 16

/* One calibration measurement: a synthetic shape run on the device. */
typedef struct {
    char pattern[SR_NAME_MAX]; /* canonical name */
    double sparsity;           /* dense: 0; N:M: 1 - N/M */
    double m, k, n;
    double flops;              /* useful work: 2 * stored values * n */
    double time_s;             /* median event time: pack + kernel */
    double pack_s;             /* of it, repacking X (0: none) */
    char params[96];           /* the kernel parameters it ran with ("" if unknown) */
    /* Filled by whoever builds the model from the kernels' rules (not stored): */
    double cols;               /* columns its kernel computed (0: unknown, padded by the model) */
    int crowded;               /* 1: it read X in place at a row stride reaching few cache sets */
} sr_calib_point;

/* How the kernels run a product (the kernels' rules, which the model cannot see). */
typedef struct {
    double cols; /* columns computed: N padded to whole vectors, then whole panels (0: unknown) */
    int crowded; /* 1: X read in place at a row stride reaching few cache sets */
} sr_device_layout;

typedef struct sr_device_model sr_device_model;

struct sr_device_model {
    const sr_calib_point *points;
    size_t n_points;
    double launch_s; /* per launch (the device's measured launch overhead; 0: unknown) */
    /* How the kernels cover N: in panels of `panel` columns, a narrower N in whole vectors
     * of `vector` columns (the default kernel parameters of the device; 0: N as it is).
     * Rates are interpolated over the N the kernels really compute. */
    int vector, panel;
    /* Dense runs with vectors along M (no panels of X, N computed as it is) where panels of
     * along_m_panel columns would pad N by along_m_pct percent or more (the kernels' rule;
     * 0: never); its points there are interpolated apart from the others. */
    int along_m_panel, along_m_pct;
    /* 1: the kernels pad rows of X and Y to whole vectors (kernel parameter pad=1): every N
     * wider than a vector runs as whole vectors, and takes its rate from the aligned points */
    int row_pad;
    /* 1: rates from a least-squares quadratic surface (in log M, log K, log N) through each
     * calibrated sparsity's points rather than from the nearest points alone */
    int smooth;
    sr_device_blocking blocking[SR_DEVICE_MAX_BLOCKING]; /* per pattern (none: the default slice) */
    size_t n_blocking;
    /* The kernels' rule (which the model cannot see: given by whoever builds it): 1 where
     * pattern p's kernel repacks X into panels at m x k x n, 0 where it reads X in place.
     * NULL, or pack_gbps 0: no rule; rates then include the repacking of the points around.
     * (A layer of N a multiple of 256 repacks where no grid point near it does: block:4x4 at
     * 96 x 864 x 2304 took 0.46 ms, 0.13 predicted, 0.28 of it repacking 8 MB of X.) */
    int (*x_packed)(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n);
    /* The kernels' rules for the columns they compute and the crowding of X's rows, for a
     * layer of pattern p at m x k x n (NULL: N padded by vector/panel/blocking, never crowded).
     * Calibration points carry theirs (cols, crowded). */
    void (*layout)(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n,
                   sr_device_layout *out);
    const void *rules_ctx;  /* for x_packed and layout (e.g. the store its parameters come from) */
    char rules_device[37];  /* for x_packed and layout (e.g. the device's UUID) */
    char rules_type[16];    /* for x_packed and layout (e.g. the device's type) */
    double pack_fixed_s, pack_gbps; /* a repack's cost: fixed + packed bytes of X / GB/s */
};

typedef struct {
    double time_s;   /* kernel_s + launch_s: what a run of the layer costs */
    double kernel_s; /* max(rate term, re-read term), over every group */
    double rate_s;   /* flops / calibrated rate */
    double pack_s;   /* of kernel_s, repacking X */
    double reread_s; /* re-read bytes / bandwidth of X's level (0: the format re-reads none) */
    double launch_s; /* launches * launch overhead */
    int launches;
    double gflops;   /* the calibrated rate */
    char term[SR_NAME_MAX]; /* what decides it: "kernel", "re-read L2", "repack", "launch" */
} sr_device_time;

/* The repacking speed from the points that repacked X (pack_s > 0): pack_s = fixed +
 * packed bytes / gbps by least squares on relative error. 0 where fewer than two did. */
int sr_device_model_pack_fit(const sr_device_model *dm, double *fixed_s, double *gbps);

/* 1 when the model has calibration points for pattern p. */
int sr_device_model_has(const sr_device_model *dm, const sr_pattern *p);

/* The device time of `groups` products m x k x n of pattern p at sparsity s holding nnz
 * values per group (padding included), on ceilings c (for the re-read term). Returns
 * SR_ERR_NOTFOUND when the model has no calibration for p. */
sr_code sr_device_model_time(const sr_device_model *dm, const sr_ceilings *c, const sr_pattern *p, double sparsity,
                             int64_t m, int64_t k, int64_t n, int64_t groups, double nnz, sr_device_time *out,
                             sr_err *err);

/* The calibrated rate (GFLOP/s over the columns the kernels compute) and repack share of
 * pattern p at a shape, interpolated. */
sr_code sr_device_model_rate(const sr_device_model *dm, const sr_pattern *p, double sparsity, double m, double k,
                             double n, double *gflops, double *pack_share, sr_err *err);

#endif
