/* The network sweep: layer x config jobs, shared shapes measured once, rows stored as
 * they come. */
#include "session/sweep.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/predict.h"
#include "session/params.h"
#include "session/records.h"
#include "sparse/read.h"

sr_code sr_sweep_configs(const sr_pattern *patterns, size_t n_patterns, const double *sparsities,
                         size_t n_sparsities, sr_sweep_opts *o, sr_err *err)
{
    o->n_configs = 0;
    o->configs[o->n_configs++] = (sr_sweep_config){{.kind = SR_PAT_DENSE}, 0.0};
    for (size_t p = 0; p < n_patterns; p++) {
        double fixed;
        if (patterns[p].kind == SR_PAT_DENSE)
            continue;
        const int is_fixed = sr_pattern_fixed_sparsity(&patterns[p], &fixed);
        if (!is_fixed && n_sparsities == 0)
            return sr_err_set(err, SR_ERR_ARG, "pattern needs a sparsity: give --sparsities");
        for (size_t s = 0; s < (is_fixed ? 1 : n_sparsities); s++) {
            if (o->n_configs == SR_SWEEP_MAX_CONFIGS)
                return sr_err_set(err, SR_ERR_ARG, "at most %d pattern and sparsity pairs", SR_SWEEP_MAX_CONFIGS);
            o->configs[o->n_configs++] = (sr_sweep_config){patterns[p], is_fixed ? fixed : sparsities[s]};
        }
    }
    return SR_OK;
}

sr_code sr_sweep_layer_weights(const char *dir, const sr_layer *l, float **w, sr_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.npy", dir, l->name);
    int m = 0, k = 0;
    *w = NULL;
    sr_code c = sr_read_npy(path, w, &m, &k, err);
    if (c == SR_OK && ((int64_t)m != l->m * l->groups || (int64_t)k != l->k)) {
        c = sr_err_set(err, SR_ERR_FORMAT,
                       "%s: holds a %d x %d matrix, but layer %s needs %lld x %lld (groups x out, in x kernel)",
                       path, m, k, l->name, (long long)(l->m * l->groups), (long long)l->k);
        free(*w);
        *w = NULL;
    }
    if (c != SR_OK && c != SR_ERR_NOMEM)
        err->code = SR_ERR_FORMAT; /* a missing or bad file is bad input */
    return c;
}

sr_code sr_sweep_check_weights(const sr_sweep_opts *o, sr_err *err)
{
    if (!o->weights_dir)
        return SR_OK;
    for (size_t i = 0; i < sr_network_n_layers(o->net); i++) {
        const sr_layer *l = sr_network_layer(o->net, i);
        if (!l->prunable)
            continue;
        float *w = NULL;
        sr_code c = sr_sweep_layer_weights(o->weights_dir, l, &w, err);
        free(w);
        if (c != SR_OK)
            return c;
    }
    return SR_OK;
}

typedef struct {
    int64_t m, k, n, g;
    sr_kernel_spec spec;
    sr_kernel_outcome out;
    double device_s; /* the device model's time (NAN: none) */
} measured;

const sr_layer_row *sr_sweep_find_row(const sr_layer_row *rows, size_t n, size_t layer, const sr_sweep_config *cfg,
                                      int verified_only)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(&cfg->pattern, name, sizeof name);
    const sr_layer_row *hit = NULL;
    for (size_t i = 0; i < n; i++) /* the newest row wins */
        if (rows[i].layer_index == (int)layer && strcmp(rows[i].pattern, name) == 0 &&
            fabs(rows[i].sparsity - cfg->sparsity) < 1e-9 && (!verified_only || rows[i].verified))
            hit = &rows[i];
    return hit;
}

static int layer_in(const sr_sweep_opts *o, size_t i, const sr_sweep_config *cfg)
{
    return cfg->pattern.kind == SR_PAT_DENSE || sr_predict_layer_pruned(o->net, i, o->prune_all);
}

static uint64_t shape_seed(uint64_t seed, int64_t m, int64_t k, int64_t n, int64_t g)
{
    uint64_t h = seed ^ 0xcbf29ce484222325ULL;
    const int64_t v[4] = {m, k, n, g};
    for (int i = 0; i < 4; i++)
        h = (h ^ (uint64_t)v[i]) * 0x100000001b3ULL;
    return h;
}

/* Runs one layer's kernel: the weights (the file's or random), the verified and timed run. */
/* Problems made once and kept for the sweep's other patterns and sparsities (its weights
 * and inputs do not depend on them), up to a memory budget. */
#define PROBLEM_CACHE_BYTES (512.0 * 1024 * 1024)

typedef struct {
    int own;        /* 1: layer's own weights (a weights directory); 0: any layer of its shape */
    size_t layer;
    sr_problem p;
} cached_problem;

typedef struct {
    cached_problem *items;
    size_t n, cap;
    double bytes;
} problem_cache;

static void cache_free(problem_cache *pc)
{
    for (size_t i = 0; i < pc->n; i++)
        sr_problem_free(&pc->items[i].p);
    free(pc->items);
}

static double problem_bytes(const sr_problem *p)
{
    return 4.0 * p->groups * ((double)p->m * p->k + (double)p->k * p->n);
}

/* The problem of layer i (its shape; with --weights its own weights): from the cache, or
 * made (and kept while the budget allows). *made receives one to free when not kept. */
static sr_code problem_for(problem_cache *pc, const sr_sweep_opts *o, size_t i, const sr_layer *l,
                           const measured *r, const sr_problem **out, sr_problem *made, sr_err *err)
{
    const int own = o->weights_dir && l->prunable;
    for (size_t j = 0; j < pc->n; j++) {
        const sr_problem *p = &pc->items[j].p;
        if (own ? pc->items[j].own && pc->items[j].layer == i
                : !pc->items[j].own && p->m == r->m && p->k == r->k && p->n == r->n && p->groups == r->g) {
            *out = p;
            return SR_OK;
        }
    }
    float *w = NULL;
    sr_code c = own ? sr_sweep_layer_weights(o->weights_dir, l, &w, err) : SR_OK;
    if (c == SR_OK)
        c = sr_problem_make_groups((int)r->m, (int)r->k, (int)r->n, (int)r->g, w,
                                   shape_seed(o->seed, r->m, r->k, r->n, r->g), made, err);
    free(w);
    if (c != SR_OK)
        return c;
    *out = made;
    const double b = problem_bytes(made);
    if (pc->bytes + b > PROBLEM_CACHE_BYTES)
        return SR_OK;
    if (pc->n == pc->cap) {
        const size_t cap = pc->cap ? 2 * pc->cap : 32;
        cached_problem *g = realloc(pc->items, cap * sizeof *g);
        if (!g)
            return SR_OK; /* not kept: made again when needed */
        pc->items = g, pc->cap = cap;
    }
    pc->items[pc->n] = (cached_problem){own, i, *made};
    *out = &pc->items[pc->n].p;
    pc->n++;
    pc->bytes += b;
    memset(made, 0, sizeof *made); /* the cache owns it now */
    return SR_OK;
}

static sr_code measure(sr_session *s, problem_cache *pc, const sr_sweep_opts *o, size_t i, const sr_layer *l,
                       measured *r, const sr_ceilings *ceil, double *problem_s, sr_err *err)
{
    sr_problem made = {0};
    const sr_problem *prob = NULL;
    const double t0 = sr_wall_seconds();
    sr_code c = problem_for(pc, o, i, l, r, &prob, &made, err);
    *problem_s += sr_wall_seconds() - t0;
    if (c == SR_OK)
        c = sr_kernel_run(s->cl, prob, &r->spec, ceil, &(sr_kernel_hooks){.stop = s->interrupted}, &r->out, err);
    sr_problem_free(&made);
    /* the device model's time of the same work, the launches left out as the measured
     * event time leaves them out */
    sr_device_time dt;
    r->device_s = NAN;
    if (c == SR_OK && o->dm &&
        sr_device_model_time(o->dm, ceil, &r->spec.pattern, r->spec.sparsity, r->m, r->k, r->n, r->g,
                             (double)r->out.nnz / (double)r->g, &dt, NULL) == SR_OK)
        r->device_s = dt.kernel_s;
    return c;
}

/* The parameters for the layer's shape: tuned ones where stored and they can run there,
 * else the defaults (note says why, when tuned ones were passed over). */
static sr_code params_for(const sr_session *s, measured *r, char *note, size_t note_size, sr_err *err)
{
    sr_params_source src;
    return sr_session_params_fit(s, &r->spec, (int)r->m, (int)r->k, (int)r->n, (int)r->g, NULL, &src, note,
                                 note_size, err);
}

/* Stores the row of layer i of network net_uuid from a measurement. */
static sr_code store_row(sr_session *s, const char *net_uuid, size_t i, const sr_sweep_opts *o, const measured *r,
                         sr_err *err)
{
    sr_measurement m;
    sr_record_kernel(&r->spec, (int)r->m, (int)r->k, (int)r->n, (int)r->g, &r->out, &m);
    m.device_time_s = r->device_s;
    snprintf(m.network_uuid, sizeof m.network_uuid, "%s", net_uuid);
    m.layer_index = (int)i;
    m.batch = (int)o->batch;
    return sr_store_put_measurements(s->store, &m, 1, err);
}

sr_code sr_sweep_run(sr_session *s, const char *net_uuid, const sr_sweep_opts *o, const sr_ceilings *ceil,
                     const sr_layer_row *done, size_t n_done, sr_sweep_progress progress, void *ctx,
                     sr_sweep_stats *st, sr_err *err)
{
    memset(st, 0, sizeof *st);
    const size_t nl = sr_network_n_layers(o->net);
    sr_sweep_event ev = {0};
    for (size_t c = 0; c < o->n_configs; c++)
        for (size_t i = 0; i < nl; i++)
            ev.total += layer_in(o, i, &o->configs[c]);
    measured *cache = calloc(nl ? nl : 1, sizeof *cache);
    if (!cache)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for the sweep of %zu layers", nl);
    const double t0 = sr_wall_seconds();
    int built0, loaded0;
    sr_cl_program_counts(s->cl, &built0, &loaded0);
    sr_code rc = SR_OK;
    problem_cache pc = {0};
    for (size_t c = 0; c < o->n_configs && rc == SR_OK; c++) {
        const sr_sweep_config *cfg = &o->configs[c];
        size_t n_cache = 0;
        for (size_t i = 0; i < nl && rc == SR_OK; i++) {
            if (!layer_in(o, i, cfg))
                continue;
            if (s->interrupted && s->interrupted()) {
                rc = sr_err_set(err, SR_ERR_INTERRUPTED, "interrupted");
                break;
            }
            const sr_layer *l = sr_network_layer(o->net, i);
            measured r = {.spec = {.pattern = cfg->pattern, .sparsity = cfg->sparsity, .reps = o->reps,
                                   .min_time_s = o->min_time_s, .check_macs = o->check_macs}};
            sr_layer_batched(l, o->batch, &r.m, &r.k, &r.n, &r.g);
            ev.reused = ev.resumed = 0;
            ev.skipped = ev.params_note = NULL;
            char why[sizeof err->msg], note[sizeof err->msg] = "";
            size_t hit = n_cache;
            if (!o->weights_dir || !l->prunable)
                for (hit = 0; hit < n_cache; hit++)
                    if (cache[hit].m == r.m && cache[hit].k == r.k && cache[hit].n == r.n && cache[hit].g == r.g)
                        break;
            if (sr_sweep_find_row(done, n_done, i, cfg, 0)) {
                ev.resumed = 1;
                st->resumed++;
            } else if (hit < n_cache) {
                ev.reused = 1;
                st->reused++;
                rc = store_row(s, net_uuid, i, o, &cache[hit], err);
            } else if (r.m > INT_MAX || r.k > INT_MAX || r.n > INT_MAX || r.g > INT_MAX ||
                       (rc = params_for(s, &r, note, sizeof note, err)) != SR_OK ||
                       sr_kernel_check(s->dev, (int)r.m, (int)r.k, (int)r.n, (int)r.g, &r.spec, err) != SR_OK) {
                /* the kernel cannot take this layer: it keeps its dense time, and says so */
                snprintf(why, sizeof why, "%s", r.m > INT_MAX || r.k > INT_MAX || r.n > INT_MAX || r.g > INT_MAX
                                                    ? "a dimension beyond 2^31"
                                                    : err->msg);
                ev.skipped = why;
                st->skipped++;
            } else if ((rc = measure(s, &pc, o, i, l, &r, ceil, &st->problem_s, err)) == SR_OK) {
                st->measured++;
                st->params_defaulted += note[0] != '\0';
                ev.params_note = note[0] ? note : NULL;
                st->kernel_s += r.out.res.device_s;
                st->build_s += r.out.res.build_s;
                st->prune_s += r.out.prune_s;
                st->setup_s += r.out.res.setup_s;
                st->first_s += r.out.res.first_s;
                st->verify_s += r.out.res.verify_s;
                st->sampled += r.out.res.rows_checked < r.out.rows;
                const double t_store = sr_wall_seconds();
                rc = store_row(s, net_uuid, i, o, &r, err);
                st->store_s += sr_wall_seconds() - t_store;
                cache[n_cache++] = r;
            } else if (rc == SR_ERR_UNSUPPORTED) {
                /* the driver cannot run this kernel right (a defect it names): the layer
                 * keeps its dense time, and says why */
                snprintf(why, sizeof why, "%s", err->msg);
                ev.skipped = why;
                st->skipped++;
                rc = SR_OK;
            } else {
                sr_err_prefix(err, "layer %s", l->name);
            }
            ev.done++;
            ev.layer = l->name;
            ev.layer_index = i;
            ev.config = cfg;
            ev.elapsed_s = sr_wall_seconds() - t0;
            ev.eta_s = ev.elapsed_s / (double)ev.done * (double)(ev.total - ev.done);
            if (rc == SR_OK && progress)
                progress(ctx, &ev);
        }
    }
    st->wall_s = sr_wall_seconds() - t0;
    sr_cl_program_counts(s->cl, &st->built, &st->loaded);
    st->built -= built0, st->loaded -= loaded0;
    cache_free(&pc);
    free(cache);
    return rc;
}
