/* The store (src/store): opening and migrating, the records it keeps, the views. Merging
 * and the failure cases are in test_store_merge.c and test_store_fail.c; this file holds
 * main(). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "common/embedded.h"
#include "store_fixtures.h"

extern const struct sr_embedded sr_schema_sources[];
TCase *tcase_merge(void);
TCase *tcase_fail(void);
TCase *tcase_cli(void);
TCase *tcase_read(void);
TCase *tcase_session(void);
TCase *tcase_model_check(void);

static char dir[4096], path[4200];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sr.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

START_TEST(test_open_fresh)
{
    sr_store *s = fx_open(path);
    ck_assert_str_eq(sr_store_path(s), path);
    sqlite3 *db = sr_store_sqlite(s);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sr_store_close(s);
    sr_store_close(NULL);
    ck_assert_int_eq(query_int(path, "PRAGMA user_version"), sr_store_schema_version());
    ck_assert_int_eq(query_int(path, "PRAGMA application_id"), SR_STORE_APPLICATION_ID);
    /* Reopening changes nothing. */
    s = fx_open(path);
    sr_store_close(s);
    ck_assert_int_eq(query_int(path, "PRAGMA user_version"), sr_store_schema_version());
}
END_TEST

START_TEST(test_migrations_numbered)
{
    int n = sr_store_schema_version();
    ck_assert_int_ge(n, 2);
    for (int i = 0; i < n; i++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%04d_", (i + 1) % 10000);
        ck_assert_msg(strncmp(sr_schema_sources[i].name, prefix, 5) == 0, "%s is not %s...",
                      sr_schema_sources[i].name, prefix);
        ck_assert_uint_eq(strlen(sr_schema_sources[i].data), sr_schema_sources[i].size);
    }
    ck_assert_ptr_null(sr_schema_sources[n].name);
}
END_TEST

/* A database at schema version k, made the way an older sparseroof made it. */
static void make_version(const char *p, int k)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
    for (int v = 1; v <= k; v++) {
        char pragmas[128];
        snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 SR_STORE_APPLICATION_ID, v);
        ck_assert_int_eq(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
        ck_assert_msg(sqlite3_exec(db, sr_schema_sources[v - 1].data, NULL, NULL, NULL) == SQLITE_OK,
                      "%s: %s", sr_schema_sources[v - 1].name, sqlite3_errmsg(db));
        ck_assert_int_eq(sqlite3_exec(db, pragmas, NULL, NULL, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    }
    if (k >= 1) /* a row that must survive the upgrade */
        ck_assert_int_eq(sqlite3_exec(db,
                                      "INSERT INTO host (uuid, hostname, first_seen) VALUES "
                                      "('00000000-0000-4000-8000-000000000001', 'old', 'then')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

static void check_latest(const char *p, int k)
{
    ck_assert_int_eq(query_int(p, "PRAGMA user_version"), sr_store_schema_version());
    ck_assert_int_eq(query_int(p, "SELECT count(*) FROM host WHERE hostname = 'old'"), k >= 1);
    static const char *views[] = {"v_run", "v_ceiling", "v_measurement", "v_kernel",
                                  "v_layer_roofline", "v_network_speedup", "v_sparsity_roofline",
                                  "v_device", "v_device_comparison"};
    for (size_t i = 0; i < sizeof views / sizeof *views; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) >= 0 FROM %s", views[i]);
        ck_assert_int_eq(query_int(p, sql), 1);
    }
}

START_TEST(test_migrate_every_version)
{
    int latest = sr_store_schema_version();
    for (int k = 0; k <= latest; k++) {
        char p[4300], ro[4300];
        snprintf(p, sizeof p, "%s/v%d.db", dir, k);
        make_version(p, k);
        /* Read-only: migrated in memory, the file stays as it was. */
        snprintf(ro, sizeof ro, "%s/v%d-ro.db", dir, k);
        make_version(ro, k);
        size_t size;
        unsigned char *before = slurp(ro, &size);
        sr_store *s;
        sr_err e;
        ck_assert_msg(sr_store_open(ro, SR_STORE_READONLY, &s, &e) == SR_OK, "v%d: %s", k, e.msg);
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(sr_store_sqlite(s), "SELECT count(*) FROM v_run", -1,
                                            &st, NULL),
                         SQLITE_OK);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        sqlite3_finalize(st);
        sr_store_close(s);
        ck_assert_msg(file_is(ro, before, size), "read-only open changed a version %d file", k);
        free(before);
        /* Writing: upgraded in place. */
        ck_assert_msg(sr_store_open(p, 0, &s, &e) == SR_OK, "v%d: %s", k, e.msg);
        sr_store_close(s);
        check_latest(p, k);
    }
    /* An empty file (size 0) is a new database. */
    write_bytes(path, "", 0);
    sr_store *s = fx_open(path);
    sr_store_close(s);
    check_latest(path, 0);
}
END_TEST

START_TEST(test_run_lifecycle)
{
    setenv("POCL_SR_TEST", "on", 1);
    setenv("UNRELATED_SR_TEST", "x", 1);
    sr_err e;
    sr_store *s = fx_open(path);
    char dev[SR_UUID_LEN], dev2[SR_UUID_LEN], run[SR_UUID_LEN];
    fx_device(s, "cpu-a", dev);
    fx_device(s, "cpu-a", dev2);
    ck_assert_str_eq(dev, dev2); /* same device, same UUID */
    fx_run(s, "kernel", NULL, run);
    ck_assert_str_eq(sr_store_current_run(s), run);
    ck_assert_int_eq(run[14], '4');
    sr_measurement m;
    fx_measurement(&m, "block:4x4", 0.75, 128, 2e-3);
    /* No device yet: refused with a message. */
    ck_assert_int_eq(sr_store_add_measurement(s, &m, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "device"));
    ck_assert_msg(sr_store_run_set_device(s, run, dev, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    fx_measurement(&m, "2:4", 0.5, 128, 1e-3);
    m.kind = SR_PREDICTED;
    m.time_median_s = m.time_min_s = m.time_max_s = NAN;
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(sr_store_pending(s), 2);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement"), 0);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(sr_store_pending(s), 0);
    ck_assert_str_eq(sr_store_current_run(s), "");
    ck_assert_int_eq(sr_store_run_end(s, run, "running", &e), SR_ERR_ARG);
    sr_store_close(s);

    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement"), 2);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE status = 'complete' AND "
                                     "ended_at >= started_at AND tool_version <> ''"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE command_line = "
                                     "'sparseroof kernel --shape ''it''\\''''s 64'''"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE instr(environment, "
                                     "'POCL_SR_TEST=on') AND NOT instr(environment, 'UNRELATED')"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE cl_platform = "
                                     "'Portable Computing Language' AND cl_driver_version = '3.1' "
                                     "AND cl_platform_version LIKE '%LLVM%' AND cores > 0"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement WHERE pattern = 'block:4x4' "
                                     "AND block_rows = 4 AND block_cols = 4 AND nm_n IS NULL AND "
                                     "kind = 'measured' AND verified = 1 AND dtype = 'fp32'"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement WHERE pattern = '2:4' AND "
                                     "nm_n = 2 AND nm_m = 4 AND kind = 'predicted' AND "
                                     "time_median_s IS NULL"),
                     1);
    ck_assert_int_eq(query_int(path, "SELECT count(DISTINCT uuid) FROM measurement"), 2);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM host"), 1);
}
END_TEST

START_TEST(test_interrupted_and_atomic)
{
    sr_err e;
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    sr_store *s = fx_begin(path, "cpu-a", "bench", dev, run);
    sr_measurement rows[3];
    for (int i = 0; i < 3; i++) {
        fx_measurement(&rows[i], "unstructured", 0.9, 64, 1e-3);
        ck_assert_msg(sr_store_add_measurement(s, &rows[i], &e) == SR_OK, "%s", e.msg);
    }
    ck_assert_msg(sr_store_run_end(s, run, "interrupted", &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(sr_store_pending(s), 0);
    /* A set with one bad row stores none of its rows. */
    fx_run(s, "bench", dev, run);
    rows[2].sparsity = 1.5;
    ck_assert_int_eq(sr_store_put_measurements(s, rows, 3, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "1.5"));
    rows[2].sparsity = 0.9;
    memcpy(rows[2].device_uuid, "00000000-0000-4000-8000-00000000dead", SR_UUID_LEN);
    ck_assert_int_eq(sr_store_put_measurements(s, rows, 3, &e), SR_ERR_DB);
    ck_assert_ptr_nonnull(strstr(e.msg, "FOREIGN KEY"));
    ck_assert_msg(sr_store_put_measurements(s, rows, 2, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "failed", &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_set_message(s, run, "verification failed", &e) == SR_OK, "%s",
                  e.msg);
    ck_assert_int_eq(sr_store_run_end(s, "00000000-0000-4000-8000-000000000000", "failed", &e),
                     SR_ERR_NOTFOUND);
    sr_store_close(s);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement"), 2);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE status = 'interrupted'"), 1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE status = 'failed' AND "
                                     "message = 'verification failed'"),
                     1);
}
END_TEST

static void fill_ceilings(sr_ceilings *c, const char *name, double dram)
{
    memset(c, 0, sizeof *c);
    snprintf(c->device, sizeof c->device, "%s", name);
    c->n_levels = 2;
    snprintf(c->levels[0].level, SR_NAME_MAX, "L2");
    c->levels[0].gbps = 200;
    c->levels[0].ws_min_bytes = 0;
    c->levels[0].ws_max_bytes = 1 << 20;
    snprintf(c->levels[1].level, SR_NAME_MAX, "DRAM");
    c->levels[1].gbps = dram;
    c->levels[1].ws_min_bytes = (1 << 20) + 1;
    c->levels[1].ws_max_bytes = UINT64_MAX;
    c->n_compute = 2;
    c->compute[0] = (sr_compute_ceiling){SR_DTYPE_FP32, 1, 100};
    c->compute[1] = (sr_compute_ceiling){SR_DTYPE_FP64, 0, 0};
    c->launch_overhead_s = 5e-6;
    c->n_patterns = 1;
    snprintf(c->patterns[0].pattern, SR_NAME_MAX, "2:4");
    c->patterns[0].gflops = 150;
    c->patterns[0].metadata_bits = 2;
}

START_TEST(test_ceilings)
{
    sr_err e;
    sr_store *s = fx_open(path);
    char dev[SR_UUID_LEN], run1[SR_UUID_LEN], run2[SR_UUID_LEN], run3[SR_UUID_LEN];
    fx_device(s, "cpu-a", dev);
    sr_ceilings c, got;
    ck_assert_int_eq(sr_store_get_ceilings(s, "cpu-a", &got, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "cpu-a"));
    fx_run(s, "peaks", dev, run1);
    fill_ceilings(&c, "cpu-a", 20);
    ck_assert_msg(sr_store_put_ceilings(s, dev, run1, &c, &e) == SR_OK, "%s", e.msg);
    /* Not complete yet: not the device's ceilings. */
    ck_assert_int_eq(sr_store_get_ceilings(s, dev, &got, &e), SR_ERR_NOTFOUND);
    ck_assert_msg(sr_store_run_end(s, run1, "complete", &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_get_ceilings(s, dev, &got, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(got.device, "cpu-a");
    ck_assert_int_eq(got.is_virtual, 0);
    ck_assert_uint_eq(got.n_levels, 2);
    ck_assert_str_eq(got.levels[0].level, "L2");
    ck_assert_uint_eq(got.levels[0].ws_max_bytes, 1 << 20);
    ck_assert_str_eq(got.levels[1].level, "DRAM");
    ck_assert_uint_eq(got.levels[1].ws_max_bytes, UINT64_MAX);
    ck_assert_double_eq(got.levels[1].gbps, 20);
    ck_assert_uint_eq(got.n_compute, 2);
    ck_assert_int_eq(got.compute[0].dtype, SR_DTYPE_FP32);
    ck_assert_int_eq(got.compute[0].supported, 1);
    ck_assert_int_eq(got.compute[1].dtype, SR_DTYPE_FP64);
    ck_assert_int_eq(got.compute[1].supported, 0);
    ck_assert_double_eq(got.launch_overhead_s, 5e-6);
    ck_assert_uint_eq(got.n_patterns, 1);
    ck_assert_str_eq(got.patterns[0].pattern, "2:4");
    ck_assert_double_eq(got.patterns[0].metadata_bits, 2);
    /* A newer complete run wins; a newer failed one does not. */
    fx_run(s, "peaks", dev, run2);
    fill_ceilings(&c, "cpu-a", 25);
    ck_assert_msg(sr_store_put_ceilings(s, dev, run2, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run2, "complete", &e) == SR_OK, "%s", e.msg);
    fx_run(s, "peaks", dev, run3);
    fill_ceilings(&c, "cpu-a", 99);
    ck_assert_msg(sr_store_put_ceilings(s, dev, run3, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run3, "failed", &e) == SR_OK, "%s", e.msg);
    sqlite3_exec(sr_store_sqlite(s),
                 "UPDATE run SET started_at = '2000-01-01' WHERE status = 'complete' AND "
                 "uuid NOT IN (SELECT uuid FROM run WHERE status = 'complete' ORDER BY "
                 "started_at DESC, rowid DESC LIMIT 1)",
                 NULL, NULL, NULL);
    ck_assert_msg(sr_store_get_ceilings(s, "cpu-a", &got, &e) == SR_OK, "%s", e.msg);
    ck_assert_double_eq(got.levels[1].gbps, 25);
    /* A virtual device, found by name, redefined. */
    char vrun[SR_UUID_LEN], v1[SR_UUID_LEN], v2[SR_UUID_LEN];
    fx_run(s, "peaks", NULL, vrun);
    fill_ceilings(&c, "future-gpu", 3000);
    ck_assert_msg(sr_store_define_virtual(s, vrun, &c, v1, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, vrun, "complete", &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_get_ceilings(s, "future-gpu", &got, &e) == SR_OK, "%s", e.msg);
    ck_assert_int_eq(got.is_virtual, 1);
    ck_assert_double_eq(got.levels[1].gbps, 3000);
    fx_run(s, "peaks", NULL, vrun);
    fill_ceilings(&c, "future-gpu", 4000);
    ck_assert_msg(sr_store_define_virtual(s, vrun, &c, v2, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, vrun, "complete", &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(v1, v2);
    sqlite3_exec(sr_store_sqlite(s),
                 "UPDATE run SET started_at = '2001-01-01' WHERE uuid IN (SELECT run_uuid FROM "
                 "ceiling WHERE value = 3000)",
                 NULL, NULL, NULL);
    ck_assert_msg(sr_store_get_ceilings(s, v1, &got, &e) == SR_OK, "%s", e.msg);
    ck_assert_double_eq(got.levels[1].gbps, 4000);
    /* UUID prefix */
    char prefix[9];
    memcpy(prefix, v1, 8);
    prefix[8] = '\0';
    char found[SR_UUID_LEN];
    ck_assert_msg(sr_store_find_device(s, prefix, found, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(found, v1);
    ck_assert_int_eq(sr_store_find_device(s, "no-such-device", found, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "no-such-device"));
    sr_store_close(s);
}
END_TEST

START_TEST(test_tuned)
{
    sr_err e;
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    sr_store *s = fx_begin(path, "cpu-a", "tune", dev, run);
    sr_tuned_rec t;
    memset(&t, 0, sizeof t);
    snprintf(t.pattern, sizeof t.pattern, "block:4x4");
    t.sparsity = NAN;
    t.time_s = NAN;
    t.m = t.k = t.n = 256;
    snprintf(t.params, sizeof t.params, "-DTM=4");
    t.gflops = 10;
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    t.m = t.k = t.n = 1024;
    snprintf(t.params, sizeof t.params, "-DTM=8");
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    sr_tuned_rec got;
    /* Only completed runs count. */
    ck_assert_int_eq(sr_store_get_tuned(s, dev, "block:4x4", SR_DTYPE_FP32, 256, 256, 256, &got,
                                        &e),
                     SR_ERR_NOTFOUND);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_get_tuned(s, "cpu-a", "block:4x4", SR_DTYPE_FP32, 256, 256, 256, &got,
                                     &e) == SR_OK,
                  "%s", e.msg);
    ck_assert_str_eq(got.params, "-DTM=4");
    ck_assert_msg(sr_store_get_tuned(s, dev, "block:4x4", SR_DTYPE_FP32, 1024, 1024, 1024, &got,
                                     &e) == SR_OK,
                  "%s", e.msg);
    ck_assert_str_eq(got.params, "-DTM=8");
    ck_assert_int_eq(sr_store_get_tuned(s, dev, "2:4", SR_DTYPE_FP32, 1, 1, 1, &got, &e),
                     SR_ERR_NOTFOUND);
    /* Fallback chain: another device of the same vendor and type gets cpu-a's parameters
     * (and learns where they came from); a device of another type gets none. */
    char other[SR_UUID_LEN];
    fx_device(s, "cpu-b", other);
    ck_assert_msg(sr_store_get_tuned(s, other, "block:4x4", SR_DTYPE_FP32, 256, 256, 256, &got,
                                     &e) == SR_OK,
                  "%s", e.msg);
    ck_assert_str_eq(got.params, "-DTM=4");
    ck_assert_str_eq(got.device_uuid, dev);
    sr_device_rec gpu;
    memset(&gpu, 0, sizeof gpu);
    snprintf(gpu.name, sizeof gpu.name, "gpu-c");
    snprintf(gpu.type, sizeof gpu.type, "GPU");
    char gpu_uuid[SR_UUID_LEN];
    ck_assert_msg(sr_store_put_device(s, &gpu, NULL, gpu_uuid, &e) == SR_OK, "%s", e.msg);
    ck_assert_int_eq(sr_store_get_tuned(s, gpu_uuid, "block:4x4", SR_DTYPE_FP32, 256, 256, 256, &got, &e),
                     SR_ERR_NOTFOUND);
    sr_store_close(s);
}
END_TEST

/* Three layers, the last not prunable; dense and 2:4 rows on one device. */
static void views_fixture(void)
{
    sr_err e;
    sr_store *s = fx_open(path);
    sr_network_rec net = {.name = "tiny", .source = "builtin"};
    sr_layer_rec layers[3] = {{"fc1", "linear", 64, 16, 64, 1, 1},
                              {"fc2", "linear", 64, 16, 64, 1, 1},
                              {"head", "linear", 10, 16, 64, 1, 0}};
    char nw[SR_UUID_LEN], nw2[SR_UUID_LEN], dev[SR_UUID_LEN], old[SR_UUID_LEN], run[SR_UUID_LEN];
    ck_assert_msg(sr_store_put_network(s, &net, layers, 3, nw, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_put_network(s, &net, layers, 3, nw2, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(nw, nw2);
    ck_assert_msg(sr_store_find_network(s, "tiny", nw2, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(nw, nw2);
    fx_device(s, "cpu-a", dev);
    /* Ceilings: DRAM 20 GB/s, fp32 100 GFLOP/s. */
    sr_ceilings c;
    fill_ceilings(&c, "cpu-a", 20);
    fx_run(s, "peaks", dev, run);
    ck_assert_msg(sr_store_put_ceilings(s, dev, run, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    /* An older run whose dense fc1 time is superseded. */
    fx_run(s, "bench", dev, old);
    sr_measurement m;
    fx_measurement(&m, "dense", 0, 64, 10);
    memcpy(m.network_uuid, nw, SR_UUID_LEN);
    ck_assert_msg(sr_store_put_measurements(s, &m, 1, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, old, "complete", &e) == SR_OK, "%s", e.msg);
    sqlite3_exec(sr_store_sqlite(s), "UPDATE run SET started_at = '2000-01-01'", NULL, NULL, NULL);
    fx_run(s, "bench", dev, run);
    const double dense[3] = {1, 2, 3}, sparse[3] = {0.5, 1, 0.1};
    for (int l = 0; l < 3; l++) {
        fx_measurement(&m, "dense", 0, 64, dense[l]);
        memcpy(m.network_uuid, nw, SR_UUID_LEN);
        m.layer_index = l;
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
        fx_measurement(&m, "2:4", 0.5, 64, sparse[l]);
        memcpy(m.network_uuid, nw, SR_UUID_LEN);
        m.layer_index = l;
        if (l == 1)
            snprintf(m.bound, sizeof m.bound, "compute");
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    }
    /* A model prediction for fc1 at 2:4 takes precedence over the measured row's. */
    fx_measurement(&m, "2:4", 0.5, 64, NAN);
    m.kind = SR_PREDICTED;
    m.predicted_time_s = 0.2;
    memcpy(m.network_uuid, nw, SR_UUID_LEN);
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    /* unstructured 0.7 only predicted (as `predict` stores it), never measured */
    for (int l = 0; l < 3; l++) {
        fx_measurement(&m, "unstructured", 0.7, 64, NAN);
        m.kind = SR_PREDICTED;
        m.predicted_time_s = 0.3;
        memcpy(m.network_uuid, nw, SR_UUID_LEN);
        m.layer_index = l;
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    }
    /* And a free-shape kernel. */
    fx_measurement(&m, "block:8x8", 0.9, 512, 0.004);
    ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_accuracy_rec acc = {.network = "tiny", .pattern = "2:4", .metric = "top1",
                           .sparsity = 0.5, .value = 69.0, .source = "paper"};
    ck_assert_msg(sr_store_put_accuracy(s, &acc, 1, &e) == SR_OK, "%s", e.msg);
    acc.value = 70.0; /* replaces */
    ck_assert_msg(sr_store_put_accuracy(s, &acc, 1, &e) == SR_OK, "%s", e.msg);
    acc.sparsity = 2;
    ck_assert_int_eq(sr_store_put_accuracy(s, &acc, 1, &e), SR_ERR_ARG);
    sr_store_close(s);
}

START_TEST(test_views)
{
    views_fixture();

    /* dense: 1 + 2 + 3 = 6; 2:4: 0.5 + 1 + 3 (head is not prunable) = 4.5 */
    ck_assert_double_eq_tol(query_double(path, "SELECT measured_dense_s FROM v_network_speedup WHERE pattern = '2:4'"),
                            6, 1e-12);
    ck_assert_double_eq_tol(query_double(path, "SELECT measured_sparse_s FROM v_network_speedup WHERE pattern = '2:4'"),
                            4.5, 1e-12);
    ck_assert_double_eq_tol(query_double(path, "SELECT measured_speedup FROM v_network_speedup "
                                               "WHERE network = 'tiny' AND device = 'cpu-a' AND "
                                               "pattern = '2:4' AND sparsity = 0.5"),
                            6 / 4.5, 1e-12);
    /* predicted: dense 0.5 + 1 + 1.5 = 3; 2:4: 0.2 + 0.5 + 1.5 = 2.2 */
    ck_assert_double_eq_tol(query_double(path, "SELECT predicted_speedup FROM v_network_speedup WHERE pattern = '2:4'"),
                            3 / 2.2, 1e-12);
    ck_assert_int_eq(query_int(path, "SELECT layers * 10 + layers_measured FROM v_network_speedup WHERE pattern = '2:4'"),
                     32);
    /* a pattern only predicted has a predicted speedup and no measured one (not 1) */
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_network_speedup WHERE pattern = 'unstructured' AND "
                                     "predicted_speedup > 1 AND measured_speedup IS NULL AND "
                                     "measured_sparse_s IS NULL AND device_speedup IS NULL AND "
                                     "layers_measured = 0 AND measured_dense_s = 6"),
                     1);
    ck_assert_double_eq_tol(query_double(path, "SELECT accuracy FROM v_sparsity_roofline WHERE "
                                               "metric = 'top1'"),
                            70, 1e-12);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_layer_roofline WHERE kind = "
                                     "'measured'"),
                     7);
    ck_assert_double_eq(query_double(path, "SELECT ceiling_value FROM v_layer_roofline WHERE "
                                           "layer = 0 AND pattern = 'dense' AND measured_time_s = 1"),
                        20);
    ck_assert_double_eq(query_double(path, "SELECT ceiling_value FROM v_layer_roofline WHERE "
                                           "layer = 1 AND pattern = '2:4'"),
                        100);
    ck_assert_double_eq_tol(query_double(path, "SELECT efficiency FROM v_layer_roofline WHERE "
                                               "layer = 2 AND pattern = 'dense'"),
                            0.5, 1e-12);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_kernel"), 1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_kernel WHERE pattern = 'block:8x8' "
                                     "AND gflops > 0"),
                     1);
    ck_assert_double_eq(query_double(path, "SELECT dram_gbps FROM v_device WHERE device = 'cpu-a'"),
                        20);
    ck_assert_double_eq(query_double(path, "SELECT fp32_gflops FROM v_device"), 100);
    ck_assert_double_eq(query_double(path, "SELECT best_time_s FROM v_device_comparison WHERE "
                                           "pattern = 'dense' AND m = 64"),
                        1);
    ck_assert_double_eq(query_double(path, "SELECT peak_gflops FROM v_device_comparison LIMIT 1"),
                        100);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_run WHERE status = 'complete'"), 3);
}
END_TEST

/* Runs every statement of sql (dot commands dropped); returns the rows they gave. */
static int run_script(sqlite3 *db, const char *name, char *sql)
{
    for (char *line = sql; line && *line;) {
        char *next = strchr(line, '\n');
        if (*line == '.')
            memset(line, ' ', next ? (size_t)(next - line) : strlen(line));
        line = next ? next + 1 : NULL;
    }
    int rows = 0;
    for (const char *tail = sql; tail && *tail;) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
        ck_assert_msg(rc == SQLITE_OK, "%s: %s", name, sqlite3_errmsg(db));
        if (!st)
            break;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            rows++;
        ck_assert_msg(rc == SQLITE_DONE, "%s: %s", name, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    return rows;
}

/* The examples in db/queries keep working against the views. */
START_TEST(test_example_queries)
{
    views_fixture();
    static const char *files[] = {"layer_roofline.sql", "network_speedup.sql",
                                  "sparsity_roofline.sql", "device_comparison.sql",
                                  "ceilings.sql", "kernels.sql", "runs.sql"};
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", SR_QUERIES_DIR, files[i]);
        size_t n;
        char *sql = (char *)slurp(p, &n);
        ck_assert_msg(sql != NULL, "cannot read %s", p);
        sql = realloc(sql, n + 1);
        sql[n] = '\0';
        int rows = run_script(db, files[i], sql);
        free(sql);
        ck_assert_msg(rows > 0, "%s gave no rows", files[i]);
    }
    sqlite3_close(db);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("store");
    TCase *tc = tcase_create("records");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_open_fresh);
    tcase_add_test(tc, test_migrations_numbered);
    tcase_add_test(tc, test_migrate_every_version);
    tcase_add_test(tc, test_run_lifecycle);
    tcase_add_test(tc, test_interrupted_and_atomic);
    tcase_add_test(tc, test_ceilings);
    tcase_add_test(tc, test_tuned);
    tcase_add_test(tc, test_views);
    tcase_add_test(tc, test_example_queries);
    suite_add_tcase(su, tc);
    suite_add_tcase(su, tcase_merge());
    suite_add_tcase(su, tcase_fail());
    suite_add_tcase(su, tcase_cli());
    suite_add_tcase(su, tcase_read());
    suite_add_tcase(su, tcase_session());
    suite_add_tcase(su, tcase_model_check());
    return sr_check_run(su);
}
