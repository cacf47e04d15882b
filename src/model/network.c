/* Network tables: building one layer by layer, checking each layer, and the accessors.
 * The CSV reader is in network_csv.c, the built-in tables in builtin.c. */
#include "model/network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sr_network {
    char *name, *description;
    sr_layer *layers;
    size_t n, cap;
    size_t *index; /* open-addressing hash of layer names: slot holds layer index + 1 */
    size_t index_cap;
};

const char *sr_layer_kind_name(sr_layer_kind k)
{
    switch (k) {
    case SR_LAYER_CONV: return "conv";
    case SR_LAYER_LINEAR: return "linear";
    case SR_LAYER_MATMUL: return "matmul";
    }
    return "unknown";
}

int sr_layer_kind_parse(const char *s, sr_layer_kind *out)
{
    static const sr_layer_kind all[] = {SR_LAYER_CONV, SR_LAYER_LINEAR, SR_LAYER_MATMUL};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(s, sr_layer_kind_name(all[i])) == 0) {
            *out = all[i];
            return 1;
        }
    return 0;
}

double sr_layer_macs(const sr_layer *l)
{
    return (double)l->m * (double)l->k * (double)l->n * (double)l->groups;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

sr_code sr_network_create(const char *name, const char *description, sr_network **out,
                          sr_err *err)
{
    *out = NULL;
    if (!name || !*name)
        return sr_err_set(err, SR_ERR_ARG, "a network needs a name");
    sr_network *net = calloc(1, sizeof *net);
    if (!net || !(net->name = dup_str(name)) ||
        !(net->description = dup_str(description ? description : ""))) {
        sr_network_free(net);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory creating network %s", name);
    }
    *out = net;
    return SR_OK;
}

void sr_network_free(sr_network *net)
{
    if (!net)
        return;
    free(net->name);
    free(net->description);
    free(net->layers);
    free(net->index);
    free(net);
}

static size_t hash_name(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Index of the layer named `name`, or n when there is none. */
static size_t find_layer(const sr_network *net, const char *name)
{
    if (!net->index_cap)
        return net->n;
    for (size_t i = hash_name(name) & (net->index_cap - 1);; i = (i + 1) & (net->index_cap - 1)) {
        size_t slot = net->index[i];
        if (!slot)
            return net->n;
        if (strcmp(net->layers[slot - 1].name, name) == 0)
            return slot - 1;
    }
}

static void index_put(sr_network *net, size_t layer)
{
    size_t i = hash_name(net->layers[layer].name) & (net->index_cap - 1);
    while (net->index[i])
        i = (i + 1) & (net->index_cap - 1);
    net->index[i] = layer + 1;
}

/* Room for one more layer; the name index stays at most half full. */
static int grow(sr_network *net)
{
    if (net->n == net->cap) {
        size_t cap = net->cap ? 2 * net->cap : 64;
        sr_layer *l = realloc(net->layers, cap * sizeof *l);
        if (!l)
            return 0;
        net->layers = l;
        net->cap = cap;
    }
    if (2 * (net->n + 1) > net->index_cap) {
        size_t cap = net->index_cap ? 2 * net->index_cap : 128;
        size_t *idx = calloc(cap, sizeof *idx);
        if (!idx)
            return 0;
        free(net->index);
        net->index = idx;
        net->index_cap = cap;
        for (size_t i = 0; i < net->n; i++)
            index_put(net, i);
    }
    return 1;
}

sr_code sr_network_add_layer(sr_network *net, const sr_layer *l, sr_err *err)
{
    size_t len = strnlen(l->name, sizeof l->name);
    if (len == 0)
        return sr_err_set(err, SR_ERR_FORMAT, "layer %zu has no name", net->n + 1);
    if (len == sizeof l->name)
        return sr_err_set(err, SR_ERR_FORMAT, "layer %zu: name longer than %d characters",
                          net->n + 1, SR_LAYER_NAME_MAX - 1);
    if (l->kind != SR_LAYER_CONV && l->kind != SR_LAYER_LINEAR && l->kind != SR_LAYER_MATMUL)
        return sr_err_set(err, SR_ERR_FORMAT, "layer '%s': unknown kind %d", l->name, (int)l->kind);
    const char *dim_names[] = {"m", "k", "n", "groups"};
    const int64_t dims[] = {l->m, l->k, l->n, l->groups};
    for (int i = 0; i < 4; i++)
        if (dims[i] < 1 || dims[i] > SR_DIM_MAX)
            return sr_err_set(err, SR_ERR_FORMAT, "layer '%s': %s is %lld, must be 1 to %lld",
                              l->name, dim_names[i], (long long)dims[i], (long long)SR_DIM_MAX);
    if (!(l->extra_bytes >= 0 && l->extra_bytes <= SR_EXTRA_BYTES_MAX))
        return sr_err_set(err, SR_ERR_FORMAT, "layer '%s': extra_bytes %g must be 0 to %g bytes "
                          "per image", l->name, l->extra_bytes, SR_EXTRA_BYTES_MAX);
    if (l->kind == SR_LAYER_MATMUL && l->prunable)
        return sr_err_set(err, SR_ERR_FORMAT, "layer '%s': a matmul multiplies two activations "
                          "and cannot be prunable", l->name);
    if (net->n >= SR_NETWORK_MAX_LAYERS)
        return sr_err_set(err, SR_ERR_FORMAT, "layer '%s': more than %d layers, beyond what a "
                          "network may have here", l->name, SR_NETWORK_MAX_LAYERS);
    if (find_layer(net, l->name) < net->n)
        return sr_err_set(err, SR_ERR_FORMAT, "duplicate layer name '%s'", l->name);
    if (!grow(net))
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory adding layer '%s'", l->name);
    net->layers[net->n] = *l;
    net->layers[net->n].prunable = l->prunable != 0;
    index_put(net, net->n);
    net->n++;
    return SR_OK;
}

const char *sr_network_name(const sr_network *net)
{
    return net->name;
}

const char *sr_network_description(const sr_network *net)
{
    return net->description;
}

size_t sr_network_n_layers(const sr_network *net)
{
    return net->n;
}

const sr_layer *sr_network_layer(const sr_network *net, size_t i)
{
    return i < net->n ? &net->layers[i] : NULL;
}

int64_t sr_network_find(const sr_network *net, const char *name)
{
    size_t i = find_layer(net, name);
    return i < net->n ? (int64_t)i : -1;
}

double sr_network_macs(const sr_network *net)
{
    double total = 0;
    for (size_t i = 0; i < net->n; i++)
        total += sr_layer_macs(&net->layers[i]);
    return total;
}
