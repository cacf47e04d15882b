/* `sparseroof bench`: every layer of a network run for real on one device, dense and in
 * each pattern and sparsity; the rows stored; a summary of predicted against measured. */
#include "cli/cmd_bench.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "cli/signals.h"
#include "session/ceilings.h"
#include "session/records.h"
#include "session/sweep_summary.h"

static const char bench_help[] =
    "usage: sparseroof bench --network NAME|FILE [--device D] [--patterns LIST]\n"
    "                        [--sparsities LIST] [--batch B] [--prune-all] [--reps R]\n"
    "                        [--weights DIR] [--seed S] [--quiet] [--json] [--db FILE]\n"
    "       sparseroof bench --resume RUN [--quiet] [--json] [--db FILE]\n"
    "\n"
    "Runs every layer of a network on one OpenCL device as the GEMM it is (a convolution by\n"
    "implicit GEMM; a grouped one runs all its groups), dense and in each pattern and\n"
    "sparsity: the weights are magnitude-pruned, each result is checked against the CPU\n"
    "reference before its time counts, the time is the median of R repetitions, and the\n"
    "roofline prediction of the same GEMM work stands beside it. Every row is stored as\n"
    "soon as it is measured. Layers of the same shape are measured once (with random\n"
    "weights) and the output says so. A large layer's reference check covers an even\n"
    "sample of its rows (the row says how many).\n"
    "\n"
    "At the end: the network's predicted and measured speedup over dense for each pattern\n"
    "and sparsity, the prediction's error, and the layers furthest below the paper's\n"
    "roofline.\n"
    "Both sides count the same work: the GEMMs; the non-GEMM work `predict` adds\n"
    "(extra_bytes: activations, norms, pooling) is left out of both.\n"
    "\n"
    "  --network NAME|FILE  a built-in network (sparseroof networks) or a CSV/JSON file\n"
    "  --device D           OpenCL device index, PLATFORM:DEVICE or part of its name\n"
    "                       (default: the first); its ceilings are measured first if none\n"
    "                       are stored\n"
    "  --patterns LIST      comma-separated (default dense,unstructured,block:4x4,\n"
    "                       block:16x16,2:4); dense is always measured, as the baseline\n"
    "  --sparsities LIST    comma-separated fractions in [0, 1] (default 0.5,0.7,0.9)\n"
    "  --batch B            images or sequences (default 1)\n"
    "  --prune-all          prune the first and last prunable layers too (default: dense)\n"
    "  --reps R             timed repetitions of each layer (default 10; more, up to 1000,\n"
    "                       while fewer than 40 ms of them have run)\n"
    "  --weights DIR        real weights: DIR/<layer>.npy for every prunable layer, (groups\n"
    "                       x out) x (in x kernel) fp32, as tools/export_torch.py --weights\n"
    "                       writes them; checked before anything runs\n"
    "  --seed S             seed of random weights and inputs (default 1)\n"
    "  --resume RUN         finish an interrupted bench run (its UUID or a prefix): the\n"
    "                       layers it stored are not run again\n"
    "  --quiet              no progress (it goes to stderr: an updating line on a terminal,\n"
    "                       a line a measurement otherwise)\n"
    "  --json               print {run, network, device, results, layers} as JSON\n"
    "  --db FILE            database (default $SPARSEROOF_DB, else ./sparseroof.db)\n"
    "  -h, --help\n"
    "\n"
    "Ctrl-C stops at the current measurement; what was measured stays stored, the run is\n"
    "marked interrupted, and `bench --resume RUN` finishes it.\n";

int sr_cli_bench_parse(int argc, char **argv, sr_bench_args *a)
{
    enum { O_NET = 256, O_DEV, O_PAT, O_SP, O_BATCH, O_ALL, O_REPS, O_W, O_SEED, O_RES, O_Q, O_JSON, O_DB };
    static const struct option opts[] = {
        {"network", required_argument, NULL, O_NET}, {"device", required_argument, NULL, O_DEV},
        {"patterns", required_argument, NULL, O_PAT}, {"sparsities", required_argument, NULL, O_SP},
        {"batch", required_argument, NULL, O_BATCH},  {"prune-all", no_argument, NULL, O_ALL},
        {"reps", required_argument, NULL, O_REPS},    {"weights", required_argument, NULL, O_W},
        {"seed", required_argument, NULL, O_SEED},    {"resume", required_argument, NULL, O_RES},
        {"quiet", no_argument, NULL, O_Q},            {"json", no_argument, NULL, O_JSON},
        {"db", required_argument, NULL, O_DB},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sr_err err = {0};
    sr_code rc = SR_OK;
    int c, given = 0; /* sweep options given beside --resume */
    optind = 1;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        given += c != O_RES && c != O_Q && c != O_JSON && c != O_DB && c != 'h';
        switch (c) {
        case O_NET: a->network = optarg; break;
        case O_DEV: a->device = optarg; break;
        case O_PAT: rc = sr_cli_patterns("--patterns", optarg, a->patterns, SR_BENCH_MAX_LIST, &a->n_patterns, &err); break;
        case O_SP:
            rc = sr_cli_sparsities("--sparsities", optarg, a->sparsities, SR_BENCH_MAX_LIST, &a->n_sparsities, &err);
            break;
        case O_BATCH: rc = sr_cli_int("--batch", optarg, 1, 65536, &a->batch, &err); break;
        case O_ALL: a->prune_all = 1; break;
        case O_REPS: rc = sr_cli_int("--reps", optarg, 1, 10000, &a->reps, &err); break;
        case O_W: a->weights = optarg; break;
        case O_SEED: rc = sr_cli_u64("--seed", optarg, &a->seed, &err); break;
        case O_RES: a->resume = optarg; break;
        case O_Q: a->quiet = 1; break;
        case O_JSON: a->json = 1; break;
        case O_DB: a->db = optarg; break;
        case 'h': fputs(bench_help, stdout); return -1;
        default: return sr_cli_usage("bench", "bad option");
        }
    }
    if (rc != SR_OK)
        return sr_cli_fail("bench", &err);
    if (optind < argc)
        return sr_cli_usage("bench", "unexpected argument '%s'", argv[optind]);
    if (a->resume && given)
        return sr_cli_usage("bench", "--resume takes the run's own options: give only --resume, --db, --json "
                            "and --quiet");
    if (!a->resume && !a->network)
        return sr_cli_usage("bench", "--network is required (e.g. --network resnet50; 'sparseroof networks' "
                            "lists them)");
    return 0;
}

/* ---- progress ---- */

typedef struct {
    int tty, quiet, line;
} progress_state;

static void config_name(const sr_sweep_config *c, char *buf, size_t size)
{
    char p[32];
    sr_pattern_name(&c->pattern, p, sizeof p);
    if (c->pattern.kind == SR_PAT_DENSE || c->pattern.kind == SR_PAT_NM)
        snprintf(buf, size, "%s", p);
    else
        snprintf(buf, size, "%s %.3g", p, c->sparsity);
}

static void on_progress(void *ctx, const sr_sweep_event *ev)
{
    progress_state *ps = ctx;
    if (ps->quiet)
        return;
    char cfg[48];
    config_name(ev->config, cfg, sizeof cfg);
    const char *note = ev->skipped ? "kept dense: " : ev->reused ? "same shape as an earlier layer"
                       : ev->resumed ? "stored before" : "";
    if (ps->tty) {
        fprintf(stderr, "\r  [%zu/%zu] %-24.24s %-18s %s%.60s  %.0f s, about %.0f s left\033[K", ev->done, ev->total,
                ev->layer, cfg, note, ev->skipped ? ev->skipped : "", ev->elapsed_s, ev->eta_s);
        ps->line = 1;
        if (ev->skipped) /* keep it on the screen */
            fputc('\n', stderr), ps->line = 0;
    } else {
        fprintf(stderr, "bench: %zu/%zu %s %s%s%s%s%s\n", ev->done, ev->total, ev->layer, cfg, *note ? " (" : "",
                note, ev->skipped ? ev->skipped : "", *note ? ")" : "");
    }
    if (ev->params_note) /* a line of its own, on the screen too */
        fprintf(stderr, "%s%s %s: %s\n", ps->tty ? "\r\033[K" : "bench: ", ev->layer, cfg, ev->params_note),
            ps->line = 0;
    fflush(stderr);
}

static void progress_end(progress_state *ps)
{
    if (ps->tty && ps->line)
        fputs("\r\033[K", stderr);
}

static void on_ceilings(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx;
    (void)detail;
    if (done == total)
        sr_cli_progress("measuring ceilings: %s done", stage);
}

/* ---- the summary ---- */

static int has_device(const sr_sweep_summary *sum)
{
    for (size_t i = 0; i < sum->n_results; i++)
        if (isfinite(sum->results[i].device_s))
            return 1;
    return 0;
}

static void print_summary(const sr_sweep_summary *sum, const sr_sweep_stats *st, const char *net, const char *dev,
                          const sr_bench_args *a, const char *run)
{
    const int dm = has_device(sum);
    printf("%s on %s, batch %d, %s; GEMM work on both sides (non-GEMM work left out of both)\n", net, dev,
           a->batch, a->prune_all ? "every prunable layer pruned" : "first and last prunable layers dense");
    printf("%-18s %11s | %-35s |%s\n", "", "measured", "  peak: every pattern at FMA peak",
           dm ? "  device: the calibrated model" : "");
    printf("%-18s %11s %8s %11s %8s %8s", "pattern", "ms", "speedup", "ms", "speedup", "error");
    if (dm)
        printf("   %11s %8s %8s", "ms", "speedup", "error");
    printf("\n");
    for (size_t i = 0; i < sum->n_results; i++) {
        const sr_sweep_result *r = &sum->results[i];
        char cfg[48];
        config_name(&r->config, cfg, sizeof cfg);
        printf("%-18s %11.4f %8.3f %11.4f %8.3f %+7.1f%%", cfg, r->measured_s * 1e3, r->measured_speedup,
               r->predicted_s * 1e3, r->predicted_speedup, 100 * r->error);
        if (dm)
            printf("   %11.4f %8.3f %+7.1f%%", r->device_s * 1e3, r->device_speedup, 100 * r->device_error);
        if (r->kept_dense)
            printf("  (%zu layers kept dense: no kernel for their shape)", r->kept_dense);
        printf("\n");
    }
    if (sum->n_results && sum->results[0].config.pattern.kind != SR_PAT_DENSE) {
        printf("%-18s %11.4f %8s %11.4f %8s %8s", "dense", sum->results[0].measured_dense_s * 1e3, "",
               sum->results[0].predicted_dense_s * 1e3, "", "");
        if (dm)
            printf("   %11.4f", sum->results[0].device_dense_s * 1e3);
        printf("\n");
    }
    printf("(error: predicted / measured speedup - 1; the paper's distance from the measurement is a finding,\n"
           " the device model's is the tool's own error)\n");
    if (dm)
        printf("Device model per layer: median error %.1f%%, worst %.1f%% (|device / measured time - 1|)\n",
               100 * sum->device_layer_median, 100 * sum->device_layer_worst);
    else
        printf("(no device model for this device: 'sparseroof calibrate' measures one, and bench then shows it)\n");
    const size_t show = sum->n_layers < 8 ? sum->n_layers : 8;
    if (show)
        printf("\nLayers furthest below the paper's roofline (its bound / measured time; the device\n"
               "model's worst layers: 'sparseroof model-check --worst N'):\n");
    for (size_t i = 0; i < show; i++) {
        const sr_sweep_layer *l = &sum->layers[i];
        char cfg[48];
        config_name(&l->config, cfg, sizeof cfg);
        printf("  %-28.28s %-18s %9.4f ms measured %9.4f ms predicted  %5.2f  %s-bound%s\n", l->name, cfg,
               l->measured_s * 1e3, l->predicted_s * 1e3, l->ratio, l->bound,
               l->above_roof ? "  FASTER THAN ITS ROOF" : "");
    }
    if (sum->above_roof)
        printf("\n%zu measurement%s ran faster than the roofline allows, by up to %.1f%%: a ceiling is low or\n"
               "a byte count is off (see v_layer_roofline.above_roof; a few percent is within what the\n"
               "ceilings vary by across working sets; 'sparseroof peaks' measures them again)\n",
               sum->above_roof, sum->above_roof == 1 ? "" : "s", (sum->above_roof_max - 1.0) * 100.0);
    printf("\n%zu layers measured, %zu reused (same shape), %zu already stored, %zu kept dense", st->measured,
           st->reused, st->resumed, st->skipped);
    if (st->sampled)
        printf("; %zu checked on a sample of rows", st->sampled);
    if (st->params_defaulted)
        printf("; %zu with the default parameters (their tuned ones exceeded a device limit)", st->params_defaulted);
    const double other = st->wall_s - st->kernel_s - st->build_s - st->problem_s - st->prune_s - st->setup_s -
                         st->first_s - st->verify_s - st->store_s;
    printf("\nSweep %.1f s, of which kernels %.1f s: overhead %.0f%% (programs %.2f s: %d built, %d from the cache;\n"
           "weights and inputs %.2f, pruning and encoding %.2f, buffers %.2f, first launches %.2f, reference checks\n"
           "%.2f, storage %.2f, the rest %.2f)\n",
           st->wall_s, st->kernel_s, st->wall_s > 0 ? 100 * (1 - st->kernel_s / st->wall_s) : 0.0, st->build_s,
           st->built, st->loaded, st->problem_s, st->prune_s, st->setup_s, st->first_s, st->verify_s, st->store_s,
           other);
    printf("Stored in %s (run %s)\n", sr_cli_db_path(a->db), run);
}

static json_object *config_json(const sr_sweep_config *c)
{
    char p[SR_NAME_MAX];
    sr_pattern_name(&c->pattern, p, sizeof p);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "pattern", json_object_new_string(p));
    json_object_object_add(o, "sparsity", sr_cli_json_num(c->sparsity));
    return o;
}

static void print_json(const sr_sweep_summary *sum, const sr_sweep_stats *st, const char *net, const char *dev,
                       const sr_bench_args *a, const char *run, const char *stale)
{
    json_object *root = json_object_new_object(), *res = json_object_new_array(), *lay = json_object_new_array();
    json_object_object_add(root, "run", json_object_new_string(run));
    json_object_object_add(root, "network", json_object_new_string(net));
    json_object_object_add(root, "device", json_object_new_string(dev));
    json_object_object_add(root, "batch", json_object_new_int(a->batch));
    json_object_object_add(root, "work", json_object_new_string("gemm"));
    for (size_t i = 0; i < sum->n_results; i++) {
        const sr_sweep_result *r = &sum->results[i];
        json_object *o = config_json(&r->config);
        json_object_object_add(o, "measured_dense_s", sr_cli_json_num(r->measured_dense_s));
        json_object_object_add(o, "measured_s", sr_cli_json_num(r->measured_s));
        json_object_object_add(o, "predicted_dense_s", sr_cli_json_num(r->predicted_dense_s));
        json_object_object_add(o, "predicted_s", sr_cli_json_num(r->predicted_s));
        json_object_object_add(o, "predicted_speedup", sr_cli_json_num(r->predicted_speedup));
        json_object_object_add(o, "measured_speedup", sr_cli_json_num(r->measured_speedup));
        json_object_object_add(o, "error", sr_cli_json_num(r->error));
        json_object_object_add(o, "device_dense_s", sr_cli_json_num(r->device_dense_s));
        json_object_object_add(o, "device_s", sr_cli_json_num(r->device_s));
        json_object_object_add(o, "device_speedup", sr_cli_json_num(r->device_speedup));
        json_object_object_add(o, "device_error", sr_cli_json_num(r->device_error));
        json_object_object_add(o, "device_time_error", sr_cli_json_num(r->device_time_error));
        json_object_object_add(o, "layers_kept_dense", json_object_new_int64((int64_t)r->kept_dense));
        json_object_array_add(res, o);
    }
    for (size_t i = 0; i < sum->n_layers; i++) {
        const sr_sweep_layer *l = &sum->layers[i];
        json_object *o = config_json(&l->config);
        json_object_object_add(o, "layer", json_object_new_int64((int64_t)l->layer_index));
        json_object_object_add(o, "name", json_object_new_string(l->name));
        json_object_object_add(o, "measured_s", sr_cli_json_num(l->measured_s));
        json_object_object_add(o, "predicted_s", sr_cli_json_num(l->predicted_s));
        json_object_object_add(o, "ratio", sr_cli_json_num(l->ratio));
        json_object_object_add(o, "device_s", sr_cli_json_num(l->device_s));
        json_object_object_add(o, "bound", json_object_new_string(l->bound));
        json_object_object_add(o, "above_roof", json_object_new_boolean(l->above_roof));
        json_object_array_add(lay, o);
    }
    json_object_object_add(root, "results", res);
    json_object_object_add(root, "device_layer_median_error", sr_cli_json_num(sum->device_layer_median));
    if (stale)
        json_object_object_add(root, "calibration_warning", *stale ? json_object_new_string(stale) : NULL);
    json_object_object_add(root, "device_layer_worst_error", sr_cli_json_num(sum->device_layer_worst));
    json_object_object_add(root, "layers", lay);
    json_object *s = json_object_new_object();
    json_object_object_add(s, "wall_s", sr_cli_json_num(st->wall_s));
    json_object_object_add(s, "kernel_s", sr_cli_json_num(st->kernel_s));
    json_object_object_add(s, "build_s", sr_cli_json_num(st->build_s));
    json_object_object_add(s, "programs_built", json_object_new_int(st->built));
    json_object_object_add(s, "programs_loaded", json_object_new_int(st->loaded));
    const struct {
        const char *key;
        double v;
    } phases[] = {{"problem_s", st->problem_s}, {"prune_s", st->prune_s}, {"setup_s", st->setup_s},
                  {"first_launch_s", st->first_s}, {"verify_s", st->verify_s}, {"store_s", st->store_s}};
    for (size_t i = 0; i < sizeof phases / sizeof *phases; i++)
        json_object_object_add(s, phases[i].key, sr_cli_json_num(phases[i].v));
    json_object_object_add(s, "overhead", sr_cli_json_num(st->wall_s > 0 ? 1 - st->kernel_s / st->wall_s : NAN));
    json_object_object_add(s, "measured", json_object_new_int64((int64_t)st->measured));
    json_object_object_add(s, "reused", json_object_new_int64((int64_t)st->reused));
    json_object_object_add(s, "resumed", json_object_new_int64((int64_t)st->resumed));
    json_object_object_add(s, "kept_dense", json_object_new_int64((int64_t)st->skipped));
    json_object_object_add(s, "params_defaulted", json_object_new_int64((int64_t)st->params_defaulted));
    json_object_object_add(s, "sampled_checks", json_object_new_int64((int64_t)st->sampled));
    json_object_object_add(root, "sweep", s);
    sr_cli_json_print(root);
}

/* ---- the run ---- */

static sr_code sweep_opts(const sr_bench_args *a, const sr_network *net, sr_sweep_opts *o, sr_err *err)
{
    memset(o, 0, sizeof *o);
    o->net = net;
    o->batch = a->batch;
    o->prune_all = a->prune_all;
    o->reps = a->reps;
    o->seed = a->seed;
    o->weights_dir = a->weights;
    /* the reference checks a sample of a layer's rows beyond this many multiply-adds (a
     * full check of ResNet-50's large layers would take longer than their repetitions) */
    o->check_macs = 2e6;
    /* short layers get more repetitions: at least 40 ms of them (a steadier median, and
     * kernels rather than set-up fill the sweep's time) */
    o->min_time_s = 0.04;
    sr_code c = sr_sweep_configs(a->patterns, (size_t)a->n_patterns, a->sparsities, (size_t)a->n_sparsities, o, err);
    return c == SR_OK ? sr_sweep_check_weights(o, err) : c;
}

/* The summary from every row the run stored (those of an earlier, interrupted part too). */
/* stale: NULL without a device model, else why its calibration is stale ("": current) */
static sr_code summarize(sr_session *s, const sr_sweep_opts *o, const sr_sweep_stats *st, const sr_bench_args *a,
                         const char *net, const char *stale)
{
    sr_layer_row *rows = NULL;
    size_t n = 0;
    sr_sweep_summary sum;
    sr_err err = {0};
    sr_code c = sr_store_run_layer_rows(s->store, s->run, &rows, &n, &err);
    if (c == SR_OK)
        c = sr_sweep_summarize(o, rows, n, &sum, &err);
    if (c == SR_OK && a->json)
        print_json(&sum, st, net, s->dev->name, a, s->run, stale);
    else if (c == SR_OK)
        print_summary(&sum, st, net, s->dev->name, a, s->run);
    if (c == SR_OK)
        sr_sweep_summary_free(&sum);
    else
        sr_cli_fail("bench", &err);
    free(rows);
    return c;
}

int sr_cli_bench(const sr_bench_args *a, int argc, char **argv, const char *cmd)
{
    sr_err err = {0};
    sr_network *net = NULL;
    sr_sweep_opts o;
    sr_ceilings ceil;
    sr_layer_row *done = NULL;
    size_t n_done = 0;
    char net_uuid[SR_UUID_LEN];
    progress_state ps = {.tty = isatty(STDERR_FILENO), .quiet = a->quiet};
    sr_session s;
    sr_cli_session_init(&s, argc, argv);
    /* the network, the weights and the device first: refused before the database is touched */
    sr_code c = sr_cli_network_open(a->network, &net, &err);
    if (c == SR_OK)
        c = sweep_opts(a, net, &o, &err);
    if (c == SR_OK)
        c = sr_session_find_device(&s, a->device, &err);
    if (c == SR_OK)
        c = sr_session_open_store(&s, sr_cli_db_path(a->db), &err);
    if (c == SR_OK)
        c = sr_session_ceilings(&s, on_ceilings, &ceil, &err);
    sr_calib_point *calib = NULL;
    size_t n_calib = 0;
    sr_device_model dm = {0};
    if (c == SR_OK && a->calibrate && sr_store_get_calibration(s.store, s.device_uuid, &calib, &n_calib, NULL) != SR_OK) {
        free(calib);
        calib = NULL;
        sr_calibrate_opts co;
        sr_calibrate_opts_default(&co, a->calibrate == 1);
        char *cargv[] = {"calibrate", a->calibrate == 1 ? "--quick" : NULL, NULL};
        if (sr_cli_calibrate(&co, a->device, a->db, a->quiet, 0, 0, a->calibrate == 1 ? 2 : 1, cargv) != SR_EXIT_OK)
            c = sr_err_set(&err, SR_ERR_DB, "the device model's calibration failed (said above)");
    }
    if (c == SR_OK && sr_session_device_model(s.store, s.device_uuid, ceil.launch_overhead_s, &dm, &calib, NULL) ==
                          SR_OK)
        o.dm = &dm;
    char stale[256] = "";
    if (o.dm && sr_calibration_stale(s.store, s.device_uuid, calib, dm.n_points, stale, sizeof stale))
        fprintf(stderr, "sparseroof %s: %s\n", cmd, stale);
    if (c == SR_OK && a->resume) {
        c = sr_session_resume(&s, a->resume, &err);
        if (c == SR_OK)
            c = sr_store_run_layer_rows(s.store, s.run, &done, &n_done, &err);
    } else if (c == SR_OK) {
        c = sr_session_begin(&s, &err);
    }
    if (c == SR_OK)
        c = sr_record_network(s.store, net, net_uuid, &err);
    if (c == SR_OK)
        c = sr_session_open_device(&s, &err);
    sr_sweep_stats st = {0};
    if (c == SR_OK)
        c = sr_sweep_run(&s, net_uuid, &o, &ceil, done, n_done, on_progress, &ps, &st, &err);
    progress_end(&ps);
    char run[SR_UUID_LEN], kept[128];
    memcpy(run, s.run, sizeof run);
    snprintf(kept, sizeof kept, "what was measured is kept; 'sparseroof bench --resume %.8s' finishes it", run);
    c = sr_session_end(&s, c, &err);
    int rc = sr_cli_exit(cmd, c, run, kept, &err);
    if (rc == SR_EXIT_OK) {
        memcpy(s.run, run, sizeof run);
        rc = summarize(&s, &o, &st, a, sr_network_name(net), o.dm ? stale : NULL) == SR_OK ? SR_EXIT_OK : SR_EXIT_FAIL;
    }
    sr_session_close(&s);
    free(done);
    free(calib);
    sr_network_free(net);
    return rc;
}

static void bench_defaults(sr_bench_args *a)
{
    memset(a, 0, sizeof *a);
    a->batch = 1;
    a->reps = 10;
    a->seed = 1;
    sr_err err;
    sr_cli_patterns("--patterns", SR_CLI_ALL_PATTERNS, a->patterns, SR_BENCH_MAX_LIST, &a->n_patterns, &err);
    a->n_sparsities = 3;
    a->sparsities[0] = 0.5, a->sparsities[1] = 0.7, a->sparsities[2] = 0.9;
}

/* --resume RUN: the run's own command line, parsed again, with this invocation's --db,
 * --json and --quiet. */
static int resume_args(const sr_bench_args *now, sr_bench_args *a, int *argc, char ***argv)
{
    sr_err err = {0};
    sr_store *store = NULL;
    sr_run_rec run;
    sr_code c = sr_store_open(sr_cli_db_path(now->db), SR_STORE_READONLY, &store, &err);
    if (c == SR_OK)
        c = sr_store_get_run(store, now->resume, &run, &err);
    if (c == SR_OK && strcmp(run.command, "bench") != 0)
        c = sr_err_set(&err, SR_ERR_ARG, "--resume %s: run %s is a '%s' run, not a bench", now->resume, run.uuid,
                       run.command);
    if (c == SR_OK && strcmp(run.status, "complete") == 0)
        c = sr_err_set(&err, SR_ERR_ARG, "--resume %s: run %s is already complete", now->resume, run.uuid);
    if (c == SR_OK)
        c = sr_store_split_command_line(run.command_line, argc, argv, &err);
    sr_store_close(store);
    if (c != SR_OK)
        return sr_cli_fail("bench", &err);
    bench_defaults(a);
    /* (*argv)[0] is "sparseroof": the run's argv starts at "bench" */
    int rc = *argc >= 2 ? sr_cli_bench_parse(*argc - 1, *argv + 1, a) : SR_EXIT_USAGE;
    if (rc == 0 && a->resume)
        rc = sr_cli_usage("bench", "run %s was itself a resume", run.uuid);
    static char uuid[SR_UUID_LEN];
    memcpy(uuid, run.uuid, sizeof uuid);
    a->resume = uuid;
    a->db = now->db, a->json = now->json, a->quiet = now->quiet;
    return rc;
}

int sr_cmd_bench(int argc, char **argv)
{
    sr_bench_args a;
    bench_defaults(&a);
    int rc = sr_cli_bench_parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    if (!a.resume)
        return sr_cli_bench(&a, argc, argv, "bench");
    sr_bench_args r;
    int rargc = 0;
    char **rargv = NULL;
    rc = resume_args(&a, &r, &rargc, &rargv);
    if (rc == 0)
        rc = sr_cli_bench(&r, rargc - 1, rargv + 1, "bench");
    free(rargv);
    return rc;
}
