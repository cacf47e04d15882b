/* The stored runs as `runs` lists them: newest first from the view v_run, filtered by
 * status and count; as cells (for --json, each value with its stored type) or as typed
 * records with the number of runs stored, so that an empty list can say why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* The columns in the order `runs --json` has always printed them. */
enum { RUN, STARTED, STATUS, DEVICE, LINE, ENDED, COMMAND, HOST, PLATFORM, DRIVER, COUNT, MESSAGE };
static const char runs_sql[] =
    "SELECT run, started_at, status, device, command_line, ended_at, command, host, platform, "
    "driver, measurements, message FROM v_run WHERE ?1 IS NULL OR status = ?1 "
    "ORDER BY started_at DESC, run LIMIT ?2";

sr_code sr_store_read_runs(sr_store *s, const sr_run_filter *filter, const sr_row_reader *reader,
                           sr_err *err)
{
    sqlite3_stmt *st;
    sr_code code = store_prepare(s, runs_sql, &st, err);
    if (code != SR_OK)
        return code;
    if (filter && filter->status)
        sqlite3_bind_text(st, 1, filter->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, filter && filter->limit > 0 ? filter->limit : -1);
    code = store_read_statement(s, st, "the runs", reader, err);
    sqlite3_finalize(st);
    return code;
}

static void copy_cell(char *dst, size_t size, const sr_cell *c)
{
    snprintf(dst, size, "%s", c->type == SR_CELL_TEXT ? c->text : "");
}

static char *dup_cell(const sr_cell *c)
{
    return strdup(c->type == SR_CELL_TEXT ? c->text : "");
}

static sr_code no_columns(void *ctx, const char *const *names, int n, sr_err *err)
{
    (void)ctx, (void)names, (void)n, (void)err;
    return SR_OK;
}

/* Appends one row to the list (a reader's row callback), growing it by doubling. */
static sr_code append_run(void *ctx, const sr_cell *c, int n, sr_err *err)
{
    (void)n;
    sr_run_list *out = ctx;
    if (out->n == out->cap) {
        size_t grown = out->cap ? 2 * out->cap : 16;
        sr_run_row *rows = realloc(out->rows, grown * sizeof *rows);
        if (!rows)
            return sr_err_set(err, SR_ERR_NOMEM, "out of memory listing the runs");
        out->rows = rows;
        out->cap = grown;
    }
    sr_run_row *r = &out->rows[out->n++];
    memset(r, 0, sizeof *r);
    copy_cell(r->uuid, sizeof r->uuid, &c[RUN]);
    copy_cell(r->started_at, sizeof r->started_at, &c[STARTED]);
    copy_cell(r->ended_at, sizeof r->ended_at, &c[ENDED]);
    copy_cell(r->status, sizeof r->status, &c[STATUS]);
    copy_cell(r->command, sizeof r->command, &c[COMMAND]);
    copy_cell(r->device, sizeof r->device, &c[DEVICE]);
    copy_cell(r->host, sizeof r->host, &c[HOST]);
    copy_cell(r->platform, sizeof r->platform, &c[PLATFORM]);
    copy_cell(r->driver, sizeof r->driver, &c[DRIVER]);
    r->measurements = c[COUNT].type == SR_CELL_INT ? c[COUNT].i : 0;
    r->command_line = dup_cell(&c[LINE]);
    r->message = dup_cell(&c[MESSAGE]);
    if (!r->command_line || !r->message)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory listing the runs");
    return SR_OK;
}

static sr_code count_runs(sr_store *s, size_t *total, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code code = store_prepare(s, "SELECT count(*) FROM run", &st, err);
    if (code != SR_OK)
        return code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *total = (size_t)sqlite3_column_int64(st, 0);
    else
        code = store_fail(s->db, s->path, rc, err, "counting the runs");
    sqlite3_finalize(st);
    return code;
}

sr_code sr_store_list_runs(sr_store *s, const sr_run_filter *filter, sr_run_list *out,
                           sr_err *err)
{
    memset(out, 0, sizeof *out);
    sr_row_reader collect = {no_columns, append_run, out};
    sr_code code = count_runs(s, &out->total, err);
    if (code == SR_OK)
        code = sr_store_read_runs(s, filter, &collect, err);
    if (code != SR_OK)
        sr_run_list_free(out);
    return code;
}

void sr_run_list_free(sr_run_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++) {
        free(list->rows[i].command_line);
        free(list->rows[i].message);
    }
    free(list->rows);
    memset(list, 0, sizeof *list);
}
