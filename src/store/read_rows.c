/* Every row of one view or table, cell by cell with the type SQLite holds it in: what
 * `export` writes. The name must be one of the schema's own views or tables (looked up in
 * sqlite_master) before it goes into SQL, so no text from outside reaches a query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static const char names_sql[] =
    "SELECT name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' "
    "ORDER BY type = 'table', name";

sr_code sr_store_names(sr_store *s, char *buf, size_t size, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code code = store_prepare(s, names_sql, &st, err);
    if (code != SR_OK)
        return code;
    size_t len = 0;
    int rc;
    if (size)
        buf[0] = '\0';
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len >= size)
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                         (const char *)sqlite3_column_text(st, 0));
        len += n > 0 ? (size_t)n : 0;
    }
    if (rc != SQLITE_DONE)
        code = store_fail(s->db, s->path, rc, err, "listing views and tables");
    sqlite3_finalize(st);
    return code;
}

/* SR_OK if name is a view or table of the schema; SR_ERR_NOTFOUND listing them if not. */
static sr_code check_name(sr_store *s, const char *name, sr_err *err)
{
    sqlite3_stmt *st;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s) WHERE name = ?1", names_sql);
    sr_code code = store_prepare(s, sql, &st, err);
    if (code != SR_OK)
        return code;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), found = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    if (rc != SQLITE_ROW)
        code = store_fail(s->db, s->path, rc, err, "looking up '%s'", name);
    sqlite3_finalize(st);
    if (code != SR_OK || found)
        return code;
    char names[2048];
    if ((code = sr_store_names(s, names, sizeof names, err)) != SR_OK)
        return code;
    return sr_err_set(err, SR_ERR_NOTFOUND, "no view or table '%s' in %s; there are: %s", name,
                      s->path, names);
}

static void read_cell(sqlite3_stmt *st, int i, sr_cell *c)
{
    memset(c, 0, sizeof *c);
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        c->type = SR_CELL_INT;
        c->i = sqlite3_column_int64(st, i);
        break;
    case SQLITE_FLOAT:
        c->type = SR_CELL_REAL;
        c->r = sqlite3_column_double(st, i);
        break;
    case SQLITE_TEXT:
        c->type = SR_CELL_TEXT;
        c->text = (const char *)sqlite3_column_text(st, i);
        c->len = (size_t)sqlite3_column_bytes(st, i);
        break;
    case SQLITE_BLOB:
        c->type = SR_CELL_BLOB;
        c->blob = sqlite3_column_blob(st, i);
        c->len = (size_t)sqlite3_column_bytes(st, i);
        break;
    default:
        c->type = SR_CELL_NULL;
    }
}

sr_code store_read_statement(sr_store *s, sqlite3_stmt *st, const char *name,
                             const sr_row_reader *r, sr_err *err)
{
    int cols = sqlite3_column_count(st), rc = SQLITE_DONE;
    const char **names = calloc((size_t)cols + 1, sizeof *names);
    sr_cell *cells = calloc((size_t)cols + 1, sizeof *cells);
    sr_code code = SR_OK;
    if (!names || !cells)
        code = sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", name);
    for (int i = 0; code == SR_OK && i < cols; i++)
        names[i] = sqlite3_column_name(st, i);
    if (code == SR_OK)
        code = r->columns(r->ctx, names, cols, err);
    while (code == SR_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < cols; i++)
            read_cell(st, i, &cells[i]);
        code = r->row(r->ctx, cells, cols, err);
    }
    if (code == SR_OK && rc != SQLITE_DONE)
        code = store_fail(s->db, s->path, rc, err, "reading the rows of %s", name);
    free(names);
    free(cells);
    return code;
}

sr_code sr_store_read_rows(sr_store *s, const char *name, const sr_row_reader *reader,
                           sr_err *err)
{
    name = name ? name : "";
    sr_code code = check_name(s, name, err);
    if (code != SR_OK)
        return code;
    /* %w doubles any '"': the name is the schema's own, and quoted as an identifier. */
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
    if (!sql)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", name);
    sqlite3_stmt *st;
    code = store_prepare(s, sql, &st, err);
    sqlite3_free(sql);
    if (code != SR_OK)
        return code;
    code = store_read_statement(s, st, name, reader, err);
    sqlite3_finalize(st);
    return code;
}
