/* Fitting text to a width (query/plot_text.h): shrink a little, then wrap, then cut. */
#include "query/plot_text.h"

#include <stdio.h>
#include <string.h>

#define FONT "sans-serif"
#define ELLIPSIS "\xe2\x80\xa6"

void sr_plot_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double sr_plot_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* Cuts line (in place) at a character boundary until it and an ellipsis fit width. */
static int ellipsize(cairo_t *cr, char *line, double width)
{
    if (sr_plot_text_width(cr, line) <= width)
        return 0;
    size_t len = strlen(line);
    char buf[SR_FIT_LINE_MAX + 4];
    while (len > 0) {
        do /* back to the start of a UTF-8 character */
            len--;
        while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80);
        while (len > 0 && line[len - 1] == ' ')
            len--;
        snprintf(buf, sizeof buf, "%.*s" ELLIPSIS, (int)len, line);
        if (sr_plot_text_width(cr, buf) <= width)
            break;
    }
    if (len + sizeof ELLIPSIS > SR_FIT_LINE_MAX)
        len = SR_FIT_LINE_MAX - sizeof ELLIPSIS;
    memcpy(line + len, ELLIPSIS, sizeof ELLIPSIS);
    return 1;
}

/* Greedy wrapping at spaces; the last line takes the rest. */
static void wrap(cairo_t *cr, const char *text, double width, int max_lines, sr_fitted *out)
{
    const char *p = text;
    out->n = 0;
    while (*p && out->n < max_lines) {
        while (*p == ' ')
            p++;
        char *line = out->line[out->n++];
        if (out->n == max_lines) {
            snprintf(line, SR_FIT_LINE_MAX, "%s", p);
            break;
        }
        size_t fit = 0; /* bytes of p that fit, ending at a word's end */
        for (const char *q = p;;) {
            const char *end = strchr(q, ' ');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            if (len >= SR_FIT_LINE_MAX)
                break;
            snprintf(line, SR_FIT_LINE_MAX, "%.*s", (int)len, p);
            if (sr_plot_text_width(cr, line) > width && fit > 0)
                break;
            fit = len;
            if (!end)
                break;
            q = end + 1;
        }
        if (fit == 0) /* nothing fits: let the line be cut */
            fit = strcspn(p, " ");
        snprintf(line, SR_FIT_LINE_MAX, "%.*s", (int)fit, p);
        p += fit;
    }
    for (int i = 0; i < out->n; i++)
        out->cut |= ellipsize(cr, out->line[i], width);
}

void sr_plot_fit(cairo_t *cr, const char *text, double size, double min_size, int bold,
                 double width, int max_lines, sr_fitted *out)
{
    memset(out, 0, sizeof *out);
    if (max_lines < 1)
        max_lines = 1;
    if (max_lines > SR_FIT_MAX_LINES)
        max_lines = SR_FIT_MAX_LINES;
    if (!text || !*text)
        return;
    for (double s = size; s >= min_size - 1e-9; s -= 0.5) {
        sr_plot_font(cr, s, bold);
        if (sr_plot_text_width(cr, text) <= width && strlen(text) < SR_FIT_LINE_MAX) {
            out->size = s;
            out->n = 1;
            snprintf(out->line[0], SR_FIT_LINE_MAX, "%s", text);
            return;
        }
    }
    /* wrapped lines read better at the full size than one line made small */
    out->size = size;
    sr_plot_font(cr, size, bold);
    wrap(cr, text, width, max_lines, out);
}
