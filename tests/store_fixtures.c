/* Shared helpers of the store tests (see store_fixtures.h). */
#include "store_fixtures.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tmp_dir(char *out, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, size, "%s/sr_store_XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(out));
}

void tmp_cleanup(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *size = n;
    return buf;
}

int file_is(const char *path, const unsigned char *data, size_t size)
{
    size_t n;
    unsigned char *now = slurp(path, &n);
    int same = now && n == size && memcmp(now, data, size) == 0;
    free(now);
    return same;
}

void write_bytes(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, size, f), size);
    fclose(f);
}

static sqlite3_stmt *query(const char *path, const char *sql, sqlite3 **db)
{
    ck_assert_int_eq(sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(*db, 10000);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(*db, sql, -1, &st, NULL);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(*db));
    rc = sqlite3_step(st);
    ck_assert_msg(rc == SQLITE_ROW, "%s: no row (%s)", sql, sqlite3_errmsg(*db));
    return st;
}

long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st = query(path, sql, &db);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

double query_double(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st = query(path, sql, &db);
    double v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

sr_store *fx_open(const char *path)
{
    sr_store *s = NULL;
    sr_err e;
    ck_assert_msg(sr_store_open(path, 0, &s, &e) == SR_OK, "%s", e.msg);
    return s;
}

void fx_device(sr_store *s, const char *name, char uuid[SR_UUID_LEN])
{
    sr_device_rec d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.type, sizeof d.type, "CPU");
    snprintf(d.platform_name, sizeof d.platform_name, "Portable Computing Language");
    snprintf(d.platform_version, sizeof d.platform_version, "OpenCL 3.0 PoCL 3.1 LLVM 15");
    snprintf(d.driver_version, sizeof d.driver_version, "3.1");
    d.compute_units = 2;
    d.global_mem_bytes = 1ull << 30;
    sr_err e;
    ck_assert_msg(sr_store_put_device(s, &d, NULL, uuid, &e) == SR_OK, "%s", e.msg);
}

void fx_run(sr_store *s, const char *command, const char *device, char uuid[SR_UUID_LEN])
{
    char *argv[] = {"sparseroof", (char *)command, "--shape", "it's 64", NULL};
    sr_run_info info = {.command = command, .argc = 4, .argv = argv, .device_uuid = device};
    sr_err e;
    ck_assert_msg(sr_store_run_begin(s, &info, uuid, &e) == SR_OK, "%s", e.msg);
}

sr_store *fx_begin(const char *path, const char *device, const char *command,
                   char dev[SR_UUID_LEN], char run[SR_UUID_LEN])
{
    sr_store *s = fx_open(path);
    fx_device(s, device, dev);
    fx_run(s, command, dev, run);
    return s;
}

void fx_measurement(sr_measurement *m, const char *pattern, double sparsity, int64_t mk,
                    double time_s)
{
    sr_err e;
    sr_measurement_init(m);
    ck_assert_msg(sr_pattern_parse(pattern, &m->pattern, &e) == SR_OK, "%s", e.msg);
    m->sparsity = sparsity;
    m->m = m->k = mk;
    m->n = 16;
    m->flops = 2.0 * (1 - sparsity) * (double)(mk * mk) * 16;
    m->bytes = 4.0 * (double)(mk * mk + 2 * mk * 16);
    m->ai = m->flops / m->bytes;
    m->predicted_time_s = time_s / 2;
    snprintf(m->bound, sizeof m->bound, "DRAM");
    m->time_median_s = m->time_min_s = m->time_max_s = time_s;
    m->reps = 5;
    m->verified = 1;
    m->max_rel_error = 1e-6;
    snprintf(m->timing_method, sizeof m->timing_method, "events");
}

void fx_layer_rows(sr_store *s, const char *net, sr_measure_kind kind, const char *pattern,
                   double sparsity, const double *t, const double *pred, int n)
{
    sr_err e;
    for (int i = 0; i < n; i++) {
        sr_measurement m;
        fx_measurement(&m, pattern, sparsity, 64, t[i]);
        snprintf(m.network_uuid, sizeof m.network_uuid, "%s", net);
        m.layer_index = i;
        m.kind = kind;
        m.batch = 1;
        m.predicted_time_s = pred ? pred[i] : t[i];
        if (kind == SR_PREDICTED)
            m.time_median_s = m.time_min_s = m.time_max_s = NAN, m.verified = -1;
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    }
}

void fx_populate(const char *path, const char *device, int n)
{
    sr_err e;
    sr_store *s = fx_open(path);
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    fx_device(s, device, dev);
    fx_run(s, "kernel", dev, run);
    for (int i = 0; i < n; i++) {
        sr_measurement m;
        fx_measurement(&m, i % 2 ? "2:4" : "dense", i % 2 ? 0.5 : 0, 64 + i, 1e-3 * (i + 1));
        ck_assert_msg(sr_store_add_measurement(s, &m, &e) == SR_OK, "%s", e.msg);
    }
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
}

void fx_read_into(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

int fx_run_cmd(int (*cmd)(int, char **), char **argv, char *out, size_t out_size, char *errs, size_t errs_size)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    fflush(stdout);
    fflush(stderr);
    FILE *o = tmpfile(), *e = tmpfile();
    ck_assert(o && e);
    int so = dup(1), se = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int code = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    fx_read_into(o, out, out_size);
    fx_read_into(e, errs, errs_size);
    return code;
}
