/* The roofline's ceilings and points read from the store (query/roofline.h). */
#include "query/roofline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/lookup.h"

/* Patterns whose tuned kernels are looked up even when no point of theirs is stored. */
static const char *const usual_patterns[] = {"dense", "unstructured", "block:4x4", "block:16x16", "2:4"};

const char *sr_roof_kind_name(sr_roof_kind k)
{
    static const char *const names[] = {"bandwidth", "compute", "defined", "tuned", "calibrated"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

void sr_roofline_free(sr_roofline *r)
{
    if (!r)
        return;
    free(r->roofs);
    free(r->pts);
    free(r);
}

static sr_code add_roof(sr_roofline *r, sr_roof_kind kind, const char *name, const char *dtype,
                        double value, sr_err *err)
{
    if (!(value > 0) || !isfinite(value))
        return SR_OK;
    sr_roof *grown = realloc(r->roofs, (r->n_roofs + 1) * sizeof *grown);
    if (!grown)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading ceilings");
    r->roofs = grown;
    sr_roof *f = &r->roofs[r->n_roofs++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->value = value;
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->dtype, sizeof f->dtype, "%s", dtype ? dtype : "");
    return SR_OK;
}

/* The device's current ceilings (v_ceiling), by kind. */
static sr_code read_ceilings(sr_store *s, sr_roofline *r, sr_err *err)
{
    sr_ceiling_row *rows = NULL;
    size_t n = 0;
    sr_code rc = sr_store_ceiling_rows(s, r->device_uuid, &rows, &n, err);
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        const sr_ceiling_row *c = &rows[i];
        r->is_virtual |= strcmp(c->method, "defined") == 0;
        if (strcmp(c->kind, "bandwidth") == 0)
            rc = add_roof(r, SR_ROOF_BANDWIDTH, c->name, NULL, c->value, err);
        else if (strcmp(c->kind, "compute") == 0 && c->supported != 0)
            rc = add_roof(r, SR_ROOF_COMPUTE, c->name, c->name, c->value, err);
        else if (strcmp(c->kind, "pattern") == 0)
            rc = add_roof(r, SR_ROOF_DEFINED, c->name, NULL, c->value, err);
        else if (strcmp(c->kind, "calibration") == 0)
            rc = add_roof(r, SR_ROOF_CALIBRATED, c->name, NULL, c->value, err);
    }
    free(rows);
    return rc;
}

static int tuned_known(const sr_roofline *r, const char *pattern, const char *dtype)
{
    for (size_t i = 0; i < r->n_roofs; i++)
        if (r->roofs[i].kind == SR_ROOF_TUNED && strcmp(r->roofs[i].name, pattern) == 0 &&
            strcmp(r->roofs[i].dtype, dtype) == 0)
            return 1;
    return 0;
}

/* The best tuned kernel of one pattern and dtype, tuned on this very device. */
static sr_code tuned_roof(sr_store *s, sr_roofline *r, const char *pattern, const char *dtype,
                          sr_err *err)
{
    sr_dtype d;
    if (!sr_dtype_parse(dtype, &d) || tuned_known(r, pattern, dtype))
        return SR_OK;
    sr_tuned_rec t;
    sr_err none;
    if (sr_store_get_tuned(s, r->device_uuid, pattern, d, 0, 0, 0, &t, &none) != SR_OK ||
        t.tier != SR_TUNED_EXACT)
        return SR_OK;
    return add_roof(r, SR_ROOF_TUNED, pattern, dtype, t.gflops, err);
}

/* The same layer (or free shape) in the same configuration. */
static int same_config(const sr_roofline_row *a, const sr_roofline_row *b)
{
    return a->layer == b->layer && a->m == b->m && a->k == b->k && a->n == b->n &&
           a->batch == b->batch && fabs(a->sparsity - b->sparsity) < 1e-9 &&
           strcmp(a->pattern, b->pattern) == 0 && strcmp(a->dtype, b->dtype) == 0 &&
           strcmp(a->network, b->network) == 0;
}

static sr_code read_points(sr_store *s, const sr_roofline_opts *o, sr_roofline *r, sr_err *err)
{
    sr_roofline_row *pts;
    size_t n;
    sr_code rc = sr_store_roofline_points(s, r->device_uuid, o->run, o->network, &pts, &n, err);
    if (rc != SR_OK)
        return rc;
    r->pts = calloc(n ? n : 1, sizeof *r->pts);
    if (!r->pts) {
        free(pts);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading roofline points");
    }
    for (int measured = 1; measured >= 0; measured--)
        for (size_t i = 0; i < n; i++) {
            const sr_roofline_row *p = &pts[i];
            if (p->measured != measured)
                continue;
            double t = measured ? p->measured_time_s : p->predicted_time_s;
            if (!(t > 0) || !(p->flops > 0))
                continue;
            sr_roofline_pt *q = &r->pts[r->n_pts++];
            q->p = *p;
            q->gflops = p->flops / t / 1e9;
            q->roof_gflops = p->predicted_time_s > 0 ? p->flops / p->predicted_time_s / 1e9 : NAN;
            q->above_roof = measured && p->predicted_time_s > 0 && t < p->predicted_time_s;
            r->measured += (size_t)measured;
            r->predicted += (size_t)!measured;
            r->above += (size_t)q->above_roof;
        }
    for (size_t i = 0; i < r->n_pts; i++)
        for (size_t j = 0; j < r->n_pts && r->pts[i].p.measured && !r->pts[i].has_twin; j++)
            r->pts[i].has_twin = !r->pts[j].p.measured && same_config(&r->pts[i].p, &r->pts[j].p);
    for (size_t i = 0; i < n && rc == SR_OK; i++)
        rc = tuned_roof(s, r, pts[i].pattern, pts[i].dtype, err);
    for (size_t i = 0; i < sizeof usual_patterns / sizeof *usual_patterns && rc == SR_OK; i++)
        rc = tuned_roof(s, r, usual_patterns[i], "fp32", err);
    free(pts);
    return rc;
}

/* The device: named, the run's, or the one with the newest measurements. */
static sr_code pick_device(sr_store *s, const sr_roofline_opts *o, sr_roofline *r, sr_err *err)
{
    if (!o->run)
        return sr_query_pick_device(s, o->device, r->device_uuid, r->device, err);
    sr_run_rec run;
    sr_code rc = sr_store_get_run(s, o->run, &run, err);
    if (rc != SR_OK)
        return rc;
    snprintf(r->run, sizeof r->run, "%s", run.uuid);
    if (!run.device_uuid[0])
        return sr_err_set(err, SR_ERR_NOTFOUND, "run %s (%s) has no device", run.uuid, run.command);
    rc = sr_query_pick_device(s, run.device_uuid, r->device_uuid, r->device, err);
    if (rc != SR_OK || !o->device)
        return rc;
    char named[SR_UUID_LEN];
    rc = sr_store_find_device(s, o->device, named, err);
    if (rc == SR_OK && strcmp(named, run.device_uuid) != 0)
        rc = sr_err_set(err, SR_ERR_ARG, "run %.8s ran on %s, not on --device %s", run.uuid,
                        r->device, o->device);
    return rc;
}

sr_code sr_roofline_build(sr_store *s, const sr_roofline_opts *o, sr_roofline **out, sr_err *err)
{
    *out = NULL;
    sr_roofline *r = calloc(1, sizeof *r);
    if (!r)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory building the roofline");
    sr_code rc = SR_OK;
    if (o->network && *o->network)
        rc = sr_query_check_network(s, o->network, err);
    if (rc == SR_OK)
        rc = pick_device(s, o, r, err);
    if (rc == SR_OK)
        rc = read_ceilings(s, r, err);
    if (rc == SR_OK)
        rc = read_points(s, o, r, err);
    if (o->network)
        snprintf(r->network, sizeof r->network, "%s", *o->network ? o->network : "(free shapes)");
    if (rc == SR_OK && r->n_pts == 0 && r->n_roofs == 0)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "nothing to draw for %s in %s: no ceilings "
                        "('sparseroof peaks' measures them) and no rows of %s%s%s",
                        r->device, sr_store_path(s), o->network ? r->network : "kernels or networks",
                        o->run ? " in run " : "", o->run ? o->run : "");
    if (rc != SR_OK) {
        sr_roofline_free(r);
        return rc;
    }
    *out = r;
    return SR_OK;
}
