/* Charts drawn with cairo (query/plot.h): one drawing routine for every surface, so SVG,
 * PNG and PDF show the same layout. The layout and the axes are ours; cairo rasterises. */
#include "query/plot.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "query/plot_text.h"
#include "query/plot_ticks.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define W 960.0
#define H 620.0
#define LEGEND_MAX_CHARS 46

typedef struct {
    char *legend;
    sr_plot_style st;
    double *x, *y;
    size_t n;
} series;

typedef struct {
    double x, y, x2, y2;
    int right, color;
    char *text;
} label;

typedef struct {
    char *label, *suffix;
    sr_axis_scale scale;
    double lo, hi; /* data range, then the drawn range */
    int any;
} axis;

typedef struct {
    double y;
    sr_plot_style st;
    char *label;
} rule;

struct sr_plot {
    char *title, *subtitle;
    axis ax[2];
    series *ser;
    size_t n_ser;
    rule *rules;
    size_t n_rules;
    label *txt;
    size_t n_txt;
    char **notes;
    size_t n_notes;
};

/* The drawn frame: plot area and the data-to-page mapping. */
typedef struct {
    double x0, x1, y0, y1;
    const axis *ax;
} frame;

/* Okabe-Ito: told apart by most colour-blind readers. */
static const double palette[SR_PLOT_COLORS][3] = {
    {0.000, 0.447, 0.698}, {0.835, 0.369, 0.000}, {0.000, 0.620, 0.451}, {0.800, 0.475, 0.655},
    {0.902, 0.624, 0.000}, {0.337, 0.706, 0.914}, {0.0, 0.0, 0.0},
};

static char *copy_text(const char *s)
{
    if (!s)
        return NULL;
    char *d = malloc(strlen(s) + 1);
    if (d)
        memcpy(d, s, strlen(s) + 1);
    return d;
}

int sr_plot_format_of(const char *path, sr_plot_format *out)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return 0;
    static const char *const ext[] = {".svg", ".png", ".pdf"};
    for (int i = 0; i < 3; i++)
        if (strcasecmp(dot, ext[i]) == 0) {
            *out = (sr_plot_format)i;
            return 1;
        }
    return 0;
}

sr_marker sr_plot_marker(size_t i)
{
    static const sr_marker fillable[] = {SR_MARK_CIRCLE, SR_MARK_SQUARE, SR_MARK_TRIANGLE,
                                         SR_MARK_DIAMOND, SR_MARK_TRIANGLE_DOWN, SR_MARK_PENTAGON,
                                         SR_MARK_STAR, SR_MARK_HEXAGON};
    return fillable[i % (sizeof fillable / sizeof *fillable)];
}

sr_plot *sr_plot_new(void)
{
    sr_plot *p = calloc(1, sizeof *p);
    if (p)
        for (int a = 0; a < 2; a++)
            p->ax[a].lo = INFINITY, p->ax[a].hi = -INFINITY;
    return p;
}

void sr_plot_free(sr_plot *p)
{
    if (!p)
        return;
    free(p->title);
    free(p->subtitle);
    for (int a = 0; a < 2; a++) {
        free(p->ax[a].label);
        free(p->ax[a].suffix);
    }
    for (size_t i = 0; i < p->n_ser; i++) {
        free(p->ser[i].legend);
        free(p->ser[i].x);
        free(p->ser[i].y);
    }
    free(p->ser);
    for (size_t i = 0; i < p->n_txt; i++)
        free(p->txt[i].text);
    free(p->txt);
    for (size_t i = 0; i < p->n_rules; i++)
        free(p->rules[i].label);
    free(p->rules);
    for (size_t i = 0; i < p->n_notes; i++)
        free(p->notes[i]);
    free(p->notes);
    free(p);
}

void sr_plot_title(sr_plot *p, const char *title, const char *subtitle)
{
    free(p->title);
    free(p->subtitle);
    p->title = copy_text(title);
    p->subtitle = copy_text(subtitle);
}

void sr_plot_axis(sr_plot *p, int a, const char *label, sr_axis_scale scale, const char *suffix)
{
    free(p->ax[a].label);
    free(p->ax[a].suffix);
    p->ax[a].label = copy_text(label);
    p->ax[a].suffix = copy_text(suffix);
    p->ax[a].scale = scale;
}

static int placeable(const axis *a, double v)
{
    return isfinite(v) && (a->scale != SR_AXIS_LOG || v > 0);
}

static void widen(axis *a, double v)
{
    if (!placeable(a, v))
        return;
    a->lo = fmin(a->lo, v);
    a->hi = fmax(a->hi, v);
    a->any = 1;
}

void sr_plot_axis_include(sr_plot *p, int a, double lo, double hi)
{
    widen(&p->ax[a], lo);
    widen(&p->ax[a], hi);
}

static sr_code nomem(sr_err *err)
{
    return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing a plot");
}

sr_code sr_plot_series(sr_plot *p, const char *legend, const sr_plot_style *style,
                       const double *x, const double *y, size_t n, sr_err *err)
{
    series *grown = realloc(p->ser, (p->n_ser + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    p->ser = grown;
    series *s = &p->ser[p->n_ser];
    memset(s, 0, sizeof *s);
    s->st = *style;
    s->legend = copy_text(legend);
    s->x = malloc((n ? n : 1) * sizeof *s->x);
    s->y = malloc((n ? n : 1) * sizeof *s->y);
    if (!s->x || !s->y || (legend && !s->legend)) {
        free(s->x), free(s->y), free(s->legend);
        return nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (!placeable(&p->ax[0], x[i]) || !placeable(&p->ax[1], y[i]))
            continue;
        s->x[s->n] = x[i], s->y[s->n] = y[i];
        s->n++;
        widen(&p->ax[0], x[i]);
        widen(&p->ax[1], y[i]);
    }
    p->n_ser++;
    return SR_OK;
}

sr_code sr_plot_kinds_legend(sr_plot *p, int predicted, int measured, sr_err *err)
{
    sr_code rc = SR_OK;
    sr_plot_style st = {.color = SR_COLOR_GREY, .marker = SR_MARK_CIRCLE, .hollow = 1, .line = SR_LINE_DASHED};
    if (predicted)
        rc = sr_plot_series(p, "predicted (hollow, dashed)", &st, NULL, NULL, 0, err);
    st.hollow = 0, st.line = SR_LINE_SOLID;
    if (rc == SR_OK && measured)
        rc = sr_plot_series(p, "measured (filled, solid)", &st, NULL, NULL, 0, err);
    return rc;
}

sr_code sr_plot_text(sr_plot *p, double x, double y, double x2, double y2, int right_align,
                     const char *text, int color, sr_err *err)
{
    label *grown = realloc(p->txt, (p->n_txt + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    p->txt = grown;
    label *t = &p->txt[p->n_txt];
    *t = (label){x, y, x2, y2, right_align, color, copy_text(text)};
    if (!t->text)
        return nomem(err);
    p->n_txt++;
    return SR_OK;
}

sr_code sr_plot_rule(sr_plot *p, double y, const sr_plot_style *style, const char *label,
                     sr_err *err)
{
    rule *grown = realloc(p->rules, (p->n_rules + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    p->rules = grown;
    rule *r = &p->rules[p->n_rules];
    *r = (rule){y, *style, copy_text(label)};
    if (label && !r->label)
        return nomem(err);
    p->n_rules++;
    widen(&p->ax[1], y);
    return SR_OK;
}

sr_code sr_plot_note(sr_plot *p, const char *text, sr_err *err)
{
    char **grown = realloc(p->notes, (p->n_notes + 1) * sizeof *grown);
    if (!grown)
        return nomem(err);
    p->notes = grown;
    if (!(p->notes[p->n_notes] = copy_text(text)))
        return nomem(err);
    p->n_notes++;
    return SR_OK;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void set_color(cairo_t *cr, int color)
{
    if (color == SR_COLOR_GREY)
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    else if (color == SR_COLOR_RED)
        cairo_set_source_rgb(cr, 0.85, 0.0, 0.0);
    else {
        const double *c = palette[((color % SR_PLOT_COLORS) + SR_PLOT_COLORS) % SR_PLOT_COLORS];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    }
}


/* Text with its anchor at (x, y): align 0 left, 0.5 centre, 1 right. */
static void show(cairo_t *cr, double x, double y, double align, const char *s)
{
    cairo_move_to(cr, x - align * sr_plot_text_width(cr, s), y);
    cairo_show_text(cr, s);
}

static double map(const frame *f, int a, double v)
{
    const axis *ax = &f->ax[a];
    double t = ax->scale == SR_AXIS_LOG ? (log(v) - log(ax->lo)) / (log(ax->hi) - log(ax->lo))
                                        : (v - ax->lo) / (ax->hi - ax->lo);
    return a == 0 ? f->x0 + t * (f->x1 - f->x0) : f->y1 - t * (f->y1 - f->y0);
}

static void marker_path(cairo_t *cr, sr_marker m, double x, double y, double r)
{
    switch (m) {
    case SR_MARK_CIRCLE: cairo_new_sub_path(cr); cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case SR_MARK_SQUARE: cairo_rectangle(cr, x - 0.88 * r, y - 0.88 * r, 1.76 * r, 1.76 * r); break;
    case SR_MARK_TRIANGLE:
    case SR_MARK_TRIANGLE_DOWN: {
        double d = m == SR_MARK_TRIANGLE ? 1 : -1;
        cairo_move_to(cr, x, y - d * 1.15 * r);
        cairo_line_to(cr, x + r, y + d * 0.75 * r);
        cairo_line_to(cr, x - r, y + d * 0.75 * r);
        cairo_close_path(cr);
        break;
    }
    case SR_MARK_DIAMOND:
        cairo_move_to(cr, x, y - 1.2 * r);
        cairo_line_to(cr, x + r, y);
        cairo_line_to(cr, x, y + 1.2 * r);
        cairo_line_to(cr, x - r, y);
        cairo_close_path(cr);
        break;
    case SR_MARK_STAR:
        for (int i = 0; i < 10; i++) {
            double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? 0.5 * r : 1.3 * r;
            if (i == 0)
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            else
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
        }
        cairo_close_path(cr);
        break;
    case SR_MARK_PENTAGON:
    case SR_MARK_HEXAGON: {
        int k = m == SR_MARK_PENTAGON ? 5 : 6;
        for (int i = 0; i < k; i++) {
            double a = -M_PI / 2 + i * 2 * M_PI / k;
            if (i == 0)
                cairo_move_to(cr, x + 1.1 * r * cos(a), y + 1.1 * r * sin(a));
            else
                cairo_line_to(cr, x + 1.1 * r * cos(a), y + 1.1 * r * sin(a));
        }
        cairo_close_path(cr);
        break;
    }
    default: break;
    }
}

static void draw_marker(cairo_t *cr, const sr_plot_style *st, double x, double y)
{
    double r = st->marker_size > 0 ? st->marker_size : 4.5;
    cairo_set_dash(cr, NULL, 0, 0);
    if (st->marker == SR_MARK_PLUS || st->marker == SR_MARK_CROSS) {
        double d = st->marker == SR_MARK_CROSS ? 0.85 * r : 1.2 * r;
        cairo_set_line_width(cr, 2.0);
        set_color(cr, st->color);
        if (st->marker == SR_MARK_PLUS) {
            cairo_move_to(cr, x - d, y), cairo_line_to(cr, x + d, y);
            cairo_move_to(cr, x, y - d), cairo_line_to(cr, x, y + d);
        } else {
            cairo_move_to(cr, x - d, y - d), cairo_line_to(cr, x + d, y + d);
            cairo_move_to(cr, x - d, y + d), cairo_line_to(cr, x + d, y - d);
        }
        cairo_stroke(cr);
        return;
    }
    marker_path(cr, st->marker, x, y, r);
    if (st->hollow)
        cairo_set_source_rgb(cr, 1, 1, 1);
    else
        set_color(cr, st->color);
    cairo_fill_preserve(cr);
    set_color(cr, st->color);
    cairo_set_line_width(cr, 1.4);
    cairo_stroke(cr);
}

static void line_style(cairo_t *cr, const sr_plot_style *st)
{
    static const double dashed[] = {7, 4}, dotted[] = {1.2, 3.2};
    cairo_set_line_width(cr, st->line_width > 0 ? st->line_width : 1.6);
    cairo_set_line_cap(cr, st->line == SR_LINE_DOTTED ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    if (st->line == SR_LINE_DASHED)
        cairo_set_dash(cr, dashed, 2, 0);
    else if (st->line == SR_LINE_DOTTED)
        cairo_set_dash(cr, dotted, 2, 0);
    else
        cairo_set_dash(cr, NULL, 0, 0);
    set_color(cr, st->color);
}

/* A legend label cut to LEGEND_MAX_CHARS characters (UTF-8 aware). */
static void legend_text(const char *s, char *out, size_t size)
{
    size_t chars = 0, i = 0;
    for (; s[i] && i + 4 < size; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > LEGEND_MAX_CHARS)
            break;
        out[i] = s[i];
    }
    if (s[i]) {
        while (i > 0 && ((unsigned char)out[i] & 0xc0) == 0x80)
            i--;
        memcpy(out + i, "\xe2\x80\xa6", 3); /* ... */
        i += 3;
    }
    out[i] = '\0';
}

static double legend_width(cairo_t *cr, const sr_plot *p)
{
    double w = 0;
    sr_plot_font(cr, 11, 0);
    for (size_t i = 0; i < p->n_ser; i++) {
        if (!p->ser[i].legend)
            continue;
        char buf[256];
        legend_text(p->ser[i].legend, buf, sizeof buf);
        w = fmax(w, sr_plot_text_width(cr, buf));
    }
    return w > 0 ? w + 46 : 0;
}

static void draw_legend(cairo_t *cr, const sr_plot *p, double x, double y, double w)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_ser; i++)
        n += p->ser[i].legend != NULL;
    if (!n)
        return;
    double h = 10 + 17 * (double)n;
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    double yy = y + 14;
    sr_plot_font(cr, 11, 0);
    for (size_t i = 0; i < p->n_ser; i++) {
        const series *s = &p->ser[i];
        if (!s->legend)
            continue;
        if (s->st.line != SR_LINE_NONE) {
            line_style(cr, &s->st);
            cairo_move_to(cr, x + 7, yy - 4);
            cairo_line_to(cr, x + 33, yy - 4);
            cairo_stroke(cr);
        }
        if (s->st.marker != SR_MARK_NONE)
            draw_marker(cr, &s->st, x + 20, yy - 4);
        char buf[256];
        legend_text(s->legend, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        show(cr, x + 40, yy, 0, buf);
        yy += 17;
    }
}

static void draw_axes(cairo_t *cr, const frame *f, sr_tick ticks[2][SR_MAX_TICKS], size_t nt[2])
{
    cairo_set_dash(cr, NULL, 0, 0);
    /* grid first, under everything */
    cairo_set_line_width(cr, 0.7);
    cairo_set_source_rgb(cr, 0.89, 0.89, 0.89);
    for (int a = 0; a < 2; a++)
        for (size_t i = 0; i < nt[a]; i++) {
            if (!ticks[a][i].labelled)
                continue;
            double v = map(f, a, ticks[a][i].v);
            if (a == 0)
                cairo_move_to(cr, v, f->y0), cairo_line_to(cr, v, f->y1);
            else
                cairo_move_to(cr, f->x0, v), cairo_line_to(cr, f->x1, v);
        }
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_stroke(cr);
    sr_plot_font(cr, 11.5, 0);
    for (int a = 0; a < 2; a++)
        for (size_t i = 0; i < nt[a]; i++) {
            const sr_tick *t = &ticks[a][i];
            double v = map(f, a, t->v), len = t->labelled ? 5 : 3;
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            if (a == 0) {
                cairo_move_to(cr, v, f->y1), cairo_line_to(cr, v, f->y1 + len);
            } else {
                cairo_move_to(cr, f->x0, v), cairo_line_to(cr, f->x0 - len, v);
            }
            cairo_stroke(cr);
            if (!t->labelled)
                continue;
            cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
            if (a == 0)
                show(cr, v, f->y1 + 19, 0.5, t->label);
            else
                show(cr, f->x0 - 8, v + 4, 1, t->label);
        }
}

static void draw_axis_labels(cairo_t *cr, const sr_plot *p, const frame *f)
{
    sr_plot_font(cr, 13, 0);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (p->ax[0].label)
        show(cr, (f->x0 + f->x1) / 2, f->y1 + 40, 0.5, p->ax[0].label);
    if (p->ax[1].label) {
        cairo_save(cr);
        cairo_translate(cr, 22, (f->y0 + f->y1) / 2);
        cairo_rotate(cr, -M_PI / 2);
        show(cr, 0, 0, 0.5, p->ax[1].label);
        cairo_restore(cr);
    }
}

static void draw_series(cairo_t *cr, const sr_plot *p, const frame *f)
{
    cairo_save(cr);
    cairo_rectangle(cr, f->x0 - 6, f->y0 - 6, f->x1 - f->x0 + 12, f->y1 - f->y0 + 12);
    cairo_clip(cr);
    for (size_t i = 0; i < p->n_rules; i++) {
        const rule *r = &p->rules[i];
        if (!placeable(&f->ax[1], r->y))
            continue;
        double y = map(f, 1, r->y);
        line_style(cr, &r->st);
        cairo_move_to(cr, f->x0, y);
        cairo_line_to(cr, f->x1, y);
        cairo_stroke(cr);
        if (r->label) {
            sr_plot_font(cr, 10.5, 0);
            set_color(cr, r->st.color);
            show(cr, f->x1 - 5, y - 4, 1, r->label);
        }
    }
    for (size_t i = 0; i < p->n_ser; i++) {
        const series *s = &p->ser[i];
        if (s->st.line == SR_LINE_NONE || s->n < 2)
            continue;
        line_style(cr, &s->st);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (size_t k = 0; k < s->n; k++) {
            double x = map(f, 0, s->x[k]), y = map(f, 1, s->y[k]);
            if (k == 0)
                cairo_move_to(cr, x, y);
            else
                cairo_line_to(cr, x, y);
        }
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < p->n_ser; i++) {
        const series *s = &p->ser[i];
        if (s->st.marker == SR_MARK_NONE)
            continue;
        for (size_t k = 0; k < s->n; k++)
            draw_marker(cr, &s->st, map(f, 0, s->x[k]), map(f, 1, s->y[k]));
    }
    sr_plot_font(cr, 10.5, 0);
    for (size_t i = 0; i < p->n_txt; i++) {
        const label *t = &p->txt[i];
        if (!placeable(&f->ax[0], t->x) || !placeable(&f->ax[1], t->y))
            continue;
        double x = map(f, 0, t->x), y = map(f, 1, t->y), angle = 0;
        if (placeable(&f->ax[0], t->x2) && placeable(&f->ax[1], t->y2) &&
            (t->x2 != t->x || t->y2 != t->y))
            angle = atan2(map(f, 1, t->y2) - y, map(f, 0, t->x2) - x);
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, angle);
        /* a light box keeps the text readable over lines and markers */
        double w = sr_plot_text_width(cr, t->text), x0 = t->right ? -4 - w : 4;
        cairo_rectangle(cr, x0 - 2, -15, w + 4, 13.5);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
        cairo_fill(cr);
        set_color(cr, t->color);
        show(cr, t->right ? -4 : 4, -4, t->right ? 1 : 0, t->text);
        cairo_restore(cr);
    }
    cairo_restore(cr);
}

/* The title and subtitle fitted to the page's width, and where the plot area begins. */
typedef struct {
    sr_fitted title, subtitle;
    double top; /* y of the plot area's top edge */
} heading;

#define TITLE_X 84.0
#define TITLE_LINE 21.0
#define SUBTITLE_LINE 16.0

static void layout_heading(cairo_t *cr, const sr_plot *p, heading *h)
{
    double width = W - TITLE_X - 16;
    sr_plot_fit(cr, p->title, 17, 14, 1, width, 2, &h->title);
    sr_plot_fit(cr, p->subtitle, 12, 10.5, 0, width, 2, &h->subtitle);
    h->top = 30 + TITLE_LINE * (h->title.n > 1 ? h->title.n - 1 : 0) + 10 +
             SUBTITLE_LINE * h->subtitle.n + 18;
}

static void draw_heading(cairo_t *cr, const heading *h)
{
    double y = 30;
    sr_plot_font(cr, h->title.size, 1);
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    for (int i = 0; i < h->title.n; i++, y += TITLE_LINE)
        show(cr, TITLE_X, y, 0, h->title.line[i]);
    y += SUBTITLE_LINE - TITLE_LINE + 6;
    sr_plot_font(cr, h->subtitle.size, 0);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (int i = 0; i < h->subtitle.n; i++, y += SUBTITLE_LINE)
        show(cr, TITLE_X, y, 0, h->subtitle.line[i]);
}

static void draw_notes(cairo_t *cr, const sr_plot *p)
{
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (size_t i = 0; i < p->n_notes; i++) {
        sr_fitted f;
        sr_plot_fit(cr, p->notes[i], 10.5, 9.5, 0, W - TITLE_X - 16, 1, &f);
        sr_plot_font(cr, f.size, 0);
        show(cr, TITLE_X, H - 14 - 15 * (double)(p->n_notes - 1 - i), 0, f.line[0]);
    }
}

static void draw(cairo_t *cr, const sr_plot *p)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double legend_w = legend_width(cr, p);
    heading h;
    layout_heading(cr, p, &h);
    frame f = {.x0 = 84, .y0 = h.top, .x1 = W - 28, .y1 = H - 62};
    if (legend_w > 0)
        f.x1 = W - legend_w - 34;
    f.y1 -= 15 * (double)p->n_notes;
    axis ax[2] = {p->ax[0], p->ax[1]};
    sr_tick ticks[2][SR_MAX_TICKS];
    size_t nt[2];
    for (int a = 0; a < 2; a++) {
        if (!ax[a].any)
            ax[a].lo = ax[a].scale == SR_AXIS_LOG ? 1 : 0, ax[a].hi = ax[a].lo + 1;
        nt[a] = sr_plot_ticks(ax[a].scale, &ax[a].lo, &ax[a].hi, ax[a].suffix, ticks[a]);
    }
    f.ax = ax;
    draw_heading(cr, &h);
    draw_axes(cr, &f, ticks, nt);
    draw_series(cr, p, &f);
    draw_axis_labels(cr, p, &f);
    if (legend_w > 0)
        draw_legend(cr, p, f.x1 + 18, f.y0, legend_w);
    draw_notes(cr, p);
}

/* ---- output ------------------------------------------------------------------------ */

/* Draws p on s at scale; an image surface is then written to png (a path), any other
 * surface finished (which writes its file or stream). */
static sr_code finish(cairo_surface_t *s, const sr_plot *p, double scale, const char *png,
                      const char *what, sr_err *err)
{
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    draw(cr, p);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st == CAIRO_STATUS_SUCCESS && png)
        st = cairo_surface_write_to_png(s, png);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return sr_err_set(err, SR_ERR_IO, "writing %s: %s", what, cairo_status_to_string(st));
    return SR_OK;
}

sr_code sr_plot_write(sr_plot *p, const char *path, sr_err *err)
{
    sr_plot_format fmt;
    if (!sr_plot_format_of(path, &fmt))
        return sr_err_set(err, SR_ERR_ARG, "%s: a plot is written as .svg, .png or .pdf", path);
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp)
        return nomem(err);
    snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
    cairo_surface_t *s = fmt == SR_PLOT_SVG ? cairo_svg_surface_create(tmp, W, H)
                       : fmt == SR_PLOT_PDF ? cairo_pdf_surface_create(tmp, W, H)
                       : cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(2 * W), (int)(2 * H));
    sr_code rc = fmt == SR_PLOT_PNG ? finish(s, p, 2, tmp, path, err) : finish(s, p, 1, NULL, path, err);
    cairo_surface_destroy(s);
    if (rc == SR_OK && rename(tmp, path) != 0)
        rc = sr_err_set(err, SR_ERR_IO, "cannot write %s", path);
    if (rc != SR_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} sink;

static cairo_status_t to_sink(void *closure, const unsigned char *data, unsigned int length)
{
    sink *k = closure;
    if (k->len + length + 1 > k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 65536;
        while (cap < k->len + length + 1)
            cap *= 2;
        char *b = realloc(k->buf, cap);
        if (!b) {
            k->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        k->buf = b;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, data, length);
    k->len += length;
    k->buf[k->len] = '\0';
    return CAIRO_STATUS_SUCCESS;
}

sr_code sr_plot_svg(sr_plot *p, char **svg, size_t *len, sr_err *err)
{
    sink k = {0};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_sink, &k, W, H);
    sr_code rc = finish(s, p, 1, NULL, "an SVG plot", err);
    cairo_surface_destroy(s);
    if (rc == SR_OK && (k.failed || !k.buf))
        rc = nomem(err);
    if (rc != SR_OK) {
        free(k.buf);
        return rc;
    }
    *svg = k.buf;
    *len = k.len;
    return SR_OK;
}
