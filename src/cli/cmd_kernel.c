/* `sparseroof kernel`: one kernel (pattern, shape, sparsity) on one device, verified
 * against the CPU reference, then timed. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/problem.h"
#include "bench/spmm.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "cli/signals.h"
#include "model/roofline.h"
#include "runtime/runtime.h"
#include "sparse/format.h"
#include "store/store.h"

static const char *help =
    "usage: sparseroof kernel --pattern P [--m M] [--k K] [--n N] [--sparsity S]\n"
    "                         [--device D] [--reps R] [--seed S] [--params LIST] [--json]\n"
    "\n"
    "Runs Y = W * X with W (M x K) pruned to pattern P and X (K x N) dense, in fp32, on one\n"
    "OpenCL device. The result is checked against a CPU reference before any time counts;\n"
    "then R repetitions are timed with profiling events (cross-checked with the wall clock).\n"
    "\n"
    "  -p, --pattern P   dense, unstructured, block:RxC (R, C in 1,2,4,8,16,32, e.g.\n"
    "                    block:4x4) or N:M (1 <= N < M <= 16, e.g. 2:4); a comma-separated\n"
    "                    list runs several; 'all' = dense,unstructured,block:4x4,block:16x16,2:4\n"
    "      --m M         rows of W (default 2048)\n"
    "      --k K         columns of W, rows of X (default 2048)\n"
    "      --n N         columns of X (default 256)\n"
    "  -s, --sparsity S  fraction of zero weights in [0, 1] (default 0.9; N:M fixes it at\n"
    "                    1-N/M and dense at 0, so it may be left out for them)\n"
    "  -d, --device D    device index, PLATFORM:DEVICE, or part of its name (default: the\n"
    "                    first; see 'sparseroof devices')\n"
    "  -r, --reps R      timed repetitions (default 20)\n"
    "      --seed S      seed of the random weights and inputs (default 1)\n"
    "      --params LIST kernel parameters, keys vw (vector width), nv (vectors per row),\n"
    "                    rows (tile rows), tiles (tiles per work-item), kc (K block, 0 =\n"
    "                    all of K), wg (work-group size), e.g. vw=16,nv=4,rows=6,wg=8;\n"
    "                    omitted keys keep their value (default: tuned for this device by\n"
    "                    'sparseroof tune', else built in)\n"
    "      --db PATH     database the run is stored in (default $SPARSEROOF_DB, else\n"
    "                    ./sparseroof.db)\n"
    "      --json        print JSON (one object; an array when several patterns run)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Reported: time (median, min, max), GFLOP/s of useful work (2 * stored values * N),\n"
    "GB/s of the bytes the kernel must move (W as stored, X read, Y written), and whether\n"
    "the result was verified. Repacking X into panels is part of the time; building the\n"
    "kernel is not (it is reported apart). When the device's ceilings are stored\n"
    "('sparseroof peaks'), the roofline's predicted time, its bound and the efficiency\n"
    "(predicted / measured time) are added. Every run is stored in the database.\n";

#define SR_MAX_PATTERNS 64

typedef struct {
    int m, k, n, reps;
    double sparsity;
    int sparsity_given;
    unsigned long long seed;
    const char *device, *params, *db;
    int json;
} kernel_opts;

typedef struct {
    sr_pattern pattern;
    double sparsity; /* asked for */
    size_t nnz;
    double achieved, flops, bytes, weight_bytes;
    sr_kernel_params kp;    /* what it runs with */
    const char *kp_source;  /* "--params", "tuned", "tuned on a similar device", "default" */
    sr_spmm_result res;
    int predicted;          /* whether pt holds a roofline prediction */
    sr_roofline_point pt;
} kernel_row;

static json_object *row_json(const kernel_opts *o, const kernel_row *r, const sr_device_info *dev)
{
    char name[64];
    sr_pattern_name(&r->pattern, name, sizeof name);
    const double t = r->res.time.median_s;
    json_object *j = json_object_new_object();
    json_object_object_add(j, "pattern", json_object_new_string(name));
    json_object_object_add(j, "m", json_object_new_int(o->m));
    json_object_object_add(j, "k", json_object_new_int(o->k));
    json_object_object_add(j, "n", json_object_new_int(o->n));
    json_object_object_add(j, "sparsity", json_object_new_double(r->sparsity));
    json_object_object_add(j, "achieved_sparsity", json_object_new_double(r->achieved));
    json_object_object_add(j, "nnz", json_object_new_int64((int64_t)r->nnz));
    json_object_object_add(j, "flops", json_object_new_double(r->flops));
    json_object_object_add(j, "bytes", json_object_new_double(r->bytes));
    json_object_object_add(j, "ai", json_object_new_double(r->flops / r->bytes));
    json_object_object_add(j, "time_median_s", json_object_new_double(t));
    json_object_object_add(j, "time_min_s", json_object_new_double(r->res.time.min_s));
    json_object_object_add(j, "time_max_s", json_object_new_double(r->res.time.max_s));
    json_object_object_add(j, "reps", json_object_new_int(r->res.time.reps));
    json_object_object_add(j, "timing_method",
                           json_object_new_string(r->res.time.wallclock ? "wallclock" : "events"));
    if (r->res.time.wallclock)
        json_object_object_add(j, "timing_note", json_object_new_string(r->res.time.note));
    json_object_object_add(j, "repack_median_s", json_object_new_double(r->res.pack_s));
    json_object_object_add(j, "gflops", json_object_new_double(r->flops / t * 1e-9));
    json_object_object_add(j, "gbps", json_object_new_double(r->bytes / t * 1e-9));
    json_object_object_add(j, "verified", json_object_new_boolean(r->res.verified));
    json_object_object_add(j, "max_error_ratio", json_object_new_double(r->res.verify.max_err_ratio));
    json_object_object_add(j, "build_time_s", json_object_new_double(r->res.build_s));
    json_object_object_add(j, "params", json_object_new_string(r->res.params));
    json_object_object_add(j, "params_source", json_object_new_string(r->kp_source));
    json_object_object_add(j, "predicted_time_s", r->predicted ? json_object_new_double(r->pt.time_s) : NULL);
    json_object_object_add(j, "bound", r->predicted ? json_object_new_string(r->pt.bound) : NULL);
    json_object_object_add(j, "efficiency", r->predicted ? json_object_new_double(r->pt.time_s / t) : NULL);
    json_object_object_add(j, "seed", json_object_new_int64((int64_t)o->seed));
    json_object_object_add(j, "device", json_object_new_string(dev->name));
    return j;
}

static void row_print(const kernel_opts *o, const kernel_row *r, const sr_device_info *dev)
{
    char name[64];
    sr_pattern_name(&r->pattern, name, sizeof name);
    const sr_time_stats *t = &r->res.time;
    printf("%s  M=%d K=%d N=%d  sparsity %.4g (achieved %.4g)  on %s\n", name, o->m, o->k, o->n, r->sparsity,
           r->achieved, dev->name);
    printf("  work        nnz %zu   %.4g GFLOP   %.4g MB   AI %.3g FLOP/byte\n", r->nnz, r->flops * 1e-9,
           r->bytes * 1e-6, r->flops / r->bytes);
    printf("  time        median %.4g ms   min %.4g   max %.4g   (%d reps, %s)\n", t->median_s * 1e3,
           t->min_s * 1e3, t->max_s * 1e3, t->reps, t->wallclock ? "wall clock" : "profiling events");
    if (t->wallclock)
        printf("              %s\n", t->note);
    if (r->res.pack_s > 0)
        printf("              of which repacking X %.4g ms (median)\n", r->res.pack_s * 1e3);
    printf("  speed       %.1f GFLOP/s   %.1f GB/s\n", r->flops / t->median_s * 1e-9,
           r->bytes / t->median_s * 1e-9);
    printf("  verified    %s (largest error %.2g of the fp32 bound)\n", r->res.verified ? "yes" : "NO",
           r->res.verify.max_err_ratio);
    printf("  kernel      %s (%s); build %.2f s (not timed)\n", r->res.params, r->kp_source, r->res.build_s);
    if (r->predicted)
        printf("  roofline    predicted %.4g ms, %s-bound (%.0f GFLOP/s, %.0f GB/s); efficiency %.2f\n",
               r->pt.time_s * 1e3, r->pt.bound, r->pt.gflops, r->pt.gbps, r->pt.time_s / t->median_s);
}

/* Runs one pattern on the opened device with the row's parameters. */
static sr_code run_pattern(sr_cl *cl, const kernel_opts *o, const sr_problem *prob, kernel_row *row,
                           sr_err *err)
{
    const sr_pattern *p = &row->pattern;
    char name[64];
    sr_pattern_name(p, name, sizeof name);
    sr_problem_weights pw;
    sr_cli_progress("%s: pruning and encoding", name);
    sr_code c = sr_kernel_params_check(&row->kp, p, err);
    if (c == SR_OK && (c = sr_problem_weights_make(prob, p, row->sparsity, &pw, err)) == SR_OK) {
        sr_cli_progress("%s: building, verifying and timing %d repetitions", name, o->reps);
        c = sr_spmm_run(cl, pw.w, pw.pruned, prob->x, o->n, &row->kp, o->reps, &row->res, err);
        row->nnz = pw.w->nnz;
        row->achieved = 1.0 - sr_sparse_density(pw.w);
        row->flops = sr_spmm_flops(pw.w, o->n);
        row->bytes = sr_spmm_bytes(pw.w, o->n);
        row->weight_bytes = (double)sr_sparse_weight_bytes(pw.w);
        sr_problem_weights_free(&pw);
    }
    if (c != SR_OK)
        sr_err_prefix(err, "%s", name);
    return c;
}

static int parse_args(int argc, char **argv, kernel_opts *o, char **patterns, sr_err *err)
{
    static const struct option opts[] = {
        {"pattern", required_argument, NULL, 'p'}, {"m", required_argument, NULL, 'M'},
        {"k", required_argument, NULL, 'K'},       {"n", required_argument, NULL, 'N'},
        {"sparsity", required_argument, NULL, 's'}, {"device", required_argument, NULL, 'd'},
        {"reps", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 'S'},
        {"params", required_argument, NULL, 'P'},  {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const long dim_max = 1L << 20;
    int c;
    sr_code rc = SR_OK;
    optind = 1;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "p:s:d:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': *patterns = optarg; break;
        case 'M': rc = sr_cli_int("--m", optarg, 1, dim_max, &o->m, err); break;
        case 'K': rc = sr_cli_int("--k", optarg, 1, dim_max, &o->k, err); break;
        case 'N': rc = sr_cli_int("--n", optarg, 1, dim_max, &o->n, err); break;
        case 's':
            rc = sr_cli_double("--sparsity", optarg, 0.0, 1.0, &o->sparsity, err);
            o->sparsity_given = 1;
            break;
        case 'd': o->device = optarg; break;
        case 'r': rc = sr_cli_int("--reps", optarg, 1, 100000, &o->reps, err); break;
        case 'S': rc = sr_cli_u64("--seed", optarg, &o->seed, err); break;
        case 'P': o->params = optarg; break;
        case 'D': o->db = optarg; break;
        case 'j': o->json = 1; break;
        case 'h': fputs(help, stdout); return -1;
        default: return sr_cli_usage("kernel", "bad option");
        }
    }
    if (rc != SR_OK)
        return sr_cli_fail("kernel", err);
    if (optind < argc)
        return sr_cli_usage("kernel", "unexpected argument '%s'", argv[optind]);
    if (!*patterns)
        return sr_cli_usage("kernel", "--pattern is required (e.g. --pattern 2:4, or --pattern all)");
    return 0;
}

/* The pattern list into rows, each with its sparsity. */
static int parse_patterns(const char *list, const kernel_opts *o, kernel_row **rows, int *count, sr_err *err)
{
    sr_pattern pats[SR_MAX_PATTERNS];
    if (sr_cli_patterns("--pattern", list, pats, SR_MAX_PATTERNS, count, err) != SR_OK)
        return sr_cli_fail("kernel", err);
    *rows = calloc((size_t)*count, sizeof **rows);
    if (!*rows)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory"), sr_cli_fail("kernel", err);
    for (int i = 0; i < *count; i++) {
        (*rows)[i].pattern = pats[i];
        if (!sr_pattern_fixed_sparsity(&pats[i], &(*rows)[i].sparsity))
            (*rows)[i].sparsity = o->sparsity;
    }
    return 0;
}

/* The stored row of one pattern's run. */
static void row_measurement(const kernel_opts *o, const kernel_row *r, sr_measurement *m)
{
    sr_measurement_init(m);
    m->kind = SR_MEASURED;
    m->pattern = r->pattern;
    m->sparsity = r->sparsity;
    m->dtype = SR_DTYPE_FP32;
    m->m = o->m;
    m->k = o->k;
    m->n = o->n;
    m->groups = 1;
    m->nnz = (int64_t)r->nnz;
    m->flops = r->flops;
    m->bytes = r->bytes;
    m->ai = r->flops / r->bytes;
    if (r->predicted) {
        m->predicted_time_s = r->pt.time_s;
        snprintf(m->bound, sizeof m->bound, "%s", r->pt.bound);
        m->efficiency = r->pt.time_s / r->res.time.median_s;
    }
    m->time_median_s = r->res.time.median_s;
    m->time_min_s = r->res.time.min_s;
    m->time_max_s = r->res.time.max_s;
    m->reps = r->res.time.reps;
    m->verified = r->res.verified;
    m->max_rel_error = r->res.verify.max_err_ratio;
    snprintf(m->timing_method, sizeof m->timing_method, "%s", r->res.time.wallclock ? "wallclock" : "events");
    m->build_time_s = r->res.build_s;
    snprintf(m->params, sizeof m->params, "%s", r->res.params);
}

/* The roofline prediction of a finished row, from the bytes and FLOPs the kernel counted. */
static void row_predict(kernel_row *r, const sr_ceilings *ceil)
{
    sr_gemm_cost cost = {.nnz = (double)r->nnz, .weight_bytes = r->weight_bytes, .flops = r->flops,
                         .bytes = r->bytes, .ai = r->flops / r->bytes};
    r->predicted = sr_roofline_point_of(&cost, &r->pattern, SR_DTYPE_FP32, ceil, &r->pt, NULL) == SR_OK;
}

/* The row's kernel parameters: --params if given (over the defaults), else the best
 * stored by `tune` for this device or one of the same vendor and type, else defaults. */
static sr_code choose_params(sr_store *store, const char *device_uuid, const kernel_opts *o,
                             const sr_device_info *dev, kernel_row *row, sr_err *err)
{
    sr_kernel_params_default(&row->pattern, dev->type, &row->kp);
    row->kp_source = "default";
    if (o->params) {
        row->kp_source = "--params";
        return sr_kernel_params_parse(o->params, &row->kp, err);
    }
    char name[SR_NAME_MAX];
    sr_pattern_name(&row->pattern, name, sizeof name);
    sr_tuned_rec t;
    sr_kernel_params kp = row->kp;
    if (sr_store_get_tuned(store, device_uuid, name, SR_DTYPE_FP32, o->m, o->k, o->n, &t, NULL) == SR_OK &&
        sr_kernel_params_parse(t.params, &kp, NULL) == SR_OK && sr_kernel_params_check(&kp, &row->pattern, NULL) == SR_OK) {
        row->kp = kp;
        row->kp_source = strcmp(t.device_uuid, device_uuid) == 0 ? "tuned" : "tuned on a similar device";
    }
    return SR_OK;
}

/* Refuses shapes beyond the device's limits before anything is generated or opened. */
static sr_code check_all_limits(const kernel_opts *o, const kernel_row *rows, int nrows, const sr_device_info *dev,
                                sr_err *err)
{
    sr_code c = SR_OK;
    for (int i = 0; i < nrows && c == SR_OK; i++) {
        sr_kernel_params kp;
        sr_kernel_params_default(&rows[i].pattern, dev->type, &kp);
        if (o->params)
            c = sr_kernel_params_parse(o->params, &kp, err);
        if (c == SR_OK)
            c = sr_spmm_check_limits(dev, &rows[i].pattern, o->m, o->k, o->n, rows[i].sparsity, &kp, err);
    }
    return c;
}

int sr_cmd_kernel(int argc, char **argv)
{
    kernel_opts o = {.m = 2048, .k = 2048, .n = 256, .reps = 20, .sparsity = 0.9, .seed = 1};
    char *patterns = NULL;
    sr_err err = {0};
    int rc = parse_args(argc, argv, &o, &patterns, &err);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    kernel_row *rows = NULL;
    int nrows = 0;
    if ((rc = parse_patterns(patterns, &o, &rows, &nrows, &err)) != 0) {
        free(rows);
        return rc;
    }

    sr_device_info *devs = NULL;
    size_t ndev = 0, di = 0;
    sr_cl *cl = NULL;
    sr_store *store = NULL;
    char run[SR_UUID_LEN] = "", device_uuid[SR_UUID_LEN] = "";
    sr_ceilings ceil;
    int have_ceilings = 0;
    sr_problem prob = {0};
    sr_code c = sr_device_list(&devs, &ndev, &err);
    if (c == SR_OK)
        c = sr_device_find(devs, ndev, o.device, &di, &err);
    if (c == SR_OK)
        c = check_all_limits(&o, rows, nrows, &devs[di], &err);
    if (c == SR_OK)
        c = sr_store_open(sr_cli_db_path(o.db), 0, &store, &err);
    if (c == SR_OK)
        c = sr_cli_run_begin(store, argc, argv, &devs[di], run, device_uuid, &err);
    if (c == SR_OK) {
        have_ceilings = sr_store_get_ceilings(store, device_uuid, &ceil, NULL) == SR_OK;
        sr_cli_signals_install();
        c = sr_cl_open(&devs[di], &cl, &err);
    }
    for (int i = 0; i < nrows && c == SR_OK; i++)
        c = choose_params(store, device_uuid, &o, &devs[di], &rows[i], &err);
    if (c == SR_OK)
        c = sr_problem_make(o.m, o.k, o.n, o.seed, &prob, &err);
    json_object *arr = o.json ? json_object_new_array() : NULL;
    for (int i = 0; i < nrows && c == SR_OK && !sr_cli_interrupted(); i++) {
        c = run_pattern(cl, &o, &prob, &rows[i], &err);
        if (c != SR_OK)
            break;
        if (have_ceilings)
            row_predict(&rows[i], &ceil);
        sr_measurement m;
        row_measurement(&o, &rows[i], &m);
        c = sr_store_add_measurement(store, &m, &err);
        if (c == SR_OK && arr)
            json_object_array_add(arr, row_json(&o, &rows[i], &devs[di]));
        else if (c == SR_OK)
            row_print(&o, &rows[i], &devs[di]);
        if (c == SR_OK && !arr && i + 1 < nrows)
            putchar('\n');
    }
    if (c == SR_OK && !have_ceilings && !o.json)
        printf("\n(no ceilings stored for this device: 'sparseroof peaks' measures them, and then kernel\n"
               " adds the roofline prediction and the efficiency)\n");
    if (c == SR_OK && arr) {
        json_object *out = nrows == 1 ? json_object_get(json_object_array_get_idx(arr, 0)) : json_object_get(arr);
        puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(out);
    }
    json_object_put(arr);

    c = sr_cli_run_end(store, run, c, &err, &err);
    rc = sr_cli_exit("kernel", c, run, &err);
    sr_problem_free(&prob);
    sr_cl_close(cl);
    sr_store_close(store);
    free(devs);
    free(rows);
    return rc;
}
