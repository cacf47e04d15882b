/* `sparseroof predict`: the analytic Sparsity Roofline of a network on a device, per
 * layer and in total, for each pattern and sparsity (src/model/predict.h). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "session/calibrate.h"
#include "session/ceilings.h"
#include "session/records.h"
#include "cli/signals.h"
#include "store/store.h"
#include "model/predict.h"

static const char predict_usage[] =
    "usage: sparseroof predict --network NAME|FILE [--device D] --patterns LIST\n"
    "                          [--sparsities LIST] [--batch B] [--dtype fp32|fp16|fp64]\n"
    "                          [--prune-all] [--ceilings peak|tuned|device|both] [--layers]\n"
    "                          [--json]\n"
    "                          [--db FILE]\n"
    "\n"
    "Predicts each layer's FLOPs, bytes, arithmetic intensity, bound and time with the\n"
    "roofline model, and the network's speedup over dense, for every pattern and sparsity.\n"
    "\n"
    "  --network NAME|FILE  a built-in network (sparseroof networks) or a CSV/JSON file\n"
    "  --device D           a device with stored ceilings, a virtual one (peaks --define),\n"
    "                       an inline virtual:GBPS:GFLOPS, or an OpenCL device here (its\n"
    "                       ceilings are measured first if none are stored); default: the\n"
    "                       first OpenCL device\n"
    "  --patterns LIST      comma-separated: dense, unstructured, block:RxC, N:M; or all\n"
    "  --sparsities LIST    comma-separated fractions in [0, 1]; N:M and dense ignore them\n"
    "  --batch B            images or sequences (default 1)\n"
    "  --dtype T            value type (default fp32); indices are 32-bit\n"
    "  --prune-all          prune the first and last prunable layers too (default: dense)\n"
    "  --ceilings C         peak: every pattern at the device's FMA peak (the paper's premise:\n"
    "                       well-optimized kernels); tuned: each pattern at the throughput its\n"
    "                       best kernel reached on this device ('sparseroof tune'); device: the\n"
    "                       device model ('sparseroof calibrate'): each layer at the rate this\n"
    "                       device's kernels reach at its shape, with the repacking of X, the\n"
    "                       re-reads of X from its cache level and the launches (without a\n"
    "                       calibration: the tuned figures, and the output says so); both\n"
    "                       (default): peak beside device (else tuned) where they exist\n"
    "  --layers             print the per-layer table under each result\n"
    "  --json               print JSON\n"
    "  --db FILE            database (default: $SPARSEROOF_DB or ./sparseroof.db); the\n"
    "                       prediction is stored there as a run of predicted rows\n"
    "  -h, --help\n";

#define MAX_LIST 64

static json_object *layer_json(const sr_layer_prediction *l)
{
    json_object *o = json_object_new_object();
    sr_cli_json_shape(o, l->name, l->kind, l->m, l->k, l->n, l->groups);
    json_object_object_add(o, "pruned", json_object_new_boolean(l->pruned));
    json_object_object_add(o, "sparsity", sr_cli_json_num(l->sparsity));
    json_object_object_add(o, "nnz", sr_cli_json_num(l->nnz));
    json_object_object_add(o, "flops", sr_cli_json_num(l->flops));
    json_object_object_add(o, "bytes", sr_cli_json_num(l->bytes));
    json_object_object_add(o, "ai", sr_cli_json_num(l->ai));
    json_object_object_add(o, "extra_bytes", sr_cli_json_num(l->extra_bytes));
    json_object_object_add(o, "bound", json_object_new_string(l->bound));
    json_object_object_add(o, "gflops_ceiling", sr_cli_json_num(l->gflops));
    json_object_object_add(o, "gbps_ceiling", sr_cli_json_num(l->gbps));
    json_object_object_add(o, "time_s", sr_cli_json_num(l->time_s));
    json_object_object_add(o, "dense_time_s", sr_cli_json_num(l->dense_time_s));
    return o;
}

static json_object *results_json(const sr_prediction *p)
{
    json_object *results = json_object_new_array();
    for (size_t r = 0; r < p->n_results; r++) {
        const sr_network_prediction *res = &p->results[r];
        json_object *o = json_object_new_object(), *layers = json_object_new_array(),
                    *pruned = json_object_new_array();
        json_object_object_add(o, "pattern", json_object_new_string(res->pattern_name));
        json_object_object_add(o, "sparsity", sr_cli_json_num(res->sparsity));
        json_object_object_add(o, "dense_time_s", sr_cli_json_num(res->dense_time_s));
        json_object_object_add(o, "time_s", sr_cli_json_num(res->time_s));
        json_object_object_add(o, "speedup", sr_cli_json_num(res->speedup));
        for (size_t i = 0; i < res->n_layers; i++) {
            json_object_array_add(layers, layer_json(&res->layers[i]));
            if (res->layers[i].pruned)
                json_object_array_add(pruned, json_object_new_string(res->layers[i].name));
        }
        json_object_object_add(o, "pruned_layers", pruned);
        json_object_object_add(o, "layers", layers);
        json_object_array_add(results, o);
    }
    return results;
}

/* {network, device, batch, dtype, ceilings, results, tuned_results? | device_results?}:
 * results are the peak-ceiling predictions when asked for (else the second ones, whose
 * kind `second` names: "tuned" or "device"); the second appear beside them when both
 * exist. */
static void print_json(const sr_prediction *peak, const sr_prediction *tuned, const char *second, const char *stale)
{
    const sr_prediction *p = peak ? peak : tuned;
    json_object *root = json_object_new_object();
    json_object_object_add(root, "network", json_object_new_string(p->network));
    json_object_object_add(root, "device", json_object_new_string(p->device));
    json_object_object_add(root, "batch", json_object_new_int64(p->opts.batch));
    json_object_object_add(root, "dtype", json_object_new_string(sr_dtype_name(p->opts.dtype)));
    json_object_object_add(root, "prune_all", json_object_new_boolean(p->opts.prune_all));
    json_object_object_add(root, "ceilings", json_object_new_string(peak ? "peak" : second));
    json_object_object_add(root, "results", results_json(p));
    char key[32];
    snprintf(key, sizeof key, "%s_results", second);
    if (peak && tuned)
        json_object_object_add(root, key, results_json(tuned));
    /* the device model from a calibration of other kernels: used, but said */
    if (strcmp(second, "device") == 0)
        json_object_object_add(root, "calibration_warning", *stale ? json_object_new_string(stale) : NULL);
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

static void print_table(const sr_prediction *peak, const sr_prediction *tuned, const char *second, int layers,
                        const char *note)
{
    const sr_prediction *p = peak ? peak : tuned;
    printf("%s on %s, batch %lld, %s, %s\n", p->network, p->device, (long long)p->opts.batch,
           sr_dtype_name(p->opts.dtype),
           p->opts.prune_all ? "every prunable layer pruned" : "first and last prunable layers dense");
    if (peak && tuned)
        printf("%-14s %8s %8s | %-32s | %s\n", "", "", "", "  peak: every pattern at FMA peak",
               strcmp(second, "device") == 0 ? "device: the calibrated device model"
                                             : "tuned: at its best kernel's speed");
    printf("%-14s %8s %8s   %10s %10s %8s", "pattern", "sparsity", "pruned", "dense_ms", "time_ms", "speedup");
    if (peak && tuned)
        printf("   %10s %10s %8s", "dense_ms", "time_ms", "speedup");
    printf("\n");
    for (size_t r = 0; r < p->n_results; r++) {
        const sr_network_prediction *res = &p->results[r];
        char pruned[32];
        snprintf(pruned, sizeof pruned, "%zu/%zu", res->n_pruned, res->n_layers);
        printf("%-14s %8.3f %8s   %10.4f %10.4f %8.3f", res->pattern_name, res->sparsity, pruned,
               res->dense_time_s * 1e3, res->time_s * 1e3, res->speedup);
        if (peak && tuned)
            printf("   %10.4f %10.4f %8.3f", tuned->results[r].dense_time_s * 1e3, tuned->results[r].time_s * 1e3,
                   tuned->results[r].speedup);
        printf("\n");
        if (layers)
            print_layers(res);
    }
    if (!peak && strcmp(second, "tuned") == 0)
        printf("(ceilings: each pattern at the throughput its tuned kernel reached on this device)\n");
    if (!peak && strcmp(second, "device") == 0)
        printf("(the device model: each layer at its calibrated rate, repacking, re-reads and launches)\n");
    if (note)
        printf("(%s)\n", note);
}

typedef struct {
    const char *network, *device_spec, *db;
    sr_pattern patterns[MAX_LIST];
    size_t n_patterns;
    double sparsities[MAX_LIST];
    size_t n_sparsities;
    sr_predict_opts opts;
    int layers, json;
    int peak, tuned, device; /* which predictions --ceilings asks for (device: else tuned) */
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
        {"ceilings", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    int c, batch, n;
    sr_err err;
    *done = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': a->network = optarg; break;
        case 'd': a->device_spec = optarg; break;
        case 'D': a->db = optarg; break;
        case 'C':
            a->peak = strcmp(optarg, "peak") == 0 || strcmp(optarg, "both") == 0;
            a->tuned = strcmp(optarg, "tuned") == 0;
            a->device = strcmp(optarg, "device") == 0 || strcmp(optarg, "both") == 0;
            if (!a->peak && !a->tuned && !a->device)
                return sr_cli_usage("predict", "--ceilings '%s': expected peak, tuned, device or both", optarg);
            break;
        case 'A': a->opts.prune_all = 1; break;
        case 'L': a->layers = 1; break;
        case 'j': a->json = 1; break;
        case 'p':
            if (sr_cli_patterns("--patterns", optarg, a->patterns, MAX_LIST, &n, &err))
                return sr_cli_fail("predict", &err);
            a->n_patterns = (size_t)n;
            break;
        case 's':
            if (sr_cli_sparsities("--sparsities", optarg, a->sparsities, MAX_LIST, &n, &err))
                return sr_cli_fail("predict", &err);
            a->n_sparsities = (size_t)n;
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

/* The device's ceilings with each pattern's compute ceiling set to the throughput its
 * tuned kernel reached (sparseroof tune). 1 when dense and every pattern have one. */
static int tuned_ceilings(sr_store *store, const char *device_uuid, const predict_args *a, const sr_ceilings *peak,
                          sr_ceilings *out)
{
    if (!device_uuid[0] || a->opts.dtype != SR_DTYPE_FP32) /* kernels are tuned in fp32 */
        return 0;
    *out = *peak;
    out->n_patterns = 0;
    sr_pattern all[MAX_LIST + 1] = {{.kind = SR_PAT_DENSE}};
    memcpy(all + 1, a->patterns, a->n_patterns * sizeof *all);
    for (size_t i = 0; i <= a->n_patterns; i++) {
        char name[SR_NAME_MAX];
        sr_pattern_name(&all[i], name, sizeof name);
        sr_tuned_rec t;
        if (sr_store_get_tuned(store, device_uuid, name, SR_DTYPE_FP32, 0, 0, 0, &t, NULL) != SR_OK ||
            !(t.gflops > 0))
            return 0;
        if (sr_ceilings_pattern(out, name) || out->n_patterns == SR_MAX_PATTERN_CEILINGS)
            continue;
        sr_pattern_ceiling *pc = &out->patterns[out->n_patterns++];
        snprintf(pc->pattern, sizeof pc->pattern, "%s", name);
        pc->gflops = t.gflops;
        pc->metadata_bits = -1;
    }
    return 1;
}

/* The device model of device_uuid into *dm (points in *calib); NULL when it covers dense
 * and every pattern asked for, else why not (the caller falls back to tuned figures). */
static const char *device_model(sr_store *store, const char *device_uuid, const predict_args *a,
                                const sr_ceilings *c, sr_calib_point **calib, size_t *n, sr_device_model *dm)
{
    static char why[256];
    if (!device_uuid[0] || c->is_virtual)
        return "a virtual device has no device model: showing tuned figures where stored";
    if (a->opts.dtype != SR_DTYPE_FP32)
        return "the device model is calibrated in fp32: showing tuned figures where stored";
    if (sr_session_device_model(store, device_uuid, c->launch_overhead_s, dm, calib, NULL) != SR_OK)
        return "no calibration of this device ('sparseroof calibrate' measures one): showing tuned figures "
               "instead where stored";
    *n = dm->n_points;
    const sr_pattern dense = {.kind = SR_PAT_DENSE};
    for (size_t i = 0; i <= a->n_patterns; i++) {
        const sr_pattern *p = i ? &a->patterns[i - 1] : &dense;
        if (!sr_device_model_has(dm, p)) {
            char name[SR_NAME_MAX];
            sr_pattern_name(p, name, sizeof name);
            snprintf(why, sizeof why, "the calibration does not cover %s ('sparseroof calibrate --patterns ...'): "
                     "showing tuned figures instead where stored", name);
            return why;
        }
    }
    return NULL;
}

/* Stores a prediction as predicted rows of the current run: every layer dense, and the
 * layers each sparse result pruned (the views use the dense row for the others). */
static sr_code store_prediction(sr_store *store, const sr_network *net, const sr_prediction *p,
                                const char *which, sr_err *err)
{
    char net_uuid[SR_UUID_LEN];
    sr_code c = sr_record_network(store, net, net_uuid, err);
    for (size_t r = 0; r < p->n_results && c == SR_OK; r++) {
        const sr_network_prediction *res = &p->results[r];
        const int dense = res->pattern.kind == SR_PAT_DENSE;
        for (size_t i = 0; i < res->n_layers && c == SR_OK; i++) {
            if (!dense && !res->layers[i].pruned)
                continue;
            sr_measurement m;
            sr_record_layer_prediction(net_uuid, i, res, &p->opts, which, &m);
            c = sr_store_add_measurement(store, &m, err);
        }
        /* a layer every result keeps dense is stored once, with the dense result */
    }
    return c;
}

static void on_ceilings_progress(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx;
    (void)detail;
    if (done == total)
        sr_cli_progress("measuring ceilings: %s done", stage);
}

int sr_cmd_predict(int argc, char **argv)
{
    predict_args a;
    memset(&a, 0, sizeof a);
    a.opts.batch = 1;
    a.opts.dtype = SR_DTYPE_FP32;
    int done, rc = parse_args(argc, argv, &a, &done);
    if (rc || done)
        return rc;
    if (!a.peak && !a.tuned && !a.device)
        a.peak = a.device = 1;
    const int second_alone = !a.peak;

    sr_err err = {0};
    sr_network *net = NULL;
    sr_prediction *pred = NULL, *tpred = NULL;
    sr_ceilings ceilings, tceil;
    char device_uuid[SR_UUID_LEN] = "";
    sr_calib_point *calib = NULL;
    size_t n_calib = 0;
    const char *second = "tuned", *note = NULL;
    char stale[256] = "";
    sr_session s;
    sr_cli_session_init(&s, argc, argv);
    sr_code code = sr_cli_network_open(a.network, &net, &err);
    if (code == SR_OK)
        code = sr_session_check_new_store_device(sr_cli_db_path(a.db), a.device_spec, &err);
    if (code == SR_OK)
        code = sr_session_open_store(&s, sr_cli_db_path(a.db), &err);
    if (code == SR_OK)
        code = sr_session_device_ceilings(s.store, argc, argv, sr_cli_interrupted, a.device_spec,
                                          on_ceilings_progress, &ceilings, device_uuid, &err);
    sr_predict_opts dopts = a.opts;
    sr_device_model dm = {0};
    if (code == SR_OK && a.device)
        note = device_model(s.store, device_uuid, &a, &ceilings, &calib, &n_calib, &dm);
    if (code == SR_OK && a.device && !note) {
        second = "device";
        dopts.dm = &dm;
        if (sr_calibration_stale(s.store, device_uuid, calib, n_calib, stale, sizeof stale))
            fprintf(stderr, "sparseroof predict: %s\n", stale);
        code = sr_predict(net, &ceilings, &dopts, a.patterns, a.n_patterns, a.sparsities, a.n_sparsities, &tpred,
                          &err);
    } else if (code == SR_OK && (a.tuned || a.device) && tuned_ceilings(s.store, device_uuid, &a, &ceilings, &tceil)) {
        code = sr_predict(net, &tceil, &a.opts, a.patterns, a.n_patterns, a.sparsities, a.n_sparsities, &tpred,
                          &err);
    } else if (code == SR_OK && (a.tuned || a.device)) {
        note = a.device ? "no device model nor tuned figures for this device: 'sparseroof calibrate' measures the "
                          "device model, 'sparseroof tune' the tuned figures"
                        : "no tuned predictions: 'sparseroof tune --patterns dense,...' on this device measures "
                          "what each pattern's best kernel reaches; then predict shows both";
        if (second_alone)
            code = sr_err_set(&err, SR_ERR_NOTFOUND, "--ceilings %s: %s", a.device ? "device" : "tuned", note);
    }
    if (code == SR_OK && a.peak)
        code = sr_predict(net, &ceilings, &a.opts, a.patterns, a.n_patterns, a.sparsities, a.n_sparsities,
                          &pred, &err);
    /* the run: an inline virtual device is recorded under it */
    if (code == SR_OK)
        code = sr_session_begin(&s, &err);
    if (code == SR_OK && !device_uuid[0])
        code = sr_store_define_virtual(s.store, s.run, &ceilings, device_uuid, &err);
    if (code == SR_OK)
        code = sr_store_run_set_device(s.store, s.run, device_uuid, &err);
    if (code == SR_OK)
        code = store_prediction(s.store, net, pred ? pred : tpred, pred ? "peak" : second, &err);
    rc = sr_cli_session_finish(&s, "predict", code, NULL, &err);
    if (rc == SR_EXIT_OK && a.json)
        print_json(pred, tpred, second, stale);
    else if (rc == SR_EXIT_OK)
        print_table(pred, tpred, second, a.layers, note);
    sr_prediction_free(pred);
    sr_prediction_free(tpred);
    sr_network_free(net);
    free(calib);
    return rc;
}
