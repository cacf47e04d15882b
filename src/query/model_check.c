/* model-check's rows predicted again, their network totals and errors (query/model_check.h). */
#include "query/model_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/roofline.h"

size_t sr_model_check_recompute(sr_check_row *rows, size_t n, const sr_device_model *dm, const sr_ceilings *c)
{
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        sr_check_row *r = &rows[i];
        sr_pattern p;
        sr_device_time t;
        r->device_s = NAN;
        r->term[0] = '\0';
        sr_roofline_point pt;
        if (!(r->nnz > 0) || r->groups < 1 || sr_pattern_parse(r->pattern, &p, NULL) != SR_OK)
            continue;
        /* the paper's bound too, with the roofline's counts as they are now */
        sr_dtype dt;
        if (sr_dtype_parse(r->dtype, &dt) &&
            sr_roofline_nnz(r->m, r->k, r->n, r->groups, &p, r->nnz / (double)r->groups, dt, c, &pt, NULL) == SR_OK)
            r->peak_s = pt.time_s;
        if (strcmp(r->dtype, "fp32") != 0 ||
            sr_device_model_time(dm, c, &p, r->sparsity, r->m, r->k, r->n, r->groups, r->nnz / (double)r->groups,
                                 &t, NULL) != SR_OK)
            continue;
        r->device_s = t.kernel_s; /* bench's rows leave the launches out, as event timing does */
        snprintf(r->term, sizeof r->term, "%s", t.term);
        done++;
    }
    return done;
}

/* Whether rows a and b are of one network, dtype and batch. */
static int same_run_set(const sr_check_row *a, const sr_check_row *b)
{
    return strcmp(a->network_uuid, b->network_uuid) == 0 && strcmp(a->dtype, b->dtype) == 0 &&
           a->batch == b->batch;
}

/* The network totals of the configurations in rows[0..n) (one network, dtype and batch). */
static void totals_of(const sr_check_row *rows, size_t n, const sr_check_row **dense, int n_layers,
                      const sr_check_row **sparse, sr_check_total *out, size_t *n_out)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].layer_idx >= 0 && rows[i].layer_idx < n_layers && strcmp(rows[i].pattern, "dense") == 0)
            dense[rows[i].layer_idx] = &rows[i];
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && strcmp(rows[b].pattern, rows[a].pattern) == 0 && rows[b].sparsity == rows[a].sparsity)
            b++;
        if (strcmp(rows[a].pattern, "dense") != 0) {
            memset(sparse, 0, (size_t)n_layers * sizeof *sparse);
            for (size_t i = a; i < b; i++)
                if (rows[i].layer_idx >= 0 && rows[i].layer_idx < n_layers)
                    sparse[rows[i].layer_idx] = &rows[i];
            sr_check_total t = {.sparsity = rows[a].sparsity, .batch = rows[a].batch};
            snprintf(t.network, sizeof t.network, "%s", rows[a].network);
            snprintf(t.pattern, sizeof t.pattern, "%s", rows[a].pattern);
            int complete = 1;
            for (int l = 0; l < n_layers && complete; l++) {
                const sr_check_row *d = dense[l], *s = sparse[l] && sparse[l]->prunable ? sparse[l] : d;
                complete = d != NULL;
                if (complete) {
                    t.measured_dense_s += d->measured_s, t.measured_s += s->measured_s;
                    t.peak_dense_s += d->peak_s, t.peak_s += s->peak_s;
                    t.device_dense_s += d->device_s, t.device_s += s->device_s;
                }
            }
            if (complete && isfinite(t.device_s) && isfinite(t.device_dense_s))
                out[(*n_out)++] = t;
        }
        a = b;
    }
}

sr_code sr_model_check_totals(const sr_check_row *rows, size_t n, sr_check_total **out, size_t *n_out, sr_err *err)
{
    *out = NULL;
    *n_out = 0;
    int most = 1;
    for (size_t i = 0; i < n; i++)
        most = rows[i].n_layers > most ? rows[i].n_layers : most;
    sr_check_total *t = calloc(n ? n : 1, sizeof *t);
    const sr_check_row **dense = calloc((size_t)most, sizeof *dense), **sparse = calloc((size_t)most, sizeof *sparse);
    if (!t || !dense || !sparse) {
        free(t), free(dense), free(sparse);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu network totals", n);
    }
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && same_run_set(&rows[a], &rows[b]))
            b++;
        memset(dense, 0, (size_t)most * sizeof *dense);
        totals_of(rows + a, b - a, dense, rows[a].n_layers, sparse, t, n_out);
        a = b;
    }
    free(dense), free(sparse);
    *out = t;
    return SR_OK;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

sr_error_stats sr_error_stats_of(double *v, size_t n)
{
    sr_error_stats s = {NAN, NAN, NAN, n};
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i]);
    if (!n)
        return s;
    qsort(v, n, sizeof *v, cmp_double);
    s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.worst = v[n - 1];
    return s;
}

/* sr_error_stats of v[0..n) with the sparsity sp[i] of the worst. */
static sr_error_stats stats_at(double *v, const double *sp, size_t n)
{
    size_t w = 0;
    for (size_t i = 1; i < n; i++)
        w = fabs(v[i]) > fabs(v[w]) ? i : w;
    const double at = n ? sp[w] : NAN;
    sr_error_stats s = sr_error_stats_of(v, n);
    s.worst_sparsity = at;
    return s;
}

/* The errors of network/pattern over totals and layer rows; v and sp are scratch of 3
 * slices of `most` (>= nt, nr) each. */
static sr_pattern_errors errors_of(const char *network, const char *pattern, const sr_check_total *t, size_t nt,
                                   const sr_check_row *rows, size_t nr, double *v, double *sp, size_t most)
{
    sr_pattern_errors e;
    memset(&e, 0, sizeof e);
    snprintf(e.network, sizeof e.network, "%s", network);
    snprintf(e.pattern, sizeof e.pattern, "%s", pattern);
    double *vs = v, *vt = v + most, *vl = v + 2 * most, *st = sp + most, *sl = sp + 2 * most;
    size_t k = 0, j = 0;
    for (size_t i = 0; i < nt; i++)
        if (strcmp(t[i].network, network) == 0 && strcmp(t[i].pattern, pattern) == 0) {
            vs[k] = (t[i].device_dense_s / t[i].device_s) / (t[i].measured_dense_s / t[i].measured_s) - 1;
            vt[k] = t[i].device_s / t[i].measured_s - 1;
            sp[k] = st[k] = t[i].sparsity;
            k++;
        }
    for (size_t i = 0; i < nr; i++)
        if (strcmp(rows[i].network, network) == 0 && strcmp(rows[i].pattern, pattern) == 0 &&
            isfinite(rows[i].device_s)) {
            vl[j] = rows[i].device_s / rows[i].measured_s - 1;
            sl[j++] = rows[i].sparsity;
        }
    e.speedup = stats_at(vs, sp, k);
    e.time = stats_at(vt, st, k);
    e.layer = stats_at(vl, sl, j);
    return e;
}

sr_code sr_model_check_by_pattern(const sr_check_total *t, size_t nt, const sr_check_row *rows, size_t nr,
                                  sr_pattern_errors **out, size_t *n_out, sr_err *err)
{
    *out = NULL;
    *n_out = 0;
    sr_pattern_errors *e = calloc(nr ? nr : 1, sizeof *e);
    const size_t most = (nt > nr ? nt : nr) + 1;
    double *v = calloc(3 * most, sizeof *v), *sp = calloc(3 * most, sizeof *sp);
    if (!e || !v || !sp) {
        free(e), free(v), free(sp);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for the errors by pattern");
    }
    for (size_t i = 0; i < nr; i++) {
        int seen = 0;
        for (size_t j = 0; j < *n_out && !seen; j++)
            seen = strcmp(e[j].network, rows[i].network) == 0 && strcmp(e[j].pattern, rows[i].pattern) == 0;
        if (!seen)
            e[(*n_out)++] = errors_of(rows[i].network, rows[i].pattern, t, nt, rows, nr, v, sp, most);
    }
    free(v), free(sp);
    *out = e;
    return SR_OK;
}
