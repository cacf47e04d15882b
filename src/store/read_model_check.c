/* What `model-check` holds against each other: every network total and every layer row
 * of a device that has both a measurement and the device model's prediction. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static sr_code grow(void **buf, size_t *cap, size_t n, size_t size, sr_err *err)
{
    if (n < *cap)
        return SR_OK;
    size_t c = *cap ? 2 * *cap : 64;
    void *g = realloc(*buf, c * size);
    if (!g)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading the model check");
    *buf = g;
    *cap = c;
    return SR_OK;
}

sr_code sr_store_model_check(sr_store *s, const char *device_uuid, sr_check_total **totals, size_t *n_totals,
                             sr_check_layer **layers, size_t *n_layers, sr_err *err)
{
    *totals = NULL, *layers = NULL;
    *n_totals = *n_layers = 0;
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT network, pattern, sparsity, batch, measured_dense_s, measured_sparse_s, "
                               "gemm_predicted_dense_s, gemm_predicted_sparse_s, device_dense_s, device_sparse_s "
                               "FROM v_network_speedup WHERE device_uuid = ?1 AND measured_sparse_s > 0 "
                               "AND device_sparse_s > 0 ORDER BY network, batch, pattern, sparsity",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
    size_t cap = 0;
    int step;
    while (rc == SR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)totals, &cap, *n_totals, sizeof **totals, err)) != SR_OK)
            break;
        sr_check_total *t = &(*totals)[(*n_totals)++];
        memset(t, 0, sizeof *t);
        store_copy_text(t->network, sizeof t->network, st, 0);
        store_copy_text(t->pattern, sizeof t->pattern, st, 1);
        t->sparsity = sqlite3_column_double(st, 2);
        t->batch = sqlite3_column_int(st, 3);
        t->measured_dense_s = store_column_double(st, 4);
        t->measured_s = store_column_double(st, 5);
        t->peak_dense_s = store_column_double(st, 6);
        t->peak_s = store_column_double(st, 7);
        t->device_dense_s = store_column_double(st, 8);
        t->device_s = store_column_double(st, 9);
    }
    if (rc == SR_OK && step != SQLITE_DONE)
        rc = store_fail(s->db, s->path, step, err, "reading network totals");
    sqlite3_finalize(st);
    if (rc == SR_OK)
        rc = store_prepare(s,
                           "SELECT network, layer_name, pattern, sparsity, measured_time_s, predicted_time_s, "
                           "device_time_s FROM v_layer_roofline WHERE device_uuid = ?1 AND kind = 'measured' "
                           "AND verified = 1 AND measured_time_s > 0 AND device_time_s > 0",
                           &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
        cap = 0;
        while (rc == SR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
            if ((rc = grow((void **)layers, &cap, *n_layers, sizeof **layers, err)) != SR_OK)
                break;
            sr_check_layer *l = &(*layers)[(*n_layers)++];
            memset(l, 0, sizeof *l);
            store_copy_text(l->network, sizeof l->network, st, 0);
            store_copy_text(l->layer, sizeof l->layer, st, 1);
            store_copy_text(l->pattern, sizeof l->pattern, st, 2);
            l->sparsity = sqlite3_column_double(st, 3);
            l->measured_s = sqlite3_column_double(st, 4);
            l->peak_s = store_column_double(st, 5);
            l->device_s = sqlite3_column_double(st, 6);
        }
        if (rc == SR_OK && step != SQLITE_DONE)
            rc = store_fail(s->db, s->path, step, err, "reading layer rows");
        sqlite3_finalize(st);
    }
    if (rc != SR_OK) {
        free(*totals), free(*layers);
        *totals = NULL, *layers = NULL;
        *n_totals = *n_layers = 0;
    }
    return rc;
}
