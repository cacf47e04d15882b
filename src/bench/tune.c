/* Parameter search by coordinate descent: from the start point, try each value of one
 * parameter with the others fixed, keep any improvement, and go round until a full pass
 * improves nothing or the budget runs out. PoCL compiles per build option set and per
 * local size, so every candidate costs a build: the space is kept small on purpose. */
#include "bench/tune.h"

#include <math.h>
#include <string.h>

#include "bench/timing.h"

static const int vw_values[] = {4, 8, 16};
static const int nv_values[] = {1, 2, 4, 8, 16};
static const int rows_values[] = {1, 2, 4, 6, 8, 16};
static const int wg_values[] = {1, 2, 4, 8, 16, 32, 64};
static const int tiles_values[] = {1, 4, 8, 16, 32};
static const int kc_values[] = {0, 32, 64, 128, 256};
static const int x_values[] = {SR_X_PANELS, SR_X_IN_PLACE}; /* X repacked or read in place */
static const int mv_values[] = {0, 1}; /* dense: vectors along N or along M */

typedef struct {
    const int *values;
    int count;
    size_t offset; /* of the field in sr_kernel_params */
} axis;

#define AXIS(v, field) {v, (int)(sizeof v / sizeof *v), offsetof(sr_kernel_params, field)}

static int *field(sr_kernel_params *kp, size_t offset) { return (int *)((char *)kp + offset); }

/* Runs one candidate and reports it; a candidate that fails to build, run or verify is
 * skipped with its reason. Returns 0, or nonzero when the callback asks to stop. */
static int try_candidate(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                         const sr_kernel_params *kp, int reps, sr_tune_progress progress, void *ctx,
                         sr_tune_result *out, sr_err *last)
{
    sr_spmm_result res;
    sr_err e = {0};
    const int ok = sr_spmm_run(cl, w, w_dense, x, n, kp, reps, &res, &e) == SR_OK;
    out->evaluated += ok;
    out->failed += !ok;
    if (!ok)
        *last = e;
    /* a candidate takes over only when it is clearly faster: medians of the same kernel
     * move by a few percent from run to run here, and a search that follows such noise
     * drifts to parameters no better where it tuned (rows=16 for BSR 16x16, 1.03x at
     * 768x3072x128) and up to 3x slower at the shapes that look them up (3072x768x128) */
    if (ok && res.time.median_s < out->best_time_s * (1.0 - SR_TUNE_MARGIN)) {
        out->best = *kp;
        out->best_time_s = res.time.median_s;
    }
    return progress && progress(ctx, kp, ok ? res.time.median_s : 0.0, ok, ok ? NULL : e.msg);
}

/* The winner against the start, side by side: SR_TUNE_CONFIRM_ROUNDS rounds that run the
 * start then the winner, each a median of reps. The search timed them minutes apart, the
 * start first (in tune --classes, defaults "gained" 1.1x to 1.4x that the same two
 * kernels, run alternately, did not show). The winner stays where the median of its
 * rounds beats the start's by SR_TUNE_MARGIN; both times are then those medians. */
static void confirm(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                    const sr_kernel_params *start, int reps, sr_tune_result *out)
{
    double ts[SR_TUNE_CONFIRM_ROUNDS], tb[SR_TUNE_CONFIRM_ROUNDS];
    for (int r = 0; r < SR_TUNE_CONFIRM_ROUNDS; r++) {
        sr_spmm_result res;
        sr_err e = {0};
        if (sr_spmm_run(cl, w, w_dense, x, n, start, reps, &res, &e) != SR_OK)
            return;
        ts[r] = res.time.median_s;
        if (sr_spmm_run(cl, w, w_dense, x, n, &out->best, reps, &res, &e) != SR_OK)
            return;
        tb[r] = res.time.median_s;
        out->confirmed++;
    }
    const double t_start = sr_median(ts, SR_TUNE_CONFIRM_ROUNDS), t_best = sr_median(tb, SR_TUNE_CONFIRM_ROUNDS);
    out->default_time_s = t_start;
    if (t_best < t_start * (1.0 - SR_TUNE_MARGIN)) {
        out->best_time_s = t_best;
    } else {
        out->best = *start;
        out->best_time_s = t_start;
    }
}

/* Whether a and b run the same kernel on n columns: the parameters a run really uses, at
 * the width it pads rows to, are equal. */
static int same_kernel(const sr_kernel_params *a, const sr_kernel_params *b, const sr_pattern *p, int n)
{
    sr_kernel_params ea, eb;
    sr_kernel_params_run_width(a, p, n, &ea);
    sr_kernel_params_run_width(b, p, n, &eb);
    return memcmp(&ea, &eb, sizeof ea) == 0;
}

sr_code sr_tune(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                const sr_kernel_params *start, int reps, double budget_s, sr_tune_progress progress,
                void *ctx, sr_tune_result *out, sr_err *err)
{
    /* nv's values, and at each vector width the one whose panels cover N with the fewest
     * columns (13 at 196 columns with vectors of 16: one panel of 208 where 4 or 8 compute
     * 256), which the powers of two miss */
    int nv_all[sizeof nv_values / sizeof *nv_values + sizeof vw_values / sizeof *vw_values];
    int n_nv = (int)(sizeof nv_values / sizeof *nv_values);
    memcpy(nv_all, nv_values, sizeof nv_values);
    for (size_t v = 0; v < sizeof vw_values / sizeof *vw_values; v++) {
        sr_kernel_params at = *start;
        at.vw = vw_values[v];
        const int fit = sr_kernel_params_fit_nv(&at, &w->pattern, n, 1, 16);
        int seen = 0;
        for (int i = 0; i < n_nv; i++)
            seen |= nv_all[i] == fit;
        if (!seen)
            nv_all[n_nv++] = fit;
    }
    const axis axes[] = {AXIS(vw_values, vw),       {nv_all, n_nv, offsetof(sr_kernel_params, nv)},
                         AXIS(rows_values, rows),
                         AXIS(tiles_values, tiles), AXIS(kc_values, kc), AXIS(wg_values, wg),
                         AXIS(x_values, x),         AXIS(mv_values, mv)};
    const double t_end = sr_wall_seconds() + budget_s;
    sr_err last = {0};
    memset(out, 0, sizeof *out);
    out->best = *start;
    out->best_time_s = INFINITY;
    out->stopped = try_candidate(cl, w, w_dense, x, n, start, reps, progress, ctx, out, &last);
    out->default_time_s = out->evaluated ? out->best_time_s : 0.0;
    /* a second start where the kernel has another layout (dense: vectors along M), whose
     * good settings lie too far from the first start for one step of the descent */
    sr_kernel_params alt;
    if (!out->stopped && sr_kernel_params_alternative(&w->pattern, sr_cl_info(cl)->type, n, &alt))
        out->stopped = try_candidate(cl, w, w_dense, x, n, &alt, reps, progress, ctx, out, &last);
    /* without a working start the search goes on from it, and the first candidate that
     * runs becomes the best */
    for (int improved = 1; improved && sr_wall_seconds() < t_end && !out->stopped;) {
        improved = 0;
        for (size_t a = 0; a < sizeof axes / sizeof *axes; a++) {
            const sr_kernel_params base = out->best;
            for (int i = 0; i < axes[a].count && sr_wall_seconds() < t_end && !out->stopped; i++) {
                sr_kernel_params kp = base;
                *field(&kp, axes[a].offset) = axes[a].values[i];
                sr_err e2 = {0};
                if (sr_kernel_params_check(&kp, &w->pattern, &e2) != SR_OK)
                    continue;
                /* a candidate that runs the same kernel as the best so far is not tried */
                if (same_kernel(&kp, &base, &w->pattern, n))
                    continue;
                const double before = out->best_time_s;
                out->stopped = try_candidate(cl, w, w_dense, x, n, &kp, reps, progress, ctx, out, &last);
                improved |= out->best_time_s < before;
            }
        }
    }
    if (!out->stopped && out->default_time_s > 0 && !same_kernel(&out->best, start, &w->pattern, n))
        confirm(cl, w, w_dense, x, n, start, reps, out);
    /* the panel that ran: nv beyond N's vectors is capped where the kernel runs (N = 49
     * ran nv=13 as 4), and stored as 13 it would mean 13 at the layers that look it up */
    sr_kernel_params eff;
    sr_kernel_params_run_width(&out->best, &w->pattern, n, &eff);
    out->best.nv = eff.nv;
    if (out->evaluated == 0)
        return sr_err_set(err, last.code ? last.code : SR_ERR_UNSUPPORTED,
                          "no candidate built, ran and verified (%d skipped); the last: %s", out->failed,
                          last.msg);
    out->best_gflops = sr_spmm_flops(w, n) / out->best_time_s * 1e-9;
    return SR_OK;
}
