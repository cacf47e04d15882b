/* Rows from results: the one place that fills sr_measurement and network records. */
#include "session/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sr_record_kernel(const sr_kernel_spec *spec, int m, int k, int n, int groups, const sr_kernel_outcome *o,
                      sr_measurement *r)
{
    sr_measurement_init(r);
    r->kind = SR_MEASURED;
    r->pattern = spec->pattern;
    r->sparsity = spec->sparsity;
    r->dtype = SR_DTYPE_FP32;
    r->m = m;
    r->k = k;
    r->n = n;
    r->groups = groups;
    r->nnz = (int64_t)o->nnz;
    r->flops = o->flops;
    r->bytes = o->bytes;
    r->layout_bytes = o->layout_bytes;
    r->ai = o->flops / o->bytes;
    if (o->predicted) {
        r->predicted_time_s = o->pt.time_s;
        snprintf(r->bound, sizeof r->bound, "%s", o->pt.bound);
        r->efficiency = o->pt.time_s / o->res.time.median_s;
    }
    r->time_median_s = o->res.time.median_s;
    r->time_min_s = o->res.time.min_s;
    r->time_max_s = o->res.time.max_s;
    r->reps = o->res.time.reps;
    r->verified = o->res.verified;
    r->max_rel_error = o->res.verify.max_err_ratio;
    if (o->res.rows_checked < o->rows)
        r->rows_checked = (int64_t)o->res.rows_checked;
    snprintf(r->timing_method, sizeof r->timing_method, "%s", o->res.time.wallclock ? "wallclock" : "events");
    r->build_time_s = o->res.build_s;
    snprintf(r->params, sizeof r->params, "%s", o->res.params);
}

sr_code sr_record_network(sr_store *store, const sr_network *net, char uuid[SR_UUID_LEN], sr_err *err)
{
    const size_t nl = sr_network_n_layers(net);
    sr_layer_rec *layers = calloc(nl ? nl : 1, sizeof *layers);
    if (!layers)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory recording network %s", sr_network_name(net));
    for (size_t i = 0; i < nl; i++) {
        const sr_layer *l = sr_network_layer(net, i);
        snprintf(layers[i].name, sizeof layers[i].name, "%.*s", (int)sizeof layers[i].name - 1, l->name);
        snprintf(layers[i].kind, sizeof layers[i].kind, "%s", sr_layer_kind_name(l->kind));
        layers[i].m = l->m, layers[i].k = l->k, layers[i].n = l->n;
        layers[i].groups = (int)l->groups;
        layers[i].prunable = l->prunable;
    }
    sr_network_rec rec;
    memset(&rec, 0, sizeof rec);
    snprintf(rec.name, sizeof rec.name, "%.*s", (int)sizeof rec.name - 1, sr_network_name(net));
    snprintf(rec.description, sizeof rec.description, "%.*s", (int)sizeof rec.description - 1,
             sr_network_description(net));
    sr_code c = sr_store_put_network(store, &rec, layers, nl, uuid, err);
    free(layers);
    return c;
}

void sr_record_layer_prediction(const char *network_uuid, size_t i, const sr_network_prediction *res,
                                const sr_predict_opts *opts, const char *which, sr_measurement *m)
{
    const sr_layer_prediction *l = &res->layers[i];
    const int dense = res->pattern.kind == SR_PAT_DENSE;
    sr_measurement_init(m);
    snprintf(m->network_uuid, sizeof m->network_uuid, "%s", network_uuid);
    m->layer_index = (int)i;
    m->kind = SR_PREDICTED;
    m->pattern = res->pattern;
    m->sparsity = dense ? 0.0 : l->sparsity;
    m->dtype = opts->dtype;
    m->m = l->m, m->k = l->k, m->n = l->n;
    m->groups = (int)l->groups;
    m->batch = (int)opts->batch;
    m->nnz = (int64_t)l->nnz;
    m->flops = l->flops, m->bytes = l->bytes, m->ai = l->ai;
    m->predicted_time_s = l->time_s;
    snprintf(m->bound, sizeof m->bound, "%s", l->bound);
    snprintf(m->params, sizeof m->params, "ceilings=%s", which);
}
