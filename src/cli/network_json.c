/* JSON for the model's commands: --network files in JSON (json-c; the model stays libc
 * only; built-in names and CSV go through the model), the layer fields both commands
 * print. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "bench/json_text.h"
#include "cli/cmd_model.h"

void sr_cli_json_shape(json_object *o, const char *name, sr_layer_kind kind, int64_t m,
                       int64_t k, int64_t n, int64_t groups)
{
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "kind", json_object_new_string(sr_layer_kind_name(kind)));
    json_object_object_add(o, "m", json_object_new_int64(m));
    json_object_object_add(o, "k", json_object_new_int64(k));
    json_object_object_add(o, "n", json_object_new_int64(n));
    json_object_object_add(o, "groups", json_object_new_int64(groups));
}

/* A positive whole number field; absent: `dflt` when positive, else an error. */
static sr_code json_dim(json_object *o, const char *key, int64_t dflt, int64_t *out,
                        const char *where, sr_err *err)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
        if (dflt > 0) {
            *out = dflt;
            return SR_OK;
        }
        return sr_err_set(err, SR_ERR_FORMAT, "%s: missing \"%s\"", where, key);
    }
    if (!json_object_is_type(v, json_type_int))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: \"%s\" is %s, not a whole number", where, key,
                          json_object_to_json_string(v));
    *out = json_object_get_int64(v);
    return SR_OK; /* the range is checked by sr_network_add_layer */
}

static sr_code json_layer(sr_network *net, json_object *o, size_t i, const char *path,
                          sr_err *err)
{
    char where[512];
    snprintf(where, sizeof where, "%s: layer %zu", path, i + 1);
    if (!json_object_is_type(o, json_type_object))
        return sr_err_set(err, SR_ERR_FORMAT, "%s is not an object", where);
    sr_layer l;
    memset(&l, 0, sizeof l);
    json_object *v;
    if (!json_object_object_get_ex(o, "name", &v) || !json_object_is_type(v, json_type_string))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: missing \"name\" (a string)", where);
    snprintf(l.name, sizeof l.name, "%s", json_object_get_string(v));
    snprintf(where, sizeof where, "%s: layer %zu (%s)", path, i + 1, l.name);
    if (!json_object_object_get_ex(o, "kind", &v) || !json_object_is_type(v, json_type_string) ||
        !sr_layer_kind_parse(json_object_get_string(v), &l.kind))
        return sr_err_set(err, SR_ERR_FORMAT, "%s: \"kind\" must be \"conv\", \"linear\" or "
                          "\"matmul\"", where);
    sr_code rc = SR_OK;
    if ((rc = json_dim(o, "m", 0, &l.m, where, err)) != SR_OK ||
        (rc = json_dim(o, "k", 0, &l.k, where, err)) != SR_OK ||
        (rc = json_dim(o, "n", 0, &l.n, where, err)) != SR_OK ||
        (rc = json_dim(o, "groups", 1, &l.groups, where, err)) != SR_OK)
        return rc;
    l.prunable = l.kind != SR_LAYER_MATMUL;
    if (json_object_object_get_ex(o, "prunable", &v) && !json_object_is_type(v, json_type_null)) {
        if (!json_object_is_type(v, json_type_boolean))
            return sr_err_set(err, SR_ERR_FORMAT, "%s: \"prunable\" must be true or false", where);
        l.prunable = json_object_get_boolean(v);
    }
    if (json_object_object_get_ex(o, "extra_bytes", &v) && !json_object_is_type(v, json_type_null)) {
        if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
            return sr_err_set(err, SR_ERR_FORMAT, "%s: \"extra_bytes\" must be a number", where);
        l.extra_bytes = json_object_get_double(v);
    }
    if ((rc = sr_network_add_layer(net, &l, err)) != SR_OK)
        return sr_err_prefix(err, "%s", path);
    return SR_OK;
}

/* The network in root (an object with "layers", or the array itself); source names it in
 * messages and, by its base name, when root has no "name". */
static sr_code network_from_json(const char *source, json_object *root, sr_network **out,
                                 sr_err *err)
{
    *out = NULL;
    json_object *layers = root, *v;
    const char *desc = "";
    char name[SR_LAYER_NAME_MAX];
    const char *base = strrchr(source, '/');
    snprintf(name, sizeof name, "%s", base ? base + 1 : source);
    char *dot = strrchr(name, '.');
    if (dot && dot != name)
        *dot = '\0';
    if (json_object_is_type(root, json_type_object)) {
        if (json_object_object_get_ex(root, "name", &v) && json_object_is_type(v, json_type_string))
            snprintf(name, sizeof name, "%s", json_object_get_string(v));
        if (json_object_object_get_ex(root, "description", &v) && json_object_is_type(v, json_type_string))
            desc = json_object_get_string(v);
        if (!json_object_object_get_ex(root, "layers", &layers))
            layers = NULL;
    }
    sr_code rc;
    if (!layers || !json_object_is_type(layers, json_type_array) || json_object_array_length(layers) == 0) {
        rc = sr_err_set(err, SR_ERR_FORMAT, "%s: expected a non-empty array of layers, or an "
                        "object with one under \"layers\"", source);
    } else {
        rc = sr_network_create(name, desc, out, err);
        for (size_t i = 0; rc == SR_OK && i < json_object_array_length(layers); i++)
            rc = json_layer(*out, json_object_array_get_idx(layers, i), i, source, err);
    }
    if (rc != SR_OK) {
        sr_network_free(*out);
        *out = NULL;
    }
    return rc;
}

sr_code sr_cli_network_parse_json(const char *source, const char *text, size_t len,
                                  sr_network **out, sr_err *err)
{
    *out = NULL;
    json_object *root;
    sr_code rc = sr_json_parse(source, text, len, &root, err);
    if (rc == SR_OK)
        rc = network_from_json(source, root, out, err);
    json_object_put(root);
    return rc;
}

sr_code sr_cli_network_open(const char *arg, sr_network **out, sr_err *err)
{
    size_t n = strlen(arg);
    if (n > 5 && strcmp(arg + n - 5, ".json") == 0) {
        json_object *root;
        sr_code rc = sr_json_read_file(arg, SR_NETWORK_MAX_BYTES, &root, err);
        if (rc == SR_OK)
            rc = network_from_json(arg, root, out, err);
        json_object_put(root);
        return rc;
    }
    return sr_network_open(arg, out, err);
}
