/* Plots (src/query/plot.c, plot_ticks.c): ticks where a reader expects them, and each
 * output format written whole (SVG parses as XML elsewhere; here: headers and sizes). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/plot.h"
#include "query/plot_text.h"
#include "query/plot_ticks.h"
#include "store_fixtures.h"

static int contains(const unsigned char *data, size_t size, const char *s)
{
    for (size_t i = 0; i + strlen(s) <= size; i++)
        if (memcmp(data + i, s, strlen(s)) == 0)
            return 1;
    return 0;
}

static int has_tick(const sr_tick *t, size_t n, double v, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(t[i].v - v) < 1e-9 * fabs(v) + 1e-12)
            return label ? t[i].labelled && strcmp(t[i].label, label) == 0 : 1;
    return 0;
}

START_TEST(log_ticks_decades)
{
    sr_tick t[SR_MAX_TICKS];
    double lo = 0.3, hi = 2000;
    size_t n = sr_plot_ticks(SR_AXIS_LOG, &lo, &hi, NULL, t);
    ck_assert_double_eq_tol(lo, 0.1, 1e-12);
    ck_assert_double_eq_tol(hi, 10000, 1e-9);
    ck_assert(has_tick(t, n, 0.1, "0.1") && has_tick(t, n, 1, "1") && has_tick(t, n, 1000, "1000"));
    ck_assert(has_tick(t, n, 1e4, "10000"));
    ck_assert(has_tick(t, n, 20, NULL)); /* a minor tick, not labelled */
    ck_assert(!has_tick(t, n, 20, "20"));
    lo = 3e4, hi = 2e6;
    n = sr_plot_ticks(SR_AXIS_LOG, &lo, &hi, NULL, t);
    ck_assert(has_tick(t, n, 1e6, "1e6"));
}
END_TEST

START_TEST(log_ticks_narrow)
{
    sr_tick t[SR_MAX_TICKS];
    double lo = 1.0, hi = 4.2;
    size_t n = sr_plot_ticks(SR_AXIS_LOG, &lo, &hi, "x", t);
    ck_assert(lo < 1.0 && hi > 4.2);
    /* 1-2-5 gives only two inside: every whole number then */
    ck_assert(has_tick(t, n, 1, "1x") && has_tick(t, n, 2, "2x") && has_tick(t, n, 3, "3x") &&
              has_tick(t, n, 4, "4x"));
    lo = 1.0, hi = 1.3;
    n = sr_plot_ticks(SR_AXIS_LOG, &lo, &hi, NULL, t);
    ck_assert_uint_ge(n, 3);
}
END_TEST

START_TEST(linear_ticks)
{
    sr_tick t[SR_MAX_TICKS];
    double lo = 61.86, hi = 77.4;
    size_t n = sr_plot_ticks(SR_AXIS_LINEAR, &lo, &hi, NULL, t);
    ck_assert(lo <= 61.86 && hi >= 77.4 && n >= 4 && n <= 12);
    ck_assert(has_tick(t, n, 70, "70"));
    lo = -5, hi = 0.2;
    n = sr_plot_ticks(SR_AXIS_LINEAR, &lo, &hi, NULL, t);
    ck_assert(has_tick(t, n, 0, "0") && has_tick(t, n, -2, "-2"));
}
END_TEST

static sr_plot *sample(void)
{
    sr_plot *p = sr_plot_new();
    ck_assert_ptr_nonnull(p);
    sr_plot_title(p, "Sample: title", "subtitle");
    sr_plot_axis(p, 0, "speedup over dense", SR_AXIS_LOG, "x");
    sr_plot_axis(p, 1, "top-1 (%)", SR_AXIS_LINEAR, NULL);
    const double x[] = {1, 1.5, 2.2, 3.1}, y[] = {76.8, 76.5, 75.1, NAN};
    sr_plot_style st = {.color = 0, .marker = SR_MARK_CIRCLE, .line = SR_LINE_SOLID};
    sr_err e;
    ck_assert_int_eq(sr_plot_series(p, "unstructured", &st, x, y, 4, &e), SR_OK);
    st.hollow = 1, st.line = SR_LINE_DASHED, st.marker = SR_MARK_TRIANGLE, st.color = 1;
    ck_assert_int_eq(sr_plot_series(p, "2:4 predicted", &st, x, y, 3, &e), SR_OK);
    ck_assert_int_eq(sr_plot_text(p, 1, 76, 2, 76, 0, "a label", SR_COLOR_GREY, &e), SR_OK);
    ck_assert_int_eq(sr_plot_note(p, "a note", &e), SR_OK);
    return p;
}

START_TEST(writes_each_format)
{
    char dir[256], path[300];
    tmp_dir(dir, sizeof dir);
    sr_plot *p = sample();
    sr_err e;
    static const char *const ext[] = {"svg", "png", "pdf"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/plot.%s", dir, ext[i]);
        ck_assert_msg(sr_plot_write(p, path, &e) == SR_OK, "%s", e.msg);
        size_t size;
        unsigned char *data = slurp(path, &size);
        ck_assert_ptr_nonnull(data);
        ck_assert_uint_gt(size, 1000);
        if (i == 0)
            ck_assert(contains(data, size, "<svg") && contains(data, size, "</svg>"));
        if (getenv("SR_KEEP_PLOTS")) { /* to look at them */
            char keep[300];
            snprintf(keep, sizeof keep, "%s/plot.%s", getenv("SR_KEEP_PLOTS"), ext[i]);
            write_bytes(keep, data, size);
        }
        if (i == 1) { /* PNG signature, then IHDR's width and height: 1920 x 1240 */
            ck_assert(memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0);
            unsigned w = (unsigned)data[16] << 24 | data[17] << 16 | data[18] << 8 | data[19];
            unsigned h = (unsigned)data[20] << 24 | data[21] << 16 | data[22] << 8 | data[23];
            ck_assert_uint_eq(w, 1920);
            ck_assert_uint_eq(h, 1240);
        }
        if (i == 2)
            ck_assert(memcmp(data, "%PDF-", 5) == 0);
        free(data);
    }
    char *svg;
    size_t len;
    ck_assert_int_eq(sr_plot_svg(p, &svg, &len, &e), SR_OK);
    ck_assert(len > 1000 && strstr(svg, "</svg>"));
    free(svg);
    snprintf(path, sizeof path, "%s/plot.gif", dir);
    ck_assert_int_eq(sr_plot_write(p, path, &e), SR_ERR_ARG);
    ck_assert(strstr(e.msg, ".svg, .png or .pdf"));
    snprintf(path, sizeof path, "%s/no/such/dir/plot.svg", dir);
    ck_assert_int_ne(sr_plot_write(p, path, &e), SR_OK);
    sr_plot_free(p);
    sr_plot_free(NULL);
    tmp_cleanup(dir);
}
END_TEST

/* A title too long for the page shrinks, then wraps at spaces, then is cut: never wider. */
START_TEST(text_fits_width)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(sf);
    sr_fitted f;
    sr_plot_fit(cr, "Short", 17, 14, 1, 400, 2, &f);
    ck_assert(f.n == 1 && f.size == 17 && strcmp(f.line[0], "Short") == 0 && !f.cut);
    const char *title = "Sparsity Roofline: resnet50 on pthread-skylake-avx512-Intel(R) Xeon(R) "
                        "Processor, batch 1, fp32";
    sr_plot_font(cr, 17, 1);
    double full = sr_plot_text_width(cr, title);
    sr_plot_fit(cr, title, 17, 14, 1, full + 1, 2, &f); /* fits as it is */
    ck_assert(f.n == 1 && f.size == 17);
    sr_plot_fit(cr, title, 17, 14, 1, 0.9 * full, 2, &f); /* a little smaller */
    ck_assert(f.n == 1 && f.size < 17 && f.size >= 14 && !f.cut);
    sr_plot_font(cr, f.size, 1);
    ck_assert(sr_plot_text_width(cr, f.line[0]) <= 0.9 * full);
    sr_plot_fit(cr, title, 17, 14, 1, 0.75 * full, 2, &f); /* two lines, every word kept */
    ck_assert_int_eq(f.n, 2);
    ck_assert(!f.cut);
    char joined[1100];
    snprintf(joined, sizeof joined, "%s %s", f.line[0], f.line[1]);
    ck_assert_str_eq(joined, title);
    sr_plot_font(cr, f.size, 1);
    for (int i = 0; i < f.n; i++)
        ck_assert(sr_plot_text_width(cr, f.line[i]) <= 0.75 * full);
    sr_plot_fit(cr, title, 17, 14, 1, 200, 2, &f); /* too long even so: cut */
    ck_assert(f.n == 2 && f.cut && strstr(f.line[1], "\xe2\x80\xa6"));
    for (int i = 0; i < f.n; i++)
        ck_assert(sr_plot_text_width(cr, f.line[i]) <= 200);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("plot");
    tcase_add_test(tc, log_ticks_decades);
    tcase_add_test(tc, log_ticks_narrow);
    tcase_add_test(tc, linear_ticks);
    tcase_add_test(tc, writes_each_format);
    tcase_add_test(tc, text_fits_width);
    suite_add_tcase(s, tc);
    return s;
}
