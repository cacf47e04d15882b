/* Building Sparsity Roofline curves from the store's rows (query/curve.h). */
#include "query/curve.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/network.h"
#include "query/accuracy.h"

static const double budgets[SR_CURVE_BUDGETS] = {0.5, 1, 2, 5};

#define SAME_SPARSITY 1e-6

/* One kind's network time at sparsity s of a pattern: exact, or interpolated between the
 * nearest stored sparsities on each side. 0 when neither. */
static int time_at(const sr_speedup_row *rows, size_t n, const char *pattern, double s,
                   int measured, double *dense, double *sparse, int *interpolated)
{
    const sr_speedup_row *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        const sr_speedup_row *r = &rows[i];
        double d = measured ? r->measured_dense_s : r->predicted_dense_s;
        double t = measured ? r->measured_sparse_s : r->predicted_sparse_s;
        /* the view keeps the dense time of a layer without a sparse row: a "measured"
         * total with no sparse layer measured is the dense time again, not a speedup */
        if (strcmp(r->pattern, pattern) != 0 || !(d > 0) || !(t > 0) ||
            (measured && r->layers_measured == 0))
            continue;
        if (fabs(r->sparsity - s) < SAME_SPARSITY) {
            *dense = d, *sparse = t, *interpolated = 0;
            return 1;
        }
        if (r->sparsity < s && (!lo || r->sparsity > lo->sparsity))
            lo = r;
        if (r->sparsity > s && (!hi || r->sparsity < hi->sparsity))
            hi = r;
    }
    if (!lo || !hi)
        return 0;
    double f = (s - lo->sparsity) / (hi->sparsity - lo->sparsity);
#define LERP(field) (lo->field + f * (hi->field - lo->field))
    *dense = measured ? LERP(measured_dense_s) : LERP(predicted_dense_s);
    *sparse = measured ? LERP(measured_sparse_s) : LERP(predicted_sparse_s);
#undef LERP
    *interpolated = 1;
    return 1;
}

int sr_curve_speedup(const sr_speedup_row *rows, size_t n, const char *pattern,
                     double sparsity, sr_speedup_at *out)
{
    out->predicted = out->measured = NAN;
    out->interpolated = 0;
    if (strcmp(pattern, "dense") == 0) { /* the baseline itself, where the set has it */
        for (size_t i = 0; i < n; i++) {
            if (rows[i].predicted_dense_s > 0)
                out->predicted = 1;
            if (rows[i].measured_dense_s > 0)
                out->measured = 1;
        }
        return n > 0;
    }
    for (int m = 0; m < 2; m++) {
        double dense, sparse;
        int interp;
        if (!time_at(rows, n, pattern, sparsity, m, &dense, &sparse, &interp))
            continue;
        *(m ? &out->measured : &out->predicted) = dense / sparse;
        out->interpolated |= interp;
    }
    return !isnan(out->predicted) || !isnan(out->measured);
}

void sr_curve_set_free(sr_curve_set *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_curves; i++)
        free(c->curves[i].pts);
    free(c->curves);
    for (size_t i = 0; i < c->n_notes; i++)
        free(c->notes[i]);
    free(c->notes);
    free(c);
}

static sr_code note(sr_curve_set *c, sr_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static sr_code note(sr_curve_set *c, sr_err *err, const char *fmt, ...)
{
    char **grown = realloc(c->notes, (c->n_notes + 1) * sizeof *grown);
    char *text = malloc(512);
    if (!grown || !text) {
        if (grown)
            c->notes = grown;
        free(text);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory building curves");
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, 512, fmt, ap);
    va_end(ap);
    c->notes = grown;
    c->notes[c->n_notes++] = text;
    return SR_OK;
}

/* Whether pattern passes the --patterns filter (canonical names). */
static int wanted(const char *filter, const char *pattern)
{
    if (!filter)
        return 1;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", filter);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        sr_pattern p;
        char name[SR_NAME_MAX];
        if (sr_pattern_parse(t, &p, NULL) != SR_OK)
            continue;
        sr_pattern_name(&p, name, sizeof name);
        if (strcmp(name, pattern) == 0)
            return 1;
    }
    return 0;
}

static sr_curve *curve_for(sr_curve_set *c, const char *pattern, const char *source,
                           const char *method, sr_err *err)
{
    for (size_t i = 0; i < c->n_curves; i++)
        if (strcmp(c->curves[i].pattern, pattern) == 0 && strcmp(c->curves[i].source, source) == 0)
            return &c->curves[i];
    sr_curve *grown = realloc(c->curves, (c->n_curves + 1) * sizeof *grown);
    if (!grown) {
        sr_err_set(err, SR_ERR_NOMEM, "out of memory building curves");
        return NULL;
    }
    c->curves = grown;
    sr_curve *k = &c->curves[c->n_curves++];
    memset(k, 0, sizeof *k);
    snprintf(k->pattern, sizeof k->pattern, "%s", pattern);
    snprintf(k->source, sizeof k->source, "%s", source);
    snprintf(k->method, sizeof k->method, "%s", method);
    k->dense_accuracy = NAN;
    return k;
}

static sr_code add_point(sr_curve *k, const sr_curve_point *p, sr_err *err)
{
    sr_curve_point *grown = realloc(k->pts, (k->n + 1) * sizeof *grown);
    if (!grown)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory building curves");
    k->pts = grown;
    size_t i = k->n++;
    while (i > 0 && k->pts[i - 1].sparsity > p->sparsity) { /* keep them by sparsity */
        k->pts[i] = k->pts[i - 1];
        i--;
    }
    k->pts[i] = *p;
    return SR_OK;
}

/* The speedups the options let through. */
static void keep_sources(const sr_curve_set *c, sr_speedup_at *at)
{
    if (!(c->sources & SR_CURVE_PREDICTED))
        at->predicted = NAN;
    if (!(c->sources & SR_CURVE_MEASURED))
        at->measured = NAN;
}

/* Without accuracy figures: one curve per pattern through its stored sparsities. */
static sr_code speedup_curves(sr_curve_set *c, const sr_curve_opts *o, const sr_speedup_row *rows,
                              size_t n, sr_err *err)
{
    sr_code rc = SR_OK;
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        if (!wanted(o->patterns, rows[i].pattern))
            continue;
        sr_speedup_at at;
        sr_curve_speedup(rows, n, rows[i].pattern, rows[i].sparsity, &at);
        keep_sources(c, &at);
        if (isnan(at.predicted) && isnan(at.measured))
            continue;
        sr_curve *k = curve_for(c, rows[i].pattern, "", "", err);
        sr_curve_point p = {rows[i].sparsity, NAN, at.predicted, at.measured, 0};
        rc = k ? add_point(k, &p, err) : SR_ERR_NOMEM;
    }
    return rc;
}

/* The dataset and metric with the most figures, unless the options name them. */
static sr_code pick_metric(sr_curve_set *c, const sr_curve_opts *o, const sr_accuracy_rec *acc,
                           size_t n, sr_err *err)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        if ((o->metric && strcmp(acc[i].metric, o->metric)) ||
            (o->dataset && strcmp(acc[i].dataset, o->dataset)))
            continue;
        size_t count = 0;
        for (size_t j = 0; j < n; j++)
            count += strcmp(acc[i].metric, acc[j].metric) == 0 &&
                     strcmp(acc[i].dataset, acc[j].dataset) == 0;
        if (count > best) {
            best = count;
            snprintf(c->metric, sizeof c->metric, "%s", acc[i].metric);
            snprintf(c->dataset, sizeof c->dataset, "%s", acc[i].dataset);
        }
    }
    if (best == 0 && (o->metric || o->dataset))
        return sr_err_set(err, SR_ERR_NOTFOUND, "no accuracy figures of %s with metric %s and "
                          "dataset %s (sparseroof accuracy list --network %s)", o->network,
                          o->metric ? o->metric : "(any)", o->dataset ? o->dataset : "(any)",
                          o->network);
    c->with_accuracy = best > 0;
    return SR_OK;
}

static void answer(sr_curve_set *c, const sr_curve *k, const sr_curve_point *p)
{
    if (isnan(k->dense_accuracy) || strcmp(k->pattern, "dense") == 0)
        return;
    int measured = !isnan(p->measured);
    double speedup = measured ? p->measured : p->predicted, delta = p->accuracy - k->dense_accuracy;
    if (!(speedup > 0))
        return;
    for (size_t b = 0; b < SR_CURVE_BUDGETS; b++) {
        sr_curve_answer *a = &c->answers[b];
        if (delta < -a->budget - 1e-9)
            continue;
        if (a->found && (speedup < a->speedup || (speedup == a->speedup && p->accuracy <= a->accuracy)))
            continue;
        a->found = 1;
        snprintf(a->pattern, sizeof a->pattern, "%s", k->pattern);
        snprintf(a->source, sizeof a->source, "%s", k->source);
        a->sparsity = p->sparsity, a->speedup = speedup, a->accuracy = p->accuracy;
        a->dense_accuracy = k->dense_accuracy, a->measured = measured;
        a->interpolated = p->interpolated;
    }
}

static sr_code accuracy_curves(sr_curve_set *c, const sr_curve_opts *o, const sr_speedup_row *rows,
                               size_t n, const sr_accuracy_rec *acc, size_t na, sr_err *err)
{
    sr_code rc = SR_OK;
    size_t unmatched = 0;
    for (size_t i = 0; i < na && rc == SR_OK; i++) {
        const sr_accuracy_rec *a = &acc[i];
        if (strcmp(a->metric, c->metric) || strcmp(a->dataset, c->dataset))
            continue;
        long b = sr_accuracy_baseline(acc, na, i);
        int dense = strcmp(a->pattern, "dense") == 0;
        if (!dense && !wanted(o->patterns, a->pattern))
            continue;
        if (c->relative && b < 0) {
            rc = note(c, err, "%s at %g (%s): no dense figure of that source, so no drop to draw",
                      a->pattern, a->sparsity, a->source);
            continue;
        }
        sr_speedup_at at;
        if (!sr_curve_speedup(rows, n, a->pattern, a->sparsity, &at)) {
            int stored = 0;
            for (size_t r = 0; r < n; r++)
                stored |= strcmp(rows[r].pattern, a->pattern) == 0;
            if (stored)
                rc = note(c, err, "%s at %g (%s): outside the stored sparsities of %s, "
                                     "not extrapolated", a->pattern, a->sparsity, a->source, a->pattern);
            else
                unmatched++;
            continue;
        }
        keep_sources(c, &at);
        if (isnan(at.predicted) && isnan(at.measured))
            continue;
        /* a source's dense point starts each of its curves: added below, once they exist */
        if (dense)
            continue;
        sr_curve *k = curve_for(c, a->pattern, a->source, a->method, err);
        if (!k)
            return SR_ERR_NOMEM;
        k->dense_accuracy = b >= 0 ? acc[b].value : NAN;
        sr_curve_point p = {a->sparsity, a->value, at.predicted, at.measured, at.interpolated};
        rc = add_point(k, &p, err);
        if (rc == SR_OK)
            answer(c, k, &k->pts[k->n - 1]);
    }
    for (size_t i = 0; i < c->n_curves && rc == SR_OK; i++) {
        sr_curve *k = &c->curves[i];
        sr_speedup_at one;
        sr_curve_speedup(rows, n, "dense", 0, &one);
        keep_sources(c, &one);
        if (isnan(k->dense_accuracy) || (isnan(one.predicted) && isnan(one.measured)))
            continue;
        sr_curve_point p = {0, k->dense_accuracy, one.predicted, one.measured, 0};
        rc = add_point(k, &p, err);
    }
    if (rc == SR_OK && unmatched)
        rc = note(c, err, "%zu figure%s of patterns with no stored timings on this device", unmatched,
                  unmatched == 1 ? "" : "s");
    return rc;
}

/* The set to draw: on the device asked for (else the newest), with its dtype and batch. */
static sr_code pick_set(sr_store *s, const sr_curve_opts *o, sr_curve_set *c, sr_err *err)
{
    sr_speedup_set *sets = NULL;
    size_t n = 0;
    char dev[SR_UUID_LEN] = "";
    sr_code rc = SR_OK;
    if (o->device)
        rc = sr_store_find_device(s, o->device, dev, err);
    if (rc == SR_OK)
        rc = sr_store_speedup_sets(s, o->network, &sets, &n, err);
    if (rc != SR_OK)
        return rc;
    c->n_sets = n;
    size_t pick = n;
    for (size_t i = 0; i < n && pick == n; i++)
        if ((!dev[0] || strcmp(sets[i].device_uuid, dev) == 0) &&
            (!o->dtype || strcmp(sets[i].dtype, o->dtype) == 0) && (!o->batch || sets[i].batch == o->batch))
            pick = i;
    if (pick < n) {
        c->set = sets[pick];
        free(sets);
        return SR_OK;
    }
    char have[512] = "";
    for (size_t i = 0, len = 0; i < n && len < sizeof have - 64; i++)
        len += (size_t)snprintf(have + len, sizeof have - len, "%s%s (batch %d, %s)", i ? ", " : "",
                                sets[i].device, sets[i].batch, sets[i].dtype);
    free(sets);
    if (n == 0) {
        int known = 0;
        for (size_t i = 0; sr_network_builtin_name(i); i++)
            known |= strcmp(sr_network_builtin_name(i), o->network) == 0;
        char uuid[SR_UUID_LEN];
        if (!known && sr_store_find_network(s, o->network, uuid, NULL) != SR_OK)
            return sr_err_set(err, SR_ERR_NOTFOUND, "unknown network '%s' (sparseroof networks "
                              "lists the built-in ones)", o->network);
        return sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s in %s: 'sparseroof predict "
                          "--network %s ...' (or bench) stores them", o->network,
                          sr_store_path(s), o->network);
    }
    return sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s on %s%s%s%s; stored: %s", o->network,
                      o->device ? o->device : "any device", o->dtype ? " in " : "",
                      o->dtype ? o->dtype : "", o->batch ? " at that batch" : "", have);
}

sr_code sr_curve_build(sr_store *s, const sr_curve_opts *o, sr_curve_set **out, sr_err *err)
{
    *out = NULL;
    sr_curve_set *c = calloc(1, sizeof *c);
    if (!c)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory building curves");
    c->relative = o->relative;
    c->sources = o->sources ? o->sources : SR_CURVE_BOTH;
    for (size_t b = 0; b < SR_CURVE_BUDGETS; b++)
        c->answers[b].budget = budgets[b];
    sr_speedup_row *rows = NULL;
    sr_accuracy_rec *acc = NULL;
    size_t n = 0, na = 0;
    sr_code rc = pick_set(s, o, c, err);
    if (rc == SR_OK)
        rc = sr_store_speedup_rows(s, &c->set, &rows, &n, err);
    if (rc == SR_OK)
        rc = sr_store_get_accuracy(s, o->network, &acc, &na, err);
    if (rc == SR_OK)
        rc = pick_metric(c, o, acc, na, err);
    if (rc == SR_OK && c->with_accuracy)
        rc = accuracy_curves(c, o, rows, n, acc, na, err);
    else if (rc == SR_OK)
        rc = speedup_curves(c, o, rows, n, err);
    if (rc == SR_OK && c->n_curves == 0)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "nothing to draw for %s on %s: no %s speedup%s%s",
                        o->network, c->set.device,
                        c->sources == SR_CURVE_MEASURED ? "measured" :
                        c->sources == SR_CURVE_PREDICTED ? "predicted" : "stored",
                        o->patterns ? " of the patterns " : "", o->patterns ? o->patterns : "");
    for (size_t i = 0; i < c->n_curves; i++)
        c->answered |= c->with_accuracy && !isnan(c->curves[i].dense_accuracy);
    free(rows);
    free(acc);
    if (rc != SR_OK) {
        sr_curve_set_free(c);
        return rc;
    }
    *out = c;
    return SR_OK;
}
