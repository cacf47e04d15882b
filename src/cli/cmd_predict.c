/* `sparseroof predict`: the analytic Sparsity Roofline of a network on a device, per
 * layer and in total, for each pattern and sparsity (src/model/predict.h). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "model/predict.h"

static const char predict_usage[] =
    "usage: sparseroof predict --network NAME|FILE [--device D] --patterns LIST\n"
    "                          [--sparsities LIST] [--batch B] [--dtype fp32|fp16|fp64]\n"
    "                          [--prune-all] [--layers] [--json] [--db FILE]\n"
    "\n"
    "Predicts each layer's FLOPs, bytes, arithmetic intensity, bound and time with the\n"
    "roofline model, and the network's speedup over dense, for every pattern and sparsity.\n"
    "\n"
    "  --network NAME|FILE  a built-in network (sparseroof networks) or a CSV/JSON file\n"
    "  --device D           a device with stored ceilings, or a virtual one (peaks --define)\n"
    "  --patterns LIST      comma-separated: dense, unstructured, block:RxC, N:M\n"
    "  --sparsities LIST    comma-separated fractions in [0, 1]; N:M and dense ignore them\n"
    "  --batch B            images or sequences (default 1)\n"
    "  --dtype T            value type (default fp32); indices are 32-bit\n"
    "  --prune-all          prune the first and last prunable layers too (default: dense)\n"
    "  --layers             print the per-layer table under each result\n"
    "  --json               print JSON\n"
    "  --db FILE            database (default: $SPARSEROOF_DB or sparseroof.db)\n"
    "  -h, --help\n";

#define MAX_LIST 64

typedef sr_code (*item_parser)(const char *item, void *out, size_t i, sr_err *err);

static sr_code pattern_item(const char *item, void *out, size_t i, sr_err *err)
{
    if (sr_pattern_parse(item, &((sr_pattern *)out)[i], err) != SR_OK)
        return sr_err_prefix(err, "--patterns");
    return SR_OK;
}

static sr_code sparsity_item(const char *item, void *out, size_t i, sr_err *err)
{
    return sr_cli_double("--sparsities", item, 0.0, 1.0, &((double *)out)[i], err);
}

/* A comma-separated list of 1 to MAX_LIST items for option opt, each read by parse. */
static sr_code parse_list(const char *opt, const char *arg, item_parser parse, void *out,
                          size_t *n, sr_err *err)
{
    char *buf = malloc(strlen(arg) + 1), *save = NULL;
    if (!buf)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", opt);
    strcpy(buf, arg);
    sr_code rc = SR_OK;
    size_t count = 0;
    for (char *t = strtok_r(buf, ",", &save); t && rc == SR_OK; t = strtok_r(NULL, ",", &save)) {
        if (count < MAX_LIST)
            rc = parse(t, out, count, err);
        count++;
    }
    if (rc == SR_OK && (count == 0 || count > MAX_LIST))
        rc = sr_err_set(err, SR_ERR_ARG, "%s '%s': expected 1 to %d comma-separated items", opt,
                        arg, MAX_LIST);
    *n = rc == SR_OK ? count : 0;
    free(buf);
    return rc;
}

static json_object *layer_json(const sr_layer_prediction *l)
{
    json_object *o = json_object_new_object();
    sr_cli_json_shape(o, l->name, l->kind, l->m, l->k, l->n, l->groups);
    json_object_object_add(o, "pruned", json_object_new_boolean(l->pruned));
    json_object_object_add(o, "sparsity", json_object_new_double(l->sparsity));
    json_object_object_add(o, "nnz", json_object_new_double(l->nnz));
    json_object_object_add(o, "flops", json_object_new_double(l->flops));
    json_object_object_add(o, "bytes", json_object_new_double(l->bytes));
    json_object_object_add(o, "ai", json_object_new_double(l->ai));
    json_object_object_add(o, "extra_bytes", json_object_new_double(l->extra_bytes));
    json_object_object_add(o, "bound", json_object_new_string(l->bound));
    json_object_object_add(o, "gflops_ceiling", json_object_new_double(l->gflops));
    json_object_object_add(o, "gbps_ceiling", json_object_new_double(l->gbps));
    json_object_object_add(o, "time_s", json_object_new_double(l->time_s));
    json_object_object_add(o, "dense_time_s", json_object_new_double(l->dense_time_s));
    return o;
}

static void print_json(const sr_prediction *p)
{
    json_object *root = json_object_new_object(), *results = json_object_new_array();
    json_object_object_add(root, "network", json_object_new_string(p->network));
    json_object_object_add(root, "device", json_object_new_string(p->device));
    json_object_object_add(root, "batch", json_object_new_int64(p->opts.batch));
    json_object_object_add(root, "dtype", json_object_new_string(sr_dtype_name(p->opts.dtype)));
    json_object_object_add(root, "prune_all", json_object_new_boolean(p->opts.prune_all));
    for (size_t r = 0; r < p->n_results; r++) {
        const sr_network_prediction *res = &p->results[r];
        json_object *o = json_object_new_object(), *layers = json_object_new_array(),
                    *pruned = json_object_new_array();
        json_object_object_add(o, "pattern", json_object_new_string(res->pattern_name));
        json_object_object_add(o, "sparsity", json_object_new_double(res->sparsity));
        json_object_object_add(o, "dense_time_s", json_object_new_double(res->dense_time_s));
        json_object_object_add(o, "time_s", json_object_new_double(res->time_s));
        json_object_object_add(o, "speedup", json_object_new_double(res->speedup));
        for (size_t i = 0; i < res->n_layers; i++) {
            json_object_array_add(layers, layer_json(&res->layers[i]));
            if (res->layers[i].pruned)
                json_object_array_add(pruned, json_object_new_string(res->layers[i].name));
        }
        json_object_object_add(o, "pruned_layers", pruned);
        json_object_object_add(o, "layers", layers);
        json_object_array_add(results, o);
    }
    json_object_object_add(root, "results", results);
    sr_cli_json_print(root);
}

static void print_layers(const sr_network_prediction *res)
{
    printf("  %-46s %6s %6s %8s %6s %6s %10s %10s %8s %-8s %10s %11s\n", "layer", "m", "k", "n",
           "groups", "pruned", "MFLOP", "MB", "AI", "bound", "extra_MB", "time_us");
    for (size_t i = 0; i < res->n_layers; i++) {
        const sr_layer_prediction *l = &res->layers[i];
        printf("  %-46s %6lld %6lld %8lld %6lld %6s %10.3f %10.3f %8.2f %-8s %10.3f %11.3f\n",
               l->name, (long long)l->m, (long long)l->k, (long long)l->n, (long long)l->groups,
               l->pruned ? "yes" : "no", l->flops / 1e6, l->bytes / 1e6, l->ai, l->bound,
               l->extra_bytes / 1e6, l->time_s * 1e6);
    }
    printf("\n");
}

static void print_table(const sr_prediction *p, int layers)
{
    printf("%s on %s, batch %lld, %s, %s\n", p->network, p->device, (long long)p->opts.batch,
           sr_dtype_name(p->opts.dtype),
           p->opts.prune_all ? "every prunable layer pruned" : "first and last prunable layers dense");
    printf("%-14s %8s %12s %12s %8s %8s\n", "pattern", "sparsity", "dense_ms", "time_ms",
           "speedup", "pruned");
    for (size_t r = 0; r < p->n_results; r++) {
        const sr_network_prediction *res = &p->results[r];
        printf("%-14s %8.3f %12.4f %12.4f %8.3f %4zu/%zu\n", res->pattern_name, res->sparsity,
               res->dense_time_s * 1e3, res->time_s * 1e3, res->speedup, res->n_pruned,
               res->n_layers);
        if (layers)
            print_layers(res);
    }
}

typedef struct {
    const char *network, *device, *db;
    sr_pattern patterns[MAX_LIST];
    size_t n_patterns;
    double sparsities[MAX_LIST];
    size_t n_sparsities;
    sr_predict_opts opts;
    int layers, json;
} predict_args;

/* 0: parsed; else the exit code (help: 0 through *done). */
static int parse_args(int argc, char **argv, predict_args *a, int *done)
{
    static const struct option opts[] = {
        {"network", required_argument, NULL, 'n'}, {"device", required_argument, NULL, 'd'},
        {"patterns", required_argument, NULL, 'p'}, {"sparsities", required_argument, NULL, 's'},
        {"batch", required_argument, NULL, 'b'},   {"dtype", required_argument, NULL, 't'},
        {"prune-all", no_argument, NULL, 'A'},      {"layers", no_argument, NULL, 'L'},
        {"json", no_argument, NULL, 'j'},           {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    int c, batch;
    sr_err err;
    *done = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': a->network = optarg; break;
        case 'd': a->device = optarg; break;
        case 'D': a->db = optarg; break;
        case 'A': a->opts.prune_all = 1; break;
        case 'L': a->layers = 1; break;
        case 'j': a->json = 1; break;
        case 'p':
            if (parse_list("--patterns", optarg, pattern_item, a->patterns, &a->n_patterns, &err))
                return sr_cli_fail("predict", &err);
            break;
        case 's':
            if (parse_list("--sparsities", optarg, sparsity_item, a->sparsities, &a->n_sparsities,
                           &err))
                return sr_cli_fail("predict", &err);
            break;
        case 'b':
            if (sr_cli_int("--batch", optarg, 1, 1000000, &batch, &err) != SR_OK)
                return sr_cli_fail("predict", &err);
            a->opts.batch = batch;
            break;
        case 't':
            if (!sr_dtype_parse(optarg, &a->opts.dtype))
                return sr_cli_usage("predict", "--dtype '%s': expected fp32, fp16 or fp64", optarg);
            break;
        case 'h': fputs(predict_usage, stdout); *done = 1; return SR_EXIT_OK;
        default: return sr_cli_usage("predict", "unknown option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("predict", "unexpected argument '%s'", argv[optind]);
    if (!a->network || !a->n_patterns)
        return sr_cli_usage("predict", "--network and --patterns are required");
    return SR_EXIT_OK;
}

int sr_cmd_predict(int argc, char **argv)
{
    predict_args a;
    memset(&a, 0, sizeof a);
    a.opts.batch = 1;
    a.opts.dtype = SR_DTYPE_FP32;
    a.db = getenv("SPARSEROOF_DB") ? getenv("SPARSEROOF_DB") : "sparseroof.db";
    int done, rc = parse_args(argc, argv, &a, &done);
    if (rc || done)
        return rc;

    sr_err err;
    sr_network *net = NULL;
    sr_prediction *pred = NULL;
    sr_ceilings ceilings;
    sr_code code = sr_cli_network_open(a.network, &net, &err);
    if (code == SR_OK)
        code = sr_cli_find_ceilings(a.db, a.device, &ceilings, &err);
    if (code == SR_OK)
        code = sr_predict(net, &ceilings, &a.opts, a.patterns, a.n_patterns, a.sparsities,
                          a.n_sparsities, &pred, &err);
    if (code != SR_OK) {
        sr_network_free(net);
        return sr_cli_fail("predict", &err);
    }
    /* The lead stores `pred` here as a run of predicted rows once the store lands. */
    if (a.json)
        print_json(pred);
    else
        print_table(pred, a.layers);
    sr_prediction_free(pred);
    sr_network_free(net);
    return 0;
}
