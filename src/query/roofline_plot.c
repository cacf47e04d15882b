/* The roofline drawn (query/roofline.h), log-log: each bandwidth level a slanted black roof
 * up to the highest compute ceiling, each compute ceiling flat, each pattern's own ceiling
 * flat in its pattern's colour (defined solid, tuned dashed, calibrated dotted), every one
 * labelled with its name and figure. Points one colour and marker per pattern, predicted
 * hollow, measured filled; a red ring behind each measured point above its roof. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/plot.h"
#include "query/roofline.h"

#define BLACK 6          /* the palette's black: device ceilings */
#define PATTERN_COLORS 6 /* the palette less black: patterns */
#define MAX_PATTERNS 32
#define LABEL_PX 15.0    /* a label's height, to keep flat labels apart */
#define PLOT_PX 470.0    /* about the plot area's height */

typedef struct {
    const sr_roofline *r;
    sr_plot *pl;
    const char *patterns[MAX_PATTERNS]; /* colour and marker: the index here */
    size_t n_patterns;
    double x_lo, x_hi, y_lo, y_hi;
    double peak, bw_max;
    size_t hollow; /* predicted points drawn */
} chart;

static size_t pattern_index(chart *c, const char *pattern)
{
    for (size_t i = 0; i < c->n_patterns; i++)
        if (strcmp(c->patterns[i], pattern) == 0)
            return i;
    if (c->n_patterns < MAX_PATTERNS)
        c->patterns[c->n_patterns++] = pattern;
    return c->n_patterns - 1;
}

static sr_plot_style pattern_style(chart *c, const char *pattern)
{
    size_t i = pattern_index(c, pattern);
    sr_plot_style st = {.color = (int)(i % PATTERN_COLORS),
                        .marker = sr_plot_marker(i),
                        .marker_size = 4};
    return st;
}

static void figure(double v, const char *unit, char *buf, size_t size)
{
    snprintf(buf, size, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, unit);
}

static double decade_below(double v)
{
    return pow(10, floor(log10(v) + 1e-9));
}

static double decade_above(double v)
{
    return pow(10, ceil(log10(v) - 1e-9));
}

/* The ranges: every point and ridge with room around, in whole decades. */
static void ranges(chart *c)
{
    const sr_roofline *r = c->r;
    double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
    for (size_t i = 0; i < r->n_pts; i++) {
        xmin = fmin(xmin, r->pts[i].p.ai), xmax = fmax(xmax, r->pts[i].p.ai);
        ymin = fmin(ymin, r->pts[i].gflops), ymax = fmax(ymax, r->pts[i].gflops);
    }
    for (size_t i = 0; i < r->n_roofs; i++) {
        const sr_roof *f = &r->roofs[i];
        if (f->kind == SR_ROOF_BANDWIDTH) {
            c->bw_max = fmax(c->bw_max, f->value);
            continue;
        }
        ymin = fmin(ymin, f->value), ymax = fmax(ymax, f->value);
        if (f->kind == SR_ROOF_COMPUTE)
            c->peak = fmax(c->peak, f->value);
    }
    for (size_t i = 0; i < r->n_roofs && c->peak > 0; i++)
        if (r->roofs[i].kind == SR_ROOF_BANDWIDTH) { /* ridge points */
            double ridge = c->peak / r->roofs[i].value;
            xmin = fmin(xmin, ridge), xmax = fmax(xmax, ridge);
        }
    if (!(xmax > 0))
        xmin = 0.1, xmax = 10;
    if (!(ymax > 0))
        ymin = 1, ymax = 100;
    c->x_lo = decade_below(xmin / 2), c->x_hi = decade_above(xmax * 2);
    c->y_lo = decade_below(ymin / 2), c->y_hi = decade_above(ymax * 1.6);
    sr_plot_axis_include(c->pl, 0, c->x_lo, c->x_hi);
    sr_plot_axis_include(c->pl, 1, c->y_lo, c->y_hi);
}

/* One flat ceiling's line, from where the highest bandwidth roof meets it to the right. */
static sr_code flat_line(chart *c, const sr_roof *f, sr_err *err)
{
    sr_plot_style st = {.color = BLACK, .marker = SR_MARK_NONE, .line = SR_LINE_SOLID, .line_width = 1.5};
    if (f->kind != SR_ROOF_COMPUTE) {
        st = pattern_style(c, f->name);
        st.marker = SR_MARK_NONE, st.line_width = 1.3;
        st.line = f->kind == SR_ROOF_TUNED ? SR_LINE_DASHED
                : f->kind == SR_ROOF_CALIBRATED ? SR_LINE_DOTTED : SR_LINE_SOLID;
    }
    double x0 = c->bw_max > 0 ? fmax(c->x_lo, f->value / c->bw_max) : c->x_lo;
    double x[2] = {x0, c->x_hi}, y[2] = {f->value, f->value};
    return sr_plot_series(c->pl, NULL, &st, x, y, 2, err);
}

static const char *flat_word(sr_roof_kind k)
{
    return k == SR_ROOF_COMPUTE ? "peak" : k == SR_ROOF_TUNED ? "tuned" : k == SR_ROOF_CALIBRATED
                                                                        ? "calibrated median" : "defined";
}

/* The label of flat ceilings group[0..n) (highest first): "fp32 peak 214 GFLOP/s", or for
 * several "calibrated median: 2:4 43.1, block:4x4 49.8 GFLOP/s; tuned 2:4 57 GFLOP/s". */
static void flat_label(const sr_roof *const *group, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++) {
        const sr_roof *f = group[i];
        int first = i == 0 || group[i - 1]->kind != f->kind;
        int last = i + 1 == n || group[i + 1]->kind != f->kind;
        int several = !(first && last);
        char num[48], name[96];
        figure(f->value, "", num, sizeof num);
        num[strlen(num) - 1] = '\0'; /* the unit comes once, at the end of a kind's run */
        if (f->kind == SR_ROOF_COMPUTE)
            snprintf(name, sizeof name, "%s peak", f->name);
        else
            snprintf(name, sizeof name, "%s%s%s", f->name, f->dtype[0] ? " " : "", f->dtype);
        int w;
        if (f->kind == SR_ROOF_COMPUTE)
            w = snprintf(buf + len, size - len, "%s%s %s", first && i ? "; " : !first ? ", " : "", name, num);
        else if (first)
            w = snprintf(buf + len, size - len, "%s%s%s %s %s", i ? "; " : "", flat_word(f->kind),
                         several ? ":" : "", name, num);
        else
            w = snprintf(buf + len, size - len, ", %s %s", name, num);
        len += w > 0 ? (size_t)w : 0;
        if (last && len < size) {
            w = snprintf(buf + len, size - len, " GFLOP/s");
            len += w > 0 ? (size_t)w : 0;
        }
    }
}

static sr_code slanted(chart *c, const sr_roof *f, sr_err *err)
{
    double top = c->peak > 0 ? c->peak : c->y_hi;
    double x0 = fmax(c->x_lo, c->y_lo / f->value), x1 = fmin(c->x_hi, top / f->value);
    double x[2] = {x0, x1}, y[2] = {f->value * x0, f->value * x1};
    sr_plot_style st = {.color = BLACK, .marker = SR_MARK_NONE, .line = SR_LINE_SOLID, .line_width = 1.5};
    char text[128], num[48];
    figure(f->value, "GB/s", num, sizeof num);
    snprintf(text, sizeof text, "%s %s", f->name, num);
    sr_code rc = sr_plot_series(c->pl, NULL, &st, x, y, 2, err);
    double lx = x0 * pow(x1 / x0, 0.06); /* near the low end, clear of the frame */
    return rc == SR_OK ? sr_plot_text(c->pl, lx, f->value * lx, x1, f->value * x1, 0, text, BLACK, err) : rc;
}

static sr_code roofs(chart *c, sr_err *err)
{
    const sr_roofline *r = c->r;
    sr_code rc = SR_OK;
    for (size_t i = 0; i < r->n_roofs && rc == SR_OK; i++)
        if (r->roofs[i].kind == SR_ROOF_BANDWIDTH)
            rc = slanted(c, &r->roofs[i], err);
    /* flat ones from the highest down; those whose labels would touch share one label */
    const sr_roof **flat = calloc(r->n_roofs + 1, sizeof *flat);
    if (!flat)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the roofline");
    size_t n = 0;
    for (size_t i = 0; i < r->n_roofs; i++)
        if (r->roofs[i].kind != SR_ROOF_BANDWIDTH) {
            size_t j = n++;
            for (; j > 0 && flat[j - 1]->value < r->roofs[i].value; j--)
                flat[j] = flat[j - 1];
            flat[j] = &r->roofs[i];
        }
    double close = LABEL_PX / PLOT_PX * log(c->y_hi / c->y_lo);
    for (size_t i = 0, end; i < n && rc == SR_OK; i = end) {
        for (end = i + 1; end < n && log(flat[i]->value / flat[end]->value) < close; end++)
            ;
        int color = flat[i]->kind == SR_ROOF_COMPUTE ? BLACK : pattern_style(c, flat[i]->name).color;
        for (size_t k = i; k < end && rc == SR_OK; k++) {
            rc = flat_line(c, flat[k], err);
            if (strcmp(flat[k]->name, flat[i]->name) != 0 || flat[k]->kind == SR_ROOF_COMPUTE)
                color = end - i > 1 ? BLACK : color;
        }
        char text[512];
        flat_label(flat + i, end - i, text, sizeof text);
        double lx = c->x_hi / 1.15;
        if (rc == SR_OK)
            rc = sr_plot_text(c->pl, lx, flat[i]->value, lx, flat[i]->value, 1, text, color, err);
    }
    free(flat);
    return rc;
}

/* One pattern's points of one kind; the red rings of the points above their roof first. */
static sr_code points(chart *c, int measured, int rings, sr_err *err)
{
    const sr_roofline *r = c->r;
    double *x = malloc((r->n_pts + 1) * sizeof *x), *y = malloc((r->n_pts + 1) * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the roofline");
    }
    sr_code rc = SR_OK;
    if (rings) {
        size_t m = 0;
        for (size_t i = 0; i < r->n_pts; i++)
            if (r->pts[i].above_roof)
                x[m] = r->pts[i].p.ai, y[m] = r->pts[i].gflops, m++;
        sr_plot_style st = {.color = SR_COLOR_RED, .marker = SR_MARK_CIRCLE, .hollow = 1, .marker_size = 8.5};
        rc = m ? sr_plot_series(c->pl, NULL, &st, x, y, m, err) : SR_OK;
    }
    for (size_t k = 0; k < c->n_patterns && !rings && rc == SR_OK; k++) {
        size_t m = 0;
        for (size_t i = 0; i < r->n_pts; i++) {
            const sr_roofline_pt *q = &r->pts[i];
            if (strcmp(q->p.pattern, c->patterns[k]) != 0)
                continue;
            if (q->p.measured == measured)
                x[m] = q->p.ai, y[m] = q->gflops, m++;
            else if (!measured && !q->has_twin) /* a measurement's own prediction */
                x[m] = q->p.ai, y[m] = q->roof_gflops, m++;
        }
        sr_plot_style st = pattern_style(c, c->patterns[k]);
        st.hollow = !measured;
        c->hollow += measured ? 0 : m;
        rc = m ? sr_plot_series(c->pl, NULL, &st, x, y, m, err) : SR_OK;
    }
    free(x);
    free(y);
    return rc;
}

static sr_code legend(chart *c, sr_err *err)
{
    const sr_roofline *r = c->r;
    sr_code rc = SR_OK;
    for (size_t k = 0; k < c->n_patterns && rc == SR_OK; k++) {
        int drawn = 0;
        for (size_t i = 0; i < r->n_pts; i++)
            drawn |= strcmp(r->pts[i].p.pattern, c->patterns[k]) == 0;
        sr_plot_style st = pattern_style(c, c->patterns[k]);
        if (drawn)
            rc = sr_plot_series(c->pl, c->patterns[k], &st, NULL, NULL, 0, err);
    }
    sr_plot_style st = {.color = SR_COLOR_GREY, .marker = SR_MARK_CIRCLE, .hollow = 1};
    if (rc == SR_OK && c->hollow)
        rc = sr_plot_series(c->pl, "predicted (hollow)", &st, NULL, NULL, 0, err);
    st.hollow = 0;
    if (rc == SR_OK && r->measured)
        rc = sr_plot_series(c->pl, "measured (filled)", &st, NULL, NULL, 0, err);
    if (rc == SR_OK && r->above) {
        sr_plot_style ring = {.color = SR_COLOR_RED, .marker = SR_MARK_CIRCLE, .hollow = 1, .marker_size = 6};
        char label[96];
        snprintf(label, sizeof label, "above its roof (%zu)", r->above);
        rc = sr_plot_series(c->pl, label, &ring, NULL, NULL, 0, err);
    }
    int kinds[5] = {0};
    for (size_t i = 0; i < r->n_roofs; i++)
        kinds[r->roofs[i].kind] = 1;
    sr_plot_style dev = {.color = BLACK, .marker = SR_MARK_NONE, .line = SR_LINE_SOLID, .line_width = 1.5};
    if (rc == SR_OK && (kinds[SR_ROOF_BANDWIDTH] || kinds[SR_ROOF_COMPUTE]))
        rc = sr_plot_series(c->pl, r->is_virtual ? "the device's ceilings (defined)"
                                                 : "the device's ceilings (measured)", &dev, NULL, NULL, 0, err);
    static const struct {
        sr_roof_kind kind;
        sr_line line;
        const char *label;
    } lines[] = {{SR_ROOF_DEFINED, SR_LINE_SOLID, "a pattern's defined ceiling"},
                 {SR_ROOF_TUNED, SR_LINE_DASHED, "a pattern's best tuned kernel"},
                 {SR_ROOF_CALIBRATED, SR_LINE_DOTTED, "a pattern's calibrated median"}};
    for (size_t i = 0; i < sizeof lines / sizeof *lines && rc == SR_OK; i++) {
        sr_plot_style ls = {.color = SR_COLOR_GREY, .marker = SR_MARK_NONE, .line = lines[i].line};
        if (kinds[lines[i].kind])
            rc = sr_plot_series(c->pl, lines[i].label, &ls, NULL, NULL, 0, err);
    }
    return rc;
}

static void titles(const chart *c)
{
    const sr_roofline *r = c->r;
    sr_plot *pl = c->pl;
    char title[512], sub[512];
    snprintf(title, sizeof title, "Roofline: %s%s%s", r->device, r->network[0] ? ", " : "", r->network);
    int n = snprintf(sub, sizeof sub, "attainable GFLOP/s against arithmetic intensity; ");
    if (r->n_pts)
        snprintf(sub + n, sizeof sub - (size_t)n, "%zu measured (filled) and %zu predicted (hollow) "
                 "points%s%.8s", r->measured, c->hollow, r->run[0] ? " of run " : "", r->run);
    else
        snprintf(sub + n, sizeof sub - (size_t)n, "no kernel or layer rows stored yet");
    sr_plot_title(pl, title, sub);
}

static sr_code notes(const sr_roofline *r, sr_plot *pl, sr_err *err)
{
    size_t bw = 0, compute = 0;
    for (size_t i = 0; i < r->n_roofs; i++)
        bw += r->roofs[i].kind == SR_ROOF_BANDWIDTH, compute += r->roofs[i].kind == SR_ROOF_COMPUTE;
    sr_code rc = SR_OK;
    if (!bw && !compute)
        rc = sr_plot_note(pl, "no ceilings stored for this device: 'sparseroof peaks' measures them", err);
    else if (r->is_virtual && rc == SR_OK)
        rc = sr_plot_note(pl, "a virtual device: its ceilings are defined by hand (peaks --define)", err);
    if (r->above && rc == SR_OK) {
        char text[256];
        snprintf(text, sizeof text, "%zu measured point%s faster than predicted (red rings): a ceiling "
                 "or a byte count is off; see v_layer_roofline.above_roof", r->above, r->above == 1 ? "" : "s");
        rc = sr_plot_note(pl, text, err);
    }
    return rc;
}

sr_code sr_roofline_chart(const sr_roofline *r, sr_plot **out, sr_err *err)
{
    *out = NULL;
    chart c = {.r = r, .pl = sr_plot_new()};
    if (!c.pl)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory drawing the roofline");
    /* colours: the usual patterns in their usual order, then others as they come */
    static const char *const usual[] = {"dense", "unstructured", "2:4", "block:4x4", "block:16x16"};
    for (size_t u = 0; u < sizeof usual / sizeof *usual; u++)
        for (size_t i = 0; i < r->n_pts; i++)
            if (strcmp(r->pts[i].p.pattern, usual[u]) == 0) {
                pattern_index(&c, r->pts[i].p.pattern);
                break;
            }
    for (size_t i = 0; i < r->n_pts; i++)
        pattern_index(&c, r->pts[i].p.pattern);
    sr_plot_axis(c.pl, 0, "arithmetic intensity (FLOP/byte, log scale)", SR_AXIS_LOG, NULL);
    sr_plot_axis(c.pl, 1, "attainable GFLOP/s (log scale)", SR_AXIS_LOG, NULL);
    ranges(&c);
    sr_code rc = roofs(&c, err);
    if (rc == SR_OK)
        rc = points(&c, 0, 1, err);
    if (rc == SR_OK)
        rc = points(&c, 0, 0, err);
    if (rc == SR_OK)
        rc = points(&c, 1, 0, err);
    if (rc == SR_OK)
        rc = legend(&c, err);
    titles(&c);
    if (rc == SR_OK)
        rc = notes(r, c.pl, err);
    if (rc != SR_OK) {
        sr_plot_free(c.pl);
        return rc;
    }
    *out = c.pl;
    return SR_OK;
}
