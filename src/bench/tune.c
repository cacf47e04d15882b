/* Parameter search by coordinate descent: from the start point, try each value of one
 * parameter with the others fixed, keep any improvement, and go round until a full pass
 * improves nothing or the budget runs out. PoCL compiles per build option set and per
 * local size, so every candidate costs a build: the space is kept small on purpose. */
#include "bench/tune.h"

#include <string.h>

static const int vw_values[] = {4, 8, 16};
static const int nv_values[] = {1, 2, 4, 8, 16};
static const int rows_values[] = {1, 2, 4, 6, 8, 16};
static const int wg_values[] = {1, 2, 4, 8, 16, 32, 64};
static const int tiles_values[] = {1, 4, 8, 16, 32};
static const int kc_values[] = {0, 32, 64, 128, 256};

typedef struct {
    const int *values;
    int count;
    size_t offset; /* of the field in sr_kernel_params */
} axis;

#define AXIS(v, field) {v, (int)(sizeof v / sizeof *v), offsetof(sr_kernel_params, field)}

static int *field(sr_kernel_params *kp, size_t offset) { return (int *)((char *)kp + offset); }

sr_code sr_tune(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                const sr_kernel_params *start, int reps, double budget_s, sr_tune_progress progress,
                void *ctx, sr_tune_result *out, sr_err *err)
{
    const axis axes[] = {AXIS(vw_values, vw),       AXIS(nv_values, nv), AXIS(rows_values, rows),
                         AXIS(tiles_values, tiles), AXIS(kc_values, kc), AXIS(wg_values, wg)};
    const double t_end = sr_wall_seconds() + budget_s;
    memset(out, 0, sizeof *out);
    sr_spmm_result res;
    sr_code c = sr_spmm_run(cl, w, w_dense, x, n, start, reps, &res, err);
    if (c != SR_OK)
        return c; /* the starting point must work */
    out->best = *start;
    out->best_time_s = out->default_time_s = res.time.median_s;
    out->evaluated = 1;
    if (progress && progress(ctx, start, res.time.median_s, 1))
        out->stopped = 1;
    for (int improved = !out->stopped; improved && sr_wall_seconds() < t_end && !out->stopped;) {
        improved = 0;
        for (size_t a = 0; a < sizeof axes / sizeof *axes; a++) {
            const sr_kernel_params base = out->best;
            for (int i = 0; i < axes[a].count && sr_wall_seconds() < t_end && !out->stopped; i++) {
                sr_kernel_params kp = base, eff, base_eff;
                *field(&kp, axes[a].offset) = axes[a].values[i];
                sr_err e2 = {0};
                if (sr_kernel_params_check(&kp, &w->pattern, &e2) != SR_OK)
                    continue;
                /* a candidate that runs the same kernel as the best so far is not tried */
                sr_kernel_params_effective(&kp, &w->pattern, n, &eff);
                sr_kernel_params_effective(&base, &w->pattern, n, &base_eff);
                if (memcmp(&eff, &base_eff, sizeof eff) == 0)
                    continue;
                c = sr_spmm_run(cl, w, w_dense, x, n, &kp, reps, &res, &e2);
                if (c == SR_ERR_VERIFY) {
                    *err = e2;
                    return c;
                }
                const int ok = c == SR_OK;
                out->evaluated += ok;
                out->failed += !ok;
                if (progress && progress(ctx, &kp, ok ? res.time.median_s : 0.0, ok))
                    out->stopped = 1;
                if (ok && res.time.median_s < out->best_time_s) {
                    out->best = kp;
                    out->best_time_s = res.time.median_s;
                    improved = 1;
                }
            }
        }
    }
    out->best_gflops = sr_spmm_flops(w, n) / out->best_time_s * 1e-9;
    return SR_OK;
}
