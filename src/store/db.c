/* The store's plumbing: SQLite errors in words, nested write transactions, binding with
 * the record conventions ("" and NAN are NULL), data type names. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_internal.h"

static const char *rc_name(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_ERROR: return "SQLITE_ERROR";
    case SQLITE_PERM: return "SQLITE_PERM";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE";
    }
}

/* Why a database cannot be written: its -wal or -shm file may belong to another user
 * (left by someone who only read it), which blocks writing as much as the file's own
 * permissions do. */
static const char *readonly_why(const char *path)
{
    static char buf[9000];
    const char *ext[] = {"-wal", "-shm"};
    for (int i = 0; path && i < 2; i++) {
        char side[4200];
        snprintf(side, sizeof side, "%s%s", path, ext[i]);
        struct stat st;
        if (stat(side, &st) == 0 && access(side, W_OK) != 0) {
            snprintf(buf, sizeof buf,
                     "the database is read-only for this user: %s (user id %u) cannot be written; it was "
                     "left by another user who read the database. Remove %s-wal and %s-shm when no one "
                     "uses the database, or ask their owner to",
                     side, (unsigned)st.st_uid, path, path);
            return buf;
        }
    }
    return "the database is read-only: check the permissions of the file and its directory";
}

sr_code store_fail(sqlite3 *db, const char *path, int rc, sr_err *err, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *why;
    sr_code code = SR_ERR_DB;
    int sys = db ? sqlite3_system_errno(db) : 0;
    const char *detail = db ? sqlite3_errmsg(db) : NULL;
    if ((rc & 0xff) == SQLITE_IOERR && sys == ENOSPC) {
        rc = SQLITE_FULL; /* what SQLite reports for a full disk depends on the file */
        detail = NULL;
    }
    switch (rc & 0xff) {
    case SQLITE_FULL:
        why = "the disk (or the database's size limit) is full; nothing of this step was written";
        code = SR_ERR_IO;
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        why = readonly_why(path);
        code = SR_ERR_IO;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        why = "another process kept the database locked for too long";
        break;
    case SQLITE_NOTADB:
        why = "the file is not a SQLite database";
        code = SR_ERR_FORMAT;
        break;
    case SQLITE_CORRUPT:
        why = "the database file is corrupt";
        code = SR_ERR_FORMAT;
        break;
    case SQLITE_CANTOPEN:
        why = sys ? strerror(sys) : "the file cannot be opened";
        code = SR_ERR_IO;
        break;
    case SQLITE_IOERR:
        why = sys ? strerror(sys) : "an I/O error";
        code = SR_ERR_IO;
        break;
    case SQLITE_NOMEM:
        why = "out of memory";
        code = SR_ERR_NOMEM;
        break;
    default:
        why = sqlite3_errstr(rc);
    }
    if (detail && strcmp(detail, sqlite3_errstr(rc)) != 0 && strcmp(detail, why) != 0)
        return sr_err_set(err, code, "%s: %s: %s (%s: %s)", path, what, why, rc_name(rc),
                          detail);
    return sr_err_set(err, code, "%s: %s: %s (%s)", path, what, why, rc_name(rc));
}

sr_code store_exec(sr_store *s, const char *sql, const char *what, sr_err *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_fail(s->db, s->path, rc, err, "%s", what);
    return SR_OK;
}

sr_code store_prepare(sr_store *s, const char *sql, sqlite3_stmt **st, sr_err *err)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return store_fail(s->db, s->path, rc, err, "preparing \"%.60s...\"", sql);
    }
    return SR_OK;
}

sr_code store_tx_begin(sr_store *s, sr_err *err)
{
    if (s->readonly)
        return sr_err_set(err, SR_ERR_ARG, "%s: opened read-only, cannot write", s->path);
    sr_code rc = store_exec(s, s->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT sr_tx",
                            "starting a write transaction", err);
    if (rc == SR_OK)
        s->tx_depth++;
    return rc;
}

sr_code store_tx_commit(sr_store *s, sr_err *err)
{
    sr_code rc = store_exec(s, s->tx_depth == 1 ? "COMMIT" : "RELEASE sr_tx",
                            "committing", err);
    if (rc != SR_OK) {
        store_tx_rollback(s);
        return rc;
    }
    s->tx_depth--;
    return SR_OK;
}

void store_tx_rollback(sr_store *s)
{
    if (s->tx_depth <= 0)
        return;
    /* After some errors (a full disk) SQLite has already rolled the transaction back. */
    if (s->tx_depth == 1) {
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    } else if (!sqlite3_get_autocommit(s->db)) {
        sqlite3_exec(s->db, "ROLLBACK TO sr_tx; RELEASE sr_tx", NULL, NULL, NULL);
    }
    s->tx_depth--;
}

sr_code store_tx_end(sr_store *s, sr_code rc, sr_err *err)
{
    if (rc != SR_OK) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s, err);
}

void store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text && *text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void store_bind_double(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

void store_bind_int_pos(sqlite3_stmt *st, int i, int64_t v)
{
    if (v > 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

void store_copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

double store_column_double(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

sr_code store_step_done(sr_store *s, sqlite3_stmt *st, const char *what, sr_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(s->db, s->path, rc, err, "%s", what);
    return SR_OK;
}

sr_code store_read_all(sr_store *s, sqlite3_stmt *st, size_t size, store_row_fill fill, void **out, size_t *n,
                       const char *what, sr_err *err)
{
    char *rows = NULL;
    size_t count = 0, cap = 0;
    sr_code rc = SR_OK;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 32;
            char *r = realloc(rows, cap * size);
            if (!r) {
                rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", what);
                break;
            }
            rows = r;
        }
        memset(rows + count * size, 0, size);
        fill(st, rows + count * size);
        count++;
    }
    if (rc == SR_OK && step != SQLITE_DONE)
        rc = store_fail(s->db, s->path, step, err, "reading %s", what);
    sqlite3_finalize(st);
    if (rc != SR_OK) {
        free(rows);
        rows = NULL;
        count = 0;
    }
    *out = rows;
    *n = count;
    return rc;
}
