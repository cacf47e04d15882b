/* The store's typed reads (src/store/read_runs.c, read_rows.c): the run listing with its
 * filters, and the row reader behind `export` with its check of the name. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixtures.h"

TCase *tcase_read(void);

static char dir[4096], path[4200];

/* A reader that copies what it is handed. */
enum { MAXC = 64, MAXR = 8 };
typedef struct {
    char names[MAXC][64];
    int cols, rows;
    sr_cell_type types[MAXR][MAXC];
    long long ints[MAXR][MAXC];
    double reals[MAXR][MAXC];
    char texts[MAXR][MAXC][64];
    int stop_after; /* > 0: SR_ERR_IO at that row */
} copy;

static sr_code copy_columns(void *ctx, const char *const *names, int n, sr_err *err)
{
    (void)err;
    copy *c = ctx;
    c->cols = n;
    for (int i = 0; i < n && i < MAXC; i++)
        snprintf(c->names[i], sizeof c->names[i], "%s", names[i]);
    return SR_OK;
}

static sr_code copy_row(void *ctx, const sr_cell *cells, int n, sr_err *err)
{
    copy *c = ctx;
    if (c->stop_after && c->rows == c->stop_after)
        return sr_err_set(err, SR_ERR_IO, "stopped by the reader");
    for (int i = 0; i < n && i < MAXC && c->rows < MAXR; i++) {
        c->types[c->rows][i] = cells[i].type;
        c->ints[c->rows][i] = cells[i].i;
        c->reals[c->rows][i] = cells[i].r;
        if (cells[i].type == SR_CELL_TEXT) {
            ck_assert_uint_eq(strlen(cells[i].text), cells[i].len);
            snprintf(c->texts[c->rows][i], 64, "%s", cells[i].text);
        }
    }
    c->rows++;
    return SR_OK;
}

static int column(const copy *c, const char *name)
{
    for (int i = 0; i < c->cols && i < MAXC; i++)
        if (strcmp(c->names[i], name) == 0)
            return i;
    ck_abort_msg("no column %s", name);
    return -1;
}

static copy c; /* what the reader r was handed */
static const sr_row_reader r = {copy_columns, copy_row, &c};

static void setup(void)
{
    memset(&c, 0, sizeof c);
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sr.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

/* Three runs, oldest first: complete (2 rows), failed with a message, still running. */
static sr_store *three_runs(char runs[3][SR_UUID_LEN])
{
    sr_err e;
    char dev[SR_UUID_LEN];
    sr_store *s = fx_begin(path, "cpu-r", "kernel", dev, runs[0]);
    for (int i = 0; i < 2; i++) {
        sr_measurement m;
        fx_measurement(&m, "dense", 0, 64 + i, 1e-3);
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    }
    ck_assert_msg(sr_store_run_end(s, runs[0], "complete", &e) == SR_OK, "%s", e.msg);
    fx_run(s, "tune", dev, runs[1]);
    ck_assert(sr_store_run_set_message(s, runs[1], "no device", &e) == SR_OK);
    ck_assert(sr_store_run_end(s, runs[1], "failed", &e) == SR_OK);
    fx_run(s, "peaks", NULL, runs[2]);
    /* Start times a second apart, so that newest first is one order. */
    for (int i = 0; i < 3; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE run SET started_at = '2024-01-01T00:00:0%d.000Z' "
                                  "WHERE uuid = '%s'", i, runs[i]);
        ck_assert_int_eq(sqlite3_exec(sr_store_sqlite(s), sql, NULL, NULL, NULL), SQLITE_OK);
    }
    return s;
}

START_TEST(test_list_runs)
{
    char runs[3][SR_UUID_LEN];
    sr_store *s = three_runs(runs);
    sr_run_list l;
    sr_err e;
    ck_assert_msg(sr_store_list_runs(s, NULL, &l, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_uint_eq(l.total, 3);
    ck_assert_str_eq(l.rows[0].uuid, runs[2]);
    ck_assert_str_eq(l.rows[0].status, "running");
    ck_assert_str_eq(l.rows[0].ended_at, "");
    ck_assert_str_eq(l.rows[0].device, "");
    ck_assert_str_eq(l.rows[0].command, "peaks");
    ck_assert_str_eq(l.rows[1].status, "failed");
    ck_assert_str_eq(l.rows[1].message, "no device");
    ck_assert_str_eq(l.rows[2].uuid, runs[0]);
    ck_assert_str_eq(l.rows[2].device, "cpu-r");
    ck_assert_int_eq(l.rows[2].measurements, 2);
    ck_assert_str_ne(l.rows[2].ended_at, "");
    ck_assert_str_eq(l.rows[2].message, "");
    ck_assert_str_eq(l.rows[2].command_line, "sparseroof kernel --shape 'it'\\''s 64'");
    sr_run_list_free(&l);
    sr_run_list_free(&l); /* emptied: freeing again is harmless */

    sr_run_filter newest = {.limit = 2};
    ck_assert(sr_store_list_runs(s, &newest, &l, &e) == SR_OK);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.rows[1].uuid, runs[1]);
    sr_run_list_free(&l);

    sr_run_filter failed = {.status = "failed"};
    ck_assert(sr_store_list_runs(s, &failed, &l, &e) == SR_OK);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.rows[0].uuid, runs[1]);
    sr_run_list_free(&l);

    sr_run_filter interrupted = {.status = "interrupted", .limit = 1};
    ck_assert(sr_store_list_runs(s, &interrupted, &l, &e) == SR_OK);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_uint_eq(l.total, 3); /* says why the list is empty */
    sr_run_list_free(&l);
    sr_store_close(s);
}
END_TEST

START_TEST(test_read_runs_cells)
{
    char runs[3][SR_UUID_LEN];
    sr_store *s = three_runs(runs);
    sr_err e;
    sr_run_filter oldest_two = {.limit = 2, .status = NULL};
    ck_assert_msg(sr_store_read_runs(s, &oldest_two, &r, &e) == SR_OK, "%s", e.msg);
    static const char *cols[] = {"run", "started_at", "status", "device", "command_line",
                                 "ended_at", "command", "host", "platform", "driver",
                                 "measurements", "message"};
    ck_assert_int_eq(c.cols, 12);
    for (int i = 0; i < 12; i++)
        ck_assert_str_eq(c.names[i], cols[i]);
    ck_assert_int_eq(c.rows, 2);
    ck_assert_str_eq(c.texts[0][0], runs[2]);
    ck_assert_int_eq(c.types[0][5], SR_CELL_NULL); /* still running: no end */
    ck_assert_int_eq(c.types[1][10], SR_CELL_INT);
    ck_assert_int_eq(c.types[1][11], SR_CELL_TEXT);
    ck_assert_str_eq(c.texts[1][11], "no device");
    sr_store_close(s);
}
END_TEST

START_TEST(test_read_rows_typed)
{
    char runs[3][SR_UUID_LEN];
    sr_store *s = three_runs(runs);
    sr_err e;
    ck_assert_msg(sr_store_read_rows(s, "measurement", &r, &e) == SR_OK, "%s", e.msg);
    ck_assert_int_eq(c.rows, 2);
    int m = column(&c, "m"), sp = column(&c, "time_median_s"), pat = column(&c, "pattern"),
        layer = column(&c, "layer_idx");
    ck_assert_int_eq(c.types[0][m], SR_CELL_INT);
    ck_assert_int_eq(c.ints[0][m] + c.ints[1][m], 64 + 65);
    ck_assert_int_eq(c.types[0][sp], SR_CELL_REAL);
    ck_assert_double_eq_tol(c.reals[0][sp], 1e-3, 1e-15);
    ck_assert_int_eq(c.types[0][pat], SR_CELL_TEXT);
    ck_assert_str_eq(c.texts[0][pat], "dense");
    ck_assert_int_eq(c.types[0][layer], SR_CELL_NULL); /* a free shape */

    /* A view with no rows still names its columns. */
    memset(&c, 0, sizeof c);
    ck_assert(sr_store_read_rows(s, "accuracy", &r, &e) == SR_OK);
    ck_assert_int_eq(c.rows, 0);
    ck_assert_int_gt(c.cols, 3);
    column(&c, "metric");

    /* The reader's own failure stops the read and comes back. */
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    ck_assert_int_eq(sr_store_read_rows(s, "v_run", &r, &e), SR_ERR_IO);
    ck_assert_str_eq(e.msg, "stopped by the reader");
    ck_assert_int_eq(c.rows, 1);
    sr_store_close(s);
}
END_TEST

START_TEST(test_read_rows_refuses_names)
{
    char runs[3][SR_UUID_LEN];
    sr_store *s = three_runs(runs);
    sr_err e;
    static const char *bad[] = {"v_nope", "run; DROP TABLE run", "run\" WHERE 0 --",
                                "sqlite_master", "", "V_RUN x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(sr_store_read_rows(s, bad[i], &r, &e), SR_ERR_NOTFOUND);
        char want[4400];
        snprintf(want, sizeof want, "no view or table '%s' in %s", bad[i], path);
        ck_assert_msg(strstr(e.msg, want), "%s", e.msg);
        ck_assert_msg(strstr(e.msg, "there are: v_"), "%s", e.msg); /* what exists */
        ck_assert_int_eq(c.cols, 0); /* nothing was handed over */
    }
    ck_assert_int_eq(sr_store_read_rows(s, NULL, &r, &e), SR_ERR_NOTFOUND);
    sr_store_close(s);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run"), 3);

    char names[4096];
    s = fx_open(path);
    ck_assert(sr_store_names(s, names, sizeof names, &e) == SR_OK);
    ck_assert_msg(strncmp(names, "v_", 2) == 0 && strstr(names, ", run"), "%s", names);
    ck_assert_ptr_null(strstr(names, "sqlite_"));
    ck_assert(sr_store_names(s, names, 8, &e) == SR_OK); /* truncated, terminated */
    ck_assert_uint_lt(strlen(names), 8);
    sr_store_close(s);
}
END_TEST

TCase *tcase_read(void)
{
    TCase *tc = tcase_create("read");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_list_runs);
    tcase_add_test(tc, test_read_runs_cells);
    tcase_add_test(tc, test_read_rows_typed);
    tcase_add_test(tc, test_read_rows_refuses_names);
    return tc;
}
