/* Charts for people: a title, two axes (linear or log, with labelled ticks), series of
 * points with markers and lines, text along lines, a legend beside the plot and notes
 * under it; written as SVG, PNG or PDF from one drawing code path (cairo). Colours are
 * told apart by marker shape, fill and dash too, so a greyscale print still reads. The
 * caller's data is copied; nothing is drawn until sr_plot_write. */
#ifndef SR_QUERY_PLOT_H
#define SR_QUERY_PLOT_H

#include <stddef.h>

#include "common/status.h"

typedef struct sr_plot sr_plot;

typedef enum { SR_AXIS_LINEAR = 0, SR_AXIS_LOG } sr_axis_scale;

typedef enum {
    SR_MARK_NONE = -1,
    SR_MARK_CIRCLE = 0,
    SR_MARK_SQUARE,
    SR_MARK_TRIANGLE,
    SR_MARK_DIAMOND,
    SR_MARK_TRIANGLE_DOWN,
    SR_MARK_PLUS,
    SR_MARK_CROSS,
    SR_MARK_STAR,
    SR_MARK_PENTAGON,
    SR_MARK_HEXAGON,
    SR_N_MARKS
} sr_marker;

/* The i-th (cycling) of the markers that can be drawn both hollow and filled: what tells
 * series apart in greyscale when predicted and measured must stay distinguishable too. */
sr_marker sr_plot_marker(size_t i);

typedef enum { SR_LINE_NONE = 0, SR_LINE_SOLID, SR_LINE_DASHED, SR_LINE_DOTTED } sr_line;

/* SR_COLOR_GREY and SR_COLOR_RED are outside the palette that series cycle through. */
#define SR_PLOT_COLORS 7
#define SR_COLOR_GREY (-1)
#define SR_COLOR_RED (-2)

typedef struct {
    int color;          /* 0..SR_PLOT_COLORS-1 (taken modulo), or SR_COLOR_GREY/RED */
    sr_marker marker;
    int hollow;         /* white inside, coloured outline */
    sr_line line;
    double line_width;  /* 0: 1.6 */
    double marker_size; /* radius in points; 0: 4.5 */
} sr_plot_style;

typedef enum { SR_PLOT_SVG = 0, SR_PLOT_PNG, SR_PLOT_PDF } sr_plot_format;

/* The format a file name asks for (.svg, .png, .pdf); 0 if none of them. */
int sr_plot_format_of(const char *path, sr_plot_format *out);

sr_plot *sr_plot_new(void); /* NULL when out of memory */
void sr_plot_free(sr_plot *p); /* NULL: no-op */

/* Title (bold, top) and a subtitle line under it (may be NULL). */
void sr_plot_title(sr_plot *p, const char *title, const char *subtitle);

/* Axis 0 is x, 1 is y: its label, scale and a suffix for tick labels ("x" gives "2x"). */
void sr_plot_axis(sr_plot *p, int axis, const char *label, sr_axis_scale scale,
                  const char *tick_suffix);

/* Makes the axis span at least [lo, hi] (besides the data). */
void sr_plot_axis_include(sr_plot *p, int axis, double lo, double hi);

/* A series: points (x[i], y[i]) in that order; points that cannot be placed (NAN, or not
 * positive on a log axis) are left out. A legend label (may be NULL: none); a series of
 * no points with a label is a legend entry alone. */
sr_code sr_plot_series(sr_plot *p, const char *legend, const sr_plot_style *style,
                       const double *x, const double *y, size_t n, sr_err *err);

/* The legend entries of the kinds of points where both are drawn: "predicted (hollow,
 * dashed)" when predicted, "measured (filled, solid)" when measured. */
sr_code sr_plot_kinds_legend(sr_plot *p, int predicted, int measured, sr_err *err);

/* Text at data point (x, y), along the direction towards (x2, y2) (equal: horizontal),
 * starting there (right_align 0) or ending there (1), just above the line. */
sr_code sr_plot_text(sr_plot *p, double x, double y, double x2, double y2, int right_align,
                     const char *text, int color, sr_err *err);

/* A horizontal line across the whole plot at y (a reference such as 1x), with a label at
 * its right end (may be NULL); the y axis spans it. */
sr_code sr_plot_rule(sr_plot *p, double y, const sr_plot_style *style, const char *label,
                     sr_err *err);

/* A line of small text under the plot. */
sr_code sr_plot_note(sr_plot *p, const char *text, sr_err *err);

/* Writes the chart to path in the format its name asks for, through a temporary file
 * renamed at the end (never half a file). */
sr_code sr_plot_write(sr_plot *p, const char *path, sr_err *err);

/* The chart as SVG text (malloc'ed, NUL-terminated), for pages that inline it. */
sr_code sr_plot_svg(sr_plot *p, char **svg, size_t *len, sr_err *err);

#endif
