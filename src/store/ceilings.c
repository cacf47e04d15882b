/* Device ceilings (model/ceilings.h) as rows: one per bandwidth level, compute dtype,
 * launch overhead and pattern override, grouped by the run that measured or defined them.
 * The newest set from a completed run is the device's current one. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

static const char insert_sql[] =
    "INSERT INTO ceiling (run_uuid, device_uuid, kind, name, position, value, unit, "
    "ws_min_bytes, ws_max_bytes, supported, metadata_bits, method) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/* One row; the optional columns are bound by the caller beforehand (or stay NULL). */
static sr_code put_row(sr_store *s, sqlite3_stmt *st, const char *kind, const char *name,
                       int position, double value, const char *unit, sr_err *err)
{
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, position);
    store_bind_double(st, 6, value);
    sqlite3_bind_text(st, 7, unit, -1, SQLITE_STATIC);
    sr_code rc = store_step_done(s, st, "writing a ceiling", err);
    for (int i = 8; i <= 11; i++)
        sqlite3_bind_null(st, i);
    return rc;
}

static sr_code put_ceilings(sr_store *s, const char *device_uuid, const char *run_uuid,
                            const sr_ceilings *c, sr_err *err)
{
    if (c->n_levels > SR_MAX_LEVELS || c->n_compute > SR_MAX_DTYPES ||
        c->n_patterns > SR_MAX_PATTERN_CEILINGS)
        return sr_err_set(err, SR_ERR_ARG, "ceilings of %s have too many entries", c->device);
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, "DELETE FROM ceiling WHERE run_uuid = ?1 AND device_uuid = ?2",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, device_uuid, -1, SQLITE_TRANSIENT);
    rc = store_step_done(s, st, "replacing ceilings", err);
    sqlite3_finalize(st);
    if (rc != SR_OK || (rc = store_prepare(s, insert_sql, &st, err)) != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, device_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 12, c->is_virtual ? "defined" : "measured", -1, SQLITE_STATIC);
    for (size_t i = 0; rc == SR_OK && i < c->n_levels; i++) {
        const sr_bw_level *l = &c->levels[i];
        sqlite3_bind_int64(st, 8, l->ws_min_bytes > INT64_MAX ? INT64_MAX : (int64_t)l->ws_min_bytes);
        if (l->ws_max_bytes < (uint64_t)INT64_MAX) /* else unbounded: NULL */
            sqlite3_bind_int64(st, 9, (int64_t)l->ws_max_bytes);
        rc = put_row(s, st, "bandwidth", l->level, (int)i, l->gbps, "GB/s", err);
    }
    for (size_t i = 0; rc == SR_OK && i < c->n_compute; i++) {
        sqlite3_bind_int(st, 10, c->compute[i].supported != 0);
        rc = put_row(s, st, "compute", sr_dtype_name(c->compute[i].dtype), (int)i,
                     c->compute[i].gflops, "GFLOP/s", err);
    }
    if (rc == SR_OK && c->launch_overhead_s > 0)
        rc = put_row(s, st, "launch", "launch", 0, c->launch_overhead_s, "s", err);
    for (size_t i = 0; rc == SR_OK && i < c->n_patterns; i++) {
        store_bind_double(st, 11, c->patterns[i].metadata_bits);
        rc = put_row(s, st, "pattern", c->patterns[i].pattern, (int)i, c->patterns[i].gflops,
                     "GFLOP/s", err);
    }
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_ceilings(sr_store *s, const char *device_uuid, const char *run_uuid,
                              const sr_ceilings *c, sr_err *err)
{
    if (!device_uuid || !*device_uuid || !run_uuid || !*run_uuid)
        return sr_err_set(err, SR_ERR_ARG, "ceilings need a device and a run");
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    return store_tx_end(s, put_ceilings(s, device_uuid, run_uuid, c, err), err);
}

sr_code sr_store_define_virtual(sr_store *s, const char *run_uuid, const sr_ceilings *c,
                                char uuid[SR_UUID_LEN], sr_err *err)
{
    if (!c->device[0])
        return sr_err_set(err, SR_ERR_ARG, "a virtual device needs a name");
    sr_device_rec d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", c->device);
    d.is_virtual = 1;
    sr_ceilings defined = *c;
    defined.is_virtual = 1;
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    rc = sr_store_put_device(s, &d, NULL, uuid, err);
    if (rc == SR_OK)
        rc = put_ceilings(s, uuid, run_uuid, &defined, err);
    return store_tx_end(s, rc, err);
}

/* Reads one row of v_ceiling into *c. */
static void read_row(sqlite3_stmt *st, sr_ceilings *c)
{
    const char *kind = (const char *)sqlite3_column_text(st, 0);
    char name[SR_NAME_MAX];
    store_copy_text(name, sizeof name, st, 1);
    double value = store_column_double(st, 2);
    if (strcmp(kind, "bandwidth") == 0 && c->n_levels < SR_MAX_LEVELS) {
        sr_bw_level *l = &c->levels[c->n_levels++];
        snprintf(l->level, sizeof l->level, "%s", name);
        l->gbps = value;
        l->ws_min_bytes = (uint64_t)sqlite3_column_int64(st, 3);
        l->ws_max_bytes = sqlite3_column_type(st, 4) == SQLITE_NULL
                              ? UINT64_MAX
                              : (uint64_t)sqlite3_column_int64(st, 4);
    } else if (strcmp(kind, "compute") == 0 && c->n_compute < SR_MAX_DTYPES) {
        sr_compute_ceiling *k = &c->compute[c->n_compute];
        if (sr_dtype_parse(name, &k->dtype)) {
            k->gflops = value;
            k->supported = sqlite3_column_int(st, 5);
            c->n_compute++;
        }
    } else if (strcmp(kind, "launch") == 0) {
        c->launch_overhead_s = value;
    } else if (strcmp(kind, "pattern") == 0 && c->n_patterns < SR_MAX_PATTERN_CEILINGS) {
        sr_pattern_ceiling *p = &c->patterns[c->n_patterns++];
        snprintf(p->pattern, sizeof p->pattern, "%s", name);
        p->gflops = isnan(value) ? 0 : value;
        p->metadata_bits = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1
                                                                      : sqlite3_column_double(st, 6);
    }
}

sr_code sr_store_get_ceilings(sr_store *s, const char *device, sr_ceilings *out, sr_err *err)
{
    char uuid[SR_UUID_LEN];
    sr_code rc = sr_store_find_device(s, device, uuid, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       "SELECT c.kind, c.name, c.value, c.ws_min_bytes, c.ws_max_bytes, "
                       "c.supported, c.metadata_bits, d.name, d.is_virtual FROM v_ceiling c "
                       "JOIN device d ON d.uuid = c.device_uuid WHERE c.device_uuid = ?1 "
                       "ORDER BY c.kind, c.position",
                       &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    memset(out, 0, sizeof *out);
    int rows = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ == 0) {
            store_copy_text(out->device, sizeof out->device, st, 7);
            out->is_virtual = sqlite3_column_int(st, 8);
        }
        read_row(st, out);
    }
    if (step != SQLITE_DONE)
        rc = store_fail(s->db, s->path, step, err, "reading the ceilings of %s", device);
    else if (rows == 0)
        rc = sr_err_set(err, SR_ERR_NOTFOUND,
                        "device '%s' has no ceilings in %s from a completed run: run "
                        "`sparseroof peaks` on it (or define it with `peaks --define`)",
                        device, s->path);
    sqlite3_finalize(st);
    return rc;
}
