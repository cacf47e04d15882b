/* What `model-check` holds against each other: every network total and every layer row
 * of a device that has both a measurement and the device model's prediction. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static void fill_total(sqlite3_stmt *st, void *row)
{
    sr_check_total *t = row;
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

static void fill_layer(sqlite3_stmt *st, void *row)
{
    sr_check_layer *l = row;
    store_copy_text(l->network, sizeof l->network, st, 0);
    store_copy_text(l->layer, sizeof l->layer, st, 1);
    store_copy_text(l->pattern, sizeof l->pattern, st, 2);
    l->sparsity = sqlite3_column_double(st, 3);
    l->measured_s = sqlite3_column_double(st, 4);
    l->peak_s = store_column_double(st, 5);
    l->device_s = sqlite3_column_double(st, 6);
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
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
        rc = store_read_all(s, st, sizeof **totals, fill_total, (void **)totals, n_totals, "network totals", err);
    }
    if (rc == SR_OK)
        rc = store_prepare(s,
                           /* the newest measurement of each layer, pattern and sparsity */
                           "SELECT network, layer_name, pattern, sparsity, measured_time_s, predicted_time_s, "
                           "device_time_s FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.network_uuid, "
                           "v.layer, v.pattern, v.sparsity, v.dtype, v.batch ORDER BY r.started_at DESC) AS rn, "
                           "r.started_at AS run_started FROM v_layer_roofline v JOIN run r ON r.uuid = v.run "
                           "WHERE v.device_uuid = ?1 AND v.kind = 'measured' AND v.verified = 1 "
                           "AND v.measured_time_s > 0 AND v.device_time_s > 0) WHERE rn = 1",
                           &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
        rc = store_read_all(s, st, sizeof **layers, fill_layer, (void **)layers, n_layers, "layer rows", err);
    }
    if (rc != SR_OK) {
        free(*totals);
        *totals = NULL;
        *n_totals = 0;
    }
    return rc;
}
