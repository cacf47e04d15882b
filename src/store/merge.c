/* Merging another sparseroof file into this one. Every table is copied row by row with
 * INSERT OR IGNORE on its global key (UUIDs; natural keys for layers, ceilings and
 * accuracy), parents before children, in one transaction: merging the same file twice
 * adds nothing, and a failure adds nothing at all. The source is opened read-only, and one
 * of an older schema is migrated in a private copy first (never in place). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store_internal.h"

typedef struct {
    const char *table;
    size_t offset; /* of its counter in sr_merge_stats */
} table_plan;

/* Parents first, so that foreign keys hold at every insert. */
static const table_plan plan[] = {
    {"host", offsetof(sr_merge_stats, hosts)},
    {"device", offsetof(sr_merge_stats, devices)},
    {"run", offsetof(sr_merge_stats, runs)},
    {"network", offsetof(sr_merge_stats, networks)},
    {"layer", offsetof(sr_merge_stats, layers)},
    {"ceiling", offsetof(sr_merge_stats, ceilings)},
    {"measurement", offsetof(sr_merge_stats, measurements)},
    {"accuracy", offsetof(sr_merge_stats, accuracy)},
    {"tuned", offsetof(sr_merge_stats, tuned)},
    {"calibration", offsetof(sr_merge_stats, calibration)},
};

/* "a, b, c" of the target table's columns, without the local row id; and "?, ?, ?". */
static sr_code column_list(sr_store *s, const char *table, char *cols, size_t size,
                           char *marks, size_t msize, int *n, sr_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, sql, &st, err);
    if (rc != SR_OK)
        return rc;
    size_t len = 0, mlen = 0;
    *n = 0;
    cols[0] = marks[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(name, "id") == 0)
            continue;
        len += (size_t)snprintf(cols + len, size - len, "%s\"%s\"", *n ? ", " : "", name);
        mlen += (size_t)snprintf(marks + mlen, msize - mlen, "%s?", *n ? ", " : "");
        (*n)++;
        if (len >= size || mlen >= msize) {
            rc = sr_err_set(err, SR_ERR_DB, "table %s has too many columns to merge", table);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* A run already here that was still 'running' takes the source's later status. */
static sr_code update_run_status(sr_store *s, sqlite3_stmt *src, sr_err *err)
{
    static const char sql[] =
        "UPDATE run SET status = ?2, ended_at = ?3, message = ?4 WHERE uuid = ?1 AND "
        "status = 'running' AND ?2 <> 'running'";
    int uuid = -1, status = -1, ended = -1, message = -1;
    for (int i = 0; i < sqlite3_column_count(src); i++) {
        const char *c = sqlite3_column_name(src, i);
        if (strcmp(c, "uuid") == 0)
            uuid = i;
        else if (strcmp(c, "status") == 0)
            status = i;
        else if (strcmp(c, "ended_at") == 0)
            ended = i;
        else if (strcmp(c, "message") == 0)
            message = i;
    }
    if (uuid < 0 || status < 0 || ended < 0 || message < 0)
        return sr_err_set(err, SR_ERR_DB, "%s: run table lacks status columns", s->path);
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, sql, &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_value(st, 1, sqlite3_column_value(src, uuid));
    sqlite3_bind_value(st, 2, sqlite3_column_value(src, status));
    sqlite3_bind_value(st, 3, sqlite3_column_value(src, ended));
    sqlite3_bind_value(st, 4, sqlite3_column_value(src, message));
    rc = store_step_done(s, st, "updating a merged run's status", err);
    sqlite3_finalize(st);
    return rc;
}

static sr_code copy_table(sr_store *dst, sr_store *src, const char *table, size_t *added,
                          sr_err *err)
{
    char cols[2048], marks[512], sql[4096];
    int n;
    sr_code rc = column_list(dst, table, cols, sizeof cols, marks, sizeof marks, &n, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_stmt *get, *put;
    snprintf(sql, sizeof sql, "SELECT %s FROM \"%s\"", cols, table);
    if ((rc = store_prepare(src, sql, &get, err)) != SR_OK)
        return rc;
    snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO \"%s\" (%s) VALUES (%s)", table, cols, marks);
    if ((rc = store_prepare(dst, sql, &put, err)) != SR_OK) {
        sqlite3_finalize(get);
        return rc;
    }
    int step;
    while (rc == SR_OK && (step = sqlite3_step(get)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            sqlite3_bind_value(put, i + 1, sqlite3_column_value(get, i));
        rc = store_step_done(dst, put, table, err);
        if (rc != SR_OK)
            break;
        if (sqlite3_changes(dst->db) > 0)
            (*added)++;
        else if (strcmp(table, "run") == 0)
            rc = update_run_status(dst, get, err);
    }
    if (rc == SR_OK && step != SQLITE_DONE)
        rc = store_fail(src->db, src->path, step, err, "reading table %s", table);
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    return rc;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

sr_code sr_store_merge(sr_store *s, const char *source_path, sr_merge_stats *added, sr_err *err)
{
    sr_merge_stats local;
    sr_merge_stats *stats = added ? added : &local;
    memset(stats, 0, sizeof *stats);
    if (!source_path || !*source_path)
        return sr_err_set(err, SR_ERR_ARG, "no file to merge given");
    if (same_file(source_path, s->path))
        return sr_err_set(err, SR_ERR_ARG, "%s is the target database itself; nothing to merge",
                          source_path);
    sr_store *src;
    sr_code rc = sr_store_open(source_path, SR_STORE_READONLY, &src, err);
    if (rc != SR_OK)
        return rc;
    /* One snapshot of the source, in case another process is writing it. */
    rc = store_exec(src, "BEGIN", "reading", err);
    if (rc == SR_OK && (rc = store_tx_begin(s, err)) == SR_OK) {
        for (size_t i = 0; rc == SR_OK && i < sizeof plan / sizeof *plan; i++)
            rc = copy_table(s, src, plan[i].table, (size_t *)((char *)stats + plan[i].offset),
                            err);
        rc = store_tx_end(s, rc, err);
    }
    sr_store_close(src);
    if (rc != SR_OK) {
        memset(stats, 0, sizeof *stats);
        return sr_err_prefix(err, "merging %s into %s (nothing was added)", source_path, s->path);
    }
    return SR_OK;
}
