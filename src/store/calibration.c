/* The device model's calibration points: stored under their run, read back as the
 * newest complete set of a device. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

sr_code sr_store_put_calibration(sr_store *s, const char *device_uuid, const sr_calib_point *pts, size_t n,
                                 const char *const *params, const char *kernels_hash, sr_err *err)
{
    if (!s->run[0])
        return sr_err_set(err, SR_ERR_ARG, "calibration needs a run begun first");
    sqlite3_stmt *st = NULL;
    sr_code rc = store_tx_begin(s, err);
    if (rc == SR_OK)
        rc = store_prepare(s,
                           "INSERT INTO calibration (run_uuid, device_uuid, pattern, sparsity, m, k, n, flops, "
                           "time_s, pack_s, params, kernels_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                           &st, err);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        const sr_calib_point *p = &pts[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, s->run, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, device_uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, p->pattern, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(st, 4, p->sparsity);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)p->m);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)p->k);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)p->n);
        sqlite3_bind_double(st, 8, p->flops);
        sqlite3_bind_double(st, 9, p->time_s);
        store_bind_double(st, 10, p->pack_s);
        store_bind_text(st, 11, params ? params[i] : p->params);
        store_bind_text(st, 12, kernels_hash);
        rc = store_step_done(s, st, "storing a calibration point", err);
    }
    sqlite3_finalize(st);
    return store_tx_end(s, rc, err);
}

static void fill_point(sqlite3_stmt *st, void *row)
{
    sr_calib_point *p = row;
    store_copy_text(p->pattern, sizeof p->pattern, st, 0);
    p->sparsity = sqlite3_column_double(st, 1);
    p->m = sqlite3_column_double(st, 2);
    p->k = sqlite3_column_double(st, 3);
    p->n = sqlite3_column_double(st, 4);
    p->flops = sqlite3_column_double(st, 5);
    p->time_s = sqlite3_column_double(st, 6);
    p->pack_s = sqlite3_column_type(st, 7) == SQLITE_NULL ? 0.0 : sqlite3_column_double(st, 7);
    store_copy_text(p->params, sizeof p->params, st, 8);
}

sr_code sr_store_get_calibration(sr_store *s, const char *device_uuid, sr_calib_point **pts, size_t *n,
                                 sr_err *err)
{
    *pts = NULL;
    *n = 0;
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT pattern, sparsity, m, k, n, flops, time_s, pack_s, COALESCE(params, '') FROM "
                               "v_calibration WHERE device_uuid = ?1 ORDER BY pattern, sparsity, m, k, n",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
    rc = store_read_all(s, st, sizeof **pts, fill_point, (void **)pts, n, "the calibration", err);
    if (rc == SR_OK && *n == 0)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no calibration stored for this device ('sparseroof calibrate' "
                        "measures one)");
    return rc;
}

/* The first column of the first row of sql with ?1 bound to key, copied into out ("" for
 * NULL); SR_ERR_NOTFOUND (saying `what`) without a row. */
static sr_code first_text(sr_store *s, const char *sql, const char *key, char *out, size_t size, const char *what,
                          sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, sql, &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    const int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        store_copy_text(out, size, st, 0);
    else if (step == SQLITE_DONE)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no %s stored for device %s", what, key);
    else
        rc = sr_err_set(err, SR_ERR_DB, "reading the %s: %s", what, sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_calibration_hash(sr_store *s, const char *device_uuid, char out[SR_KERNELS_HASH_LEN], sr_err *err)
{
    out[0] = '\0';
    return first_text(s, "SELECT kernels_hash FROM v_calibration WHERE device_uuid = ?1 LIMIT 1", device_uuid, out,
                      SR_KERNELS_HASH_LEN, "calibration", err);
}

sr_code sr_store_device_type(sr_store *s, const char *device_uuid, char type[16], sr_err *err)
{
    type[0] = '\0';
    return first_text(s, "SELECT type FROM device WHERE uuid = ?1", device_uuid, type, 16, "device record", err);
}
