/* What the store's files share: the handle, transactions, error translation, binding
 * helpers and UUIDs. Not part of the public API (store.h). */
#ifndef SR_STORE_INTERNAL_H
#define SR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

struct sr_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int tx_depth;                      /* nesting of store_tx_begin */
    char run[SR_UUID_LEN];             /* current run ("" if none) */
    char run_device[SR_UUID_LEN];      /* its device ("" if none) */
    sr_measurement *pending;
    size_t n_pending, cap_pending;
};

/* The SQLite handle, for tests that look at the file behind the store's back. */
sqlite3 *sr_store_sqlite(sr_store *s);

/* Translates a SQLite failure into err: "<path>: <what>: <why> (SQLITE_...)", with a
 * plain explanation for a full disk, a read-only file, a lock held too long, a file that
 * is not a database. Returns the sr_code it chose. */
sr_code store_fail(sqlite3 *db, const char *path, int rc, sr_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Write transactions: the outermost is BEGIN IMMEDIATE (so a second writer waits for the
 * lock instead of failing), inner ones are savepoints. rollback never fails. */
sr_code store_tx_begin(sr_store *s, sr_err *err);
sr_code store_tx_commit(sr_store *s, sr_err *err);
void store_tx_rollback(sr_store *s);
/* Ends the transaction store_tx_begin opened: commits if rc is SR_OK, else rolls back.
 * Returns rc, or the commit's failure. */
sr_code store_tx_end(sr_store *s, sr_code rc, sr_err *err);

/* Runs SQL without results; on failure fills err with `what`. */
sr_code store_exec(sr_store *s, const char *sql, const char *what, sr_err *err);
sr_code store_prepare(sr_store *s, const char *sql, sqlite3_stmt **st, sr_err *err);

/* Binding with the record conventions: "" and NAN become NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *text);
void store_bind_double(sqlite3_stmt *st, int i, double v);
void store_bind_int_pos(sqlite3_stmt *st, int i, int64_t v); /* <= 0 becomes NULL */
void store_copy_text(char *dst, size_t size, sqlite3_stmt *st, int col);
double store_column_double(sqlite3_stmt *st, int col); /* NULL -> NAN */

/* Steps a write statement to completion, resets it; err names `what`. */
sr_code store_step_done(sr_store *s, sqlite3_stmt *st, const char *what, sr_err *err);

/* Hands a prepared statement's column names, then each of its rows, to the reader
 * (read_rows.c); err names `what` was read. Does not finalize st. */
sr_code store_read_statement(sr_store *s, sqlite3_stmt *st, const char *what,
                             const sr_row_reader *r, sr_err *err);

/* Pending measurements of one run: written inside the caller's transaction, dropped. */
sr_code store_write_pending(sr_store *s, const char *run_uuid, sr_err *err);
void store_drop_pending(sr_store *s, const char *run_uuid);

/* A random (version 4) UUID. */
void store_uuid_random(char out[SR_UUID_LEN]);
/* A UUID derived from the given strings (version 8, stable across machines). */
void store_uuid_derive(char out[SR_UUID_LEN], const char *const *parts, size_t n);
int store_uuid_valid(const char *text);

/* Fills one row of an array from the statement's current row (the row is zeroed first). */
typedef void (*store_row_fill)(sqlite3_stmt *st, void *row);

/* Steps st (bound already; finalized here) into a malloc'ed array of elements of `size`
 * bytes; *n rows. On failure *out is NULL and err names `what`. */
sr_code store_read_all(sr_store *s, sqlite3_stmt *st, size_t size, store_row_fill fill, void **out, size_t *n,
                       const char *what, sr_err *err);

/* Current time, 'YYYY-MM-DDTHH:MM:SS.SSSZ' (UTC). */
void store_now(char out[32]);

#endif
