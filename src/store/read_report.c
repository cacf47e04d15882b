/* Typed reads for the lab report, `roofline` and `compare` (store/reads.h): devices,
 * their current ceilings and the network speedup rows, as plain structs. */
#include <stdlib.h>
#include <string.h>

#include "store/reads.h"
#include "store/store_internal.h"

static int64_t column_int_or(sqlite3_stmt *st, int col, int64_t none)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? none : sqlite3_column_int64(st, col);
}

static void fill_device(sqlite3_stmt *st, void *row)
{
    sr_device_row *d = row;
    store_copy_text(d->device_uuid, sizeof d->device_uuid, st, 0);
    store_copy_text(d->device, sizeof d->device, st, 1);
    store_copy_text(d->type, sizeof d->type, st, 2);
    d->is_virtual = sqlite3_column_int(st, 3);
    store_copy_text(d->platform, sizeof d->platform, st, 4);
    store_copy_text(d->platform_version, sizeof d->platform_version, st, 5);
    store_copy_text(d->driver_version, sizeof d->driver_version, st, 6);
    store_copy_text(d->host, sizeof d->host, st, 7);
    store_copy_text(d->cpu_model, sizeof d->cpu_model, st, 8);
    d->compute_units = (int)column_int_or(st, 9, 0);
    d->fp32_gflops = store_column_double(st, 10);
    d->dram_gbps = store_column_double(st, 11);
    d->runs = sqlite3_column_int64(st, 12);
    d->measurements = sqlite3_column_int64(st, 13);
    store_copy_text(d->newest_rows, sizeof d->newest_rows, st, 14);
}

sr_code sr_store_devices(sr_store *s, sr_device_row **rows, size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(
        s,
        "SELECT v.device_uuid, v.device, v.type, v.is_virtual, v.platform, v.platform_version, "
        "v.driver_version, v.host, v.cpu_model, v.compute_units, v.fp32_gflops, v.dram_gbps, "
        "v.runs, v.measurements, (SELECT MAX(r.started_at) FROM run r WHERE r.device_uuid = "
        "v.device_uuid AND EXISTS (SELECT 1 FROM measurement m WHERE m.run_uuid = r.uuid)) AS "
        "newest FROM v_device v ORDER BY newest IS NULL, newest DESC, v.device",
        &st, err);
    if (rc != SR_OK)
        return rc;
    return store_read_all(s, st, sizeof **rows, fill_device, (void **)rows, n, "devices", err);
}

static void fill_ceiling(sqlite3_stmt *st, void *row)
{
    sr_ceiling_row *c = row;
    store_copy_text(c->device_uuid, sizeof c->device_uuid, st, 0);
    store_copy_text(c->device, sizeof c->device, st, 1);
    store_copy_text(c->kind, sizeof c->kind, st, 2);
    store_copy_text(c->name, sizeof c->name, st, 3);
    c->value = store_column_double(st, 4);
    store_copy_text(c->unit, sizeof c->unit, st, 5);
    c->ws_min_bytes = column_int_or(st, 6, -1);
    c->ws_max_bytes = column_int_or(st, 7, -1);
    c->supported = (int)column_int_or(st, 8, -1);
    store_copy_text(c->method, sizeof c->method, st, 9);
    c->position = sqlite3_column_int(st, 10);
}

sr_code sr_store_ceiling_rows(sr_store *s, const char *device_uuid, sr_ceiling_row **rows,
                              size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(
        s,
        "SELECT device_uuid, device, kind, name, value, unit, ws_min_bytes, ws_max_bytes, "
        "supported, method, position FROM v_ceiling WHERE ?1 IS NULL OR device_uuid = ?1 "
        "ORDER BY device, device_uuid, CASE kind WHEN 'bandwidth' THEN 0 WHEN 'compute' THEN 1 "
        "WHEN 'launch' THEN 2 WHEN 'pattern' THEN 3 ELSE 4 END, position, name",
        &st, err);
    if (rc != SR_OK)
        return rc;
    if (device_uuid)
        sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **rows, fill_ceiling, (void **)rows, n, "ceilings", err);
}

static void fill_network_speedup(sqlite3_stmt *st, void *row)
{
    sr_network_speedup *r = row;
    store_copy_text(r->device_uuid, sizeof r->device_uuid, st, 0);
    store_copy_text(r->device, sizeof r->device, st, 1);
    store_copy_text(r->network, sizeof r->network, st, 2);
    store_copy_text(r->pattern, sizeof r->pattern, st, 3);
    store_copy_text(r->dtype, sizeof r->dtype, st, 4);
    r->sparsity = sqlite3_column_double(st, 5);
    r->batch = sqlite3_column_int(st, 6);
    r->layers = sqlite3_column_int(st, 7);
    r->layers_measured = sqlite3_column_int(st, 8);
    double *d[] = {&r->predicted_dense_s, &r->predicted_sparse_s, &r->predicted_speedup,
                   &r->measured_dense_s, &r->measured_sparse_s, &r->measured_speedup,
                   &r->gemm_predicted_speedup, &r->speedup_error, &r->device_dense_s,
                   &r->device_sparse_s, &r->device_speedup, &r->device_speedup_error};
    for (int i = 0; i < (int)(sizeof d / sizeof *d); i++)
        *d[i] = store_column_double(st, 9 + i);
}

sr_code sr_store_network_speedups(sr_store *s, const char *network, const char *device_uuid,
                                  sr_network_speedup **rows, size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(
        s,
        "SELECT device_uuid, device, network, pattern, dtype, sparsity, batch, layers, "
        "layers_measured, predicted_dense_s, predicted_sparse_s, predicted_speedup, "
        "measured_dense_s, measured_sparse_s, measured_speedup, gemm_predicted_speedup, "
        "speedup_error, device_dense_s, device_sparse_s, device_speedup, device_speedup_error "
        "FROM v_network_speedup WHERE network = ?1 AND (?2 IS NULL OR device_uuid = ?2) "
        "ORDER BY device, device_uuid, dtype, batch, pattern, sparsity",
        &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
    if (device_uuid)
        sqlite3_bind_text(st, 2, device_uuid, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **rows, fill_network_speedup, (void **)rows, n,
                            "network speedups", err);
}
