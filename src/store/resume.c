/* What resuming a run needs: the stored run (its command line taken apart again), the
 * run made current again, and the network rows it has already measured. */
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

sr_code sr_store_get_run(sr_store *s, const char *spec, sr_run_rec *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT uuid, command, command_line, status, COALESCE(device_uuid, '') FROM run "
                               "WHERE uuid = ?1 OR (length(?1) >= 4 AND uuid LIKE ?1 || '%') "
                               "ORDER BY uuid = ?1 DESC LIMIT 2",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, spec, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st), found = 0;
    if (step == SQLITE_ROW) {
        found = 1;
        store_copy_text(out->uuid, sizeof out->uuid, st, 0);
        store_copy_text(out->command, sizeof out->command, st, 1);
        store_copy_text(out->command_line, sizeof out->command_line, st, 2);
        store_copy_text(out->status, sizeof out->status, st, 3);
        store_copy_text(out->device_uuid, sizeof out->device_uuid, st, 4);
        const int exact = strcmp(out->uuid, spec) == 0;
        /* a cut command line would be taken apart into other arguments than the run's */
        const size_t line = (size_t)sqlite3_column_bytes(st, 2);
        step = sqlite3_step(st);
        if (step == SQLITE_ROW && !exact)
            rc = sr_err_set(err, SR_ERR_ARG, "run '%s' is ambiguous in %s: give more of its UUID", spec, s->path);
        else if (line >= sizeof out->command_line)
            rc = sr_err_set(err, SR_ERR_UNSUPPORTED,
                            "run %s in %s: its command line of %zu bytes is longer than the %zu this build reads "
                            "back",
                            out->uuid, s->path, line, sizeof out->command_line - 1);
    }
    if (rc == SR_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = store_fail(s->db, s->path, step, err, "reading run %s", spec);
    else if (rc == SR_OK && !found)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no run '%s' in %s ('sparseroof runs' lists them)", spec, s->path);
    sqlite3_finalize(st);
    return rc;
}

/* One shell word of a line quoted as run.c's command_line() quotes: plain characters, or
 * '...' with ' written as '\''. Returns the end of the word, NULL if malformed. */
static const char *unquote_word(const char *p, char *out)
{
    while (*p && *p != ' ') {
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                *out++ = *p;
            if (*p != '\'')
                return NULL;
            p++;
        } else if (*p == '\\' && p[1]) {
            *out++ = p[1];
            p += 2;
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
    return p;
}

sr_code sr_store_split_command_line(const char *line, int *argc, char ***argv, sr_err *err)
{
    const size_t len = strlen(line);
    /* one block: the pointers, then the words (each shorter than the line) */
    const size_t max_words = len / 2 + 2;
    char **v = malloc(max_words * sizeof *v + 2 * len + 2);
    if (!v)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading a command line");
    char *buf = (char *)(v + max_words);
    int n = 0;
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = unquote_word(p, buf);
        if (!end) {
            free(v);
            return sr_err_set(err, SR_ERR_FORMAT, "stored command line is damaged: %s", line);
        }
        v[n++] = buf;
        buf += strlen(buf) + 1;
        p = end;
    }
    v[n] = NULL;
    *argc = n;
    *argv = v;
    return SR_OK;
}

sr_code sr_store_run_resume(sr_store *s, const char *run_uuid, sr_err *err)
{
    sqlite3_stmt *st;
    char started[128];
    sr_host_process_start((long)getpid(), started, sizeof started);
    sr_code rc = store_tx_begin(s, err);
    if (rc == SR_OK)
        rc = store_prepare(s,
                           "UPDATE run SET status = 'running', ended_at = NULL, message = NULL, pid = ?2, "
                           "process_start = ?3 WHERE uuid = ?1 AND status <> 'running'",
                           &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)getpid());
        store_bind_text(st, 3, started);
        rc = store_step_done(s, st, "resuming the run", err);
        sqlite3_finalize(st);
        if (rc == SR_OK && sqlite3_changes(s->db) != 1)
            rc = sr_err_set(err, SR_ERR_ARG, "run %s cannot be resumed: it is still running (or gone)", run_uuid);
    }
    rc = store_tx_end(s, rc, err);
    if (rc == SR_OK) {
        sr_run_rec r;
        rc = sr_store_get_run(s, run_uuid, &r, err);
        snprintf(s->run, sizeof s->run, "%s", run_uuid);
        snprintf(s->run_device, sizeof s->run_device, "%s", r.device_uuid);
    }
    return rc;
}

static void fill_layer_row(sqlite3_stmt *st, void *row)
{
    sr_layer_row *r = row;
    r->layer_index = sqlite3_column_int(st, 0);
    store_copy_text(r->pattern, sizeof r->pattern, st, 1);
    r->sparsity = sqlite3_column_double(st, 2);
    r->time_s = store_column_double(st, 3);
    r->predicted_s = store_column_double(st, 4);
    store_copy_text(r->bound, sizeof r->bound, st, 5);
    r->flops = store_column_double(st, 6);
    r->bytes = store_column_double(st, 7);
    r->verified = sqlite3_column_int(st, 8);
    r->device_s = store_column_double(st, 9);
}

sr_code sr_store_run_layer_rows(sr_store *s, const char *run_uuid, sr_layer_row **rows, size_t *n, sr_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT layer_idx, pattern, sparsity, time_median_s, predicted_time_s, "
                               "COALESCE(bound, ''), flops, bytes, verified, device_time_s FROM measurement "
                               "WHERE run_uuid = ?1 AND kind = 'measured' AND network_uuid IS NOT NULL "
                               "ORDER BY id",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **rows, fill_layer_row, (void **)rows, n, "the run's layer rows", err);
}
