/* Network totals and per-layer distances from a sweep's stored rows. */
#include "session/sweep_summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/predict.h"

static const sr_layer_row *find(const sr_layer_row *rows, size_t n, size_t layer, const sr_sweep_config *cfg)
{
    return sr_sweep_find_row(rows, n, layer, cfg, 1);
}

static double farness(const sr_sweep_layer *l) { return isfinite(l->ratio) && l->ratio > 0 ? fabs(log(l->ratio)) : -1; }

static int by_farness(const void *a, const void *b)
{
    const double x = farness(a), y = farness(b);
    return (x < y) - (x > y);
}

/* Totals of one config: each layer's sparse row where the config prunes it, else dense. */
static void total(const sr_sweep_opts *o, const sr_layer_row *rows, size_t n, const sr_sweep_config *cfg,
                  sr_sweep_result *r, int *complete)
{
    const sr_sweep_config dense = {{.kind = SR_PAT_DENSE}, 0.0};
    memset(r, 0, sizeof *r);
    r->config = *cfg;
    for (size_t i = 0; i < sr_network_n_layers(o->net); i++) {
        const sr_layer_row *d = find(rows, n, i, &dense), *s = d;
        if (cfg->pattern.kind != SR_PAT_DENSE && sr_predict_layer_pruned(o->net, i, o->prune_all)) {
            const sr_layer_row *sp = find(rows, n, i, cfg);
            r->kept_dense += !sp;
            s = sp ? sp : d;
        }
        if (!d || !s) {
            *complete = 0;
            r->measured_dense_s = r->measured_s = r->predicted_dense_s = r->predicted_s = NAN;
            r->device_dense_s = r->device_s = NAN;
            break;
        }
        r->measured_dense_s += d->time_s;
        r->measured_s += s->time_s;
        r->predicted_dense_s += d->predicted_s; /* NAN without ceilings */
        r->predicted_s += s->predicted_s;
        r->device_dense_s += d->device_s; /* NAN without a calibration */
        r->device_s += s->device_s;
    }
    r->measured_speedup = r->measured_dense_s / r->measured_s;
    r->predicted_speedup = r->predicted_dense_s / r->predicted_s;
    r->error = r->predicted_speedup / r->measured_speedup - 1.0;
    r->device_speedup = r->device_dense_s / r->device_s;
    r->device_error = r->device_speedup / r->measured_speedup - 1.0;
    r->device_time_error = r->device_s / r->measured_s - 1.0;
}

static void add_layer(sr_sweep_summary *out, const sr_sweep_opts *o, size_t i, const sr_sweep_config *cfg,
                      const sr_layer_row *r)
{
    sr_sweep_layer *l = &out->layers[out->n_layers++];
    l->layer_index = i;
    l->name = sr_network_layer(o->net, i)->name;
    l->config = *cfg;
    l->measured_s = r->time_s;
    l->predicted_s = r->predicted_s;
    l->ratio = r->predicted_s / r->time_s;
    l->device_s = r->device_s;
    memcpy(l->bound, r->bound, sizeof l->bound);
    l->above_roof = l->ratio > 1.0;
    out->above_roof += (size_t)l->above_roof;
    if (l->above_roof && l->ratio > out->above_roof_max)
        out->above_roof_max = l->ratio;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void device_errors(sr_sweep_summary *out)
{
    out->device_layer_median = out->device_layer_worst = NAN;
    double *e = malloc((out->n_layers ? out->n_layers : 1) * sizeof *e);
    size_t n = 0;
    for (size_t i = 0; e && i < out->n_layers; i++)
        if (isfinite(out->layers[i].device_s) && out->layers[i].measured_s > 0)
            e[n++] = fabs(out->layers[i].device_s / out->layers[i].measured_s - 1.0);
    if (n) {
        qsort(e, n, sizeof *e, cmp_double);
        out->device_layer_median = n % 2 ? e[n / 2] : 0.5 * (e[n / 2 - 1] + e[n / 2]);
        out->device_layer_worst = e[n - 1];
    }
    free(e);
}

sr_code sr_sweep_summarize(const sr_sweep_opts *o, const sr_layer_row *rows, size_t n, sr_sweep_summary *out,
                           sr_err *err)
{
    memset(out, 0, sizeof *out);
    out->complete = 1;
    out->results = calloc(o->n_configs ? o->n_configs : 1, sizeof *out->results);
    out->layers = calloc(n ? n : 1, sizeof *out->layers);
    if (!out->results || !out->layers) {
        sr_sweep_summary_free(out);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory summarizing the sweep");
    }
    for (size_t c = 0; c < o->n_configs; c++) {
        if (o->configs[c].pattern.kind == SR_PAT_DENSE && o->n_configs > 1)
            continue; /* dense is every other config's baseline */
        total(o, rows, n, &o->configs[c], &out->results[out->n_results++], &out->complete);
        for (size_t i = 0; i < sr_network_n_layers(o->net); i++) {
            const sr_layer_row *r = find(rows, n, i, &o->configs[c]);
            if (!r)
                continue;
            add_layer(out, o, i, &o->configs[c], r);
        }
    }
    /* the dense rows too, when the sweep holds other configs */
    const sr_sweep_config dense = {{.kind = SR_PAT_DENSE}, 0.0};
    for (size_t i = 0; o->n_configs > 1 && i < sr_network_n_layers(o->net); i++) {
        const sr_layer_row *r = find(rows, n, i, &dense);
        if (!r || out->n_layers == n)
            continue;
        add_layer(out, o, i, &dense, r);
    }
    qsort(out->layers, out->n_layers, sizeof *out->layers, by_farness);
    device_errors(out);
    return SR_OK;
}

void sr_sweep_summary_free(sr_sweep_summary *s)
{
    free(s->results);
    free(s->layers);
    memset(s, 0, sizeof *s);
}
