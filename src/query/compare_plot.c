/* Devices side by side, drawn (query/compare.h): speedup over each device's own dense time
 * against sparsity, one colour per device (its dense time in the legend), one marker per
 * pattern, predicted hollow and dashed, measured filled and solid, 1x marked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/compare.h"
#include "query/plot.h"

void sr_compare_time(double s, char *buf, size_t size)
{
    if (!(s > 0))
        snprintf(buf, size, "-");
    else if (s < 1e-3)
        snprintf(buf, size, "%.3g us", s * 1e6);
    else if (s < 1)
        snprintf(buf, size, "%.3g ms", s * 1e3);
    else
        snprintf(buf, size, "%.3g s", s);
}

/* The patterns in the order the rows hold them (rows are by pattern). */
static size_t pattern_rank(const sr_compare *c, size_t row)
{
    size_t rank = 0;
    for (size_t i = 1; i <= row; i++)
        rank += strcmp(c->rows[i].pattern, c->rows[i - 1].pattern) != 0;
    return rank;
}

static sr_code device_series(sr_plot *pl, const sr_compare *c, size_t d, double *x, double *y,
                             int *kinds, sr_err *err)
{
    sr_code rc = SR_OK;
    for (size_t i = 0; i < c->n_rows && rc == SR_OK;) {
        size_t end = i;
        while (end < c->n_rows && strcmp(c->rows[end].pattern, c->rows[i].pattern) == 0)
            end++;
        sr_plot_style st = {.color = (int)d, .marker = sr_plot_marker(pattern_rank(c, i))};
        for (int measured = 0; measured < 2 && rc == SR_OK; measured++) {
            size_t m = 0;
            for (size_t k = i; k < end; k++) {
                const sr_compare_cell *cell = &c->rows[k].cells[d];
                x[m] = c->rows[k].sparsity;
                y[m++] = measured ? cell->measured_speedup : cell->predicted_speedup;
                kinds[measured] |= !isnan(y[m - 1]);
            }
            st.hollow = !measured;
            st.line = measured ? SR_LINE_SOLID : SR_LINE_DASHED;
            rc = sr_plot_series(pl, NULL, &st, x, y, m, err);
        }
        i = end;
    }
    return rc;
}

static sr_code legend(sr_plot *pl, const sr_compare *c, const int *kinds, sr_err *err)
{
    sr_code rc = SR_OK;
    for (size_t d = 0; d < c->n_devs && rc == SR_OK; d++) {
        const sr_compare_device *dev = &c->devs[d];
        char t[32], label[400];
        int measured = !isnan(dev->measured_dense_s);
        sr_compare_time(measured ? dev->measured_dense_s : dev->predicted_dense_s, t, sizeof t);
        snprintf(label, sizeof label, "dense %s%s \xc2\xb7 %s", t, measured ? "" : " (pred.)", dev->device);
        sr_plot_style st = {.color = (int)d, .marker = SR_MARK_NONE, .line = SR_LINE_SOLID, .line_width = 3};
        rc = sr_plot_series(pl, label, &st, NULL, NULL, 0, err);
    }
    for (size_t i = 0; i < c->n_rows && rc == SR_OK; i++) {
        if (i > 0 && strcmp(c->rows[i].pattern, c->rows[i - 1].pattern) == 0)
            continue;
        sr_plot_style st = {.color = SR_COLOR_GREY, .marker = sr_plot_marker(pattern_rank(c, i))};
        rc = sr_plot_series(pl, c->rows[i].pattern, &st, NULL, NULL, 0, err);
    }
    return rc == SR_OK ? sr_plot_kinds_legend(pl, kinds[0], kinds[1], err) : rc;
}

sr_code sr_compare_chart(const sr_compare *c, sr_plot **out, sr_err *err)
{
    *out = NULL;
    sr_plot *pl = sr_plot_new();
    double *x = malloc((c->n_rows + 2) * sizeof *x), *y = malloc((c->n_rows + 2) * sizeof *y);
    if (!pl || !x || !y) {
        sr_plot_free(pl), free(x), free(y);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the comparison");
    }
    char title[512];
    snprintf(title, sizeof title, "%s on %zu device%s, batch %d, %s", c->network, c->n_devs,
             c->n_devs == 1 ? "" : "s", c->batch, c->dtype);
    sr_plot_title(pl, title, "speedup of the sparse network over each device's own dense time");
    sr_plot_axis(pl, 0, "sparsity (fraction of weights that are zero)", SR_AXIS_LINEAR, NULL);
    sr_plot_axis(pl, 1, "speedup over dense (log scale)", SR_AXIS_LOG, "x");
    sr_plot_style one = {.color = SR_COLOR_GREY, .marker = SR_MARK_NONE, .line = SR_LINE_DOTTED};
    sr_code rc = sr_plot_rule(pl, 1, &one, "1x: as fast as dense", err);
    int kinds[2] = {0, 0};
    for (size_t d = 0; d < c->n_devs && rc == SR_OK; d++)
        rc = device_series(pl, c, d, x, y, kinds, err);
    if (rc == SR_OK)
        rc = legend(pl, c, kinds, err);
    free(x);
    free(y);
    if (rc != SR_OK) {
        sr_plot_free(pl);
        return rc;
    }
    *out = pl;
    return SR_OK;
}
