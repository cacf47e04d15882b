/* Networks and their layers, accuracy figures, and tuned kernel parameters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* The UUID of a network: its name and every layer, so one definition has one UUID. */
static sr_code network_uuid(const sr_network_rec *net, const sr_layer_rec *layers, size_t n,
                            char uuid[SR_UUID_LEN], sr_err *err)
{
    size_t per = sizeof layers->name + sizeof layers->kind + 96;
    char *text = malloc(n * per + 1);
    if (!text)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory storing network %s", net->name);
    size_t len = 0;
    text[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const sr_layer_rec *l = &layers[i];
        int w = snprintf(text + len, per, "%s|%s|%lld|%lld|%lld|%d|%d;", l->name, l->kind,
                         (long long)l->m, (long long)l->n, (long long)l->k,
                         l->groups > 0 ? l->groups : 1, l->prunable != 0);
        len += w > 0 && (size_t)w < per ? (size_t)w : per - 1;
    }
    const char *parts[] = {"network", net->name, text};
    store_uuid_derive(uuid, parts, 3);
    free(text);
    return SR_OK;
}

static sr_code put_layers(sr_store *s, const char *uuid, const sr_layer_rec *layers, size_t n,
                          sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "INSERT OR IGNORE INTO layer (network_uuid, idx, name, kind, m, n, "
                               "k, groups, prunable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               &st, err);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        const sr_layer_rec *l = &layers[i];
        if (l->m <= 0 || l->n <= 0 || l->k <= 0) {
            rc = sr_err_set(err, SR_ERR_ARG, "layer %zu (%s) has a non-positive shape", i,
                            l->name);
            break;
        }
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, l->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, l->kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, l->m);
        sqlite3_bind_int64(st, 6, l->n);
        sqlite3_bind_int64(st, 7, l->k);
        sqlite3_bind_int(st, 8, l->groups > 0 ? l->groups : 1);
        sqlite3_bind_int(st, 9, l->prunable != 0);
        rc = store_step_done(s, st, "writing a layer", err);
    }
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_network(sr_store *s, const sr_network_rec *net, const sr_layer_rec *layers,
                             size_t n_layers, char uuid[SR_UUID_LEN], sr_err *err)
{
    if (!net->name[0] || n_layers == 0)
        return sr_err_set(err, SR_ERR_ARG, "a network needs a name and at least one layer");
    sr_code rc = network_uuid(net, layers, n_layers, uuid, err);
    if (rc != SR_OK || (rc = store_tx_begin(s, err)) != SR_OK)
        return rc;
    char now[32];
    store_now(now);
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       "INSERT OR IGNORE INTO network (uuid, name, description, source, "
                       "first_seen) VALUES (?1, ?2, ?3, ?4, ?5)",
                       &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, net->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, net->description, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, net->source, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
        rc = store_step_done(s, st, "writing a network", err);
        sqlite3_finalize(st);
    }
    if (rc == SR_OK)
        rc = put_layers(s, uuid, layers, n_layers, err);
    return store_tx_end(s, rc, err);
}

sr_code sr_store_find_network(sr_store *s, const char *name, char uuid[SR_UUID_LEN],
                              sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT uuid FROM network WHERE name = ?1 OR uuid = lower(?1) "
                               "ORDER BY first_seen DESC, rowid DESC LIMIT 1",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        store_copy_text(uuid, SR_UUID_LEN, st, 0);
    else if (step == SQLITE_DONE)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no network '%s' in %s", name ? name : "", s->path);
    else
        rc = store_fail(s->db, s->path, step, err, "looking up network %s", name);
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_accuracy(sr_store *s, const sr_accuracy_rec *rows, size_t n, sr_err *err)
{
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       "INSERT INTO accuracy (network, pattern, sparsity, metric, value, source, "
                       "run_uuid, dataset, method, source_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                       "?7, ?8, ?9, ?10) ON CONFLICT (network, pattern, sparsity, metric, source) "
                       "DO UPDATE SET value = excluded.value, run_uuid = excluded.run_uuid, "
                       "dataset = excluded.dataset, method = excluded.method, "
                       "source_url = excluded.source_url",
                       &st, err);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        const sr_accuracy_rec *a = &rows[i];
        if (!a->network[0] || !a->pattern[0] || !a->metric[0] || isnan(a->value) ||
            !(a->sparsity >= 0 && a->sparsity <= 1)) {
            rc = sr_err_set(err, SR_ERR_ARG,
                            "accuracy row %zu (%s, %s, sparsity %g) lacks a network, pattern, "
                            "metric or value, or has a sparsity outside [0, 1]",
                            i + 1, a->network, a->pattern, a->sparsity);
            break;
        }
        sqlite3_bind_text(st, 1, a->network, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, a->pattern, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 3, a->sparsity);
        sqlite3_bind_text(st, 4, a->metric, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 5, a->value);
        sqlite3_bind_text(st, 6, a->source, -1, SQLITE_TRANSIENT);
        store_bind_text(st, 7, a->run_uuid);
        sqlite3_bind_text(st, 8, a->dataset, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 9, a->method, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 10, a->source_url, -1, SQLITE_TRANSIENT);
        rc = store_step_done(s, st, "writing an accuracy figure", err);
    }
    sqlite3_finalize(st);
    return store_tx_end(s, rc, err);
}

sr_code sr_store_put_tuned(sr_store *s, const sr_tuned_rec *t, sr_err *err)
{
    const char *run = t->run_uuid[0] ? t->run_uuid : s->run;
    const char *dev = t->device_uuid[0] ? t->device_uuid
                                        : (strcmp(run, s->run) == 0 ? s->run_device : "");
    if (!run[0] || !dev[0] || !t->pattern[0] || !t->params[0])
        return sr_err_set(err, SR_ERR_ARG,
                          "tuned parameters need a run, a device, a pattern and parameters");
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    char uuid[SR_UUID_LEN], now[32];
    store_uuid_random(uuid);
    store_now(now);
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       "INSERT INTO tuned (uuid, run_uuid, device_uuid, pattern, dtype, sparsity, "
                       "m, k, n, params, gflops, time_s, created_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                       &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, run, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, dev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, t->pattern, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, sr_dtype_name(t->dtype), -1, SQLITE_STATIC);
        store_bind_double(st, 6, t->sparsity);
        store_bind_int_pos(st, 7, t->m);
        store_bind_int_pos(st, 8, t->k);
        store_bind_int_pos(st, 9, t->n);
        sqlite3_bind_text(st, 10, t->params, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 11, t->gflops);
        store_bind_double(st, 12, t->time_s);
        sqlite3_bind_text(st, 13, now, -1, SQLITE_TRANSIENT);
        rc = store_step_done(s, st, "writing tuned parameters", err);
        sqlite3_finalize(st);
    }
    return store_tx_end(s, rc, err);
}

/* How far a tuned shape is from the one asked for: the sum of |log| ratios of m, k and n,
 * n's counted four times. N sets what parameters mean most (the panels that cover a row,
 * dense's vectors along M or N, whether X is repacked); M and K mostly how work divides.
 * Counted once, BERT's 3072x768x128 took the dense parameters tuned at 2048x512x49
 * (vectors along M) over 768x3072x128's and ran 1.4x slower than the defaults.
 * No shape asked for (zeros): every shape is as near; no shape stored: far. */
#define N_WEIGHT 4.0
static double shape_distance(int64_t m, int64_t k, int64_t n, int64_t tm, int64_t tk, int64_t tn)
{
    if (m <= 0 || k <= 0 || n <= 0)
        return 0.0;
    if (tm <= 0 || tk <= 0 || tn <= 0)
        return 1e9;
    return fabs(log((double)m / tm)) + fabs(log((double)k / tk)) + N_WEIGHT * fabs(log((double)n / tn));
}

sr_code sr_store_get_tuned(sr_store *s, const char *device, const char *pattern, sr_dtype dtype,
                           int64_t m, int64_t k, int64_t n, sr_tuned_rec *out, sr_err *err)
{
    char dev[SR_UUID_LEN];
    sr_code rc = sr_store_find_device(s, device, dev, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       /* tier 1: this device; 2: a device of the same name (another driver
                        * version or host); 3: a real device of the same vendor and type */
                       "SELECT t.run_uuid, t.device_uuid, t.pattern, t.sparsity, t.m, t.k, t.n, "
                       "t.params, t.gflops, t.time_s, CASE WHEN t.device_uuid = ?1 THEN 1 "
                       "WHEN d2.name = d1.name THEN 2 ELSE 3 END AS tier "
                       "FROM tuned t JOIN run r ON r.uuid = t.run_uuid "
                       "JOIN device d2 ON d2.uuid = t.device_uuid JOIN device d1 ON d1.uuid = ?1 "
                       "WHERE t.pattern = ?2 AND t.dtype = ?3 AND r.status = 'complete' AND "
                       "(t.device_uuid = ?1 OR (d2.is_virtual = 0 AND (d2.name = d1.name OR "
                       "(d2.vendor = d1.vendor AND d2.type = d1.type)))) "
                       "ORDER BY tier, t.created_at DESC, t.id DESC",
                       &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, dev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, pattern, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sr_dtype_name(dtype), -1, SQLITE_STATIC);
    /* within the best tier, the parameters tuned on the shape nearest (m, k, n) in log
     * distance, the newest among equals (m = k = n = 0: the newest of any shape) */
    int step, best_tier = 0;
    double best = INFINITY;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const int tier = sqlite3_column_int(st, 10);
        if (best_tier && tier != best_tier)
            break;
        const double d = shape_distance(m, k, n, sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
                                        sqlite3_column_int64(st, 6));
        if (best_tier && !(d < best))
            continue;
        best_tier = tier;
        best = d;
        memset(out, 0, sizeof *out);
        store_copy_text(out->run_uuid, sizeof out->run_uuid, st, 0);
        store_copy_text(out->device_uuid, sizeof out->device_uuid, st, 1);
        store_copy_text(out->pattern, sizeof out->pattern, st, 2);
        out->dtype = dtype;
        out->sparsity = store_column_double(st, 3);
        out->m = sqlite3_column_int64(st, 4);
        out->k = sqlite3_column_int64(st, 5);
        out->n = sqlite3_column_int64(st, 6);
        store_copy_text(out->params, sizeof out->params, st, 7);
        out->gflops = sqlite3_column_double(st, 8);
        out->time_s = store_column_double(st, 9);
        out->tier = tier;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        rc = store_fail(s->db, s->path, step, err, "reading tuned parameters");
    } else if (!best_tier) {
        rc = sr_err_set(err, SR_ERR_NOTFOUND,
                        "no tuned parameters for %s on device '%s' (%s) in %s: run `sparseroof "
                        "tune`",
                        pattern, device, sr_dtype_name(dtype), s->path);
    }
    sqlite3_finalize(st);
    return rc;
}
