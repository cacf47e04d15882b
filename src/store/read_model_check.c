/* What `model-check` holds against each other: every measured layer row of a device, with
 * its shape, so that the device model can predict it again. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static void fill_row(sqlite3_stmt *st, void *row)
{
    sr_check_row *r = row;
    store_copy_text(r->network, sizeof r->network, st, 0);
    store_copy_text(r->network_uuid, sizeof r->network_uuid, st, 1);
    store_copy_text(r->layer, sizeof r->layer, st, 2);
    r->layer_idx = sqlite3_column_int(st, 3);
    r->prunable = sqlite3_column_int(st, 4);
    r->n_layers = sqlite3_column_int(st, 5);
    store_copy_text(r->pattern, sizeof r->pattern, st, 6);
    r->sparsity = sqlite3_column_double(st, 7);
    store_copy_text(r->dtype, sizeof r->dtype, st, 8);
    r->batch = sqlite3_column_int(st, 9);
    r->m = sqlite3_column_int64(st, 10);
    r->k = sqlite3_column_int64(st, 11);
    r->n = sqlite3_column_int64(st, 12);
    r->groups = sqlite3_column_int64(st, 13);
    r->nnz = store_column_double(st, 14);
    r->measured_s = sqlite3_column_double(st, 15);
    r->peak_s = store_column_double(st, 16);
    r->device_s = store_column_double(st, 17);
}

sr_code sr_store_check_rows(sr_store *s, const char *device_uuid, sr_check_row **rows, size_t *n, sr_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st;
    /* "newest" as v_network_speedup orders it, so that totals formed from these rows are
     * the view's */
    sr_code rc = store_prepare(
        s,
        "WITH ranked AS (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.network_uuid, m.layer_idx, m.dtype, "
        "COALESCE(m.batch, 1), m.pattern, m.sparsity ORDER BY r.started_at DESC, m.created_at DESC, m.id DESC) "
        "AS rn FROM measurement m JOIN run r ON r.uuid = m.run_uuid WHERE m.device_uuid = ?1 "
        "AND m.network_uuid IS NOT NULL AND m.kind = 'measured' AND m.verified IS NOT 0) "
        "SELECT nw.name, x.network_uuid, l.name, x.layer_idx, l.prunable, "
        "(SELECT COUNT(*) FROM layer c WHERE c.network_uuid = x.network_uuid), x.pattern, x.sparsity, x.dtype, "
        "COALESCE(x.batch, 1), x.m, x.k, x.n, x.groups, x.nnz, x.time_median_s, x.predicted_time_s, "
        "x.device_time_s FROM ranked x JOIN network nw ON nw.uuid = x.network_uuid "
        "JOIN layer l ON l.network_uuid = x.network_uuid AND l.idx = x.layer_idx "
        "WHERE x.rn = 1 AND x.time_median_s > 0 "
        "ORDER BY nw.name, x.network_uuid, x.dtype, COALESCE(x.batch, 1), x.pattern, x.sparsity, x.layer_idx",
        &st, err);
    if (rc == SR_OK) {
        sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
        rc = store_read_all(s, st, sizeof **rows, fill_row, (void **)rows, n, "measured layer rows", err);
    }
    return rc;
}
