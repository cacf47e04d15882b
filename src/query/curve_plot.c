/* The Sparsity Roofline drawn (query/curve.h): x = speedup over dense (log), y = accuracy
 * (or its change from the source's dense figure); each curve one colour per pattern and
 * one marker shape per curve; predicted hollow and dashed, measured filled and solid; the
 * upper envelope of the best-known points (measured where measured) in grey behind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/curve.h"
#include "query/plot.h"

/* Colour of a pattern: its rank among the curves' distinct patterns. */
static int pattern_color(const sr_curve_set *c, size_t i)
{
    int color = 0;
    for (size_t j = 0; j < i; j++) {
        int seen = 0;
        for (size_t k = 0; k < j; k++)
            seen |= strcmp(c->curves[k].pattern, c->curves[j].pattern) == 0;
        if (strcmp(c->curves[j].pattern, c->curves[i].pattern) == 0)
            return color;
        color += !seen;
    }
    return color;
}

static double y_of(const sr_curve_set *c, const sr_curve *k, const sr_curve_point *p)
{
    if (!c->with_accuracy)
        return NAN;
    return c->relative ? p->accuracy - k->dense_accuracy : p->accuracy;
}

/* The upper-right envelope: points no other point beats in both speedup and accuracy. */
static sr_code envelope(sr_plot *pl, const sr_curve_set *c, sr_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_curves; i++)
        n += c->curves[i].n;
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the curve");
    }
    size_t m = 0;
    for (size_t i = 0; i < c->n_curves; i++)
        for (size_t j = 0; j < c->curves[i].n; j++) {
            const sr_curve_point *p = &c->curves[i].pts[j];
            double s = !isnan(p->measured) ? p->measured : p->predicted, v = y_of(c, &c->curves[i], p);
            if (s > 0 && !isnan(v))
                x[m] = s, y[m] = v, m++;
        }
    /* by speedup, descending; keep what beats every faster point's accuracy */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && (x[j] > x[j - 1] || (x[j] == x[j - 1] && y[j] > y[j - 1])); j--) {
            double tx = x[j], ty = y[j];
            x[j] = x[j - 1], y[j] = y[j - 1], x[j - 1] = tx, y[j - 1] = ty;
        }
    size_t k = 0;
    double best = -INFINITY;
    for (size_t i = 0; i < m; i++)
        if (y[i] > best)
            best = y[i], x[k] = x[i], y[k] = y[i], k++;
    sr_plot_style st = {.color = SR_COLOR_GREY, .marker = SR_MARK_NONE, .line = SR_LINE_SOLID,
                        .line_width = 7};
    sr_code rc = k > 1 ? sr_plot_series(pl, "envelope (best known point)", &st, x, y, k, err) : SR_OK;
    free(x);
    free(y);
    return rc;
}

static sr_code curve_series(sr_plot *pl, const sr_curve_set *c, size_t i, sr_err *err)
{
    const sr_curve *k = &c->curves[i];
    double *x = malloc((k->n + 1) * sizeof *x), *y = malloc((k->n + 1) * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the curve");
    }
    /* a marker of its own: curves stay apart in greyscale */
    sr_plot_style st = {.color = pattern_color(c, i), .marker = sr_plot_marker(i)};
    sr_code rc = SR_OK;
    int drawn = 0;
    for (int measured = 0; measured < 2 && rc == SR_OK; measured++) {
        for (size_t j = 0; j < k->n; j++) {
            const sr_curve_point *p = &k->pts[j];
            double s = measured ? p->measured : p->predicted;
            x[j] = c->with_accuracy ? s : p->sparsity;
            y[j] = c->with_accuracy ? y_of(c, k, p) : s;
        }
        st.hollow = !measured;
        st.line = measured ? SR_LINE_SOLID : SR_LINE_DASHED;
        rc = sr_plot_series(pl, NULL, &st, x, y, k->n, err);
        for (size_t j = 0; j < k->n; j++)
            drawn |= !isnan(measured ? k->pts[j].measured : k->pts[j].predicted);
    }
    char label[700];
    if (k->source[0])
        snprintf(label, sizeof label, "%s \xc2\xb7 %s", k->pattern, k->source);
    else
        snprintf(label, sizeof label, "%s", k->pattern);
    st.hollow = 0, st.line = SR_LINE_NONE;
    if (rc == SR_OK && drawn)
        rc = sr_plot_series(pl, label, &st, NULL, NULL, 0, err);
    free(x);
    free(y);
    return rc;
}

static sr_code kinds_legend(sr_plot *pl, const sr_curve_set *c, sr_err *err)
{
    int have[2] = {0, 0};
    for (size_t i = 0; i < c->n_curves; i++)
        for (size_t j = 0; j < c->curves[i].n; j++)
            have[0] |= !isnan(c->curves[i].pts[j].predicted), have[1] |= !isnan(c->curves[i].pts[j].measured);
    return sr_plot_kinds_legend(pl, have[0], have[1], err);
}

sr_code sr_curve_chart(const sr_curve_set *c, sr_plot **out, sr_err *err)
{
    *out = NULL;
    sr_plot *pl = sr_plot_new();
    if (!pl)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the curve");
    char title[512], sub[512], ylabel[256];
    snprintf(title, sizeof title, "Sparsity Roofline: %s on %s, batch %d, %s", c->set.network,
             c->set.device, c->set.batch, c->set.dtype);
    if (c->with_accuracy) {
        snprintf(sub, sizeof sub, "%s %s against speedup over dense; each source against its own "
                 "dense figure", c->dataset, c->metric);
        snprintf(ylabel, sizeof ylabel, c->relative ? "%s change from the source's dense (points)"
                                                    : "%s (%%)", c->metric);
        sr_plot_axis(pl, 0, "speedup over dense (log scale)", SR_AXIS_LOG, "x");
        sr_plot_axis(pl, 1, ylabel, SR_AXIS_LINEAR, NULL);
        sr_plot_axis_include(pl, 0, 1, 1);
    } else {
        snprintf(sub, sizeof sub, "no accuracy figures for %s: speedup against sparsity "
                 "(sparseroof accuracy import adds them)", c->set.network);
        sr_plot_axis(pl, 0, "sparsity (fraction of weights that are zero)", SR_AXIS_LINEAR, NULL);
        sr_plot_axis(pl, 1, "speedup over dense (log scale)", SR_AXIS_LOG, "x");
        sr_plot_axis_include(pl, 1, 1, 1);
    }
    sr_plot_title(pl, title, sub);
    sr_code rc = c->with_accuracy ? envelope(pl, c, err) : SR_OK;
    for (size_t i = 0; i < c->n_curves && rc == SR_OK; i++)
        rc = curve_series(pl, c, i, err);
    if (rc == SR_OK)
        rc = kinds_legend(pl, c, err);
    if (rc == SR_OK && c->n_notes) {
        char text[256];
        snprintf(text, sizeof text, "%zu figure%s not drawn (outside the stored sparsities, not "
                 "extrapolated, or no timing): see --json", c->n_notes, c->n_notes == 1 ? "" : "s");
        rc = sr_plot_note(pl, text, err);
    }
    if (rc != SR_OK) {
        sr_plot_free(pl);
        return rc;
    }
    *out = pl;
    return SR_OK;
}
