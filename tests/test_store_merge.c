/* Merging databases (sr_store_merge): what comes over, idempotence, older and newer
 * sources, refusals that leave both files as they were. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/embedded.h"
#include "store_fixtures.h"

extern const struct sr_embedded sr_schema_sources[];
TCase *tcase_merge(void);

static char dir[4096], a[4200], b[4200];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

static const char *const tables[] = {"host", "device", "run", "network", "layer", "ceiling",
                                     "measurement", "accuracy", "tuned", "calibration"};
#define N_TABLES (sizeof tables / sizeof *tables)

static void counts(const char *p, long long out[N_TABLES])
{
    for (size_t i = 0; i < N_TABLES; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        out[i] = query_int(p, sql);
    }
}

/* b: a network, a complete run with measurements, ceilings, accuracy, tuned rows and a
 * calibration of two points. */
static void populate_b(void)
{
    fx_populate(b, "gpu-b", 10);
    sr_err e;
    sr_store *s = fx_open(b);
    char dev[SR_UUID_LEN], run[SR_UUID_LEN], nw[SR_UUID_LEN];
    fx_device(s, "gpu-b", dev);
    fx_run(s, "peaks", dev, run);
    sr_ceilings c;
    memset(&c, 0, sizeof c);
    c.n_levels = 1;
    snprintf(c.levels[0].level, SR_NAME_MAX, "DRAM");
    c.levels[0].gbps = 500;
    c.levels[0].ws_max_bytes = UINT64_MAX;
    ck_assert_msg(sr_store_put_ceilings(s, dev, run, &c, &e) == SR_OK, "%s", e.msg);
    sr_network_rec net = {.name = "net", .source = "builtin"};
    sr_layer_rec l[2] = {{"l0", "conv", 8, 8, 8, 1, 1}, {"l1", "linear", 8, 8, 8, 1, 1}};
    ck_assert_msg(sr_store_put_network(s, &net, l, 2, nw, &e) == SR_OK, "%s", e.msg);
    sr_measurement m;
    fx_measurement(&m, "dense", 0, 8, 1e-4);
    memcpy(m.network_uuid, nw, SR_UUID_LEN);
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    sr_tuned_rec t = {.pattern = "dense", .params = "-DTM=2", .gflops = 3};
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    const sr_calib_point pts[2] = {{.pattern = "dense", .m = 64, .k = 64, .n = 16, .flops = 131072, .time_s = 1e-5},
                                   {.pattern = "dense", .m = 64, .k = 64, .n = 64, .flops = 524288, .time_s = 2e-5}};
    ck_assert_msg(sr_store_put_calibration(s, dev, pts, 2, NULL, "0123456789abcdef", &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_accuracy_rec acc = {.network = "net", .pattern = "2:4", .metric = "top1", .sparsity = 0.5,
                           .value = 1, .source = "x", .run_uuid = ""};
    memcpy(acc.run_uuid, run, SR_UUID_LEN);
    ck_assert_msg(sr_store_put_accuracy(s, &acc, 1, &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
}

START_TEST(test_merge_idempotent)
{
    fx_populate(a, "cpu-a", 5);
    populate_b();
    long long ca[N_TABLES], cb[N_TABLES], c1[N_TABLES], c2[N_TABLES];
    counts(a, ca);
    counts(b, cb);
    size_t bsize;
    unsigned char *bbytes = slurp(b, &bsize);
    sr_store *s;
    sr_err e;
    sr_merge_stats st;
    s = fx_open(a);
    ck_assert_msg(sr_store_merge(s, b, &st, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(st.runs, 2);
    ck_assert_uint_eq(st.measurements, 11);
    ck_assert_uint_eq(st.ceilings, 1);
    ck_assert_uint_eq(st.networks, 1);
    ck_assert_uint_eq(st.layers, 2);
    ck_assert_uint_eq(st.accuracy, 1);
    ck_assert_uint_eq(st.tuned, 1);
    ck_assert_uint_eq(st.calibration, 2);
    ck_assert_uint_eq(st.devices, 1);
    counts(a, c1);
    /* Hosts: both files come from this machine, so one host row. */
    ck_assert_int_eq(c1[0], 1);
    for (size_t i = 1; i < N_TABLES; i++)
        ck_assert_msg(c1[i] == ca[i] + cb[i], "%s: %lld != %lld + %lld", tables[i], c1[i], ca[i],
                      cb[i]);
    /* Twice: nothing more. */
    ck_assert_msg(sr_store_merge(s, b, &st, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(st.runs + st.measurements + st.ceilings + st.hosts + st.devices +
                          st.networks + st.layers + st.accuracy + st.tuned + st.calibration,
                      0);
    counts(a, c2);
    for (size_t i = 0; i < N_TABLES; i++)
        ck_assert_msg(c1[i] == c2[i], "%s grew on the second merge", tables[i]);
    /* Into itself: refused. */
    ck_assert_int_eq(sr_store_merge(s, a, &st, &e), SR_ERR_ARG);
    sr_store_close(s);
    ck_assert_msg(file_is(b, bbytes, bsize), "the merge source changed");
    free(bbytes);
    /* The merged rows are whole: the views see them. */
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM v_device WHERE device = 'gpu-b' AND "
                                  "dram_gbps = 500"),
                     1);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM v_calibration WHERE device = 'gpu-b' AND "
                                  "kernels_hash = '0123456789abcdef'"),
                     2);
}
END_TEST

START_TEST(test_merge_running_run_takes_status)
{
    /* b holds a run that a was given while it was still running. */
    sr_err e;
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    sr_store *s = fx_begin(b, "cpu-b", "bench", dev, run);
    sr_measurement m;
    fx_measurement(&m, "dense", 0, 32, 1e-3);
    ck_assert_msg(sr_store_put_measurements(s, &m, 1, &e) == SR_OK, "%s", e.msg);
    sr_store *t = fx_open(a);
    ck_assert_msg(sr_store_merge(t, b, NULL, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_put_measurements(s, &m, 1, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_merge_stats st;
    ck_assert_msg(sr_store_merge(t, b, &st, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(st.runs, 0);
    ck_assert_uint_eq(st.measurements, 1);
    sr_store_close(t);
    sr_store_close(s);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM run WHERE status = 'complete' AND "
                                  "ended_at IS NOT NULL"),
                     1);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM measurement"), 2);
}
END_TEST

START_TEST(test_merge_older_source)
{
    /* b at schema version 1 with a run, as an older sparseroof left it. */
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(b, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sr_schema_sources[0].data, NULL, NULL, NULL), SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = 1; "
             "INSERT INTO run (uuid, command, tool_version, started_at, status) VALUES "
             "('11111111-1111-4111-8111-111111111111', 'kernel', '0.0.1', '2020-01-01', "
             "'complete')",
             SR_STORE_APPLICATION_ID);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    size_t size;
    unsigned char *before = slurp(b, &size);
    sr_store *s;
    sr_err e;
    sr_merge_stats st;
    s = fx_open(a);
    ck_assert_msg(sr_store_merge(s, b, &st, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(st.runs, 1);
    sr_store_close(s);
    ck_assert_msg(file_is(b, before, size), "the older source was changed in place");
    free(before);
    ck_assert_int_eq(query_int(b, "PRAGMA user_version"), 1);
}
END_TEST

START_TEST(test_merge_refusals)
{
    fx_populate(a, "cpu-a", 3);
    long long before[N_TABLES], after[N_TABLES];
    counts(a, before);
    sr_err e;
    sr_store *s = fx_open(a);
    /* Newer schema. */
    fx_populate(b, "gpu-b", 3);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(b, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    size_t size;
    unsigned char *bytes = slurp(b, &size);
    ck_assert_int_eq(sr_store_merge(s, b, NULL, &e), SR_ERR_FORMAT);
    ck_assert_msg(strstr(e.msg, b) && strstr(e.msg, "999") && strstr(e.msg, "newer"), "%s", e.msg);
    ck_assert(file_is(b, bytes, size));
    free(bytes);
    /* Not a database; missing. */
    write_bytes(b, "hello, world\n", 13);
    ck_assert_int_eq(sr_store_merge(s, b, NULL, &e), SR_ERR_FORMAT);
    ck_assert_msg(strstr(e.msg, "not a SQLite database"), "%s", e.msg);
    ck_assert(file_is(b, (const unsigned char *)"hello, world\n", 13));
    snprintf(b, sizeof b, "%s/none.db", dir);
    ck_assert_int_eq(sr_store_merge(s, b, NULL, &e), SR_ERR_NOTFOUND);
    ck_assert_msg(strstr(e.msg, b), "%s", e.msg);
    sr_store_close(s);
    counts(a, after);
    for (size_t i = 0; i < N_TABLES; i++)
        ck_assert_int_eq(before[i], after[i]);
}
END_TEST

TCase *tcase_merge(void)
{
    TCase *tc = tcase_create("merge");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_merge_idempotent);
    tcase_add_test(tc, test_merge_running_run_takes_status);
    tcase_add_test(tc, test_merge_older_source);
    tcase_add_test(tc, test_merge_refusals);
    return tc;
}
