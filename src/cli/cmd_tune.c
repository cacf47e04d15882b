/* `sparseroof tune`: searches each pattern's kernel parameters on one device, stores the
 * best with its speed, and so gives `kernel` (and predictions with --ceilings tuned) the
 * device's achieved throughput per pattern. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/kernel_run.h"
#include "bench/tune.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "cli/signals.h"
#include "store/store.h"

/* The shape classes: those of the layers networks have at batch 1 (ResNet-50's and
 * BERT-base's): N from one column (a last linear layer) through 49 and 196 to a first
 * convolution's 12544, K from 64 to 4608, few rows of W and many. */
#define CLASSES_A "64x147x12544,256x64x3136,64x576x3136,128x1152x784,256x2304x196,"
#define CLASSES_B "512x4608x49,2048x512x49,768x3072x128,1000x2048x1"
#define SHAPE_CLASSES CLASSES_A CLASSES_B

static const char *help =
    "usage: sparseroof tune [--device D] [--patterns LIST] [--m M] [--k K] [--n N]\n"
    "                       [--shapes MxKxN,... | --classes] [--sparsity S] [--budget SECONDS]\n"
    "                       [--reps R] [--db PATH] [--json]\n"
    "\n"
    "Searches the kernel parameters (vector width, vectors per row, rows per work-item,\n"
    "work-group size, K block, X read in place or repacked; dense: vectors along N or\n"
    "along M) of each pattern on one device, verifying every candidate against\n"
    "the CPU reference, and stores the fastest with its speed. A candidate counts as\n"
    "faster at 5% or more, and the winner is run against the defaults, side by side in 5\n"
    "rounds, before it is kept: 'default' and 'tuned' are those rounds' medians.\n"
    "`kernel` then uses them (this device first, then the same device under another\n"
    "driver, then a device of the same vendor and type, then the defaults; within each,\n"
    "those tuned on the shape nearest the layer's, N counting most), and the best speed\n"
    "of each pattern is that pattern's achieved ceiling on this device\n"
    "(`predict --ceilings tuned`).\n"
    "\n"
    "  -p, --patterns LIST  comma-separated patterns (default\n"
    "                       dense,unstructured,block:4x4,block:16x16,2:4)\n"
    "      --m, --k, --n    the shape tuned on (default 2048, 2048, 256: a large layer)\n"
    "      --shapes LIST    several shapes instead, e.g. 512x256x64,256x2048x2048: each layer\n"
    "                       then runs with the parameters of the nearest one\n"
    "      --classes        nine shapes that span the layers of networks: short and long K,\n"
    "                       N from 1 to 12544:\n"
    "                       " CLASSES_A "\n"
    "                       " CLASSES_B "\n"
    "  -s, --sparsity S     sparsity of unstructured and block patterns (default 0.9)\n"
    "  -b, --budget S       seconds for the whole search (default 100), shared by the patterns\n"
    "  -r, --reps R         timed repetitions per candidate (default 10)\n"
    "  -d, --device D       device index, PLATFORM:DEVICE or part of its name\n"
    "      --db PATH        database (default $SPARSEROOF_DB, else ./sparseroof.db)\n"
    "      --json           print JSON\n"
    "  -h, --help           show this help\n";

typedef struct {
    const char *pattern;
    int quiet;
} progress_ctx;

static int on_candidate(void *ctx, const sr_kernel_params *kp, double time_s, int ok, const char *why)
{
    const progress_ctx *p = ctx;
    if (!p->quiet) {
        char params[96];
        sr_kernel_params_format(kp, params, sizeof params);
        if (ok)
            sr_cli_progress("%-13s %-40s %9.4f ms", p->pattern, params, time_s * 1e3);
        else
            sr_cli_progress("%-13s %-40s (skipped: %s)", p->pattern, params, why);
    }
    return sr_cli_interrupted();
}

#define MAX_SHAPES 16

typedef struct {
    const char *device, *db, *patterns;
    int m, k, n, reps, json;
    double sparsity, budget;
    int shapes[MAX_SHAPES][3], n_shapes;
} tune_opts;

/* --shapes MxKxN,...: into o->shapes. */
static sr_code parse_shapes(const char *opt, const char *text, tune_opts *o, sr_err *err)
{
    o->n_shapes = 0;
    for (const char *p = text; *p;) {
        int m, k, n, used = 0;
        if (o->n_shapes == MAX_SHAPES)
            return sr_err_set(err, SR_ERR_ARG, "%s: at most %d shapes", opt, MAX_SHAPES);
        if (sscanf(p, "%dx%dx%d%n", &m, &k, &n, &used) != 3 || m < 1 || k < 1 || n < 1 || m > 1 << 20 ||
            k > 1 << 20 || n > 1 << 20 || (p[used] != ',' && p[used] != '\0') ||
            (p[used] == ',' && p[used + 1] == '\0'))
            return sr_err_set(err, SR_ERR_ARG, "%s '%s': expected MxKxN shapes (each 1 to 1048576), e.g. "
                              "512x256x64,256x2048x2048", opt, text);
        o->shapes[o->n_shapes][0] = m, o->shapes[o->n_shapes][1] = k, o->shapes[o->n_shapes][2] = n;
        o->n_shapes++;
        p += used + (p[used] == ',');
    }
    return o->n_shapes ? SR_OK : sr_err_set(err, SR_ERR_ARG, "%s: no shape given", opt);
}

static int parse_args(int argc, char **argv, tune_opts *o, sr_err *err)
{
    static const struct option opts[] = {
        {"patterns", required_argument, NULL, 'p'}, {"m", required_argument, NULL, 'M'},
        {"k", required_argument, NULL, 'K'},        {"n", required_argument, NULL, 'N'},
        {"sparsity", required_argument, NULL, 's'}, {"budget", required_argument, NULL, 'b'},
        {"reps", required_argument, NULL, 'r'},     {"device", required_argument, NULL, 'd'},
        {"db", required_argument, NULL, 'D'},       {"json", no_argument, NULL, 'j'},
        {"shapes", required_argument, NULL, 'S'},   {"classes", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const long dim_max = 1L << 20;
    sr_code rc = SR_OK;
    int c;
    optind = 1;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "p:s:b:r:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': o->patterns = optarg; break;
        case 'M': rc = sr_cli_int("--m", optarg, 1, dim_max, &o->m, err); break;
        case 'K': rc = sr_cli_int("--k", optarg, 1, dim_max, &o->k, err); break;
        case 'N': rc = sr_cli_int("--n", optarg, 1, dim_max, &o->n, err); break;
        case 's': rc = sr_cli_double("--sparsity", optarg, 0.0, 1.0, &o->sparsity, err); break;
        case 'b': rc = sr_cli_double("--budget", optarg, 1.0, 86400.0, &o->budget, err); break;
        case 'r': rc = sr_cli_int("--reps", optarg, 1, 10000, &o->reps, err); break;
        case 'd': o->device = optarg; break;
        case 'D': o->db = optarg; break;
        case 'j': o->json = 1; break;
        case 'S': rc = parse_shapes("--shapes", optarg, o, err); break;
        case 'C': rc = parse_shapes("--classes", SHAPE_CLASSES, o, err); break;
        case 'h': fputs(help, stdout); return -1;
        default: return sr_cli_usage("tune", "bad option");
        }
    }
    if (rc != SR_OK)
        return sr_cli_fail("tune", err);
    if (optind < argc)
        return sr_cli_usage("tune", "unexpected argument '%s'", argv[optind]);
    if (!o->n_shapes) {
        o->shapes[0][0] = o->m, o->shapes[0][1] = o->k, o->shapes[0][2] = o->n;
        o->n_shapes = 1;
    }
    return 0;
}

/* Tunes one pattern; the winner goes into *rec (stored when every pattern is done). */
static sr_code tune_pattern(sr_cl *cl, const tune_opts *o, const sr_problem *prob, const sr_pattern *p,
                            double budget, sr_tuned_rec *rec, json_object *arr, sr_err *err)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    double sparsity = o->sparsity;
    sr_pattern_fixed_sparsity(p, &sparsity);
    sr_problem_weights pw;
    sr_code c = sr_problem_weights_make(prob, p, sparsity, &pw, err);
    if (c != SR_OK)
        return sr_err_prefix(err, "%s", name);
    sr_kernel_params start;
    sr_kernel_params_default_for(p, sr_cl_info(cl)->type, o->m, o->n, &start);
    progress_ctx ctx = {name, 0};
    sr_tune_result t;
    c = sr_tune(cl, pw.w, pw.pruned, prob->x, o->n, &start, o->reps, budget, on_candidate, &ctx, &t, err);
    if (c == SR_OK) {
        memset(rec, 0, sizeof *rec);
        snprintf(rec->pattern, sizeof rec->pattern, "%s", name);
        rec->dtype = SR_DTYPE_FP32;
        rec->sparsity = sparsity;
        rec->m = o->m, rec->k = o->k, rec->n = o->n;
        sr_kernel_params_format(&t.best, rec->params, sizeof rec->params);
        rec->gflops = t.best_gflops;
        rec->time_s = t.best_time_s;
        /* 0: the default was skipped (it did not build, run or verify) */
        const double def_gflops = t.default_time_s > 0 ? sr_spmm_flops(pw.w, o->n) / t.default_time_s * 1e-9 : 0.0;
        if (arr) {
            json_object *j = json_object_new_object();
            json_object_object_add(j, "pattern", json_object_new_string(name));
            json_object_object_add(j, "m", json_object_new_int(o->m));
            json_object_object_add(j, "k", json_object_new_int(o->k));
            json_object_object_add(j, "n", json_object_new_int(o->n));
            json_object_object_add(j, "sparsity", sr_cli_json_num(sparsity));
            json_object_object_add(j, "params", json_object_new_string(rec->params));
            json_object_object_add(j, "gflops", sr_cli_json_num(t.best_gflops));
            json_object_object_add(j, "time_s", sr_cli_json_num(t.best_time_s));
            json_object_object_add(j, "default_gflops", sr_cli_json_num(def_gflops));
            json_object_object_add(j, "candidates", json_object_new_int(t.evaluated));
            json_object_object_add(j, "skipped", json_object_new_int(t.failed));
            json_object_array_add(arr, j);
        } else {
            printf("%-13s %8.4g %10.1f %10.1f %7.2fx  %-40s %5d\n", name, sparsity, def_gflops, t.best_gflops,
                   def_gflops > 0 ? t.best_gflops / def_gflops : 0.0, rec->params, t.evaluated);
        }
    }
    sr_problem_weights_free(&pw);
    return c == SR_OK ? c : sr_err_prefix(err, "%s", name);
}

/* The starting points of every pattern, checked against the device before anything runs. */
static sr_code check_patterns(const sr_device_info *dev, const tune_opts *o, const sr_pattern *pats, int np,
                              sr_err *err)
{
    sr_code c = SR_OK;
    for (int i = 0; i < np * o->n_shapes && c == SR_OK; i++) {
        const sr_pattern *p = &pats[i % np];
        const int *sh = o->shapes[i / np];
        sr_kernel_spec spec = {.pattern = *p, .sparsity = o->sparsity, .reps = o->reps};
        sr_pattern_fixed_sparsity(p, &spec.sparsity);
        sr_kernel_params_default_for(p, dev->type, sh[0], sh[2], &spec.params);
        c = sr_kernel_check(dev, sh[0], sh[1], sh[2], 1, &spec, err);
    }
    return c;
}

int sr_cmd_tune(int argc, char **argv)
{
    tune_opts o = {.m = 2048, .k = 2048, .n = 256, .reps = 10, .sparsity = 0.9, .budget = 100,
                   .patterns = SR_CLI_ALL_PATTERNS};
    sr_err err = {0};
    int rc = parse_args(argc, argv, &o, &err);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    sr_pattern pats[64];
    int np = 0;
    sr_code c = sr_cli_patterns("--patterns", o.patterns, pats, 64, &np, &err);
    if (c != SR_OK)
        return sr_cli_fail("tune", &err);
    const int jobs = np * o.n_shapes;
    sr_tuned_rec *best = calloc((size_t)jobs, sizeof *best);
    if (!best)
        return sr_err_set(&err, SR_ERR_NOMEM, "out of memory"), sr_cli_fail("tune", &err);

    sr_session s;
    sr_problem prob = {0};
    sr_cli_session_init(&s, argc, argv);
    c = sr_session_find_device(&s, o.device, &err);
    if (c == SR_OK)
        c = check_patterns(s.dev, &o, pats, np, &err);
    if (c == SR_OK)
        c = sr_session_open_store(&s, sr_cli_db_path(o.db), &err);
    if (c == SR_OK)
        c = sr_session_begin(&s, &err);
    if (c == SR_OK)
        c = sr_session_open_device(&s, &err);
    json_object *arr = o.json ? json_object_new_array() : NULL;
    if (c == SR_OK && !o.json)
        printf("tuning on %s, %d shape%s, %.0f s budget\n", s.dev->name, o.n_shapes, o.n_shapes == 1 ? "" : "s",
               o.budget);
    const double t0 = sr_wall_seconds();
    int done = 0;
    for (; done < jobs && c == SR_OK && !sr_cli_interrupted(); done++) {
        const int *sh = o.shapes[done / np];
        if (done % np == 0) { /* a new shape: its problem, and the table's heading */
            sr_problem_free(&prob);
            o.m = sh[0], o.k = sh[1], o.n = sh[2];
            if ((c = sr_problem_make(o.m, o.k, o.n, 1, &prob, &err)) != SR_OK)
                break;
            if (!o.json) {
                printf("\nM=%d K=%d N=%d\n", o.m, o.k, o.n);
                printf("%-13s %8s %10s %10s %8s  %-40s %5s\n", "pattern", "sparsity", "default", "tuned", "gain",
                       "best parameters", "tried");
                printf("%-13s %8s %10s %10s\n", "", "", "GFLOP/s", "GFLOP/s");
            }
        }
        /* what is left of the budget, shared by the searches still to run */
        const double left = o.budget - (sr_wall_seconds() - t0);
        c = tune_pattern(s.cl, &o, &prob, &pats[done % np], left > 1.0 ? left / (jobs - done) : 1.0, &best[done],
                         arr, &err);
        fflush(stdout);
    }
    /* the winners are stored together, once every search is done: an interrupted tune
     * stores none */
    for (int i = 0; i < done && c == SR_OK && !sr_cli_interrupted(); i++)
        c = sr_store_put_tuned(s.store, &best[i], &err);
    if (c == SR_OK && !sr_cli_interrupted() && arr)
        sr_cli_json_print(json_object_get(arr));
    json_object_put(arr);
    rc = sr_cli_session_finish(&s, "tune", c, NULL, &err);
    sr_problem_free(&prob);
    free(best);
    return rc;
}
