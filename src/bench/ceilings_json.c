/* Ceilings as JSON: writing, reading back with every field checked, and reading a file
 * (see ceilings_json.h). */
#include "bench/ceilings_json.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/json_text.h"
#include "common/pattern.h"

#define FILE_MAX_BYTES (1 << 20)

struct json_object *sr_ceilings_to_json(const sr_ceilings *c)
{
    json_object *o = json_object_new_object(), *bw = json_object_new_array(),
                *cp = json_object_new_array(), *pt = json_object_new_array();
    json_object_object_add(o, "device", json_object_new_string(c->device));
    json_object_object_add(o, "virtual", json_object_new_boolean(c->is_virtual));
    for (size_t k = 0; k < c->n_levels; k++) {
        const sr_bw_level *l = &c->levels[k];
        json_object *e = json_object_new_object();
        json_object_object_add(e, "level", json_object_new_string(l->level));
        json_object_object_add(e, "gbps", json_object_new_double(l->gbps));
        json_object_object_add(e, "ws_min_bytes", json_object_new_uint64(l->ws_min_bytes));
        json_object_object_add(e, "ws_max_bytes", json_object_new_uint64(l->ws_max_bytes));
        json_object_array_add(bw, e);
    }
    json_object_object_add(o, "bandwidth", bw);
    for (size_t k = 0; k < c->n_compute; k++) {
        const sr_compute_ceiling *x = &c->compute[k];
        json_object *e = json_object_new_object();
        json_object_object_add(e, "dtype", json_object_new_string(sr_dtype_name(x->dtype)));
        if (x->supported)
            json_object_object_add(e, "gflops", json_object_new_double(x->gflops));
        else
            json_object_object_add(e, "unsupported", json_object_new_boolean(1));
        json_object_array_add(cp, e);
    }
    json_object_object_add(o, "compute", cp);
    json_object_object_add(o, "launch_overhead_s", c->launch_overhead_s > 0
                                                       ? json_object_new_double(c->launch_overhead_s)
                                                       : NULL);
    for (size_t k = 0; k < c->n_patterns; k++) {
        const sr_pattern_ceiling *x = &c->patterns[k];
        json_object *e = json_object_new_object();
        json_object_object_add(e, "pattern", json_object_new_string(x->pattern));
        if (x->gflops > 0)
            json_object_object_add(e, "gflops", json_object_new_double(x->gflops));
        if (x->metadata_bits >= 0)
            json_object_object_add(e, "metadata_bits", json_object_new_double(x->metadata_bits));
        json_object_array_add(pt, e);
    }
    json_object_object_add(o, "patterns", pt);
    return o;
}

/* Field readers: each checks the type and range and names the field when wrong. */
static sr_code get_field(json_object *o, const char *key, json_type t, int optional,
                         const char *what, json_object **out, sr_err *err)
{
    *out = NULL;
    if (!json_object_object_get_ex(o, key, out) || !*out) {
        if (optional)
            return SR_OK;
        return sr_err_set(err, SR_ERR_FORMAT, "%s: field '%s' is missing", what, key);
    }
    /* an integer is a fine double */
    if (json_object_get_type(*out) != t &&
        !(t == json_type_double && json_object_get_type(*out) == json_type_int))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: field '%s' has the wrong type", what, key);
    return SR_OK;
}

static sr_code get_string(json_object *o, const char *key, char *buf, size_t size,
                          const char *what, sr_err *err)
{
    json_object *v;
    sr_code rc = get_field(o, key, json_type_string, 0, what, &v, err);
    if (rc != SR_OK)
        return rc;
    if ((size_t)json_object_get_string_len(v) >= size || json_object_get_string_len(v) == 0)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: field '%s' is empty or too long", what, key);
    snprintf(buf, size, "%s", json_object_get_string(v));
    return SR_OK;
}

/* A double > 0 (>= 0 with allow_zero); *present 0 when optional and absent. */
static sr_code get_figure(json_object *o, const char *key, int optional, int allow_zero,
                          const char *what, double *out, int *present, sr_err *err)
{
    json_object *v;
    sr_code rc = get_field(o, key, json_type_double, optional, what, &v, err);
    if (present)
        *present = v != NULL;
    if (rc != SR_OK || !v)
        return rc;
    double x = json_object_get_double(v);
    if (!isfinite(x) || x < 0 || (x == 0 && !allow_zero))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: field '%s' is %g, not a positive figure", what,
                          key, x);
    *out = x;
    return SR_OK;
}

static sr_code get_u64(json_object *o, const char *key, const char *what, uint64_t *out,
                       sr_err *err)
{
    json_object *v;
    sr_code rc = get_field(o, key, json_type_int, 0, what, &v, err);
    if (rc != SR_OK)
        return rc;
    if (json_object_get_int64(v) < 0)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: field '%s' is negative", what, key);
    *out = json_object_get_uint64(v);
    return SR_OK;
}

/* Entry k of an array of objects; w gets "<what>, <kind> <k+1>" for its messages. */
static sr_code array_object(json_object *arr, size_t k, const char *what, const char *kind,
                            char *w, size_t size, json_object **e, sr_err *err)
{
    *e = json_object_array_get_idx(arr, k);
    snprintf(w, size, "%s, %s %zu", what, kind, k + 1);
    if (!json_object_is_type(*e, json_type_object))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not an object", w);
    return SR_OK;
}

static sr_code levels_from_json(json_object *arr, const char *what, sr_ceilings *c, sr_err *err)
{
    size_t n = json_object_array_length(arr);
    if (n == 0 || n > SR_MAX_LEVELS)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: %zu bandwidth levels (need 1 to %d)", what, n,
                          SR_MAX_LEVELS);
    c->n_levels = n;
    for (size_t k = 0; k < n; k++) {
        json_object *e;
        sr_bw_level *l = &c->levels[k];
        char w[512];
        sr_code rc;
        if ((rc = array_object(arr, k, what, "bandwidth level", w, sizeof w, &e, err)) != SR_OK ||
            (rc = get_string(e, "level", l->level, sizeof l->level, w, err)) != SR_OK ||
            (rc = get_figure(e, "gbps", 0, 0, w, &l->gbps, NULL, err)) != SR_OK ||
            (rc = get_u64(e, "ws_min_bytes", w, &l->ws_min_bytes, err)) != SR_OK ||
            (rc = get_u64(e, "ws_max_bytes", w, &l->ws_max_bytes, err)) != SR_OK)
            return rc;
        if (l->ws_min_bytes > l->ws_max_bytes)
            return sr_err_set(err, SR_ERR_FORMAT, "%s: ws_min_bytes is above ws_max_bytes", w);
    }
    return SR_OK;
}

static sr_code compute_from_json(json_object *arr, const char *what, sr_ceilings *c, sr_err *err)
{
    size_t n = json_object_array_length(arr);
    if (n > SR_MAX_DTYPES)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: %zu compute entries (at most %d)", what, n,
                          SR_MAX_DTYPES);
    c->n_compute = n;
    for (size_t k = 0; k < n; k++) {
        json_object *e, *u;
        sr_compute_ceiling *x = &c->compute[k];
        char w[512], name[16];
        sr_code rc;
        if ((rc = array_object(arr, k, what, "compute entry", w, sizeof w, &e, err)) != SR_OK ||
            (rc = get_string(e, "dtype", name, sizeof name, w, err)) != SR_OK)
            return rc;
        if (!sr_dtype_parse(name, &x->dtype))
            return sr_err_set(err, SR_ERR_FORMAT, "%s: unknown dtype '%s'", w, name);
        if ((rc = get_field(e, "unsupported", json_type_boolean, 1, w, &u, err)) != SR_OK)
            return rc;
        x->supported = !(u && json_object_get_boolean(u));
        x->gflops = 0;
        if (x->supported && (rc = get_figure(e, "gflops", 0, 0, w, &x->gflops, NULL, err)) != SR_OK)
            return rc;
    }
    return SR_OK;
}

static sr_code patterns_from_json(json_object *arr, const char *what, sr_ceilings *c, sr_err *err)
{
    size_t n = arr ? json_object_array_length(arr) : 0;
    if (n > SR_MAX_PATTERN_CEILINGS)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: %zu pattern ceilings (at most %d)", what, n,
                          SR_MAX_PATTERN_CEILINGS);
    c->n_patterns = n;
    for (size_t k = 0; k < n; k++) {
        json_object *e;
        sr_pattern_ceiling *x = &c->patterns[k];
        char w[512];
        sr_code rc;
        x->gflops = 0;
        x->metadata_bits = -1;
        if ((rc = array_object(arr, k, what, "pattern ceiling", w, sizeof w, &e, err)) != SR_OK ||
            (rc = get_string(e, "pattern", x->pattern, sizeof x->pattern, w, err)) != SR_OK ||
            (rc = get_figure(e, "gflops", 1, 0, w, &x->gflops, NULL, err)) != SR_OK ||
            (rc = get_figure(e, "metadata_bits", 1, 1, w, &x->metadata_bits, NULL, err)) != SR_OK)
            return rc;
        sr_pattern p; /* under its canonical name, as the model looks it up */
        if (sr_pattern_parse(x->pattern, &p, err) != SR_OK) {
            sr_err_prefix(err, "%s: field 'pattern'", w);
            return err ? (err->code = SR_ERR_FORMAT) : SR_ERR_FORMAT;
        }
        sr_pattern_name(&p, x->pattern, sizeof x->pattern);
    }
    return SR_OK;
}

sr_code sr_ceilings_from_json(json_object *o, const char *what, sr_ceilings *out, sr_err *err)
{
    sr_ceilings c;
    memset(&c, 0, sizeof c);
    json_object *v, *bw, *cp, *pt;
    sr_code rc;
    if (!json_object_is_type(o, json_type_object))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not a JSON object", what);
    if ((rc = get_string(o, "device", c.device, sizeof c.device, what, err)) != SR_OK ||
        (rc = get_field(o, "virtual", json_type_boolean, 1, what, &v, err)) != SR_OK)
        return rc;
    c.is_virtual = v && json_object_get_boolean(v);
    if ((rc = get_field(o, "bandwidth", json_type_array, 0, what, &bw, err)) != SR_OK ||
        (rc = get_field(o, "compute", json_type_array, 0, what, &cp, err)) != SR_OK ||
        (rc = get_field(o, "patterns", json_type_array, 1, what, &pt, err)) != SR_OK ||
        (rc = levels_from_json(bw, what, &c, err)) != SR_OK ||
        (rc = compute_from_json(cp, what, &c, err)) != SR_OK ||
        (rc = patterns_from_json(pt, what, &c, err)) != SR_OK ||
        (rc = get_figure(o, "launch_overhead_s", 1, 0, what, &c.launch_overhead_s, NULL, err)) !=
            SR_OK)
        return rc;
    if ((rc = sr_ceilings_validate(&c, err)) != SR_OK) {
        sr_err_prefix(err, "%s", what);
        err->code = SR_ERR_FORMAT;
        return SR_ERR_FORMAT;
    }
    *out = c;
    return SR_OK;
}

sr_code sr_ceilings_parse(const char *what, const char *text, size_t len, sr_ceilings *out,
                          sr_err *err)
{
    json_object *o;
    sr_code rc = sr_json_parse(what, text, len, &o, err);
    if (rc == SR_OK)
        rc = sr_ceilings_from_json(o, what, out, err);
    json_object_put(o);
    return rc;
}

sr_code sr_ceilings_read_file(const char *path, sr_ceilings *out, sr_err *err)
{
    json_object *o;
    /* a ceilings object is a few KiB */
    sr_code rc = sr_json_read_file(path, FILE_MAX_BYTES, &o, err);
    if (rc == SR_OK)
        rc = sr_ceilings_from_json(o, path, out, err);
    json_object_put(o);
    return rc;
}
