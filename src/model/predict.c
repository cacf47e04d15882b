/* Network predictions over patterns x sparsities (see predict.h). */
#include "model/predict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/roofline.h"

/* First and last prunable layers; n_layers for both when there is none. */
static void prunable_ends(const sr_network *net, size_t *first, size_t *last)
{
    size_t n = sr_network_n_layers(net);
    *first = *last = n;
    for (size_t i = 0; i < n; i++)
        if (sr_network_layer(net, i)->prunable) {
            if (*first == n)
                *first = i;
            *last = i;
        }
}

int sr_predict_layer_pruned(const sr_network *net, size_t i, int prune_all)
{
    const sr_layer *l = sr_network_layer(net, i);
    if (!l || !l->prunable)
        return 0;
    size_t first, last;
    prunable_ends(net, &first, &last);
    return prune_all || (i != first && i != last);
}

static void fill_layer(sr_layer_prediction *lp, const sr_layer *l, int64_t batch,
                       const sr_roofline_point *pt)
{
    memset(lp, 0, sizeof *lp);
    memcpy(lp->name, l->name, sizeof lp->name);
    lp->kind = l->kind;
    sr_layer_batched(l, batch, &lp->m, &lp->k, &lp->n, &lp->groups);
    lp->nnz = pt->cost.nnz;
    lp->flops = pt->cost.flops;
    lp->bytes = pt->cost.bytes;
    lp->ai = pt->cost.ai;
    lp->extra_bytes = pt->extra_bytes;
    lp->gflops = pt->gflops;
    lp->gbps = pt->gbps;
    memcpy(lp->bound, pt->bound, sizeof lp->bound);
    lp->time_s = lp->dense_time_s = pt->time_s;
}

/* A layer's point: the roofline's, its time replaced by the device model's when there is
 * one (the non-GEMM term kept). */
static sr_code layer_point(const sr_layer *l, const sr_predict_opts *o, const sr_pattern *p, double s,
                           const sr_ceilings *c, sr_roofline_point *pt, sr_err *err)
{
    sr_code rc = sr_roofline_layer(l, o->batch, p, s, o->dtype, c, pt, err);
    if (rc != SR_OK || !o->dm)
        return rc;
    int64_t m, k, n, g;
    sr_layer_batched(l, o->batch, &m, &k, &n, &g);
    sr_device_time dt;
    rc = sr_device_model_time(o->dm, c, p, s, m, k, n, g, pt->cost.nnz / (double)g, &dt, err);
    if (rc != SR_OK)
        return sr_err_prefix(err, "layer %s", l->name);
    const sr_bw_level *dram = sr_ceilings_dram(c);
    pt->time_s = dt.time_s + pt->extra_bytes / (dram->gbps * 1e9);
    pt->gflops = dt.gflops;
    snprintf(pt->bound, sizeof pt->bound, "%s", dt.term);
    return SR_OK;
}

/* One result: every layer under pattern p at sparsity s, the rest copied from dense. */
static sr_code predict_one(const sr_network *net, const sr_ceilings *c, const sr_predict_opts *o,
                           const sr_layer_prediction *dense, const sr_pattern *p, double s,
                           sr_network_prediction *r, sr_err *err)
{
    size_t n = sr_network_n_layers(net), first, last;
    prunable_ends(net, &first, &last);
    r->pattern = *p;
    sr_pattern_name(p, r->pattern_name, sizeof r->pattern_name);
    r->sparsity = s;
    r->n_layers = n;
    if (!(r->layers = calloc(n, sizeof *r->layers)))
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory predicting %s", sr_network_name(net));
    for (size_t i = 0; i < n; i++) {
        const sr_layer *l = sr_network_layer(net, i);
        r->layers[i] = dense[i];
        int pruned = l->prunable && p->kind != SR_PAT_DENSE &&
                     (o->prune_all || (i != first && i != last));
        if (pruned) {
            sr_roofline_point pt;
            sr_code rc = layer_point(l, o, p, s, c, &pt, err);
            if (rc != SR_OK)
                return rc;
            fill_layer(&r->layers[i], l, o->batch, &pt);
            r->layers[i].dense_time_s = dense[i].time_s;
            r->layers[i].pruned = 1;
            r->layers[i].sparsity = s;
            r->n_pruned++;
        }
        r->dense_time_s += dense[i].time_s;
        r->time_s += r->layers[i].time_s;
    }
    r->speedup = r->time_s > 0 ? r->dense_time_s / r->time_s : 0.0;
    /* the inputs are bounded so that this cannot happen; were it to, say so rather than
     * print inf or nan */
    if (!isfinite(r->time_s) || !isfinite(r->dense_time_s) || !(r->speedup > 0) ||
        !isfinite(r->speedup))
        return sr_err_set(err, SR_ERR_ARG, "network %s on %s: the prediction for %s overflows "
                          "(time %g s, dense %g s): a layer's figures are beyond what the model "
                          "can take", sr_network_name(net), c->device, r->pattern_name, r->time_s,
                          r->dense_time_s);
    return SR_OK;
}

static sr_code check_args(const sr_network *net, const sr_ceilings *c, const sr_predict_opts *o,
                          const sr_pattern *patterns, size_t n_patterns, const double *sparsities,
                          size_t n_sparsities, size_t *n_results, sr_err *err)
{
    if (sr_network_n_layers(net) == 0)
        return sr_err_set(err, SR_ERR_ARG, "network %s has no layers", sr_network_name(net));
    sr_code rc = sr_ceilings_validate(c, err);
    if (rc != SR_OK)
        return rc;
    if (o->batch < 1 || o->batch > SR_DIM_MAX)
        return sr_err_set(err, SR_ERR_ARG, "batch %lld must be 1 to %lld", (long long)o->batch,
                          (long long)SR_DIM_MAX);
    if (n_patterns == 0)
        return sr_err_set(err, SR_ERR_ARG, "no pattern to predict");
    for (size_t j = 0; j < n_sparsities; j++)
        if (!(sparsities[j] >= 0.0 && sparsities[j] <= 1.0))
            return sr_err_set(err, SR_ERR_ARG, "sparsity %g must be between 0 and 1", sparsities[j]);
    *n_results = 0;
    for (size_t i = 0; i < n_patterns; i++) {
        double fixed;
        if (sr_pattern_fixed_sparsity(&patterns[i], &fixed)) {
            (*n_results)++;
            continue;
        }
        if (n_sparsities == 0) {
            char name[SR_NAME_MAX];
            sr_pattern_name(&patterns[i], name, sizeof name);
            return sr_err_set(err, SR_ERR_ARG, "pattern %s needs at least one sparsity", name);
        }
        *n_results += n_sparsities;
    }
    return SR_OK;
}

sr_code sr_predict(const sr_network *net, const sr_ceilings *c, const sr_predict_opts *opts,
                   const sr_pattern *patterns, size_t n_patterns, const double *sparsities,
                   size_t n_sparsities, sr_prediction **out, sr_err *err)
{
    *out = NULL;
    size_t n_results = 0;
    sr_code rc = check_args(net, c, opts, patterns, n_patterns, sparsities, n_sparsities,
                            &n_results, err);
    if (rc != SR_OK)
        return rc;
    size_t n = sr_network_n_layers(net);
    sr_prediction *pred = calloc(1, sizeof *pred);
    sr_layer_prediction *dense = calloc(n, sizeof *dense);
    if (!pred || !dense || !(pred->results = calloc(n_results, sizeof *pred->results))) {
        free(dense);
        sr_prediction_free(pred);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory predicting %s", sr_network_name(net));
    }
    snprintf(pred->network, sizeof pred->network, "%s", sr_network_name(net));
    snprintf(pred->device, sizeof pred->device, "%s", c->device);
    pred->opts = *opts;
    const sr_pattern dense_pattern = {.kind = SR_PAT_DENSE};
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        sr_roofline_point pt;
        const sr_layer *l = sr_network_layer(net, i);
        rc = layer_point(l, opts, &dense_pattern, 0.0, c, &pt, err);
        if (rc == SR_OK)
            fill_layer(&dense[i], l, opts->batch, &pt);
    }
    for (size_t i = 0; i < n_patterns && rc == SR_OK; i++) {
        double fixed;
        int is_fixed = sr_pattern_fixed_sparsity(&patterns[i], &fixed);
        for (size_t j = 0; j < (is_fixed ? 1 : n_sparsities) && rc == SR_OK; j++)
            rc = predict_one(net, c, opts, dense, &patterns[i], is_fixed ? fixed : sparsities[j],
                             &pred->results[pred->n_results++], err);
    }
    free(dense);
    if (rc != SR_OK) {
        sr_prediction_free(pred);
        return rc;
    }
    *out = pred;
    return SR_OK;
}

void sr_prediction_free(sr_prediction *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_results; i++)
        free(p->results[i].layers);
    free(p->results);
    free(p);
}
