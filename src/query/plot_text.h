/* Text that must fit a width on a chart (titles, subtitles, notes): drawn at its size if
 * it fits, else a little smaller, else wrapped at spaces onto more lines, and a line that
 * still does not fit is cut with an ellipsis. Measured with cairo's own text metrics, so
 * what fits here fits on the page. */
#ifndef SR_QUERY_PLOT_TEXT_H
#define SR_QUERY_PLOT_TEXT_H

#include <cairo.h>

#define SR_FIT_MAX_LINES 3
#define SR_FIT_LINE_MAX 512

typedef struct {
    char line[SR_FIT_MAX_LINES][SR_FIT_LINE_MAX];
    int n;       /* lines used (0 for empty text) */
    double size; /* the font size they are drawn at */
    int cut;     /* 1: something was left out (ellipsis) */
} sr_fitted;

/* Selects the chart's font (bold or not) at size on cr. */
void sr_plot_font(cairo_t *cr, double size, int bold);

/* Lays out text for a width of `width` points on cr: at `size`, or down to `min_size`,
 * on at most max_lines (1..SR_FIT_MAX_LINES) lines. */
void sr_plot_fit(cairo_t *cr, const char *text, double size, double min_size, int bold,
                 double width, int max_lines, sr_fitted *out);

/* The width of s in the current font. */
double sr_plot_text_width(cairo_t *cr, const char *s);

#endif
