/* The plausibility of measured ceilings (see peaks_check.h). */
#include "bench/peaks_check.h"

#include <math.h>
#include <stdlib.h>

#include "bench/kernel_run.h"
#include "bench/timing.h"

#define GEMM_M 256
#define GEMM_K 256
#define GEMM_N 64

/* The level's figure of the series (read or triad, whichever the sweep found faster) at
 * point i: what the ceilings' levels were found in. */
static double best_at(const sr_peaks_result *r, size_t i)
{
    return fmax(r->read[i].gbps, r->triad[i].gbps);
}

/* Median of the best figures at points [a, b). */
static double median_of(const sr_peaks_result *r, size_t a, size_t b, double *tmp)
{
    for (size_t i = a; i < b; i++)
        tmp[i - a] = best_at(r, i);
    return sr_median(tmp, (int)(b - a));
}

static sr_code check_level(const sr_peaks_result *r, const sr_plateau *l, double *tmp, sr_err *err)
{
    if (l->spread > SR_PEAKS_MAX_SPREAD)
        return sr_err_set(err, SR_ERR_UNSUPPORTED, "implausible bandwidth level %s (%.4g GB/s): its "
                          "points spread over %.0f%% of it, the plateau is not flat; the timings "
                          "do not measure the device", l->level, l->gbps, 100 * l->spread);
    size_t n = l->last + 1 - l->first;
    if (n < 4 || l->last >= r->n_points)
        return SR_OK;
    double lo = median_of(r, l->first, l->first + n / 2, tmp);
    double hi = median_of(r, l->first + (n + 1) / 2, l->last + 1, tmp);
    if (hi > SR_PEAKS_MAX_RISE * lo)
        return sr_err_set(err, SR_ERR_UNSUPPORTED, "implausible bandwidth level %s (%.4g GB/s): it "
                          "rises with the working set (%.4g GB/s over its larger half, %.4g over "
                          "its smaller), and more data is never faster; the kernels did less work "
                          "than counted or the timings do not measure the device",
                          l->level, l->gbps, hi, lo);
    return SR_OK;
}

sr_code sr_peaks_plausible(const sr_peaks_result *r, sr_err *err)
{
    double *tmp = malloc((r->n_points ? r->n_points : 1) * sizeof *tmp);
    if (!tmp)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu sweep points", r->n_points);
    sr_code c = SR_OK;
    for (size_t k = 0; k < r->n_levels && c == SR_OK; k++) {
        c = check_level(r, &r->levels[k], tmp, err);
        if (c == SR_OK && k > 0 && r->levels[k].gbps > r->levels[k - 1].gbps)
            c = sr_err_set(err, SR_ERR_UNSUPPORTED, "implausible bandwidth: level %s (%.4g GB/s) "
                           "is faster than %s before it (%.4g GB/s), for larger working sets",
                           r->levels[k].level, r->levels[k].gbps, r->levels[k - 1].level,
                           r->levels[k - 1].gbps);
    }
    /* one level, the sweep's end, that every smaller working set was well below: the
     * sweep only rose, and a launch's work did not grow with its working set */
    if (c == SR_OK && r->n_levels == 1 && r->n_points >= 4) {
        double lo = median_of(r, 0, r->n_points / 2, tmp);
        if (r->levels[0].gbps > SR_PEAKS_MAX_RISE * lo)
            c = sr_err_set(err, SR_ERR_UNSUPPORTED, "implausible bandwidth level %s (%.4g GB/s): the "
                           "sweep rises with the working set up to it (%.4g GB/s over its smaller "
                           "half), and more data is never faster; the kernels did less work than "
                           "counted or the timings do not measure the device",
                           r->levels[0].level, r->levels[0].gbps, lo);
    }
    free(tmp);
    const sr_compute_ceiling *fp32 = &r->ceilings.compute[SR_DTYPE_FP32];
    if (c == SR_OK && r->gemm_gflops > 0 && fp32->supported &&
        fp32->gflops > SR_PEAKS_MAX_PEAK_OVER_GEMM * r->gemm_gflops)
        c = sr_err_set(err, SR_ERR_UNSUPPORTED, "implausible fp32 peak: %.4g GFLOP/s is more than "
                       "%.0f times what a dense product did in the same run (%.4g GFLOP/s); the FMA "
                       "kernel did less work than counted or the timings do not measure the device",
                       fp32->gflops, SR_PEAKS_MAX_PEAK_OVER_GEMM, r->gemm_gflops);
    return c;
}

sr_code sr_peaks_gemm(sr_cl *cl, double *gflops, sr_err *err)
{
    sr_problem prob;
    sr_kernel_spec spec = {.pattern = {.kind = SR_PAT_DENSE}, .reps = 3};
    sr_kernel_outcome out;
    *gflops = 0;
    sr_kernel_params_default(&spec.pattern, sr_cl_info(cl)->type, &spec.params);
    sr_code c = sr_problem_make(GEMM_M, GEMM_K, GEMM_N, 1, &prob, err);
    if (c != SR_OK)
        return c;
    c = sr_kernel_run(cl, &prob, &spec, NULL, NULL, &out, err);
    if (c == SR_OK && out.res.time.min_s > 0)
        *gflops = out.flops / out.res.time.min_s * 1e-9;
    sr_problem_free(&prob);
    return c;
}
