/* CPU reference product in double and the fp32 error bound. Walks only the nonzeros of
 * W, so sparse references stay cheap; the format of the kernel is not used, so a format
 * bug cannot hide in the reference. */
#include "bench/reference.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sr_verify_spmm(const float *w, const float *x, const float *y, int m, int k, int n,
                   sr_verify_result *out)
{
    return sr_verify_spmm_rows(w, x, y, m, k, n, 1, out);
}

int sr_verify_spmm_rows(const float *w, const float *x, const float *y, int m, int k, int n, int row_step,
                        sr_verify_result *out)
{
    if (row_step < 1)
        row_step = 1;
    memset(out, 0, sizeof *out);
    double *ref = malloc((size_t)n * sizeof *ref), *mag = malloc((size_t)n * sizeof *mag);
    if (!ref || !mag) {
        free(ref);
        free(mag);
        out->failed = 1;
        return 0;
    }
    for (int i = 0; i < m; i = (i + row_step < m || i == m - 1) ? i + row_step : m - 1) {
        memset(ref, 0, (size_t)n * sizeof *ref);
        memset(mag, 0, (size_t)n * sizeof *mag);
        const float *wrow = w + (size_t)i * k;
        int nz = 0;
        for (int kk = 0; kk < k; kk++) {
            const double a = wrow[kk];
            if (a == 0.0)
                continue;
            nz++;
            const float *xr = x + (size_t)kk * n;
            for (int j = 0; j < n; j++) {
                ref[j] += a * xr[j];
                mag[j] += fabs(a * xr[j]);
            }
        }
        const float *yr = y + (size_t)i * n;
        for (int j = 0; j < n; j++) {
            const double bound = (nz + 2) * (double)FLT_EPSILON * mag[j] + FLT_MIN;
            const double e = fabs((double)yr[j] - ref[j]);
            const double ratio = isnan(yr[j]) ? INFINITY : e / bound;
            out->checked++;
            if (e > out->max_abs_err || isnan(yr[j]))
                out->max_abs_err = isnan(yr[j]) ? INFINITY : e;
            if (ratio > out->max_err_ratio) {
                out->max_err_ratio = ratio;
                out->worst_row = (size_t)i;
                out->worst_col = (size_t)j;
            }
            if (!(ratio <= 1.0))
                out->failed++;
        }
    }
    free(ref);
    free(mag);
    return out->failed == 0;
}
