/* `sparseroof model-check`: how far the device model and the paper's model are from
 * everything measured on a device; with --recompute, the device model as it is now,
 * predicting every stored row again from the stored calibration (no kernel runs). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "query/model_check.h"
#include "session/calibrate.h"

static const char check_help[] =
    "usage: sparseroof model-check [--device D] [--network NAME] [--recompute] [--by-pattern]\n"
    "                              [--worst N] [--json] [--db FILE]\n"
    "\n"
    "Holds the predictions against every measurement stored for a device (what 'bench' and\n"
    "'study' measured): the device model's error (its own, as a tool: 'calibrate' measures\n"
    "it on synthetic shapes only) and the paper's distance (every pattern at the FMA peak: a\n"
    "finding, not an error to remove). Network speedup error: predicted / measured speedup\n"
    "- 1; network and layer time error: predicted / measured time - 1; each as the median\n"
    "and the worst of its absolute values. Both sides count the same GEMM work.\n"
    "\n"
    "  --device D    a device stored in the database, by name or UUID (default: the first\n"
    "                OpenCL device here)\n"
    "  --network N   only that network's measurements\n"
    "  --recompute   predict every stored row again with the device model (and the paper's\n"
    "                roofline) as they are now, from the device's newest stored calibration\n"
    "                and ceilings (no kernel runs), instead of the times stored when the rows\n"
    "                were measured; rows measured before any calibration are checked too\n"
    "  --by-pattern  the device model's errors by network and pattern, with the sparsity of\n"
    "                each worst case\n"
    "  --worst N     the N layer rows furthest from the device model's time (with --recompute,\n"
    "                the term that decides each)\n"
    "  --json        print JSON\n"
    "  --db FILE     database (default $SPARSEROOF_DB, else ./sparseroof.db)\n";

typedef struct {
    const char *device, *db, *network;
    int json, recompute, by_pattern, worst;
    char stale[256]; /* --recompute from a calibration of other kernels: why ("" if current) */
} check_args;

static json_object *stats_json(sr_error_stats s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "median", sr_cli_json_num(s.median));
    json_object_object_add(o, "worst", sr_cli_json_num(s.worst));
    json_object_object_add(o, "count", json_object_new_int64((int64_t)s.n));
    if (isfinite(s.worst_sparsity))
        json_object_object_add(o, "worst_sparsity", sr_cli_json_num(s.worst_sparsity));
    return o;
}

static void print_stats(const char *what, sr_error_stats dev, sr_error_stats peak)
{
    printf("  %-28s %8.1f%% %8.1f%%   %8.1f%% %8.1f%%   %6zu\n", what, 100 * dev.median, 100 * dev.worst,
           100 * peak.median, 100 * peak.worst, dev.n);
}

static int parse_args(int argc, char **argv, check_args *a)
{
    static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
                                         {"network", required_argument, NULL, 'n'},
                                         {"recompute", no_argument, NULL, 'r'},
                                         {"by-pattern", no_argument, NULL, 'p'},
                                         {"worst", required_argument, NULL, 'w'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"db", required_argument, NULL, 'D'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    sr_err err = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->device = optarg; break;
        case 'n': a->network = optarg; break;
        case 'r': a->recompute = 1; break;
        case 'p': a->by_pattern = 1; break;
        case 'w':
            if (sr_cli_int("--worst", optarg, 1, 100000, &a->worst, &err) != SR_OK)
                return sr_cli_fail("model-check", &err);
            break;
        case 'j': a->json = 1; break;
        case 'D': a->db = optarg; break;
        case 'h': fputs(check_help, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("model-check", "bad option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("model-check", "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* The device the rows are of: --device, else the first OpenCL device here as recorded. */
static sr_code pick_device(sr_store *s, const char *device, char uuid[SR_UUID_LEN], sr_err *err)
{
    if (device)
        return sr_store_find_device(s, device, uuid, err);
    sr_session ses;
    sr_session_init(&ses, 0, NULL, NULL);
    sr_code rc = sr_session_find_device(&ses, NULL, err);
    if (rc == SR_OK)
        rc = sr_store_find_device(s, ses.dev->name, uuid, err);
    sr_session_close(&ses);
    return rc;
}

/* Every row predicted again by the device's newest calibration on its stored ceilings. */
static sr_code recompute(sr_store *s, const char *uuid, sr_check_row *rows, size_t n, char stale[256], sr_err *err)
{
    sr_ceilings ceil;
    sr_device_model dm;
    sr_calib_point *pts = NULL;
    sr_code rc = sr_store_get_ceilings(s, uuid, &ceil, err);
    if (rc == SR_ERR_NOTFOUND)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "--recompute: no ceilings of this device in %s ('sparseroof peaks')",
                        sr_store_path(s));
    if (rc == SR_OK) {
        rc = sr_session_device_model(s, uuid, ceil.launch_overhead_s, &dm, &pts, err);
        if (rc == SR_ERR_NOTFOUND)
            rc = sr_err_set(err, SR_ERR_NOTFOUND, "--recompute: no calibration of this device in %s "
                            "('sparseroof calibrate')", sr_store_path(s));
    }
    if (rc == SR_OK && sr_calibration_stale(s, uuid, pts, dm.n_points, stale, 256))
        fprintf(stderr, "sparseroof model-check: %s\n", stale);
    if (rc == SR_OK)
        sr_model_check_recompute(rows, n, &dm, &ceil);
    free(pts);
    return rc;
}

/* Keeps the rows of network (all: NULL) that have a device time. */
static size_t keep_rows(sr_check_row *rows, size_t n, const char *network)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if ((!network || strcmp(rows[i].network, network) == 0) && isfinite(rows[i].device_s))
            rows[k++] = rows[i];
    return k;
}

static double layer_error(const sr_check_row *r) { return r->device_s / r->measured_s - 1; }

static int cmp_worst(const void *a, const void *b)
{
    const double x = fabs(layer_error(a)), y = fabs(layer_error(b));
    return (x < y) - (x > y);
}

static json_object *pattern_json(const sr_pattern_errors *e)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "network", json_object_new_string(e->network));
    json_object_object_add(o, "pattern", json_object_new_string(e->pattern));
    json_object_object_add(o, "network_speedup", stats_json(e->speedup));
    json_object_object_add(o, "network_time", stats_json(e->time));
    json_object_object_add(o, "layer_time", stats_json(e->layer));
    return o;
}

static json_object *layer_json(const sr_check_row *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "network", json_object_new_string(r->network));
    json_object_object_add(o, "layer", json_object_new_string(r->layer));
    json_object_object_add(o, "pattern", json_object_new_string(r->pattern));
    json_object_object_add(o, "sparsity", sr_cli_json_num(r->sparsity));
    json_object_object_add(o, "m", json_object_new_int64(r->m));
    json_object_object_add(o, "k", json_object_new_int64(r->k));
    json_object_object_add(o, "n", json_object_new_int64(r->n));
    json_object_object_add(o, "groups", json_object_new_int64(r->groups));
    json_object_object_add(o, "measured_s", sr_cli_json_num(r->measured_s));
    json_object_object_add(o, "device_s", sr_cli_json_num(r->device_s));
    json_object_object_add(o, "error", sr_cli_json_num(layer_error(r)));
    if (r->term[0])
        json_object_object_add(o, "term", json_object_new_string(r->term));
    return o;
}

static void print_pattern(const sr_pattern_errors *e)
{
    char at[32] = "";
    if (isfinite(e->speedup.worst_sparsity) && strcmp(e->pattern, "dense") != 0)
        snprintf(at, sizeof at, "(%.2f)", e->speedup.worst_sparsity);
    if (e->speedup.n)
        printf("  %-14s %-13s %7.1f%% %7.1f%% %-6s %7.1f%%", e->network, e->pattern, 100 * e->speedup.median,
               100 * e->speedup.worst, at, 100 * e->time.worst);
    else
        printf("  %-14s %-13s %8s %8s %-6s %8s", e->network, e->pattern, "-", "-", "", "-");
    printf("   %7.1f%% %7.1f%% (%.2f) %6zu\n", 100 * e->layer.median, 100 * e->layer.worst, e->layer.worst_sparsity,
           e->layer.n);
}

static void print_layer(const sr_check_row *r)
{
    char shape[64];
    snprintf(shape, sizeof shape, "%lldx%lldx%lld", (long long)r->m, (long long)r->k, (long long)r->n);
    if (r->groups > 1)
        snprintf(shape + strlen(shape), sizeof shape - strlen(shape), " g%lld", (long long)r->groups);
    printf("  %-10.10s %-24.24s %-12s %4.2f %-18s %9.4f %9.4f %6.2f  %s\n", r->network, r->layer, r->pattern,
           r->sparsity, shape, 1e3 * r->measured_s, 1e3 * r->device_s, r->device_s / r->measured_s, r->term);
}

static void print_text(const check_args *a, size_t nt, size_t nl, const sr_error_stats st[6],
                       const sr_pattern_errors *pe, size_t npe, const sr_check_row *rows)
{
    printf("Predictions against %zu measured network totals and %zu layer rows%s%s (same GEMM work on both "
           "sides)%s\n", nt, nl, a->network ? " of " : "", a->network ? a->network : "",
           a->recompute ? "; device model recomputed from the stored calibration" : "");
    printf("  %-28s %19s   %19s   %6s\n", "", "device model", "peak (the paper's)", "");
    printf("  %-28s %9s %9s   %9s %9s   %6s\n", "error", "median", "worst", "median", "worst", "count");
    print_stats("network speedup", st[0], st[3]);
    print_stats("network time", st[1], st[4]);
    print_stats("layer time", st[2], st[5]);
    printf("(errors as |predicted / measured - 1|; the device model's is the tool's own error, the paper's\n"
           " distance is a finding)\n");
    if (a->by_pattern) {
        printf("\nThe device model's error by network and pattern (worst at the sparsity in brackets)\n");
        printf("  %-14s %-13s %8s %8s %-6s %8s   %8s %8s %6s %6s\n", "network", "pattern", "speedup", "worst", "",
               "time", "layer", "worst", "", "layers");
        printf("  %-14s %-13s %8s %8s %-6s %8s   %8s %8s %6s %6s\n", "", "", "median", "", "", "worst", "median",
               "", "", "");
        for (size_t i = 0; i < npe; i++)
            print_pattern(&pe[i]);
    }
    if (a->worst) {
        printf("\nLayer rows furthest from the device model (device / measured time)\n");
        printf("  %-10s %-24s %-12s %4s %-18s %9s %9s %6s  %s\n", "network", "layer", "pattern", "s", "m x k x n",
               "meas ms", "model ms", "ratio", a->recompute ? "term" : "");
        for (size_t i = 0; i < nl && i < (size_t)a->worst; i++)
            print_layer(&rows[i]);
    }
}

static void print_json(const check_args *a, const char *uuid, const sr_error_stats st[6],
                       const sr_pattern_errors *pe, size_t npe, const sr_check_row *rows, size_t nl)
{
    json_object *o = json_object_new_object(), *d = json_object_new_object(), *p = json_object_new_object();
    json_object_object_add(d, "network_speedup", stats_json(st[0]));
    json_object_object_add(d, "network_time", stats_json(st[1]));
    json_object_object_add(d, "layer_time", stats_json(st[2]));
    json_object_object_add(p, "network_speedup", stats_json(st[3]));
    json_object_object_add(p, "network_time", stats_json(st[4]));
    json_object_object_add(p, "layer_time", stats_json(st[5]));
    json_object_object_add(o, "device_uuid", json_object_new_string(uuid));
    json_object_object_add(o, "recomputed", json_object_new_boolean(a->recompute));
    if (a->recompute)
        json_object_object_add(o, "calibration_warning", a->stale[0] ? json_object_new_string(a->stale) : NULL);
    json_object_object_add(o, "device_model", d);
    json_object_object_add(o, "peak", p);
    if (a->by_pattern) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < npe; i++)
            json_object_array_add(arr, pattern_json(&pe[i]));
        json_object_object_add(o, "by_pattern", arr);
    }
    if (a->worst) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < nl && i < (size_t)a->worst; i++)
            json_object_array_add(arr, layer_json(&rows[i]));
        json_object_object_add(o, "worst_layers", arr);
    }
    sr_cli_json_print(o);
}

/* The six error statistics (device: network speedup, time, layer time; then the paper's). */
static sr_code all_stats(const sr_check_total *t, size_t nt, const sr_check_row *rows, size_t nl, sr_error_stats st[6],
                         sr_err *err)
{
    double *v = calloc(6 * (nt + nl + 1), sizeof *v);
    if (!v)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu rows", nl);
    double *ds = v, *dt = ds + nt, *ps = dt + nt, *pt = ps + nt, *dl = pt + nt, *pl = dl + nl;
    size_t nps = 0, npl = 0;
    for (size_t i = 0; i < nt; i++) {
        const double meas = t[i].measured_dense_s / t[i].measured_s;
        ds[i] = t[i].device_dense_s / t[i].device_s / meas - 1;
        dt[i] = t[i].device_s / t[i].measured_s - 1;
        if (isfinite(t[i].peak_s) && isfinite(t[i].peak_dense_s)) {
            ps[nps] = t[i].peak_dense_s / t[i].peak_s / meas - 1;
            pt[nps++] = t[i].peak_s / t[i].measured_s - 1;
        }
    }
    for (size_t i = 0; i < nl; i++) {
        dl[i] = layer_error(&rows[i]);
        if (isfinite(rows[i].peak_s))
            pl[npl++] = rows[i].peak_s / rows[i].measured_s - 1;
    }
    st[0] = sr_error_stats_of(ds, nt), st[1] = sr_error_stats_of(dt, nt), st[2] = sr_error_stats_of(dl, nl);
    st[3] = sr_error_stats_of(ps, nps), st[4] = sr_error_stats_of(pt, nps), st[5] = sr_error_stats_of(pl, npl);
    free(v);
    return SR_OK;
}

int sr_cmd_model_check(int argc, char **argv)
{
    check_args a;
    const int parsed = parse_args(argc, argv, &a);
    if (parsed >= 0)
        return parsed;
    sr_err err = {0};
    sr_store *s = NULL;
    char uuid[SR_UUID_LEN];
    sr_check_row *rows = NULL;
    sr_check_total *t = NULL;
    sr_pattern_errors *pe = NULL;
    size_t nl = 0, nt = 0, npe = 0;
    sr_code rc = sr_store_open(sr_cli_db_path(a.db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = pick_device(s, a.device, uuid, &err);
    if (rc == SR_OK)
        rc = sr_store_check_rows(s, uuid, &rows, &nl, &err);
    if (rc == SR_OK && a.recompute)
        rc = recompute(s, uuid, rows, nl, a.stale, &err);
    if (rc == SR_OK) {
        nl = keep_rows(rows, nl, a.network);
        rc = sr_model_check_totals(rows, nl, &t, &nt, &err);
    }
    if (rc == SR_OK && nl == 0)
        rc = sr_err_set(&err, SR_ERR_NOTFOUND,
                        "nothing to check on this device in %s: it needs 'sparseroof calibrate' (the device model) "
                        "and then 'sparseroof bench' or 'study' (the measurements)", sr_store_path(s));
    if (rc == SR_OK && a.by_pattern)
        rc = sr_model_check_by_pattern(t, nt, rows, nl, &pe, &npe, &err);
    sr_error_stats st[6];
    if (rc == SR_OK)
        rc = all_stats(t, nt, rows, nl, st, &err);
    sr_store_close(s);
    if (rc == SR_OK) {
        qsort(rows, nl, sizeof *rows, cmp_worst);
        if (a.json)
            print_json(&a, uuid, st, pe, npe, rows, nl);
        else
            print_text(&a, nt, nl, st, pe, npe, rows);
    }
    free(rows), free(t), free(pe);
    return rc == SR_OK ? SR_EXIT_OK : sr_cli_fail("model-check", &err);
}
