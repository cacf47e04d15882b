/* Measurements and predictions: checked, then written a set at a time in one transaction
 * (directly, or kept pending in memory until the set is complete), so an interrupted or
 * killed process never leaves part of a set behind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

void sr_measurement_init(sr_measurement *m)
{
    memset(m, 0, sizeof *m);
    m->flops = m->bytes = m->ai = m->predicted_time_s = NAN;
    m->time_median_s = m->time_min_s = m->time_max_s = NAN;
    m->max_rel_error = m->build_time_s = m->efficiency = m->layout_bytes = m->device_time_s = NAN;
    m->verified = -1;
    m->nnz = -1;
}

/* Fills the run and device a row leaves empty and checks what the schema would refuse
 * less clearly. */
static sr_code resolve(sr_store *s, const sr_measurement *in, sr_measurement *out, sr_err *err)
{
    *out = *in;
    if (!out->run_uuid[0]) {
        if (!s->run[0])
            return sr_err_set(err, SR_ERR_ARG, "a measurement needs a run: none was begun");
        memcpy(out->run_uuid, s->run, sizeof out->run_uuid);
    }
    if (!out->device_uuid[0]) {
        if (strcmp(out->run_uuid, s->run) != 0 || !s->run_device[0])
            return sr_err_set(err, SR_ERR_ARG, "measurement of run %s names no device",
                              out->run_uuid);
        memcpy(out->device_uuid, s->run_device, sizeof out->device_uuid);
    }
    if (!(out->sparsity >= 0 && out->sparsity <= 1))
        return sr_err_set(err, SR_ERR_ARG, "measurement sparsity %g is not within [0, 1]",
                          out->sparsity);
    if (out->m <= 0 || out->k <= 0 || out->n <= 0)
        return sr_err_set(err, SR_ERR_ARG, "measurement shape %lld x %lld x %lld is not positive",
                          (long long)out->m, (long long)out->k, (long long)out->n);
    if (out->network_uuid[0] && out->layer_index < 0)
        return sr_err_set(err, SR_ERR_ARG, "measurement of network %s has layer index %d",
                          out->network_uuid, out->layer_index);
    if (out->timing_method[0] && strcmp(out->timing_method, "events") != 0 &&
        strcmp(out->timing_method, "wallclock") != 0)
        return sr_err_set(err, SR_ERR_ARG,
                          "timing method '%s' is neither 'events' nor 'wallclock'",
                          out->timing_method);
    return SR_OK;
}

static const char insert_sql[] =
    "INSERT INTO measurement (uuid, run_uuid, device_uuid, network_uuid, layer_idx, kind, "
    "pattern, block_rows, block_cols, nm_n, nm_m, sparsity, dtype, m, k, n, groups, batch, nnz, "
    "flops, bytes, ai, predicted_time_s, bound, time_median_s, time_min_s, time_max_s, reps, "
    "verified, max_rel_error, timing_method, build_time_s, params, efficiency, layout_bytes, "
    "rows_checked, device_time_s, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38)";

static void bind_row(sqlite3_stmt *st, const sr_measurement *r, const char *uuid,
                     const char *now)
{
    char pattern[SR_NAME_MAX];
    sr_pattern_name(&r->pattern, pattern, sizeof pattern);
    int block = r->pattern.kind == SR_PAT_BLOCK, nm = r->pattern.kind == SR_PAT_NM;
    int i = 1;
    sqlite3_bind_text(st, i++, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, r->run_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, r->device_uuid, -1, SQLITE_TRANSIENT);
    store_bind_text(st, i++, r->network_uuid);
    if (r->network_uuid[0])
        sqlite3_bind_int(st, i++, r->layer_index);
    else
        sqlite3_bind_null(st, i++);
    sqlite3_bind_text(st, i++, r->kind == SR_PREDICTED ? "predicted" : "measured", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, i++, pattern, -1, SQLITE_TRANSIENT);
    store_bind_int_pos(st, i++, block ? r->pattern.br : 0);
    store_bind_int_pos(st, i++, block ? r->pattern.bc : 0);
    store_bind_int_pos(st, i++, nm ? r->pattern.n : 0);
    store_bind_int_pos(st, i++, nm ? r->pattern.m : 0);
    sqlite3_bind_double(st, i++, r->sparsity);
    sqlite3_bind_text(st, i++, sr_dtype_name(r->dtype), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, i++, r->m);
    sqlite3_bind_int64(st, i++, r->k);
    sqlite3_bind_int64(st, i++, r->n);
    sqlite3_bind_int(st, i++, r->groups > 0 ? r->groups : 1);
    store_bind_int_pos(st, i++, r->batch);
    if (r->nnz >= 0)
        sqlite3_bind_int64(st, i++, r->nnz);
    else
        sqlite3_bind_null(st, i++);
    store_bind_double(st, i++, r->flops);
    store_bind_double(st, i++, r->bytes);
    store_bind_double(st, i++, r->ai);
    store_bind_double(st, i++, r->predicted_time_s);
    store_bind_text(st, i++, r->bound);
    store_bind_double(st, i++, r->time_median_s);
    store_bind_double(st, i++, r->time_min_s);
    store_bind_double(st, i++, r->time_max_s);
    store_bind_int_pos(st, i++, r->reps);
    if (r->verified >= 0)
        sqlite3_bind_int(st, i++, r->verified != 0);
    else
        sqlite3_bind_null(st, i++);
    store_bind_double(st, i++, r->max_rel_error);
    store_bind_text(st, i++, r->timing_method);
    store_bind_double(st, i++, r->build_time_s);
    store_bind_text(st, i++, r->params);
    store_bind_double(st, i++, r->efficiency);
    store_bind_double(st, i++, r->layout_bytes);
    if (r->rows_checked > 0)
        sqlite3_bind_int64(st, i++, r->rows_checked);
    else
        sqlite3_bind_null(st, i++);
    store_bind_double(st, i++, r->device_time_s);
    sqlite3_bind_text(st, i, now, -1, SQLITE_TRANSIENT);
}

/* Inserts rows inside the caller's transaction; resolve_rows: rows still need resolve(). */
static sr_code insert_rows(sr_store *s, const sr_measurement *rows, size_t n, int resolve_rows,
                           const char *only_run, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, insert_sql, &st, err);
    char now[32], uuid[SR_UUID_LEN];
    store_now(now);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        sr_measurement r;
        if (only_run && strcmp(rows[i].run_uuid, only_run) != 0)
            continue;
        if (resolve_rows && (rc = resolve(s, &rows[i], &r, err)) != SR_OK)
            break;
        store_uuid_random(uuid);
        bind_row(st, resolve_rows ? &r : &rows[i], uuid, now);
        rc = store_step_done(s, st, "writing a measurement", err);
    }
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_measurements(sr_store *s, const sr_measurement *rows, size_t n, sr_err *err)
{
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    rc = insert_rows(s, rows, n, 1, NULL, err);
    if (rc != SR_OK && n > 1)
        sr_err_prefix(err, "none of the %zu measurements was stored", n);
    return store_tx_end(s, rc, err);
}

sr_code sr_store_add_measurement(sr_store *s, const sr_measurement *row, sr_err *err)
{
    sr_measurement r;
    sr_code rc = resolve(s, row, &r, err);
    if (rc != SR_OK)
        return rc;
    if (s->n_pending == s->cap_pending) {
        size_t cap = s->cap_pending ? 2 * s->cap_pending : 16;
        sr_measurement *p = realloc(s->pending, cap * sizeof *p);
        if (!p)
            return sr_err_set(err, SR_ERR_NOMEM, "out of memory keeping a measurement");
        s->pending = p;
        s->cap_pending = cap;
    }
    s->pending[s->n_pending++] = r;
    return SR_OK;
}

sr_code store_write_pending(sr_store *s, const char *run_uuid, sr_err *err)
{
    return insert_rows(s, s->pending, s->n_pending, 0, run_uuid, err);
}

void store_drop_pending(sr_store *s, const char *run_uuid)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n_pending; i++)
        if (run_uuid && strcmp(s->pending[i].run_uuid, run_uuid) != 0)
            s->pending[kept++] = s->pending[i];
    s->n_pending = kept;
}

sr_code sr_store_commit(sr_store *s, sr_err *err)
{
    if (s->n_pending == 0)
        return SR_OK;
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    rc = store_tx_end(s, store_write_pending(s, NULL, err), err);
    if (rc == SR_OK)
        s->n_pending = 0;
    return rc;
}

void sr_store_discard(sr_store *s)
{
    if (s)
        store_drop_pending(s, NULL);
}

size_t sr_store_pending(const sr_store *s) { return s->n_pending; }
