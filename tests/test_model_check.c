/* `model-check` on small stored databases (src/cli/cmd_model_check.c, src/query/model_check.c):
 * network totals formed from the layer rows as v_network_speedup forms them, every row
 * predicted again from the stored calibration (--recompute, by hand), the errors by
 * pattern and the worst layers. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "session/calibrate.h"
#include "store_fixtures.h"

TCase *tcase_model_check(void);

static char dir[4096], path[4200];
static char out[1 << 16], errs[1 << 14];
static char dev[SR_UUID_LEN];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/mc.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

/* model-check with arguments args (NULL-terminated), output into out and errs. */
static int check_cmd(const char *const *args)
{
    char *argv[16] = {"model-check", "--device", dev, "--db", path};
    for (int i = 0; args[i]; i++)
        argv[5 + i] = (char *)args[i];
    return fx_run_cmd(sr_cmd_model_check, argv, out, sizeof out, errs, sizeof errs);
}

/* The three layers of the network "net": two prunable, one not (m x k x 16 each). */
static const int64_t lm[3] = {64, 64, 32}, lk[3] = {64, 128, 64};
static const int prunable[3] = {1, 1, 0};
/* measured times: dense, then 2:4 (the unprunable layer keeps its dense row) */
static const double t_dense[3] = {10e-6, 20e-6, 6e-6}, t_24[2] = {8e-6, 12e-6};

static void layer_row(sr_store *s, const char *net, int i, const char *pattern, double time_s, double device_s)
{
    sr_measurement m;
    const double keep = strcmp(pattern, "dense") == 0 ? 1.0 : 0.5;
    fx_measurement(&m, pattern, 1 - keep, 64, time_s);
    snprintf(m.network_uuid, sizeof m.network_uuid, "%s", net);
    m.layer_index = i;
    m.batch = 1;
    m.m = lm[i], m.k = lk[i], m.n = 16;
    m.nnz = (int64_t)(keep * (double)(lm[i] * lk[i]));
    m.device_time_s = device_s;
    sr_err e;
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
}

/* A device with ceilings, (calibrate: dense at 100 GFLOP/s, 2:4 at 50, one shape each,)
 * the network, and its layers measured dense and 2:4 with device times stored as
 * stored[0..4] (NAN: none, as a bench before any calibration stores them). */
static const char *calib_hash; /* the calibration's kernels hash (NULL: none; "now": this binary's) */

static void make_db(int calibrate, const double stored[5])
{
    char run[SR_UUID_LEN], net[SR_UUID_LEN];
    sr_err e;
    sr_store *s = fx_begin(path, "cpu-mc", "bench", dev, run);
    sr_ceilings c;
    ck_assert(sr_ceilings_simple(&c, "cpu-mc", 1e6, 1e6, NULL) == SR_OK); /* re-reads never decide */
    ck_assert_msg(sr_store_put_ceilings(s, dev, run, &c, &e) == SR_OK, "%s", e.msg);
    if (calibrate) {
        sr_calib_point p[2];
        memset(p, 0, sizeof p);
        const char *pat[2] = {"dense", "2:4"};
        for (int i = 0; i < 2; i++) {
            snprintf(p[i].pattern, sizeof p[i].pattern, "%s", pat[i]);
            p[i].sparsity = 0.5 * i;
            p[i].m = p[i].k = 64, p[i].n = 16;
            p[i].flops = 2.0 * 64 * 64 * 16 * (1 - p[i].sparsity);
            p[i].time_s = p[i].flops / ((i ? 50 : 100) * 1e9);
        }
        char now[SR_KERNELS_HASH_LEN];
        const int current = calib_hash && strcmp(calib_hash, "now") == 0;
        if (current)
            ck_assert_msg(sr_calibration_hash(s, dev, "CPU", p, 2, now, &e) == SR_OK, "%s", e.msg);
        ck_assert_msg(sr_store_put_calibration(s, dev, p, 2, NULL, current ? now : calib_hash, &e) == SR_OK, "%s",
                      e.msg);
    }
    sr_network_rec nr;
    memset(&nr, 0, sizeof nr);
    snprintf(nr.name, sizeof nr.name, "net");
    sr_layer_rec l[3];
    memset(l, 0, sizeof l);
    for (int i = 0; i < 3; i++) {
        snprintf(l[i].name, sizeof l[i].name, "l%d", i);
        l[i].m = lm[i], l[i].k = lk[i], l[i].n = 16, l[i].groups = 1, l[i].prunable = prunable[i];
    }
    ck_assert_msg(sr_store_put_network(s, &nr, l, 3, net, &e) == SR_OK, "%s", e.msg);
    for (int i = 0; i < 3; i++)
        layer_row(s, net, i, "dense", t_dense[i], stored[i]);
    for (int i = 0; i < 2; i++)
        layer_row(s, net, i, "2:4", t_24[i], stored[3 + i]);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
}

static double json_at(json_object *o, const char *a, const char *b, const char *c)
{
    json_object *x = o, *y;
    const char *keys[3] = {a, b, c};
    for (int i = 0; i < 3 && keys[i]; i++) {
        ck_assert_msg(json_object_object_get_ex(x, keys[i], &y), "no %s in %s", keys[i], out);
        x = y;
    }
    return json_object_get_double(x);
}

START_TEST(test_recompute_by_hand)
{
    const double none[5] = {NAN, NAN, NAN, NAN, NAN};
    make_db(1, none);
    /* nothing stored to check: the rows were measured before any calibration */
    const char *plain[] = {NULL};
    ck_assert_int_eq(check_cmd(plain), 2);
    ck_assert_msg(strstr(errs, "nothing to check"), "%s", errs);
    /* predicted again: dense at 100 GFLOP/s, 2:4 at 50 over its stored values */
    const char *re[] = {"--recompute", "--json", NULL};
    ck_assert_int_eq(check_cmd(re), 0);
    double dd[3], d24[2];
    for (int i = 0; i < 3; i++)
        dd[i] = 2.0 * (double)(lm[i] * lk[i]) * 16 / 100e9;
    for (int i = 0; i < 2; i++)
        d24[i] = 2.0 * 0.5 * (double)(lm[i] * lk[i]) * 16 / 50e9;
    const double dev_dense = dd[0] + dd[1] + dd[2], dev_24 = d24[0] + d24[1] + dd[2];
    const double meas_dense = t_dense[0] + t_dense[1] + t_dense[2], meas_24 = t_24[0] + t_24[1] + t_dense[2];
    json_object *o = json_tokener_parse(out);
    ck_assert_msg(o, "%s", out);
    const double tol = 1e-9;
    ck_assert_double_eq_tol(json_at(o, "device_model", "network_speedup", "median"),
                            fabs((dev_dense / dev_24) / (meas_dense / meas_24) - 1), tol);
    ck_assert_double_eq_tol(json_at(o, "device_model", "network_time", "worst"), fabs(dev_24 / meas_24 - 1), tol);
    ck_assert_int_eq((int)json_at(o, "device_model", "network_speedup", "count"), 1);
    ck_assert_int_eq((int)json_at(o, "device_model", "layer_time", "count"), 5);
    /* the worst layer row: dense l2 (32 x 64), 0.65536 us against 6 us measured */
    ck_assert_double_eq_tol(json_at(o, "device_model", "layer_time", "worst"), fabs(dd[2] / t_dense[2] - 1), tol);
    json_object_put(o);
    /* by pattern and the worst layer, with the term that decides it */
    const char *detail[] = {"--recompute", "--by-pattern", "--worst", "1", "--json", NULL};
    ck_assert_int_eq(check_cmd(detail), 0);
    o = json_tokener_parse(out);
    json_object *bp, *wl;
    ck_assert(json_object_object_get_ex(o, "by_pattern", &bp) && json_object_array_length(bp) == 2);
    json_object *p24 = json_object_array_get_idx(bp, 0);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(p24, "pattern")), "2:4");
    ck_assert_double_eq_tol(json_at(p24, "layer_time", "worst", NULL),
                            fmax(fabs(d24[0] / t_24[0] - 1), fabs(d24[1] / t_24[1] - 1)), tol);
    ck_assert_double_eq(json_at(p24, "network_speedup", "worst_sparsity", NULL), 0.5);
    ck_assert(json_object_object_get_ex(o, "worst_layers", &wl) && json_object_array_length(wl) == 1);
    json_object *w = json_object_array_get_idx(wl, 0);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(w, "layer")), "l2");
    ck_assert_str_eq(json_object_get_string(json_object_object_get(w, "term")), "kernel");
    json_object_put(o);
    const char *text[] = {"--recompute", "--by-pattern", "--worst", "2", NULL};
    ck_assert_int_eq(check_cmd(text), 0);
    ck_assert_msg(strstr(out, "recomputed from the stored calibration") && strstr(out, "by network and pattern") &&
                      strstr(out, "32x64x16"),
                  "%s", out);
}
END_TEST

START_TEST(test_totals_as_the_view)
{
    /* device times stored at bench: model-check's totals are v_network_speedup's */
    const double stored[5] = {9e-6, 25e-6, 4e-6, 7e-6, 10e-6};
    make_db(0, stored);
    const char *json[] = {"--json", NULL};
    ck_assert_int_eq(check_cmd(json), 0);
    json_object *o = json_tokener_parse(out);
    ck_assert_msg(o, "%s", out);
    ck_assert_double_eq_tol(json_at(o, "device_model", "network_speedup", "worst"),
                            fabs(query_double(path, "SELECT device_speedup_error FROM v_network_speedup")), 1e-9);
    ck_assert_double_eq_tol(json_at(o, "device_model", "network_time", "worst"),
                            fabs(query_double(path, "SELECT device_time_error FROM v_network_speedup")), 1e-9);
    ck_assert_double_eq_tol(json_at(o, "peak", "network_speedup", "worst"),
                            fabs(query_double(path, "SELECT speedup_error FROM v_network_speedup")), 1e-9);
    json_object_put(o);
    /* without a calibration there is nothing to predict again with: said, exit 2 */
    const char *re[] = {"--recompute", NULL};
    ck_assert_int_eq(check_cmd(re), 2);
    ck_assert_msg(strstr(errs, "no calibration") && strstr(errs, "calibrate"), "%s", errs);
    const char *bad[] = {"--worst", "0", NULL};
    ck_assert_int_eq(check_cmd(bad), 2);
    ck_assert_msg(strstr(errs, "--worst"), "%s", errs);
}
END_TEST

/* The recomputed check's calibration_warning: NULL when it is current. */
static const char *stale_warning(void)
{
    static char w[256];
    const char *re[] = {"--recompute", "--json", NULL};
    ck_assert_int_eq(check_cmd(re), 0);
    json_object *o = json_tokener_parse(out), *v;
    ck_assert_msg(o && json_object_object_get_ex(o, "calibration_warning", &v), "%s", out);
    const int none = json_object_get_type(v) == json_type_null;
    snprintf(w, sizeof w, "%s", none ? "" : json_object_get_string(v));
    json_object_put(o);
    /* the same line on stderr, or none */
    ck_assert_msg(none ? !strstr(errs, "calibrat") : strstr(errs, w) != NULL, "%s", errs);
    return none ? NULL : w;
}

START_TEST(test_stale_calibration)
{
    const double none[5] = {NAN, NAN, NAN, NAN, NAN};
    /* made with this binary's kernels and parameters: not flagged */
    calib_hash = "now";
    make_db(1, none);
    ck_assert_ptr_null(stale_warning());
    /* with other kernels (another hash): flagged, and the prediction still made */
    tmp_cleanup(dir);
    setup();
    calib_hash = "0123456789abcdef";
    make_db(1, none);
    const char *w = stale_warning();
    ck_assert_msg(w && strcmp(w, SR_CALIBRATION_STALE) == 0, "%s", w ? w : "(none)");
    ck_assert_msg(strstr(out, "\"device_model\""), "%s", out);
    /* before hashes were recorded: flagged as unknown */
    tmp_cleanup(dir);
    setup();
    calib_hash = NULL;
    make_db(1, none);
    w = stale_warning();
    ck_assert_msg(w && strstr(w, "no kernel hash") && strstr(w, "calibrate"), "%s", w ? w : "(none)");
    /* parameters tuned after a current calibration: the kernels now run otherwise, flagged */
    tmp_cleanup(dir);
    setup();
    calib_hash = "now";
    make_db(1, none);
    sr_err e;
    char run[SR_UUID_LEN];
    sr_store *s = fx_open(path);
    fx_run(s, "tune", dev, run);
    sr_tuned_rec t;
    memset(&t, 0, sizeof t);
    snprintf(t.pattern, sizeof t.pattern, "2:4");
    t.sparsity = t.time_s = NAN;
    t.m = t.k = 64, t.n = 16;
    snprintf(t.params, sizeof t.params, "vw=4,nv=1,rows=1,wg=0,tiles=1,kc=0");
    t.gflops = 10;
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    w = stale_warning();
    ck_assert_msg(w && strcmp(w, SR_CALIBRATION_STALE) == 0, "%s", w ? w : "(none)");
}
END_TEST

/* The model built from a stored calibration knows each point's columns and crowding by
 * the kernels' rules, from the parameters it ran with, and a layer's from the parameters
 * a run of it would use (the defaults here): CSR's 64-column panel at 128 columns (512 B
 * rows, in place) crowded, repacked not; rows of 196 padded to 208 then whole panels of
 * 64 (256), N:M's 13 vectors (208), dense along M in tiles of 7 (49), 10 (100) or 6 (101
 * in 17 tiles: 102). */
START_TEST(test_points_by_the_kernels_rules)
{
    char run[SR_UUID_LEN];
    sr_err e;
    sr_store *s = fx_begin(path, "cpu-mc", "calibrate", dev, run);
    static const struct {
        const char *pattern, *params;
        double n, pack_s, cols;
        int crowded;
    } want[] = {
        {"unstructured", "vw=16,nv=4,rows=2,wg=2,tiles=16,kc=256,pad=1", 128, 0, 128, 1},
        {"unstructured", "vw=16,nv=4,rows=2,wg=2,tiles=16,kc=256,pad=1", 127, 1e-6, 128, 0},
        {"block:4x4", "vw=16,nv=4,rows=4,wg=8,tiles=2,kc=0,pad=1", 196, 0, 256, 0},
        {"2:4", "vw=16,nv=13,rows=2,wg=1,tiles=16,kc=48,pad=1", 196, 0, 208, 0},
        {"dense", "vw=16,nv=2,rows=6,wg=1,tiles=7,kc=128,mv=1,ct=0", 49, 0, 49, 0},
        {"dense", "vw=16,nv=2,rows=6,wg=1,tiles=7,kc=128,mv=1,ct=0", 100, 0, 100, 0},
        {"dense", "vw=16,nv=2,rows=6,wg=1,tiles=7,kc=128,mv=1,ct=0", 101, 0, 102, 0},
    };
    enum { NP = sizeof want / sizeof *want };
    sr_calib_point p[NP];
    const char *params[NP];
    memset(p, 0, sizeof p);
    for (int i = 0; i < NP; i++) {
        snprintf(p[i].pattern, sizeof p[i].pattern, "%s", want[i].pattern);
        p[i].sparsity = strcmp(want[i].pattern, "dense") == 0 ? 0 : 0.5;
        p[i].m = 64, p[i].k = 512 + i, p[i].n = want[i].n;
        p[i].flops = 2.0 * 64 * 512 * want[i].n, p[i].time_s = 1e-4, p[i].pack_s = want[i].pack_s;
        params[i] = want[i].params;
    }
    ck_assert_msg(sr_store_put_calibration(s, dev, p, NP, params, NULL, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_device_model dm;
    sr_calib_point *pts = NULL;
    ck_assert_msg(sr_session_device_model(s, dev, 0, &dm, &pts, &e) == SR_OK, "%s", e.msg);
    ck_assert_int_eq((int)dm.n_points, NP);
    for (size_t i = 0; i < dm.n_points; i++)
        for (int j = 0; j < NP; j++)
            if (pts[i].k == 512 + j) {
                ck_assert_msg(pts[i].cols == want[j].cols, "%s n=%g: cols %g", want[j].pattern, want[j].n,
                              pts[i].cols);
                ck_assert_int_eq(pts[i].crowded, want[j].crowded);
            }
    /* layers: CSR at 768 x 768 x 384 reads X in place (a 192 KiB panel on 256 of room),
     * crowded (rows 1.5 KiB apart); at 128 one panel is the whole row: not crowded; at
     * 768 x 192 no longer crowded; N:M at 196 in 13 vectors */
    sr_pattern csr, nm;
    ck_assert(sr_pattern_parse("unstructured", &csr, NULL) == SR_OK && sr_pattern_parse("2:4", &nm, NULL) == SR_OK);
    sr_device_layout lay;
    dm.layout(&dm, &csr, 768, 768, 384, &lay);
    ck_assert(lay.cols == 384 && lay.crowded == 1);
    dm.layout(&dm, &csr, 768, 768, 128, &lay);
    ck_assert(lay.cols == 128 && lay.crowded == 0);
    dm.layout(&dm, &csr, 768, 768, 192, &lay);
    ck_assert(lay.cols == 192 && lay.crowded == 0);
    dm.layout(&dm, &nm, 256, 2304, 196, &lay);
    ck_assert(lay.cols == 208 && lay.crowded == 0);
    free(pts);
    sr_store_close(s);
}
END_TEST

TCase *tcase_model_check(void)
{
    TCase *tc = tcase_create("model_check");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_recompute_by_hand);
    tcase_add_test(tc, test_totals_as_the_view);
    tcase_add_test(tc, test_stale_calibration);
    tcase_add_test(tc, test_points_by_the_kernels_rules);
    return tc;
}
