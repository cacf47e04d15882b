/* Roofline, compare and report from a fixture database with two devices (src/query/
 * roofline.c, compare.c, report.c): figures worked out by hand below, and the refusals.
 *
 * Network "tiny": three layers of 64 x 64 x 16 (layer 2 not prunable).
 *   dev-a (measured ceilings: L1 100 GB/s, DRAM 10 GB/s, fp32 50 GFLOP/s, no fp64; tuned
 *   unstructured fp32 at 20 GFLOP/s):
 *     predicted dense 1.0 2.0 1.0 (4.0)   unstructured 0.5: 0.6 1.2 (+1.0 = 2.8) -> 1.428571
 *     measured  dense 1.5 2.5 1.0 (5.0)   unstructured 0.5: 0.5 1.5 (+1.0 = 3.0) -> 1.666667
 *     the measured rows' own predictions: dense as measured, unstructured 0.6 1.2, so
 *     layer 0 (0.5 s against 0.6 s) is above its roof, and the GEMM prediction is
 *     5.0 / 2.8 = 1.785714: speedup_error = 1.785714 / 1.666667 - 1 = +7.1%
 *   dev-b (virtual), predicted only: dense 0.5 0.5 0.5 (1.5), unstructured 0.5: 0.25 0.25
 *     (+0.5 = 1.0) -> 1.5 */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/compare.h"
#include "query/plot.h"
#include "query/report.h"
#include "query/roofline.h"
#include "store_fixtures.h"

static char dir[256], db[300];
static char run_b[SR_UUID_LEN];

static void dev_a(sr_store *s, const char *net)
{
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    sr_err e;
    fx_device(s, "dev-a", dev);
    fx_run(s, "bench", dev, run);
    sr_ceilings c = {.n_levels = 2, .n_compute = 2};
    snprintf(c.device, sizeof c.device, "dev-a");
    c.levels[0] = (sr_bw_level){"L1", 100, 0, 32768};
    c.levels[1] = (sr_bw_level){"DRAM", 10, 32769, UINT64_MAX};
    c.compute[0] = (sr_compute_ceiling){SR_DTYPE_FP32, 1, 50};
    c.compute[1] = (sr_compute_ceiling){SR_DTYPE_FP64, 0, 0};
    ck_assert_msg(sr_store_put_ceilings(s, dev, run, &c, &e) == SR_OK, "%s", e.msg);
    sr_tuned_rec t = {.pattern = "unstructured", .dtype = SR_DTYPE_FP32, .sparsity = NAN,
                      .params = "-DTM=4", .gflops = 20, .time_s = NAN};
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    fx_layer_rows(s, net, SR_PREDICTED, "dense", 0, (double[]){1.0, 2.0, 1.0}, NULL, 3);
    fx_layer_rows(s, net, SR_PREDICTED, "unstructured", 0.5, (double[]){0.6, 1.2}, NULL, 2);
    fx_layer_rows(s, net, SR_MEASURED, "dense", 0, (double[]){1.5, 2.5, 1.0}, NULL, 3);
    fx_layer_rows(s, net, SR_MEASURED, "unstructured", 0.5, (double[]){0.5, 1.5},
                  (double[]){0.6, 1.2}, 2);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
}

static void dev_b(sr_store *s, const char *net)
{
    char dev[SR_UUID_LEN];
    sr_err e;
    fx_run(s, "predict", NULL, run_b);
    sr_ceilings c;
    ck_assert(sr_ceilings_simple(&c, "dev-b", 1000, 10000, &e) == SR_OK);
    ck_assert_msg(sr_store_define_virtual(s, run_b, &c, dev, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_set_device(s, run_b, dev, &e) == SR_OK, "%s", e.msg);
    fx_layer_rows(s, net, SR_PREDICTED, "dense", 0, (double[]){0.5, 0.5, 0.5}, NULL, 3);
    fx_layer_rows(s, net, SR_PREDICTED, "unstructured", 0.5, (double[]){0.25, 0.25}, NULL, 2);
    ck_assert_msg(sr_store_run_end(s, run_b, "complete", &e) == SR_OK, "%s", e.msg);
}

static sr_store *fixture(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/report.db", dir);
    sr_store *s = fx_open(db);
    sr_err e;
    char net[SR_UUID_LEN];
    sr_network_rec nr = {.name = "tiny"};
    sr_layer_rec layers[3] = {{.name = "l0", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1},
                              {.name = "l1", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1},
                              {.name = "l2", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 0}};
    ck_assert_msg(sr_store_put_network(s, &nr, layers, 3, net, &e) == SR_OK, "%s", e.msg);
    dev_a(s, net);
    nanosleep(&(struct timespec){0, 5000000}, NULL); /* dev-b's run starts later (ms) */
    dev_b(s, net);
    sr_store_close(s);
    ck_assert(sr_store_open(db, SR_STORE_READONLY, &s, &e) == SR_OK);
    return s;
}

static void teardown(void)
{
    if (dir[0])
        tmp_cleanup(dir);
    dir[0] = '\0';
}

static const sr_roof *roof(const sr_roofline *r, sr_roof_kind kind, const char *name)
{
    for (size_t i = 0; i < r->n_roofs; i++)
        if (r->roofs[i].kind == kind && strcmp(r->roofs[i].name, name) == 0)
            return &r->roofs[i];
    return NULL;
}

START_TEST(roofline_ceilings_and_points)
{
    sr_store *s = fixture();
    sr_err e;
    sr_roofline *r = NULL;
    sr_roofline_opts o = {.device = "dev-a", .network = "tiny"};
    ck_assert_msg(sr_roofline_build(s, &o, &r, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(r->device, "dev-a");
    ck_assert(!r->is_virtual);
    ck_assert_uint_eq(r->n_roofs, 4); /* L1, DRAM, fp32 (fp64 unsupported), tuned */
    ck_assert_double_eq(roof(r, SR_ROOF_BANDWIDTH, "L1")->value, 100);
    ck_assert_double_eq(roof(r, SR_ROOF_BANDWIDTH, "DRAM")->value, 10);
    ck_assert_double_eq(roof(r, SR_ROOF_COMPUTE, "fp32")->value, 50);
    ck_assert_ptr_null(roof(r, SR_ROOF_COMPUTE, "fp64"));
    const sr_roof *t = roof(r, SR_ROOF_TUNED, "unstructured");
    ck_assert(t && t->value == 20 && strcmp(t->dtype, "fp32") == 0);
    ck_assert_uint_eq(r->measured, 5);
    ck_assert_uint_eq(r->predicted, 5);
    ck_assert_uint_eq(r->above, 1);
    const double flops = 2 * 0.5 * 64 * 64 * 16;
    int seen = 0;
    for (size_t i = 0; i < r->n_pts; i++) {
        const sr_roofline_pt *q = &r->pts[i];
        if (!q->p.measured || strcmp(q->p.pattern, "unstructured") || q->p.layer != 0)
            continue;
        seen = 1;
        ck_assert_double_eq_tol(q->gflops, flops / 0.5 / 1e9, 1e-15);
        ck_assert_double_eq_tol(q->roof_gflops, flops / 0.6 / 1e9, 1e-15);
        ck_assert(q->above_roof);
    }
    ck_assert(seen);
    sr_plot *pl = NULL;
    char *svg = NULL;
    size_t len;
    ck_assert_msg(sr_roofline_chart(r, &pl, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_plot_svg(pl, &svg, &len, &e) == SR_OK, "%s", e.msg);
    ck_assert(len > 1000);
    free(svg);
    sr_plot_free(pl);
    json_object *j = sr_roofline_json(r);
    ck_assert_int_eq(json_object_array_length(json_object_object_get(j, "ceilings")), 4);
    json_object_put(j);
    sr_roofline_free(r);

    o = (sr_roofline_opts){0}; /* default: the device with the newest rows */
    ck_assert_msg(sr_roofline_build(s, &o, &r, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(r->device, "dev-b");
    ck_assert(r->is_virtual && r->measured == 0 && r->predicted == 5);
    sr_roofline_free(r);
    o = (sr_roofline_opts){.run = run_b}; /* the run's device */
    ck_assert_msg(sr_roofline_build(s, &o, &r, &e) == SR_OK, "%s", e.msg);
    ck_assert(strcmp(r->device, "dev-b") == 0 && strcmp(r->run, run_b) == 0);
    sr_roofline_free(r);
    sr_store_close(s);
}
END_TEST

START_TEST(roofline_refusals)
{
    sr_store *s = fixture();
    sr_err e;
    sr_roofline *r = NULL;
    sr_roofline_opts o = {.device = "dev-a", .run = run_b};
    ck_assert_int_eq(sr_roofline_build(s, &o, &r, &e), SR_ERR_ARG);
    ck_assert(strstr(e.msg, "ran on dev-b, not on --device dev-a"));
    o = (sr_roofline_opts){.network = "nonet"};
    ck_assert_int_eq(sr_roofline_build(s, &o, &r, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "unknown network 'nonet'"));
    o = (sr_roofline_opts){.device = "dev-c"};
    ck_assert_int_eq(sr_roofline_build(s, &o, &r, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "dev-c"));
    ck_assert_ptr_null(r);
    o = (sr_roofline_opts){.device = "dev-a", .network = ""}; /* no free shapes: ceilings only */
    ck_assert_msg(sr_roofline_build(s, &o, &r, &e) == SR_OK, "%s", e.msg);
    ck_assert(r->n_pts == 0 && r->n_roofs == 4);
    sr_roofline_free(r);
    sr_store_close(s);
}
END_TEST

static const sr_compare_device *cdev(const sr_compare *c, const char *name, size_t *index)
{
    for (size_t d = 0; d < c->n_devs; d++)
        if (strcmp(c->devs[d].device, name) == 0) {
            *index = d;
            return &c->devs[d];
        }
    ck_abort_msg("no device %s in the comparison", name);
    return NULL;
}

START_TEST(compare_two_devices)
{
    sr_store *s = fixture();
    sr_err e;
    sr_compare *c = NULL;
    sr_compare_opts o = {.network = "tiny"};
    ck_assert_msg(sr_compare_build(s, &o, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(c->n_devs, 2);
    ck_assert(c->batch == 1 && strcmp(c->dtype, "fp32") == 0);
    ck_assert_uint_eq(c->n_rows, 1);
    ck_assert(strcmp(c->rows[0].pattern, "unstructured") == 0 && c->rows[0].sparsity == 0.5);
    size_t a, b;
    const sr_compare_device *da = cdev(c, "dev-a", &a), *db_ = cdev(c, "dev-b", &b);
    ck_assert_double_eq_tol(da->predicted_dense_s, 4.0, 1e-12);
    ck_assert_double_eq_tol(da->measured_dense_s, 5.0, 1e-12);
    ck_assert_double_eq_tol(db_->predicted_dense_s, 1.5, 1e-12);
    ck_assert(isnan(db_->measured_dense_s));
    const sr_compare_cell *ca = &c->rows[0].cells[a], *cb = &c->rows[0].cells[b];
    ck_assert_double_eq_tol(ca->predicted_speedup, 4.0 / 2.8, 1e-9);
    ck_assert_double_eq_tol(ca->measured_speedup, 5.0 / 3.0, 1e-9);
    ck_assert_double_eq_tol(ca->predicted_s, 2.8, 1e-12);
    ck_assert_double_eq_tol(ca->measured_s, 3.0, 1e-12);
    ck_assert_double_eq_tol(cb->predicted_speedup, 1.5, 1e-9);
    ck_assert(isnan(cb->measured_speedup) && isnan(cb->measured_s));
    sr_plot *pl = NULL;
    ck_assert_msg(sr_compare_chart(c, &pl, &e) == SR_OK, "%s", e.msg);
    sr_plot_free(pl);
    sr_compare_free(c);

    o.devices = "dev-b"; /* one of them, in the order asked */
    ck_assert_msg(sr_compare_build(s, &o, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert(c->n_devs == 1 && strcmp(c->devs[0].device, "dev-b") == 0);
    sr_compare_free(c);
    o.devices = "dev-a,dev-c";
    ck_assert_int_eq(sr_compare_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "dev-c"));
    o.devices = "dev-a,";
    ck_assert_int_eq(sr_compare_build(s, &o, &c, &e), SR_ERR_ARG);
    o.devices = NULL, o.batch = 8;
    ck_assert_int_eq(sr_compare_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    o.batch = 0, o.network = "resnet50";
    ck_assert_int_eq(sr_compare_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "no timings of resnet50"));
    o.network = "nonet";
    ck_assert_int_eq(sr_compare_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "unknown network 'nonet'"));
    ck_assert_ptr_null(c);
    sr_store_close(s);
}
END_TEST

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, what)); p++)
        n++;
    return n;
}

START_TEST(report_page)
{
    sr_store *s = fixture();
    sr_err e;
    char path[400];
    snprintf(path, sizeof path, "%s/report.html", dir);
    sr_report_opts o = {0};
    ck_assert_msg(sr_report_save(s, &o, path, &e) == SR_OK, "%s", e.msg);
    size_t size;
    char *page = (char *)slurp(path, &size);
    ck_assert_ptr_nonnull(page);
    page = realloc(page, size + 1);
    page[size] = '\0';
    ck_assert(strncmp(page, "<!DOCTYPE html>", 15) == 0 && strstr(page, "</html>"));
    ck_assert(strstr(page, "dev-a") && strstr(page, "dev-b"));
    ck_assert_int_eq(count(page, "<svg"), 3); /* curve, roofline, devices side by side */
    ck_assert_int_eq(count(page, "<?xml"), 0);
    ck_assert(strstr(page, "id=\"p1-") && strstr(page, "href=\"#p3-")); /* ids per plot */
    ck_assert(!strstr(page, "src=") && !strstr(page, "<link") && !strstr(page, "<script") &&
              !strstr(page, "url(http")); /* nothing fetched */
    ck_assert(strstr(page, "+7.1%"));       /* dev-a's speedup error, by hand above */
    ck_assert(strstr(page, "1.67x") && strstr(page, "1.43x") && strstr(page, "1.79x"));
    free(page);

    o.device = "dev-b"; /* one device: no comparison, no measured errors */
    ck_assert_msg(sr_report_save(s, &o, path, &e) == SR_OK, "%s", e.msg);
    page = (char *)slurp(path, &size);
    page = realloc(page, size + 1);
    page[size] = '\0';
    ck_assert(!strstr(page, "dev-a") && count(page, "<svg") == 2);
    free(page);

    o = (sr_report_opts){.device = "dev-c"};
    ck_assert_int_eq(sr_report_save(s, &o, path, &e), SR_ERR_NOTFOUND);
    o = (sr_report_opts){.network = "resnet50"};
    ck_assert_int_eq(sr_report_save(s, &o, path, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "no timings of resnet50"));
    sr_store_close(s);

    snprintf(path, sizeof path, "%s/empty.db", dir); /* a database without devices */
    s = fx_open(path);
    snprintf(path, sizeof path, "%s/empty.html", dir);
    o = (sr_report_opts){0};
    ck_assert_int_eq(sr_report_save(s, &o, path, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "no device is stored"));
    ck_assert_ptr_null(slurp(path, &size)); /* nothing half-written */
    sr_store_close(s);
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, roofline_ceilings_and_points);
    tcase_add_test(tc, roofline_refusals);
    tcase_add_test(tc, compare_two_devices);
    tcase_add_test(tc, report_page);
    suite_add_tcase(s, tc);
    return s;
}
