/* `sparseroof kernel`: one kernel (pattern, shape, sparsity) on one device, verified
 * against the CPU reference, then timed. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/kernel_run.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "cli/signals.h"
#include "session/params.h"
#include "session/records.h"
#include "sparse/read.h"

static const char *help =
    "usage: sparseroof kernel --pattern P [--m M] [--k K] [--n N] [--sparsity S]\n"
    "                         [--weights FILE] [--device D] [--reps R] [--seed S]\n"
    "                         [--params LIST] [--db PATH] [--json]\n"
    "\n"
    "Runs Y = W * X with W (M x K) pruned to pattern P and X (K x N) dense, in fp32, on one\n"
    "OpenCL device. The result is checked against a CPU reference before any time counts;\n"
    "then R repetitions are timed with profiling events (cross-checked with the wall clock).\n"
    "On a CPU device every core is held awake while timed, by a thread that yields in a\n"
    "loop at the lowest priority (SCHED_IDLE), as OpenMP runtimes spin between parallel\n"
    "regions: PoCL's workers sleep after each kernel, and waking a halted core can outlast\n"
    "a short kernel.\n"
    "SPARSEROOF_KEEP_AWAKE=0 in the environment turns it off.\n"
    "\n"
    "  -p, --pattern P   dense, unstructured, block:RxC (R, C in 1,2,4,8,16,32, e.g.\n"
    "                    block:4x4) or N:M (1 <= N < M <= 16, e.g. 2:4); a comma-separated\n"
    "                    list runs several; 'all' = dense,unstructured,block:4x4,block:16x16,2:4\n"
    "      --m M         rows of W (default 2048)\n"
    "      --k K         columns of W, rows of X (default 2048)\n"
    "      --n N         columns of X (default 256)\n"
    "      --weights FILE  W from a file instead of random: a .npy (2-D float32 or float64,\n"
    "                    as numpy.save writes it) or a Matrix Market .mtx; its shape sets\n"
    "                    M and K; it is magnitude-pruned to each pattern\n"
    "  -s, --sparsity S  fraction of zero weights in [0, 1] (default 0.9; N:M fixes it at\n"
    "                    1-N/M and dense at 0, so it may be left out for them)\n"
    "  -d, --device D    device index, PLATFORM:DEVICE, or part of its name (default: the\n"
    "                    first; see 'sparseroof devices')\n"
    "  -r, --reps R      timed repetitions (default 20)\n"
    "      --seed S      seed of the random weights and inputs (default 1)\n"
    "      --params LIST kernel parameters, keys vw (vector width), nv (vectors per row),\n"
    "                    rows (tile rows), tiles (tiles per work-item), kc (K block, 0 =\n"
    "                    all of K), wg (work-group size), x (X read by the kernel: 0 the\n"
    "                    host decides by the shape, 1 repacked into panels, 2 in place),\n"
    "                    mv (dense: 1 = vectors along M, W in panels of vw*nv rows, X\n"
    "                    read in place), ct (with mv: columns per tile, 0 = by N), pad\n"
    "                    (1, built in: rows of X and Y padded to whole vectors where N is\n"
    "                    not, the layout a layer so run hands the next; laid out before\n"
    "                    the timing; 0: rows of N floats),\n"
    "                    e.g. vw=16,nv=4,rows=6,wg=8 or vw=16,nv=2,mv=1,tiles=7,kc=256;\n"
    "                    omitted keys keep their value (default: tuned for this device by\n"
    "                    'sparseroof tune', else built in; built in, dense on a CPU runs\n"
    "                    with mv=1 where 64-column panels would pad N by 15% or more,\n"
    "                    in 8 x 48 tiles (rows=8,nv=3) where it reads X in place, and\n"
    "                    the sparse kernels fit their panel's width to N: see README)\n"
    "      --db PATH     database the run is stored in (default $SPARSEROOF_DB, else\n"
    "                    ./sparseroof.db)\n"
    "      --json        print JSON (one object; an array when several patterns run)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Reported: time (median, min, max), GFLOP/s of useful work (2 * stored values * N),\n"
    "GB/s of the bytes the kernel must move (W by the model's count, X read, Y written; the\n"
    "kernel's own layout, where it stores more, is shown beside it), and whether the\n"
    "result was verified. Repacking X into panels, where the kernel does not read X in\n"
    "place, is part of the time (reported as such); building the\n"
    "kernel is not (it is reported apart). When the device's ceilings are stored\n"
    "('sparseroof peaks'), the roofline's predicted time, its bound and the efficiency\n"
    "(predicted / measured time) are added. Every run is stored in the database.\n";

#define SR_MAX_PATTERNS 64

typedef struct {
    int m, k, n, reps;
    double sparsity;
    int sparsity_given;
    unsigned long long seed;
    const char *device, *params, *db, *weights;
    int json, mk_given;
} kernel_opts;

typedef struct {
    sr_kernel_spec spec;
    sr_params_source source;
    char params_note[SR_ERR_MSG_MAX]; /* why the defaults ran, not the tuned parameters */
    sr_kernel_outcome out;
} kernel_row;

static json_object *row_json(const kernel_opts *o, const kernel_row *r, const sr_device_info *dev)
{
    char name[64];
    sr_pattern_name(&r->spec.pattern, name, sizeof name);
    const sr_kernel_outcome *k = &r->out;
    const double t = k->res.time.median_s;
    json_object *j = json_object_new_object();
    json_object_object_add(j, "pattern", json_object_new_string(name));
    json_object_object_add(j, "m", json_object_new_int(o->m));
    json_object_object_add(j, "k", json_object_new_int(o->k));
    json_object_object_add(j, "n", json_object_new_int(o->n));
    json_object_object_add(j, "weights", o->weights ? json_object_new_string(o->weights) : NULL);
    json_object_object_add(j, "sparsity", sr_cli_json_num(r->spec.sparsity));
    json_object_object_add(j, "achieved_sparsity", sr_cli_json_num(k->achieved));
    json_object_object_add(j, "nnz", json_object_new_int64((int64_t)k->nnz));
    json_object_object_add(j, "flops", sr_cli_json_num(k->flops));
    json_object_object_add(j, "bytes", sr_cli_json_num(k->bytes));
    json_object_object_add(j, "layout_bytes", sr_cli_json_num(k->layout_bytes));
    json_object_object_add(j, "ai", sr_cli_json_num(k->flops / k->bytes));
    json_object_object_add(j, "time_median_s", sr_cli_json_num(t));
    json_object_object_add(j, "time_min_s", sr_cli_json_num(k->res.time.min_s));
    json_object_object_add(j, "time_max_s", sr_cli_json_num(k->res.time.max_s));
    json_object_object_add(j, "reps", json_object_new_int(k->res.time.reps));
    json_object_object_add(j, "timing_method",
                           json_object_new_string(k->res.time.wallclock ? "wallclock" : "events"));
    if (k->res.time.wallclock)
        json_object_object_add(j, "timing_note", json_object_new_string(k->res.time.note));
    json_object_object_add(j, "repack_median_s", sr_cli_json_num(k->res.pack_s));
    json_object_object_add(j, "gflops", sr_cli_json_num(k->flops / t * 1e-9));
    json_object_object_add(j, "gbps", sr_cli_json_num(k->bytes / t * 1e-9));
    json_object_object_add(j, "verified", json_object_new_boolean(k->res.verified));
    json_object_object_add(j, "rows_checked", json_object_new_int64((int64_t)k->res.rows_checked));
    json_object_object_add(j, "max_error_ratio", sr_cli_json_num(k->res.verify.max_err_ratio));
    json_object_object_add(j, "build_time_s", sr_cli_json_num(k->res.build_s));
    json_object_object_add(j, "params", json_object_new_string(k->res.params));
    json_object_object_add(j, "row_floats", json_object_new_int(k->res.row_floats));
    json_object_object_add(j, "awake_cpus", json_object_new_int(k->res.awake_cpus));
    json_object_object_add(j, "params_source", json_object_new_string(sr_params_source_name(r->source)));
    if (r->params_note[0])
        json_object_object_add(j, "params_note", json_object_new_string(r->params_note));
    json_object_object_add(j, "predicted_time_s", k->predicted ? sr_cli_json_num(k->pt.time_s) : NULL);
    json_object_object_add(j, "bound", k->predicted ? json_object_new_string(k->pt.bound) : NULL);
    json_object_object_add(j, "efficiency", k->predicted ? sr_cli_json_num(k->pt.time_s / t) : NULL);
    json_object_object_add(j, "seed", json_object_new_int64((int64_t)o->seed));
    json_object_object_add(j, "device", json_object_new_string(dev->name));
    return j;
}

static void row_print(const kernel_opts *o, const kernel_row *r, const sr_device_info *dev)
{
    char name[64];
    sr_pattern_name(&r->spec.pattern, name, sizeof name);
    const sr_kernel_outcome *k = &r->out;
    const sr_time_stats *t = &k->res.time;
    printf("%s  M=%d K=%d N=%d  sparsity %.4g (achieved %.4g)  on %s\n", name, o->m, o->k, o->n,
           r->spec.sparsity, k->achieved, dev->name);
    if (o->weights)
        printf("  weights     %s\n", o->weights);
    printf("  work        nnz %zu   %.4g GFLOP   %.4g MB   AI %.3g FLOP/byte\n", k->nnz, k->flops * 1e-9,
           k->bytes * 1e-6, k->flops / k->bytes);
    if (k->layout_bytes > k->bytes * 1.0005)
        printf("              (the model counts %.4g MB; the kernel's layout reads %.4g MB)\n", k->bytes * 1e-6,
               k->layout_bytes * 1e-6);
    printf("  time        median %.4g ms   min %.4g   max %.4g   (%d reps, %s)\n", t->median_s * 1e3,
           t->min_s * 1e3, t->max_s * 1e3, t->reps, t->wallclock ? "wall clock" : "profiling events");
    if (t->wallclock)
        printf("              %s\n", t->note);
    if (k->res.awake_cpus > 0)
        printf("              %d cores held awake while timed (SPARSEROOF_KEEP_AWAKE=0 turns this off)\n", k->res.awake_cpus);
    if (k->res.pack_s > 0)
        printf("              of which repacking X %.4g ms (median)\n", k->res.pack_s * 1e3);
    printf("  speed       %.1f GFLOP/s   %.1f GB/s\n", k->flops / t->median_s * 1e-9,
           k->bytes / t->median_s * 1e-9);
    printf("  verified    %s (largest error %.2g of the fp32 bound", k->res.verified ? "yes" : "NO",
           k->res.verify.max_err_ratio);
    if (k->res.rows_checked < k->rows)
        printf("; %zu of %zu rows checked", k->res.rows_checked, k->rows);
    printf(")\n");
    printf("  kernel      %s (%s); build %.2f s (not timed)\n", k->res.params, sr_params_source_name(r->source),
           k->res.build_s);
    if (r->params_note[0])
        printf("              %s\n", r->params_note);
    if (k->res.row_floats != o->n)
        printf("              rows of X and Y padded to %d floats (X laid out so untimed)\n", k->res.row_floats);
    if (k->predicted)
        printf("  roofline    predicted %.4g ms, %s-bound (%.0f GFLOP/s, %.0f GB/s); efficiency %.2f\n",
               k->pt.time_s * 1e3, k->pt.bound, k->pt.gflops, k->pt.gbps, k->pt.time_s / t->median_s);
}

static void on_stage(void *ctx, const char *stage) { sr_cli_progress("%s: %s", (const char *)ctx, stage); }

static int parse_args(int argc, char **argv, kernel_opts *o, char **patterns, sr_err *err)
{
    static const struct option opts[] = {
        {"pattern", required_argument, NULL, 'p'}, {"m", required_argument, NULL, 'M'},
        {"k", required_argument, NULL, 'K'},       {"n", required_argument, NULL, 'N'},
        {"sparsity", required_argument, NULL, 's'}, {"device", required_argument, NULL, 'd'},
        {"reps", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 'S'},
        {"params", required_argument, NULL, 'P'},  {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'D'},      {"weights", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const long dim_max = 1L << 20;
    int c;
    sr_code rc = SR_OK;
    optind = 1;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "p:s:d:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': *patterns = optarg; break;
        case 'M': rc = sr_cli_int("--m", optarg, 1, dim_max, &o->m, err), o->mk_given = 1; break;
        case 'K': rc = sr_cli_int("--k", optarg, 1, dim_max, &o->k, err), o->mk_given = 1; break;
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
        case 'W': o->weights = optarg; break;
        case 'j': o->json = 1; break;
        case 'h': fputs(help, stdout); return -1;
        default: return sr_cli_usage("kernel", "bad option");
        }
    }
    if (rc != SR_OK)
        return sr_cli_fail("kernel", err);
    if (optind < argc)
        return sr_cli_usage("kernel", "unexpected argument '%s'", argv[optind]);
    if (o->weights && o->mk_given)
        return sr_cli_usage("kernel", "--weights sets M and K from the file: leave out --m and --k");
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
        sr_kernel_spec *sp = &(*rows)[i].spec;
        sp->pattern = pats[i];
        if (!sr_pattern_fixed_sparsity(&pats[i], &sp->sparsity))
            sp->sparsity = o->sparsity;
        sp->reps = o->reps;
    }
    return 0;
}

/* Every row's parameters (--params, tuned, default) and the checks of what will run,
 * before anything runs. */
static sr_code choose_and_check(const sr_session *s, const kernel_opts *o, kernel_row *rows, int nrows,
                                sr_err *err)
{
    sr_code c = SR_OK;
    for (int i = 0; i < nrows && c == SR_OK; i++) {
        c = sr_session_params_fit(s, &rows[i].spec, o->m, o->k, o->n, 1, o->params, &rows[i].source,
                                  rows[i].params_note, sizeof rows[i].params_note, err);
        if (c == SR_OK)
            c = sr_kernel_check(s->dev, o->m, o->k, o->n, 1, &rows[i].spec, err);
    }
    return c;
}

/* The problem: random weights, or the file's (its shape sets M and K). */
static sr_code make_problem(kernel_opts *o, sr_problem *prob, sr_err *err)
{
    if (!o->weights)
        return sr_problem_make(o->m, o->k, o->n, o->seed, prob, err);
    float *w = NULL;
    sr_code c = sr_read_matrix(o->weights, &w, &o->m, &o->k, err);
    if (c == SR_OK)
        c = sr_problem_make_groups(o->m, o->k, o->n, 1, w, o->seed, prob, err);
    free(w);
    if (c != SR_OK && c != SR_ERR_NOMEM) { /* a missing or unreadable file is bad input */
        sr_err_prefix(err, "--weights");
        err->code = c = SR_ERR_FORMAT;
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
    sr_problem prob = {0};
    sr_session s;
    sr_cli_session_init(&s, argc, argv);
    /* the file, the device and the shape first: a bad one is refused before the database
     * is touched (random weights are made once the shape has passed the checks) */
    sr_code c = o.weights ? make_problem(&o, &prob, &err) : SR_OK;
    if (c == SR_OK)
        c = sr_session_find_device(&s, o.device, &err);
    if (c == SR_OK)
        c = choose_and_check(&s, &o, rows, nrows, &err); /* defaults or --params */
    if (c == SR_OK && !o.weights)
        c = make_problem(&o, &prob, &err);
    if (c == SR_OK)
        c = sr_session_open_store(&s, sr_cli_db_path(o.db), &err);
    if (c == SR_OK)
        c = sr_session_begin(&s, &err);
    if (c == SR_OK)
        c = choose_and_check(&s, &o, rows, nrows, &err); /* now with the tuned ones */
    sr_ceilings ceil;
    const int have_ceilings = c == SR_OK && sr_store_get_ceilings(s.store, s.device_uuid, &ceil, NULL) == SR_OK;
    if (c == SR_OK)
        c = sr_session_open_device(&s, &err);
    json_object *arr = o.json ? json_object_new_array() : NULL;
    for (int i = 0; i < nrows && c == SR_OK && !sr_cli_interrupted(); i++) {
        char name[SR_NAME_MAX];
        sr_pattern_name(&rows[i].spec.pattern, name, sizeof name);
        const sr_kernel_hooks hooks = {on_stage, sr_cli_interrupted, name};
        c = sr_kernel_run(s.cl, &prob, &rows[i].spec, have_ceilings ? &ceil : NULL, &hooks, &rows[i].out, &err);
        if (c != SR_OK)
            break;
        sr_measurement m;
        sr_record_kernel(&rows[i].spec, o.m, o.k, o.n, 1, &rows[i].out, &m);
        c = sr_store_add_measurement(s.store, &m, &err);
        if (c == SR_OK && arr)
            json_object_array_add(arr, row_json(&o, &rows[i], s.dev));
        else if (c == SR_OK)
            row_print(&o, &rows[i], s.dev);
        if (c == SR_OK && !arr && i + 1 < nrows)
            putchar('\n');
    }
    if (c == SR_OK && !have_ceilings && !o.json)
        printf("\n(no ceilings stored for this device: 'sparseroof peaks' measures them, and then kernel\n"
               " adds the roofline prediction and the efficiency)\n");
    if (c == SR_OK && arr)
        sr_cli_json_print(nrows == 1 ? json_object_get(json_object_array_get_idx(arr, 0)) : json_object_get(arr));
    json_object_put(arr);
    rc = sr_cli_session_finish(&s, "kernel", c, NULL, &err);
    sr_problem_free(&prob);
    free(rows);
    return rc;
}
