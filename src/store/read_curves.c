/* Typed reads of the views for src/query (store/reads.h): accuracy, network speedups and
 * roofline points. */
#include <stdlib.h>
#include <string.h>

#include "store/reads.h"
#include "store/store_internal.h"


static void fill_accuracy(sqlite3_stmt *st, void *row)
{
    sr_accuracy_rec *a = row;
    store_copy_text(a->network, sizeof a->network, st, 0);
    store_copy_text(a->dataset, sizeof a->dataset, st, 1);
    store_copy_text(a->metric, sizeof a->metric, st, 2);
    store_copy_text(a->pattern, sizeof a->pattern, st, 3);
    a->sparsity = sqlite3_column_double(st, 4);
    a->value = sqlite3_column_double(st, 5);
    store_copy_text(a->method, sizeof a->method, st, 6);
    store_copy_text(a->source, sizeof a->source, st, 7);
    store_copy_text(a->source_url, sizeof a->source_url, st, 8);
    store_copy_text(a->run_uuid, sizeof a->run_uuid, st, 9);
}

sr_code sr_store_get_accuracy(sr_store *s, const char *network, sr_accuracy_rec **rows,
                              size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT network, dataset, metric, pattern, sparsity, value, method, "
                               "source, source_url, run_uuid FROM accuracy WHERE ?1 IS NULL OR "
                               "network = ?1 ORDER BY network, dataset, metric, source, "
                               "pattern <> 'dense', pattern, sparsity",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    if (network)
        sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **rows, fill_accuracy, (void **)rows, n, "accuracy rows", err);
}

static void fill_set(sqlite3_stmt *st, void *row)
{
    sr_speedup_set *t = row;
    store_copy_text(t->device_uuid, sizeof t->device_uuid, st, 0);
    store_copy_text(t->device, sizeof t->device, st, 1);
    store_copy_text(t->network_uuid, sizeof t->network_uuid, st, 2);
    store_copy_text(t->network, sizeof t->network, st, 3);
    store_copy_text(t->dtype, sizeof t->dtype, st, 4);
    t->batch = sqlite3_column_int(st, 5);
    t->points = (size_t)sqlite3_column_int64(st, 6);
    t->measured = (size_t)sqlite3_column_int64(st, 7);
    store_copy_text(t->newest_run, sizeof t->newest_run, st, 8);
}

sr_code sr_store_speedup_sets(sr_store *s, const char *network, sr_speedup_set **sets,
                              size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(
        s,
        "SELECT v.device_uuid, v.device, v.network_uuid, v.network, v.dtype, v.batch, COUNT(*), "
        "COUNT(v.measured_speedup), (SELECT MAX(r.started_at) FROM measurement m JOIN run r ON "
        "r.uuid = m.run_uuid WHERE m.device_uuid = v.device_uuid AND m.network_uuid = "
        "v.network_uuid) AS newest FROM v_network_speedup v WHERE ?1 IS NULL OR v.network = ?1 "
        "GROUP BY v.device_uuid, v.network_uuid, v.dtype, v.batch ORDER BY newest DESC, "
        "v.device, v.batch, v.dtype",
        &st, err);
    if (rc != SR_OK)
        return rc;
    if (network)
        sqlite3_bind_text(st, 1, network, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **sets, fill_set, (void **)sets, n, "network speedups", err);
}

static void fill_speedup(sqlite3_stmt *st, void *row)
{
    sr_speedup_row *r = row;
    store_copy_text(r->pattern, sizeof r->pattern, st, 0);
    r->sparsity = sqlite3_column_double(st, 1);
    r->predicted_dense_s = store_column_double(st, 2);
    r->predicted_sparse_s = store_column_double(st, 3);
    r->measured_dense_s = store_column_double(st, 4);
    r->measured_sparse_s = store_column_double(st, 5);
    r->layers = sqlite3_column_int(st, 6);
    r->layers_measured = sqlite3_column_int(st, 7);
}

sr_code sr_store_speedup_rows(sr_store *s, const sr_speedup_set *set, sr_speedup_row **rows,
                              size_t *n, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "SELECT pattern, sparsity, predicted_dense_s, predicted_sparse_s, "
                               "measured_dense_s, measured_sparse_s, layers, layers_measured "
                               "FROM v_network_speedup WHERE device_uuid = ?1 AND network_uuid = ?2 "
                               "AND dtype = ?3 AND batch = ?4 ORDER BY pattern, sparsity",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, set->device_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, set->network_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, set->dtype, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, set->batch);
    return store_read_all(s, st, sizeof **rows, fill_speedup, (void **)rows, n, "network speedups",
                     err);
}

static void fill_point(sqlite3_stmt *st, void *row)
{
    sr_roofline_row *p = row;
    store_copy_text(p->network, sizeof p->network, st, 0);
    p->layer = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
    store_copy_text(p->layer_name, sizeof p->layer_name, st, 2);
    p->measured = sqlite3_column_int(st, 3);
    store_copy_text(p->pattern, sizeof p->pattern, st, 4);
    p->sparsity = sqlite3_column_double(st, 5);
    store_copy_text(p->dtype, sizeof p->dtype, st, 6);
    p->batch = sqlite3_column_int(st, 7);
    p->flops = sqlite3_column_double(st, 8);
    p->bytes = sqlite3_column_double(st, 9);
    p->ai = sqlite3_column_double(st, 10);
    store_copy_text(p->bound, sizeof p->bound, st, 11);
    p->predicted_time_s = store_column_double(st, 12);
    p->measured_time_s = store_column_double(st, 13);
    p->m = sqlite3_column_int64(st, 14);
    p->k = sqlite3_column_int64(st, 15);
    p->n = sqlite3_column_int64(st, 16);
    store_copy_text(p->run_uuid, sizeof p->run_uuid, st, 17);
    p->device_time_s = store_column_double(st, 18);
}

sr_code sr_store_roofline_points(sr_store *s, const char *device_uuid, const char *run,
                                 const char *network, sr_roofline_row **pts, size_t *n,
                                 sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(
        s,
        "WITH ranked AS (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.network_uuid, v.layer, "
        "v.m, v.k, v.n, v.pattern, v.sparsity, v.dtype, v.batch, v.kind ORDER BY r.started_at "
        "DESC, v.created_at DESC, v.id DESC) AS rn FROM v_measurement v JOIN run r ON r.uuid = "
        "v.run WHERE v.device_uuid = ?1 AND (?2 IS NULL OR v.run LIKE lower(?2) || '%') AND "
        "(?3 IS NULL OR COALESCE(v.network, '') = ?3) AND v.flops > 0 AND v.bytes > 0 AND "
        "(v.kind = 'predicted' OR (v.verified IS NOT 0 AND v.time_median_s > 0))) "
        "SELECT network, layer, layer_name, kind = 'measured', pattern, sparsity, dtype, "
        "COALESCE(batch, 1), flops, bytes, flops / bytes, bound, predicted_time_s, "
        "time_median_s, m, k, n, run, device_time_s FROM ranked WHERE rn = 1 "
        "ORDER BY network, layer, pattern, sparsity, kind",
        &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, device_uuid, -1, SQLITE_TRANSIENT);
    if (run)
        sqlite3_bind_text(st, 2, run, -1, SQLITE_TRANSIENT);
    if (network)
        sqlite3_bind_text(st, 3, network, -1, SQLITE_TRANSIENT);
    return store_read_all(s, st, sizeof **pts, fill_point, (void **)pts, n, "roofline points", err);
}
