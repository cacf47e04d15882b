/* Network mode's cases: every distinct prunable layer shape of a network at a batch, as
 * `bench` runs the layers (sr_layer_batched: conv and linear scale n, groups as the layer
 * has them), each with the number of layers of its shape, times the patterns asked for.
 * Layers that are never pruned (matmul of two activations) are left out: no peer or
 * pattern changes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "model/network.h"

const bench_pattern bench_pattern_table[] = {
    {"dense", "dense", 0.0},
    {"csr", "unstructured", 0.9},
    {"bsr4", "block:4x4", 0.9},
    {"bsr16", "block:16x16", 0.9},
    {"nm24", "2:4", 0.5},
};
const int bench_n_patterns = sizeof bench_pattern_table / sizeof *bench_pattern_table;

/* Which patterns of the table `list` names ("all" or ids, comma-separated); dense always
 * (the sparse cases are compared with it). */
static sr_code select_patterns(const char *list, int *want, sr_err *err)
{
    const char *ids[sizeof bench_pattern_table / sizeof *bench_pattern_table];
    for (int i = 0; i < bench_n_patterns; i++)
        ids[i] = bench_pattern_table[i].id;
    want[0] = 1;
    return bench_select("--patterns", list, ids, bench_n_patterns, want, err);
}

typedef struct {
    int64_t m, k, n, g;
    int count;
    const char *layer;
} shape;

static int by_macs(const void *a, const void *b)
{
    const shape *x = a, *y = b;
    const double mx = (double)x->m * x->k * x->n * x->g, my = (double)y->m * y->k * y->n * y->g;
    return (mx > my) - (mx < my);
}

/* The distinct shapes of the prunable layers, in network order (quick: the 3 smallest). */
static sr_code distinct_shapes(const sr_network *net, int batch, int quick, shape **out, int *n, sr_err *err)
{
    const size_t nl = sr_network_n_layers(net);
    shape *sh = calloc(nl ? nl : 1, sizeof *sh);
    if (!sh)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu layers", nl);
    *n = 0;
    for (size_t i = 0; i < nl; i++) {
        const sr_layer *l = sr_network_layer(net, i);
        if (!l->prunable)
            continue;
        shape s = {.layer = l->name};
        sr_layer_batched(l, batch, &s.m, &s.k, &s.n, &s.g);
        if (s.m > 1 << 30 || s.k > 1 << 30 || s.n > 1 << 30 || s.g > 1 << 20) {
            free(sh);
            return sr_err_set(err, SR_ERR_ARG, "layer %s: %lld x %lld x %lld in %lld groups is beyond the benchmark",
                              l->name, (long long)s.m, (long long)s.k, (long long)s.n, (long long)s.g);
        }
        int j = 0;
        while (j < *n && !(sh[j].m == s.m && sh[j].k == s.k && sh[j].n == s.n && sh[j].g == s.g))
            j++;
        if (j == *n)
            sh[(*n)++] = s;
        sh[j].count++;
    }
    if (*n == 0) {
        free(sh);
        return sr_err_set(err, SR_ERR_ARG, "network %s has no prunable layer", sr_network_name(net));
    }
    if (quick && *n > 3) {
        qsort(sh, (size_t)*n, sizeof *sh, by_macs);
        *n = 3;
    }
    *out = sh;
    return SR_OK;
}

sr_code bench_network_cases(const char *network, int batch, const char *patterns, int quick, bench_case **out,
                            int *n, int *n_shapes, sr_err *err)
{
    int want[16] = {0};
    sr_network *net = NULL;
    shape *sh = NULL;
    *out = NULL;
    sr_code c = select_patterns(patterns, want, err);
    if (c == SR_OK && (c = sr_network_open(network, &net, err)) != SR_OK)
        sr_err_prefix(err, "--network");
    if (c == SR_OK)
        c = distinct_shapes(net, batch, quick, &sh, n_shapes, err);
    int np = 0;
    for (int i = 0; i < bench_n_patterns; i++)
        np += want[i];
    bench_case *cases = c == SR_OK ? calloc((size_t)*n_shapes * np, sizeof *cases) : NULL;
    if (c == SR_OK && !cases)
        c = sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d shapes", *n_shapes);
    *n = 0;
    for (int s = 0; c == SR_OK && s < *n_shapes; s++)
        for (int p = 0; p < bench_n_patterns; p++) {
            if (!want[p])
                continue;
            bench_case *k = &cases[(*n)++];
            k->id = bench_pattern_table[p].id;
            k->pattern = bench_pattern_table[p].pattern;
            k->sparsity = bench_pattern_table[p].sparsity;
            k->m = (int)sh[s].m;
            k->k = (int)sh[s].k;
            k->n = (int)sh[s].n;
            k->groups = (int)sh[s].g;
            k->count = sh[s].count;
            k->layer = strdup(sh[s].layer); /* freed with the cases (bench_cases_free) */
            if (!k->layer)
                c = sr_err_set(err, SR_ERR_NOMEM, "out of memory");
        }
    free(sh);
    sr_network_free(net);
    if (c != SR_OK) {
        bench_cases_free(cases, *n);
        return c;
    }
    *out = cases;
    return SR_OK;
}
