/* Axis ranges and ticks for sr_plot (query/plot.h): round ranges, ticks at 1-2-5 steps on
 * linear axes, at decades (with unlabelled 2..9 minors) or 1-2-5 multiples on log axes,
 * and short labels ("0.5", "20", "1e5"). Pure arithmetic; no drawing. */
#ifndef SR_QUERY_PLOT_TICKS_H
#define SR_QUERY_PLOT_TICKS_H

#include <stddef.h>

#include "query/plot.h"

#define SR_MAX_TICKS 64

typedef struct {
    double v;
    int labelled; /* 0: a minor tick (no label, no grid line) */
    char label[32];
} sr_tick;

/* Widens [*lo, *hi] (data limits; lo <= hi, positive on a log axis) to a round range and
 * fills ticks[0..return) in increasing order, labels ending in suffix. */
size_t sr_plot_ticks(sr_axis_scale scale, double *lo, double *hi, const char *suffix,
                     sr_tick *ticks);

/* v as a short label: "%g" with up to 4 significant digits, 1e5 and up (or below 1e-3)
 * as "1e5", "2.5e-4". */
void sr_plot_number(double v, char *buf, size_t size);

#endif
