/* `sparseroof calibrate`: the device model's terms, measured on synthetic shapes. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "cli/signals.h"
#include "session/calibrate.h"
#include "session/ceilings.h"

static const char calibrate_help[] =
    "usage: sparseroof calibrate [--device D] [--quick] [--patterns LIST] [--quiet] [--json]\n"
    "                            [--db FILE]\n"
    "\n"
    "Measures what the device model ('predict --ceilings device') stands on, on synthetic\n"
    "shapes only (never on a network it will predict): each pattern's kernel on a grid of\n"
    "M (64 to 4096; dense also 128), K (64, 512, 4096), N (1, where dense runs a GEMV, and\n"
    "16 to 16320; no multiples of 256 beyond 64, where X's row stride would crowd the cache\n"
    "and X is repacked; 128 and 4224, strides that crowd it half, which CSR and dense read\n"
    "in place) and sparsities (0.5 to 0.95), with the parameters 'bench' would use (which\n"
    "pad rows of X and Y to whole vectors: pad=1), dense also at each N one column\n"
    "narrower (where it runs with vectors along M, unpadded), each verified and timed;\n"
    "the time each took and its share of repacking X. The device's\n"
    "ceilings (bandwidth levels, launch overhead) are measured first if none are stored.\n"
    "About 1500 points in 65 s on a 2-core CPU (--quick: about 800 in 40 s).\n"
    "The points are stored together (v_calibration; v_ceiling shows each pattern's median\n"
    "over its shapes of two columns or more, as the summary printed here does).\n"
    "\n"
    "  --device D       OpenCL device (default: the first)\n"
    "  --quick          fewer M (64, 1024, 4096) and N (1, 16, 128, 192, 4032, 4224), every\n"
    "                   sparsity\n"
    "  --patterns LIST  default dense,unstructured,block:4x4,block:16x16,2:4\n"
    "  --quiet, --json, --db FILE\n"
    "  -h, --help\n";

typedef struct {
    int tty, quiet;
    double t0;
} progress_state;

static void on_point(void *ctx, size_t done, size_t total, const sr_calib_point *p)
{
    progress_state *ps = ctx;
    if (ps->quiet)
        return;
    const double el = sr_wall_seconds() - ps->t0, eta = el / (double)done * (double)(total - done);
    if (ps->tty)
        fprintf(stderr, "\r  [%zu/%zu] %-12s %.2f  %5.0f x %5.0f x %5.0f  %7.1f GFLOP/s  %.0f s, about %.0f s left\033[K",
                done, total, p->pattern, p->sparsity, p->m, p->k, p->n, p->flops / p->time_s * 1e-9, el, eta);
    else if (done % 20 == 0 || done == total)
        fprintf(stderr, "calibrate: %zu/%zu points, %.0f s\n", done, total, el);
}

static void on_ceilings(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx, (void)detail;
    if (done == total)
        sr_cli_progress("measuring ceilings: %s done", stage);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_summary(const sr_calibrate_opts *o, const sr_calib_point *pts, size_t n, int json, double secs,
                          const char *db, const char *run)
{
    json_object *arr = json ? json_object_new_array() : NULL;
    if (!json)
        printf("%-14s %6s %12s %12s %12s %9s\n", "pattern", "shapes", "median", "min", "max", "repack");
    if (!json)
        printf("%-14s %6s %12s %12s %12s %9s\n", "", "", "GFLOP/s", "GFLOP/s", "GFLOP/s", "share");
    for (size_t p = 0; p < o->n_patterns; p++) {
        char name[SR_NAME_MAX];
        sr_pattern_name(&o->patterns[p], name, sizeof name);
        double rates[1024], share = 0;
        int c = 0;
        /* over the points of two columns or more, as v_ceiling: at N = 1 every kernel
         * runs its narrowest vectors (dense a GEMV), 5 to 30 times slower */
        for (size_t i = 0; i < n && c < 1024; i++)
            if (strcmp(pts[i].pattern, name) == 0 && pts[i].n > 1) {
                rates[c++] = pts[i].flops / pts[i].time_s * 1e-9;
                share += pts[i].pack_s / pts[i].time_s;
            }
        if (!c)
            continue;
        qsort(rates, (size_t)c, sizeof *rates, cmp_double);
        const double med = c % 2 ? rates[c / 2] : 0.5 * (rates[c / 2 - 1] + rates[c / 2]);
        if (json) {
            json_object *j = json_object_new_object();
            json_object_object_add(j, "pattern", json_object_new_string(name));
            json_object_object_add(j, "shapes", json_object_new_int(c));
            json_object_object_add(j, "median_gflops", sr_cli_json_num(med));
            json_object_object_add(j, "min_gflops", sr_cli_json_num(rates[0]));
            json_object_object_add(j, "max_gflops", sr_cli_json_num(rates[c - 1]));
            json_object_object_add(j, "repack_share", sr_cli_json_num(share / c));
            json_object_array_add(arr, j);
        } else {
            printf("%-14s %6d %12.1f %12.1f %12.1f %8.0f%%\n", name, c, med, rates[0], rates[c - 1], 100 * share / c);
        }
    }
    if (json) {
        json_object *root = json_object_new_object();
        json_object_object_add(root, "run", json_object_new_string(run));
        json_object_object_add(root, "points", json_object_new_int64((int64_t)n));
        json_object_object_add(root, "seconds", sr_cli_json_num(secs));
        json_object_object_add(root, "patterns", arr);
        sr_cli_json_print(root);
    } else {
        printf("%zu shapes in %.0f s; stored in %s (run %s): v_calibration, v_ceiling\n", n, secs, db, run);
    }
}

int sr_cmd_calibrate(int argc, char **argv)
{
    enum { O_DEV = 256, O_QUICK, O_PAT, O_Q, O_JSON, O_DB };
    static const struct option opts[] = {
        {"device", required_argument, NULL, O_DEV}, {"quick", no_argument, NULL, O_QUICK},
        {"patterns", required_argument, NULL, O_PAT}, {"quiet", no_argument, NULL, O_Q},
        {"json", no_argument, NULL, O_JSON},          {"db", required_argument, NULL, O_DB},
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0}};
    const char *device = NULL, *db = NULL, *patterns = NULL;
    int quick = 0, quiet = 0, json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_DEV: device = optarg; break;
        case O_QUICK: quick = 1; break;
        case O_PAT: patterns = optarg; break;
        case O_Q: quiet = 1; break;
        case O_JSON: json = 1; break;
        case O_DB: db = optarg; break;
        case 'h': fputs(calibrate_help, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("calibrate", "bad option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("calibrate", "unexpected argument '%s'", argv[optind]);
    sr_calibrate_opts o;
    sr_calibrate_opts_default(&o, quick);
    sr_err err = {0};
    if (patterns) {
        int np = 0;
        if (sr_cli_patterns("--patterns", patterns, o.patterns, 16, &np, &err) != SR_OK)
            return sr_cli_fail("calibrate", &err);
        o.n_patterns = (size_t)np;
    }
    return sr_cli_calibrate(&o, device, db, quiet, json, 1, argc, argv);
}

int sr_cli_calibrate(const sr_calibrate_opts *o, const char *device, const char *db, int quiet, int json, int show,
                     int argc, char **argv)
{
    sr_err err = {0};
    sr_session s;
    sr_ceilings ceil;
    sr_calib_point *pts = NULL;
    size_t n = 0;
    progress_state ps = {.tty = isatty(STDERR_FILENO), .quiet = quiet};
    sr_cli_session_init(&s, argc, argv);
    sr_code c = sr_session_find_device(&s, device, &err);
    if (c == SR_OK)
        c = sr_session_open_store(&s, sr_cli_db_path(db), &err);
    if (c == SR_OK)
        c = sr_session_ceilings(&s, on_ceilings, &ceil, &err); /* the bandwidths the re-read term uses */
    if (c == SR_OK)
        c = sr_session_begin(&s, &err);
    if (c == SR_OK)
        c = sr_session_open_device(&s, &err);
    if (c == SR_OK && !quiet)
        fprintf(stderr, "sparseroof calibrate: %zu synthetic shapes on %s\n", sr_calibrate_count(o), s.dev->name);
    ps.t0 = sr_wall_seconds();
    if (c == SR_OK)
        c = sr_session_calibrate(&s, o, on_point, &ps, &pts, &n, &err);
    if (ps.tty && !quiet)
        fputs("\r\033[K", stderr);
    char run[SR_UUID_LEN];
    memcpy(run, s.run, sizeof run);
    int rc = sr_cli_session_finish(&s, "calibrate", c, NULL, &err);
    if (rc == SR_EXIT_OK && show)
        print_summary(o, pts, n, json, sr_wall_seconds() - ps.t0, sr_cli_db_path(db), run);
    else if (rc == SR_EXIT_OK && !quiet)
        fprintf(stderr, "sparseroof: device model calibrated on %zu shapes in %.0f s (run %.8s)\n", n,
                sr_wall_seconds() - ps.t0, run);
    free(pts);
    return rc;
}
