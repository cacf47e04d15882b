/* Axis ranges and ticks (query/plot_ticks.h). */
#include "query/plot_ticks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void sr_plot_number(double v, char *buf, size_t size)
{
    double a = fabs(v);
    if (a != 0 && (a >= 1e5 || a < 1e-3)) {
        int e = (int)floor(log10(a) + 1e-9);
        double m = v / pow(10, e);
        if (fabs(m - round(m)) < 1e-6)
            snprintf(buf, size, "%.0fe%d", m, e);
        else
            snprintf(buf, size, "%.2ge%d", m, e);
        return;
    }
    if (a >= 1000)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.4g", a < 1e-12 ? 0.0 : v);
}

static void put(sr_tick *ticks, size_t *n, double v, int labelled, const char *suffix)
{
    if (*n >= SR_MAX_TICKS)
        return;
    sr_tick *t = &ticks[(*n)++];
    t->v = v;
    t->labelled = labelled;
    t->label[0] = '\0';
    if (labelled) {
        char num[24];
        sr_plot_number(v, num, sizeof num);
        snprintf(t->label, sizeof t->label, "%s%s", num, suffix ? suffix : "");
    }
}

/* A round step giving about `want` intervals over span. */
static double nice_step(double span, int want)
{
    double raw = span / want, mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i] * mag >= raw)
            return steps[i] * mag;
    return 10 * mag;
}

static size_t linear_ticks(double *lo, double *hi, const char *suffix, sr_tick *ticks)
{
    if (*hi - *lo < 1e-12 * (fabs(*hi) + 1)) {
        double pad = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1;
        *lo -= pad, *hi += pad;
    }
    double pad = 0.02 * (*hi - *lo); /* points off the frame */
    *lo -= pad, *hi += pad;
    double step = nice_step(*hi - *lo, 6);
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    size_t n = 0;
    for (double v = *lo; v <= *hi + step * 1e-6; v += step)
        put(ticks, &n, fabs(v) < step * 1e-9 ? 0 : v, 1, suffix);
    return n;
}

/* Ticks at m x 10^k for the multipliers given, inside [lo, hi]. */
static size_t multiples(double lo, double hi, const double *mult, size_t nm, int labelled,
                        const char *suffix, sr_tick *ticks, size_t n)
{
    for (int e = (int)floor(log10(lo)) - 1; e <= (int)ceil(log10(hi)); e++)
        for (size_t i = 0; i < nm; i++) {
            double v = mult[i] * pow(10, e);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                put(ticks, &n, v, labelled, suffix);
        }
    return n;
}

static size_t log_ticks(double *lo, double *hi, const char *suffix, sr_tick *ticks)
{
    if (!(*lo > 0))
        *lo = *hi > 0 ? *hi / 10 : 1;
    if (!(*hi > *lo))
        *hi = *lo * 1.5, *lo /= 1.5;
    double decades = log10(*hi / *lo);
    size_t n = 0;
    if (decades >= 1.5) { /* whole decades, minor ticks between */
        *lo = pow(10, floor(log10(*lo) + 1e-9));
        *hi = pow(10, ceil(log10(*hi) - 1e-9));
        int every = decades > 8 ? 2 : 1;
        for (int e = (int)round(log10(*lo)); e <= (int)round(log10(*hi)); e++) {
            put(ticks, &n, pow(10, e), (e % every) == 0, suffix);
            for (int m = 2; m <= 9 && e < (int)round(log10(*hi)); m++)
                put(ticks, &n, m * pow(10, e), 0, suffix);
        }
        return n;
    }
    *lo /= 1.08, *hi *= 1.08;
    static const double m125[] = {1, 2, 5}, m1to9[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    n = multiples(*lo, *hi, m125, 3, 1, suffix, ticks, 0);
    if (n < 3)
        n = multiples(*lo, *hi, m1to9, 9, 1, suffix, ticks, 0);
    if (n < 3) { /* less than a factor of two: round linear steps, placed on the log axis */
        double step = nice_step(*hi - *lo, 4);
        n = 0;
        for (double v = ceil(*lo / step) * step; v <= *hi; v += step)
            put(ticks, &n, v, 1, suffix);
    }
    return n;
}

size_t sr_plot_ticks(sr_axis_scale scale, double *lo, double *hi, const char *suffix,
                     sr_tick *ticks)
{
    return scale == SR_AXIS_LOG ? log_ticks(lo, hi, suffix, ticks)
                                : linear_ticks(lo, hi, suffix, ticks);
}
