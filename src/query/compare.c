/* Devices side by side, read from v_network_speedup (query/compare.h). */
#include "query/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/lookup.h"

#define MAX_DEVICES 16
#define SAME_SPARSITY 1e-9

void sr_compare_free(sr_compare *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_rows; i++)
        free(c->rows[i].cells);
    free(c->rows);
    free(c->devs);
    free(c);
}

static sr_code nomem(sr_err *err)
{
    return sr_err_set(err, SR_ERR_NOMEM, "out of memory comparing devices");
}

static sr_code add_device(sr_compare *c, const char *uuid, const char *name, sr_err *err)
{
    for (size_t i = 0; i < c->n_devs; i++)
        if (strcmp(c->devs[i].device_uuid, uuid) == 0)
            return SR_OK;
    if (c->n_devs == MAX_DEVICES)
        return sr_err_set(err, SR_ERR_ARG, "--devices: at most %d devices side by side", MAX_DEVICES);
    sr_compare_device *d = &c->devs[c->n_devs++];
    memset(d, 0, sizeof *d);
    snprintf(d->device_uuid, sizeof d->device_uuid, "%s", uuid);
    snprintf(d->device, sizeof d->device, "%s", name);
    d->predicted_dense_s = d->measured_dense_s = NAN;
    return SR_OK;
}

/* The devices named (each must exist), or every device with timings of the network. */
static sr_code pick_devices(sr_store *s, const sr_compare_opts *o, sr_compare *c,
                            const sr_speedup_set *sets, size_t n_sets, sr_err *err)
{
    if (!o->devices) {
        sr_code rc = SR_OK;
        for (size_t i = 0; i < n_sets && rc == SR_OK; i++)
            rc = add_device(c, sets[i].device_uuid, sets[i].device, err);
        return rc;
    }
    char list[2048];
    snprintf(list, sizeof list, "%s", o->devices);
    const char *p = list;
    while (1) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p)
            return sr_err_set(err, SR_ERR_ARG, "--devices '%s': an empty name", o->devices);
        char uuid[SR_UUID_LEN];
        sr_code rc = sr_store_find_device(s, p, uuid, err);
        if (rc == SR_OK)
            rc = add_device(c, uuid, p, err);
        if (rc != SR_OK || !comma)
            return rc;
        p = comma + 1;
    }
}

/* The batch and dtype: as asked, else those of the newest timings of a chosen device. */
static sr_code pick_batch(const sr_compare_opts *o, sr_compare *c, const sr_speedup_set *sets,
                          size_t n_sets, sr_err *err)
{
    for (size_t i = 0; i < n_sets; i++) {
        int chosen = 0;
        for (size_t d = 0; d < c->n_devs; d++)
            chosen |= strcmp(sets[i].device_uuid, c->devs[d].device_uuid) == 0;
        if (chosen && (!o->dtype || strcmp(sets[i].dtype, o->dtype) == 0) &&
            (!o->batch || sets[i].batch == o->batch)) {
            snprintf(c->dtype, sizeof c->dtype, "%s", sets[i].dtype);
            c->batch = sets[i].batch;
            return SR_OK;
        }
    }
    return sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s on the devices asked for%s%s%s: "
                      "'sparseroof predict --network %s --device D' (or bench) stores them",
                      o->network, o->dtype || o->batch ? " at that " : "",
                      o->dtype ? "dtype" : "", o->batch ? (o->dtype ? " and batch" : "batch") : "",
                      o->network);
}

static sr_compare_row *row_for(sr_compare *c, const char *pattern, double sparsity, sr_err *err)
{
    size_t i = 0;
    for (; i < c->n_rows; i++) {
        int cmp = strcmp(c->rows[i].pattern, pattern);
        if (cmp == 0 && fabs(c->rows[i].sparsity - sparsity) < SAME_SPARSITY)
            return &c->rows[i];
        if (cmp > 0 || (cmp == 0 && c->rows[i].sparsity > sparsity))
            break;
    }
    sr_compare_row *grown = realloc(c->rows, (c->n_rows + 1) * sizeof *grown);
    sr_compare_cell *cells = malloc(MAX_DEVICES * sizeof *cells);
    if (!grown || !cells) {
        if (grown)
            c->rows = grown;
        free(cells);
        nomem(err);
        return NULL;
    }
    c->rows = grown;
    memmove(&c->rows[i + 1], &c->rows[i], (c->n_rows - i) * sizeof *c->rows);
    c->n_rows++;
    sr_compare_row *r = &c->rows[i];
    memset(r, 0, sizeof *r);
    snprintf(r->pattern, sizeof r->pattern, "%s", pattern);
    r->sparsity = sparsity;
    r->cells = cells;
    for (size_t d = 0; d < MAX_DEVICES; d++)
        cells[d] = (sr_compare_cell){NAN, NAN, NAN, NAN};
    return r;
}

static double positive(double v)
{
    return v > 0 && isfinite(v) ? v : NAN;
}

/* Each device's rows at the batch and dtype into the table. */
static sr_code fill(sr_compare *c, const sr_network_speedup *rows, size_t n, sr_err *err)
{
    for (size_t d = 0; d < c->n_devs; d++) {
        sr_compare_device *dev = &c->devs[d];
        size_t found = 0;
        for (size_t i = 0; i < n; i++) {
            const sr_network_speedup *r = &rows[i];
            if (strcmp(r->device_uuid, dev->device_uuid) || strcmp(r->dtype, c->dtype) || r->batch != c->batch)
                continue;
            found++;
            snprintf(dev->device, sizeof dev->device, "%s", r->device);
            if (isnan(dev->predicted_dense_s))
                dev->predicted_dense_s = positive(r->predicted_dense_s);
            if (isnan(dev->measured_dense_s))
                dev->measured_dense_s = positive(r->measured_dense_s);
            sr_compare_row *row = row_for(c, r->pattern, r->sparsity, err);
            if (!row)
                return SR_ERR_NOMEM;
            int measured = r->layers_measured > 0; /* else the total is the dense time again */
            row->cells[d] = (sr_compare_cell){positive(r->predicted_speedup),
                                              measured ? positive(r->measured_speedup) : NAN,
                                              positive(r->predicted_sparse_s),
                                              measured ? positive(r->measured_sparse_s) : NAN};
        }
        if (!found)
            return sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s on %s at batch %d in %s: "
                              "'sparseroof predict --network %s --device %s' stores them",
                              c->network, dev->device, c->batch, c->dtype, c->network, dev->device);
    }
    return SR_OK;
}

sr_code sr_compare_build(sr_store *s, const sr_compare_opts *o, sr_compare **out, sr_err *err)
{
    *out = NULL;
    sr_compare *c = calloc(1, sizeof *c);
    sr_compare_device *devs = calloc(MAX_DEVICES, sizeof *devs);
    if (!c || !devs) {
        free(c), free(devs);
        return nomem(err);
    }
    c->devs = devs;
    snprintf(c->network, sizeof c->network, "%s", o->network);
    sr_speedup_set *sets = NULL;
    sr_network_speedup *rows = NULL;
    size_t n_sets = 0, n = 0;
    sr_code rc = sr_query_check_network(s, o->network, err);
    if (rc == SR_OK)
        rc = sr_store_speedup_sets(s, o->network, &sets, &n_sets, err);
    if (rc == SR_OK && n_sets == 0)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s in %s: 'sparseroof predict "
                        "--network %s --device D' (or bench) stores them", o->network,
                        sr_store_path(s), o->network);
    if (rc == SR_OK)
        rc = pick_devices(s, o, c, sets, n_sets, err);
    if (rc == SR_OK)
        rc = pick_batch(o, c, sets, n_sets, err);
    if (rc == SR_OK)
        rc = sr_store_network_speedups(s, o->network, NULL, &rows, &n, err);
    if (rc == SR_OK)
        rc = fill(c, rows, n, err);
    free(sets);
    free(rows);
    if (rc != SR_OK) {
        sr_compare_free(c);
        return rc;
    }
    *out = c;
    return SR_OK;
}
