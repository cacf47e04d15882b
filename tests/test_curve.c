/* Curves from a fixture database (src/query/curve.c): a three-layer network with predicted
 * and measured rows whose speedups are worked out by hand below, accuracy figures with
 * their source's dense baseline, interpolation between stored sparsities, the refusal to
 * extrapolate, and the answer for each accuracy budget.
 *
 * Layer times (s); layer 2 is not prunable and keeps its dense time:
 *                      L0    L1    L2   total   speedup
 *   predicted dense    1.0   2.0   1.0   4.0
 *   predicted u 0.5    0.6   1.2   -     2.8     4/2.8 = 1.428571
 *   predicted u 0.9    0.2   0.4   -     1.6     4/1.6 = 2.5
 *   predicted 2:4      0.7   1.4   -     3.1     4/3.1 = 1.290323
 *   measured  dense    1.5   2.5   1.0   5.0
 *   measured  u 0.5    1.0   1.5   -     3.5     5/3.5 = 1.428571
 *   measured  u 0.9    0.5   1.0   -     2.5     5/2.5 = 2.0
 * At sparsity 0.8 (3/4 of the way from 0.5 to 0.9) the network time is interpolated:
 *   predicted 2.8 + 0.75 (1.6 - 2.8) = 1.9  -> 4/1.9  = 2.105263
 *   measured  3.5 + 0.75 (2.5 - 3.5) = 2.75 -> 5/2.75 = 1.818182 */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "query/curve.h"
#include "store_fixtures.h"

static char dir[256], db[300];

static void fixture(int with_accuracy)
{
    tmp_dir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/curve.db", dir);
    char dev[SR_UUID_LEN], run[SR_UUID_LEN], net[SR_UUID_LEN];
    sr_store *s = fx_begin(db, "fixture-gpu", "predict", dev, run);
    sr_err e;
    sr_network_rec nr = {.name = "tiny"};
    sr_layer_rec layers[3] = {{.name = "l0", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1},
                              {.name = "l1", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1},
                              {.name = "l2", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 0}};
    ck_assert_msg(sr_store_put_network(s, &nr, layers, 3, net, &e) == SR_OK, "%s", e.msg);
    fx_layer_rows(s, net, SR_PREDICTED, "dense", 0, (double[]){1.0, 2.0, 1.0}, NULL, 3);
    fx_layer_rows(s, net, SR_PREDICTED, "unstructured", 0.5, (double[]){0.6, 1.2}, NULL, 2);
    fx_layer_rows(s, net, SR_PREDICTED, "unstructured", 0.9, (double[]){0.2, 0.4}, NULL, 2);
    fx_layer_rows(s, net, SR_PREDICTED, "2:4", 0.5, (double[]){0.7, 1.4}, NULL, 2);
    fx_layer_rows(s, net, SR_MEASURED, "dense", 0, (double[]){1.5, 2.5, 1.0}, NULL, 3);
    fx_layer_rows(s, net, SR_MEASURED, "unstructured", 0.5, (double[]){1.0, 1.5}, NULL, 2);
    fx_layer_rows(s, net, SR_MEASURED, "unstructured", 0.9, (double[]){0.5, 1.0}, NULL, 2);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    if (with_accuracy) {
        sr_accuracy_rec acc[] = {
            {.network = "tiny", .pattern = "dense", .metric = "top1", .sparsity = 0, .value = 80.0,
             .source = "S", .dataset = "D"},
            {.network = "tiny", .pattern = "unstructured", .metric = "top1", .sparsity = 0.8,
             .value = 79.6, .source = "S", .dataset = "D"},
            {.network = "tiny", .pattern = "unstructured", .metric = "top1", .sparsity = 0.95,
             .value = 75.0, .source = "S", .dataset = "D"},
            {.network = "tiny", .pattern = "2:4", .metric = "top1", .sparsity = 0.5, .value = 79.0,
             .source = "S", .dataset = "D"},
            {.network = "tiny", .pattern = "unstructured", .metric = "top1", .sparsity = 0.5,
             .value = 70.0, .source = "T", .dataset = "D"}, /* no dense row of T */
        };
        ck_assert_msg(sr_store_put_accuracy(s, acc, 5, &e) == SR_OK, "%s", e.msg);
    }
    sr_store_close(s);
}

static void teardown(void)
{
    tmp_cleanup(dir);
}

static sr_curve_set *build(const sr_curve_opts *o)
{
    sr_store *s = NULL;
    sr_err e;
    ck_assert_msg(sr_store_open(db, SR_STORE_READONLY, &s, &e) == SR_OK, "%s", e.msg);
    sr_curve_set *c = NULL;
    ck_assert_msg(sr_curve_build(s, o, &c, &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    return c;
}

static const sr_curve *find(const sr_curve_set *c, const char *pattern, const char *source)
{
    for (size_t i = 0; i < c->n_curves; i++)
        if (strcmp(c->curves[i].pattern, pattern) == 0 && strcmp(c->curves[i].source, source) == 0)
            return &c->curves[i];
    ck_abort_msg("no curve %s / %s", pattern, source);
    return NULL;
}

START_TEST(speedups_by_hand)
{
    fixture(0);
    sr_curve_opts o = {.network = "tiny"};
    sr_curve_set *c = build(&o);
    ck_assert(!c->with_accuracy);
    ck_assert_str_eq(c->set.device, "fixture-gpu");
    const sr_curve *u = find(c, "unstructured", ""), *nm = find(c, "2:4", "");
    ck_assert_uint_eq(u->n, 2);
    ck_assert_double_eq_tol(u->pts[0].predicted, 4 / 2.8, 1e-9);
    ck_assert_double_eq_tol(u->pts[0].measured, 5 / 3.5, 1e-9);
    ck_assert_double_eq_tol(u->pts[1].predicted, 2.5, 1e-9);
    ck_assert_double_eq_tol(u->pts[1].measured, 2.0, 1e-9);
    ck_assert_double_eq_tol(nm->pts[0].predicted, 4 / 3.1, 1e-9);
    ck_assert(isnan(nm->pts[0].measured));
    sr_curve_set_free(c);

    o.sources = SR_CURVE_MEASURED; /* 2:4 has no measured rows: no curve */
    c = build(&o);
    ck_assert_uint_eq(c->n_curves, 1);
    ck_assert(isnan(c->curves[0].pts[0].predicted));
    sr_curve_set_free(c);
}
END_TEST

START_TEST(interpolates_never_extrapolates)
{
    fixture(0);
    sr_store *s = NULL;
    sr_err e;
    ck_assert(sr_store_open(db, SR_STORE_READONLY, &s, &e) == SR_OK);
    sr_speedup_set *sets;
    sr_speedup_row *rows;
    size_t ns, n;
    ck_assert(sr_store_speedup_sets(s, "tiny", &sets, &ns, &e) == SR_OK && ns == 1);
    ck_assert(sr_store_speedup_rows(s, &sets[0], &rows, &n, &e) == SR_OK && n == 3);
    sr_speedup_at at;
    ck_assert(sr_curve_speedup(rows, n, "unstructured", 0.8, &at));
    ck_assert(at.interpolated);
    ck_assert_double_eq_tol(at.predicted, 4 / 1.9, 1e-9);
    ck_assert_double_eq_tol(at.measured, 5 / 2.75, 1e-9);
    ck_assert(sr_curve_speedup(rows, n, "unstructured", 0.9, &at) && !at.interpolated);
    ck_assert(!sr_curve_speedup(rows, n, "unstructured", 0.95, &at)); /* past the last */
    ck_assert(!sr_curve_speedup(rows, n, "unstructured", 0.3, &at));  /* before the first */
    ck_assert(!sr_curve_speedup(rows, n, "block:4x4", 0.5, &at));     /* none stored */
    ck_assert(sr_curve_speedup(rows, n, "dense", 0, &at));
    ck_assert(at.predicted == 1 && at.measured == 1);
    free(rows);
    free(sets);
    sr_store_close(s);
}
END_TEST

START_TEST(accuracy_curves_and_answers)
{
    fixture(1);
    sr_curve_opts o = {.network = "tiny"};
    sr_curve_set *c = build(&o);
    ck_assert(c->with_accuracy && c->answered);
    ck_assert_str_eq(c->metric, "top1");
    const sr_curve *u = find(c, "unstructured", "S");
    /* the source's dense point first (speedup 1), then 0.8 interpolated; 0.95 left out */
    ck_assert_uint_eq(u->n, 2);
    ck_assert_double_eq(u->pts[0].accuracy, 80.0);
    ck_assert_double_eq(u->pts[0].predicted, 1.0);
    ck_assert_double_eq_tol(u->pts[1].predicted, 4 / 1.9, 1e-9);
    ck_assert_double_eq_tol(u->pts[1].measured, 5 / 2.75, 1e-9);
    ck_assert(u->pts[1].interpolated);
    int left_out = 0;
    for (size_t i = 0; i < c->n_notes; i++)
        left_out |= strstr(c->notes[i], "0.95") && strstr(c->notes[i], "not extrapolated");
    ck_assert(left_out);
    /* 0.5 points: unstructured 0.8 (drop 0.4), measured 1.818 beats predicted 2.105 */
    const sr_curve_answer *a = &c->answers[0];
    ck_assert(a->found && a->measured);
    ck_assert_str_eq(a->pattern, "unstructured");
    ck_assert_double_eq_tol(a->speedup, 5 / 2.75, 1e-9);
    /* 1 point lets 2:4 in (drop 1.0) but it is slower (1.29 predicted) */
    ck_assert_str_eq(c->answers[1].pattern, "unstructured");
    /* T's figure has no dense row of T: drawn, never an answer */
    ck_assert_uint_eq(find(c, "unstructured", "T")->n, 1);
    json_object *j = sr_curve_json(c);
    ck_assert_int_eq((int)json_object_array_length(json_object_object_get(j, "answers")), 4);
    json_object_put(j);
    sr_curve_set_free(c);

    o.sources = SR_CURVE_PREDICTED; /* then the answer is the predicted speedup */
    c = build(&o);
    ck_assert(!c->answers[0].measured);
    ck_assert_double_eq_tol(c->answers[0].speedup, 4 / 1.9, 1e-9);
    sr_curve_set_free(c);

    o.relative = 1; /* figures without their source's dense row are left out */
    c = build(&o);
    for (size_t i = 0; i < c->n_curves; i++)
        ck_assert_str_ne(c->curves[i].source, "T");
    sr_curve_set_free(c);
}
END_TEST

START_TEST(roofline_points)
{
    fixture(0);
    sr_store *s = NULL;
    sr_err e;
    ck_assert(sr_store_open(db, SR_STORE_READONLY, &s, &e) == SR_OK);
    char dev[SR_UUID_LEN];
    ck_assert(sr_store_find_device(s, "fixture-gpu", dev, &e) == SR_OK);
    sr_roofline_row *p;
    size_t n, measured = 0;
    ck_assert_msg(sr_store_roofline_points(s, dev, NULL, "tiny", &p, &n, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(n, 9 + 7); /* every layer row, predicted and measured */
    for (size_t i = 0; i < n; i++) {
        measured += p[i].measured;
        ck_assert_double_eq_tol(p[i].ai, p[i].flops / p[i].bytes, 1e-12);
        ck_assert(p[i].measured ? p[i].measured_time_s > 0 : isnan(p[i].measured_time_s));
    }
    ck_assert_uint_eq(measured, 7);
    free(p);
    ck_assert(sr_store_roofline_points(s, dev, NULL, "", &p, &n, &e) == SR_OK && n == 0);
    free(p);
    sr_store_close(s);
}
END_TEST

START_TEST(refusals)
{
    fixture(1);
    sr_store *s = NULL;
    sr_err e;
    ck_assert(sr_store_open(db, SR_STORE_READONLY, &s, &e) == SR_OK);
    sr_curve_set *c = NULL;
    sr_curve_opts o = {.network = "nonet"};
    ck_assert_int_eq(sr_curve_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "unknown network 'nonet'"));
    o.network = "resnet50"; /* known, but nothing stored */
    ck_assert_int_eq(sr_curve_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "no timings of resnet50"));
    o.network = "tiny", o.device = "no-such-device";
    ck_assert_int_eq(sr_curve_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "no-such-device"));
    o.device = NULL, o.batch = 8;
    ck_assert_int_eq(sr_curve_build(s, &o, &c, &e), SR_ERR_NOTFOUND);
    ck_assert(strstr(e.msg, "fixture-gpu (batch 1, fp32)"));
    ck_assert_ptr_null(c);
    sr_store_close(s);
}
END_TEST

Suite *curve_suite(void)
{
    Suite *s = suite_create("curve");
    TCase *tc = tcase_create("curve");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, speedups_by_hand);
    tcase_add_test(tc, interpolates_never_extrapolates);
    tcase_add_test(tc, accuracy_curves_and_answers);
    tcase_add_test(tc, roofline_points);
    tcase_add_test(tc, refusals);
    suite_add_tcase(s, tc);
    return s;
}
