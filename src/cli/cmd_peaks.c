/* `sparseroof peaks`: measures the ceilings of one device (bandwidth by working set, FMA
 * throughput per data type, launch overhead) and stores them in the database; or records
 * a virtual device's ceilings, given by hand (--define) or read from a file (--import). */
#include "cli/cmd_peaks.h"

#include <getopt.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/ceilings_json.h"
#include "bench/ceilings_define.h"
#include "bench/peaks.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "session/ceilings.h"
#include "cli/signals.h"
#include "common/host.h"
#include "runtime/runtime.h"

static const char *help =
    "usage: sparseroof peaks [--device D] [--json] [--thorough] [--max-ws SIZE] [--reps R]\n"
    "                        [--db FILE]\n"
    "       sparseroof peaks --define NAME --bandwidth GBPS[,LEVEL=GBPS@SIZE...]\n"
    "                        --compute fp32=GFLOPS[,fp16=GFLOPS,fp64=GFLOPS] [--launch SECONDS]\n"
    "                        [--pattern-compute P=GFLOPS,...] [--pattern-metadata-bits P=BITS,...]\n"
    "                        [--json] [--db FILE]\n"
    "       sparseroof peaks --import FILE.json [--name NAME] [--json] [--db FILE]\n"
    "\n"
    "Measures what the roofline model stands on: bandwidth by working-set size (a read\n"
    "kernel and a triad a = b + s*c, swept from 16 KiB to 4x the last-level cache; each\n"
    "plateau is a level: L1, L2, L3 where present, DRAM last), FMA throughput in GFLOP/s per\n"
    "data type (an FMA counts as 2 FLOPs; 'unsupported' where the device has no such type)\n"
    "and the median time of an empty kernel launch. Each figure is the best of timed\n"
    "repetitions after a warm-up, with its spread. Profiling events are cross-checked with\n"
    "the wall clock; where they disagree the wall clock is used, on launches long enough\n"
    "for it (50 empty launches at the least), and the output says so. Figures that cannot\n"
    "be the device's are refused, nothing stored: a bandwidth level not flat or rising with\n"
    "the working set, faster than the level before it, an fp32 peak over 100 times what a\n"
    "dense product does in the same run. Where a driver ends loops early (Mesa's llvmpipe)\n"
    "each launch stays within its limit and the sweep ends where one pass would not.\n"
    "The ceilings are stored in the database (a run of its own), where 'kernel' and\n"
    "'predict' find them for their roofline predictions.\n"
    "\n"
    "  -d, --device D      device index, PLATFORM:DEVICE, or part of its name (default: the\n"
    "                      first; see 'sparseroof devices')\n"
    "      --thorough      finer sweep (8 points an octave), more repetitions and kernel\n"
    "                      shapes: slower, steadier\n"
    "      --max-ws SIZE   end the sweep at SIZE bytes (K/M/G suffixes) instead of 4x the\n"
    "                      last-level cache\n"
    "  -r, --reps R        timed repetitions of each figure (default 5, thorough 10)\n"
    "      --json          print one JSON object (device, bandwidth, compute,\n"
    "                      launch_overhead_s, and the sweep behind them)\n"
    "      --db FILE       the database (default $SPARSEROOF_DB, else ./sparseroof.db)\n"
    "  -h, --help          show this help\n"
    "\n"
    "A virtual device (a datasheet, or hardware that does not exist yet):\n"
    "      --define NAME   record ceilings for NAME instead of measuring\n"
    "      --bandwidth B   GB/s of DRAM, then cache levels with the largest working set each\n"
    "                      holds for: 900,L2=4000@8M,L1=9000@256K\n"
    "      --compute C     GFLOP/s by data type: fp32=50000,fp16=100000 (fp32 required;\n"
    "                      types not given are unsupported)\n"
    "      --launch S      seconds of an empty kernel launch\n"
    "      --pattern-compute LIST        GFLOP/s a pattern's kernels reach: 2:4=90000\n"
    "      --pattern-metadata-bits LIST  metadata bits per kept value: 2:4=2\n"
    "Every figure must be a positive, finite number.\n"
    "\n"
    "Ceilings from elsewhere (a colleague's machine, a published table):\n"
    "      --import FILE   record the ceilings in FILE as a virtual device; FILE holds one\n"
    "                      JSON object as 'peaks --json' or 'peaks --define ... --json'\n"
    "                      print it (device, bandwidth, compute, and optionally\n"
    "                      launch_overhead_s and patterns; other keys are ignored)\n"
    "      --name NAME     the name to record it under (default: its \"device\" field)\n"
    "The figures are checked as for --define; a damaged file changes nothing.\n";

typedef struct {
    const char *device, *db;
    const char *import, *name; /* --import FILE, --name NAME */
    int json, thorough, reps;
    uint64_t max_ws;
    sr_define_spec def;
    int defining; /* any of the --define options was given */
} peaks_args;

enum { O_DEFINE = 256, O_BW, O_COMPUTE, O_LAUNCH, O_PCOMP, O_PBITS, O_MAXWS, O_THOROUGH, O_JSON,
       O_DB, O_IMPORT, O_NAME };
static const struct option long_opts[] = {
    {"device", required_argument, NULL, 'd'},
    {"reps", required_argument, NULL, 'r'},
    {"json", no_argument, NULL, O_JSON},
    {"db", required_argument, NULL, O_DB},
    {"thorough", no_argument, NULL, O_THOROUGH},
    {"max-ws", required_argument, NULL, O_MAXWS},
    {"define", required_argument, NULL, O_DEFINE},
    {"bandwidth", required_argument, NULL, O_BW},
    {"compute", required_argument, NULL, O_COMPUTE},
    {"launch", required_argument, NULL, O_LAUNCH},
    {"pattern-compute", required_argument, NULL, O_PCOMP},
    {"pattern-metadata-bits", required_argument, NULL, O_PBITS},
    {"import", required_argument, NULL, O_IMPORT},
    {"name", required_argument, NULL, O_NAME},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* The last option given that belongs to one mode only, to refuse a mix of modes. */
typedef struct {
    const char *define, *measure;
} mode_opts;

/* Takes option c (its value in optarg) into a. Returns 0 for an option it does not know;
 * a bad value leaves its failure in *rc and err. */
static int take_option(int c, peaks_args *a, mode_opts *m, sr_code *rc, sr_err *err)
{
    switch (c) {
    case 'd': a->device = optarg; m->measure = "--device"; break;
    case 'r':
        *rc = sr_cli_int("--reps", optarg, 1, 1000, &a->reps, err);
        m->measure = "--reps";
        break;
    case O_JSON: a->json = 1; break;
    case O_DB: a->db = optarg; break;
    case O_THOROUGH: a->thorough = 1; m->measure = "--thorough"; break;
    case O_MAXWS:
        *rc = sr_parse_bytes("--max-ws", optarg, &a->max_ws, err);
        m->measure = "--max-ws";
        break;
    case O_DEFINE: a->def.name = optarg; break;
    case O_BW: a->def.bandwidth = optarg; m->define = "--bandwidth"; break;
    case O_COMPUTE: a->def.compute = optarg; m->define = "--compute"; break;
    case O_LAUNCH: a->def.launch = optarg; m->define = "--launch"; break;
    case O_PCOMP: a->def.pattern_compute = optarg; m->define = "--pattern-compute"; break;
    case O_PBITS:
        a->def.pattern_metadata_bits = optarg;
        m->define = "--pattern-metadata-bits";
        break;
    case O_IMPORT: a->import = optarg; break;
    case O_NAME: a->name = optarg; break;
    default: return 0;
    }
    return 1;
}

/* The options given must belong to one mode: import, define or measure. Returns 0 or the
 * exit status of a usage error. */
static int check_mode(peaks_args *a, const mode_opts *m)
{
    a->defining = a->def.name != NULL;
    if (a->name && !a->import)
        return sr_cli_usage("peaks", "--name names an imported device: it needs --import FILE");
    if (a->import) {
        const char *other = a->defining ? "--define" : m->define ? m->define : m->measure;
        if (other)
            return sr_cli_usage("peaks", "--import records ceilings from a file: %s does not go "
                                "with it", other);
        if (!*a->import)
            return sr_cli_usage("peaks", "--import needs a file name");
        return 0;
    }
    if (!a->defining && m->define)
        return sr_cli_usage("peaks", "%s describes a virtual device: it needs --define NAME",
                            m->define);
    if (a->defining && m->measure)
        return sr_cli_usage("peaks", "%s is for measuring a device, not for --define",
                            m->measure);
    if (!a->defining && a->max_ws && a->max_ws < 64 * 1024)
        return sr_cli_usage("peaks", "--max-ws must be at least 64K (the sweep starts at 16K)");
    return 0;
}

/* Returns -1 after --help, 0 to go on, else an exit status. */
static int parse_args(int argc, char **argv, peaks_args *a, sr_err *err)
{
    int c;
    sr_code rc = SR_OK;
    mode_opts m = {NULL, NULL};
    optind = 1;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "d:r:h", long_opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return -1;
        }
        if (!take_option(c, a, &m, &rc, err))
            return sr_cli_usage("peaks", "bad option");
    }
    if (rc != SR_OK)
        return sr_cli_fail("peaks", err);
    if (optind < argc)
        return sr_cli_usage("peaks", "unexpected argument '%s'", argv[optind]);
    return check_mode(a, &m);
}

/* ---- progress ---- */

typedef struct {
    char stage[32];
    int tty;
} progress_state;

static void on_progress(void *ctx, const char *stage, int done, int total, const char *detail)
{
    progress_state *ps = ctx;
    if (!ps->tty)
        return;
    if (strcmp(ps->stage, stage) != 0 && ps->stage[0])
        fputc('\n', stderr);
    snprintf(ps->stage, sizeof ps->stage, "%s", stage);
    fprintf(stderr, "\r  %-13s %4d/%-4d %s\033[K", stage, done, total, detail);
    fflush(stderr);
}

static void progress_end(progress_state *ps)
{
    if (ps->tty && ps->stage[0])
        fputs("\r\033[K", stderr);
}

/* ---- output ---- */

/* Median of one series' best figures over a plateau's points. */
static double series_level(const sr_bw_point *pts, const sr_plateau *pl)
{
    double v[512];
    int n = 0;
    for (size_t i = pl->first; i <= pl->last && n < 512; i++)
        v[n++] = pts[i].gbps;
    return sr_median(v, n);
}

static json_object *levels_json(const sr_plateau *p, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "level", json_object_new_string(p[k].level));
        json_object_object_add(e, "gbps", sr_cli_json_num(p[k].gbps));
        json_object_object_add(e, "ws_min_bytes", json_object_new_uint64(p[k].ws_min_bytes));
        json_object_object_add(e, "ws_max_bytes", json_object_new_uint64(p[k].ws_max_bytes));
        json_object_object_add(e, "spread", sr_cli_json_num(p[k].spread));
        json_object_array_add(a, e);
    }
    return a;
}

static json_object *result_json(const sr_peaks_result *r, const sr_peaks_opts *o)
{
    json_object *j = sr_ceilings_to_json(&r->ceilings), *a;
    /* the ceilings' levels, with the spread of their points and each kernel's figure */
    json_object_object_get_ex(j, "bandwidth", &a);
    for (size_t k = 0; k < r->n_levels && k < json_object_array_length(a); k++) {
        json_object *e = json_object_array_get_idx(a, k);
        json_object_object_add(e, "spread", sr_cli_json_num(r->levels[k].spread));
        json_object_object_add(e, "read_gbps",
                               sr_cli_json_num(series_level(r->read, &r->levels[k])));
        json_object_object_add(e, "triad_gbps",
                               sr_cli_json_num(series_level(r->triad, &r->levels[k])));
    }
    json_object_object_get_ex(j, "compute", &a);
    for (size_t k = 0; k < r->n_compute && k < json_object_array_length(a); k++) {
        const sr_fma_result *f = &r->compute[k];
        if (!f->supported)
            continue;
        json_object *e = json_object_array_get_idx(a, k);
        json_object_object_add(e, "gflops_worst", sr_cli_json_num(f->gflops_worst));
        json_object_object_add(e, "vector_width", json_object_new_int(f->vw));
        json_object_object_add(e, "chains", json_object_new_int(f->chains));
        if (f->wallclock)
            json_object_object_add(e, "wallclock", json_object_new_boolean(1));
    }
    json_object *l = json_object_new_object();
    json_object_object_add(l, "median_s", sr_cli_json_num(r->launch.median_s));
    json_object_object_add(l, "min_s", sr_cli_json_num(r->launch.min_s));
    json_object_object_add(l, "max_s", sr_cli_json_num(r->launch.max_s));
    json_object_object_add(l, "reps", json_object_new_int(r->launch.reps));
    json_object_object_add(j, "launch", l);
    json_object_object_add(j, "read", levels_json(r->read_levels, r->n_read_levels));
    json_object_object_add(j, "triad", levels_json(r->triad_levels, r->n_triad_levels));
    json_object *sw = json_object_new_array();
    for (size_t i = 0; i < r->n_points; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "ws_bytes", sr_cli_json_num(r->read[i].ws_bytes));
        json_object_object_add(e, "read_gbps", sr_cli_json_num(r->read[i].gbps));
        json_object_object_add(e, "read_gbps_worst", sr_cli_json_num(r->read[i].gbps_worst));
        json_object_object_add(e, "triad_gbps", sr_cli_json_num(r->triad[i].gbps));
        json_object_object_add(e, "triad_gbps_worst", sr_cli_json_num(r->triad[i].gbps_worst));
        if (r->read[i].wallclock || r->triad[i].wallclock)
            json_object_object_add(e, "wallclock", json_object_new_boolean(1));
        json_object_array_add(sw, e);
    }
    json_object_object_add(j, "sweep", sw);
    json_object_object_add(j, "timing", json_object_new_string(r->wallclock ? "wallclock" : "events"));
    if (r->wallclock)
        json_object_object_add(j, "timing_note", json_object_new_string(r->timing_note));
    if (r->sweep_note[0])
        json_object_object_add(j, "sweep_note", json_object_new_string(r->sweep_note));
    json_object_object_add(j, "gemm_gflops", r->gemm_gflops > 0 ? sr_cli_json_num(r->gemm_gflops) : NULL);
    json_object_object_add(j, "reps", json_object_new_int(o->reps));
    json_object_object_add(j, "points_per_octave", json_object_new_int(o->points_per_octave));
    json_object_object_add(j, "build_s", sr_cli_json_num(r->build_s));
    json_object_object_add(j, "awake_cpus", json_object_new_int(r->awake_cpus));
    json_object_object_add(j, "elapsed_s", sr_cli_json_num(r->elapsed_s));
    return j;
}

static void print_levels_text(const sr_ceilings *c)
{
    for (size_t k = 0; k < c->n_levels; k++) {
        const sr_bw_level *l = &c->levels[k];
        char lo[32], hi[32];
        sr_format_bytes((double)l->ws_min_bytes, lo, sizeof lo);
        sr_format_bytes((double)l->ws_max_bytes, hi, sizeof hi);
        if (l->ws_max_bytes == UINT64_MAX)
            printf("  %-6s %9.1f GB/s   from %s\n", l->level, l->gbps, lo);
        else
            printf("  %-6s %9.1f GB/s   %s to %s\n", l->level, l->gbps, lo, hi);
    }
}

static void print_result(const sr_peaks_result *r, const sr_peaks_opts *o,
                         const sr_device_info *dev)
{
    char lo[32], hi[32];
    printf("%s (%s, %u compute units, %s)\n\n", dev->name, dev->type, dev->compute_units,
           dev->platform_version);
    sr_format_bytes((double)(r->n_points ? r->read[0].ws_bytes : 0), lo, sizeof lo);
    sr_format_bytes((double)(r->n_points ? r->read[r->n_points - 1].ws_bytes : 0), hi, sizeof hi);
    printf("Bandwidth: %zu working sets from %s to %s, best of %d each\n", r->n_points, lo, hi,
           o->reps);
    printf("  %-6s %9s        %7s %7s  %-24s %s\n", "level", "ceiling", "read", "triad",
           "working sets", "spread");
    for (size_t k = 0; k < r->n_levels; k++) {
        const sr_plateau *p = &r->levels[k];
        char range[80];
        sr_format_bytes((double)p->ws_min_bytes, lo, sizeof lo);
        sr_format_bytes((double)p->ws_max_bytes, hi, sizeof hi);
        if (p->ws_max_bytes == UINT64_MAX)
            snprintf(range, sizeof range, "from %s", lo);
        else
            snprintf(range, sizeof range, "%s to %s", lo, hi);
        printf("  %-6s %9.1f GB/s   %7.1f %7.1f  %-24s %.0f%%\n", p->level, p->gbps,
               series_level(r->read, p), series_level(r->triad, p), range, 100 * p->spread);
    }
    if (r->sweep_note[0])
        printf("  (%s)\n", r->sweep_note);
    printf("\nCompute (an FMA counts as 2 FLOPs), best of %d\n", o->reps);
    for (size_t k = 0; k < r->n_compute; k++) {
        const sr_fma_result *f = &r->compute[k];
        if (!f->supported)
            printf("  %-6s %9s\n", sr_dtype_name(f->dtype), "unsupported");
        else
            printf("  %-6s %9.1f GFLOP/s  (vectors of %d, %d chains; worst repetition %.1f)\n",
                   sr_dtype_name(f->dtype), f->gflops, f->vw, f->chains, f->gflops_worst);
    }
    if (r->gemm_gflops > 0)
        printf("  a dense product did %.1f GFLOP/s in the same run\n", r->gemm_gflops);
    printf("\nLaunch overhead %.3g us (median of %d empty launches; min %.3g, max %.3g)\n",
           r->launch.median_s * 1e6, r->launch.reps, r->launch.min_s * 1e6, r->launch.max_s * 1e6);
    if (r->wallclock)
        printf("Timing: %s\n", r->timing_note);
    else
        printf("Timing: profiling events, cross-checked with the wall clock\n");
    if (r->awake_cpus > 0)
        printf("        %d cores held awake while measured, as kernels are timed (SPARSEROOF_KEEP_AWAKE=0 turns this off)\n",
               r->awake_cpus);
    printf("Took %.1f s (kernel builds %.1f s, not timed)\n", r->elapsed_s, r->build_s);
}

/* ---- the two modes ---- */


/* A virtual device's ceilings as text. */
static void print_virtual(const sr_ceilings *c, const char *source)
{
    if (source)
        printf("%s (virtual device, from %s)\n\nBandwidth\n", c->device, source);
    else
        printf("%s (virtual device)\n\nBandwidth\n", c->device);
    print_levels_text(c);
    printf("\nCompute\n");
    for (size_t k = 0; k < c->n_compute; k++)
        if (c->compute[k].supported)
            printf("  %-6s %9.1f GFLOP/s\n", sr_dtype_name(c->compute[k].dtype),
                   c->compute[k].gflops);
        else
            printf("  %-6s %9s\n", sr_dtype_name(c->compute[k].dtype), "unsupported");
    if (c->launch_overhead_s > 0)
        printf("\nLaunch overhead %.3g us\n", c->launch_overhead_s * 1e6);
    if (c->n_patterns)
        printf("\nPatterns\n");
    for (size_t k = 0; k < c->n_patterns; k++) {
        const sr_pattern_ceiling *p = &c->patterns[k];
        printf("  %-14s", p->pattern);
        if (p->gflops > 0)
            printf(" %9.1f GFLOP/s", p->gflops);
        else
            printf(" %17s", "");
        if (p->metadata_bits >= 0)
            printf("  %.3g metadata bits a kept value", p->metadata_bits);
        printf("\n");
    }
}

/* Records c (given by --define, or read by --import from `source`) as a virtual device
 * under a run of its own, and shows it. */
static int run_virtual(int argc, char **argv, const peaks_args *a, sr_ceilings *c,
                       const char *source)
{
    sr_err err = {0};
    if (sr_device_spec_is_index(c->device))
        return sr_cli_usage("peaks", "'%s' names an OpenCL device by its index (as --device takes it): give the "
                            "virtual device a name that is not a number or PLATFORM:DEVICE", c->device);
    char uuid[SR_UUID_LEN];
    sr_session s;
    sr_cli_session_init(&s, argc, argv);
    c->is_virtual = 1;
    sr_code rc = sr_session_open_store(&s, sr_cli_db_path(a->db), &err);
    if (rc == SR_OK)
        rc = sr_session_begin(&s, &err);
    if (rc == SR_OK)
        rc = sr_store_define_virtual(s.store, s.run, c, uuid, &err);
    char run[SR_UUID_LEN];
    memcpy(run, s.run, sizeof run);
    const int exit_rc = sr_cli_session_finish(&s, "peaks", rc, NULL, &err);
    if (exit_rc != SR_EXIT_OK)
        return exit_rc;
    if (a->json) {
        json_object *j = sr_ceilings_to_json(c);
        json_object_object_add(j, "device_uuid", json_object_new_string(uuid));
        json_object_object_add(j, "run_uuid", json_object_new_string(run));
        if (source)
            json_object_object_add(j, "imported_from", json_object_new_string(source));
        sr_cli_json_print(j);
        return SR_EXIT_OK;
    }
    print_virtual(c, source);
    printf("\nStored in %s (run %s) as device %s\n", sr_cli_db_path(a->db), run, uuid);
    return SR_EXIT_OK;
}

static int run_define(int argc, char **argv, const peaks_args *a)
{
    sr_err err = {0};
    sr_ceilings c;
    if (sr_ceilings_define(&a->def, &c, &err) != SR_OK)
        return sr_cli_fail("peaks", &err);
    return run_virtual(argc, argv, a, &c, NULL);
}

/* The file is read and checked before the database is opened: a damaged one changes
 * nothing. */
static int run_import(int argc, char **argv, const peaks_args *a)
{
    sr_err err = {0};
    sr_ceilings c;
    if (a->name && (!*a->name || strlen(a->name) >= sizeof c.device))
        return sr_cli_usage("peaks", "--name must be 1 to %zu characters", sizeof c.device - 1);
    if (sr_ceilings_read_file(a->import, &c, &err) != SR_OK)
        return sr_cli_fail("peaks", &err);
    if (a->name)
        snprintf(c.device, sizeof c.device, "%s", a->name);
    return run_virtual(argc, argv, a, &c, a->import);
}

/* The device model's terms beside the ceilings: what `calibrate` stored, or how to get it. */
static void print_device_model(sr_store *store, const char *device_uuid)
{
    sr_calib_point *pts = NULL;
    size_t n = 0;
    if (sr_store_get_calibration(store, device_uuid, &pts, &n, NULL) != SR_OK) {
        printf("Device model: not calibrated ('sparseroof calibrate' measures each pattern's rate by shape)\n");
        return;
    }
    char seen[16][SR_NAME_MAX];
    size_t np = 0;
    for (size_t i = 0; i < n && np < 16; i++) {
        size_t j = 0;
        while (j < np && strcmp(seen[j], pts[i].pattern) != 0)
            j++;
        if (j == np)
            snprintf(seen[np++], sizeof seen[0], "%s", pts[i].pattern);
    }
    printf("Device model: calibrated on %zu synthetic shapes of %zu patterns (v_calibration; each pattern's "
           "median in v_ceiling)\n", n, np);
    free(pts);
}

static int run_measure(int argc, char **argv, const peaks_args *a)
{
    sr_err err = {0};
    sr_session s;
    sr_peaks_result r;
    memset(&r, 0, sizeof r);
    sr_peaks_opts o;
    uint64_t caches[4];
    progress_state ps = {.tty = isatty(STDERR_FILENO)};
    sr_cli_session_init(&s, argc, argv);
    sr_code c = sr_session_find_device(&s, a->device, &err);
    if (c == SR_OK) {
        sr_session_peaks_opts(s.dev, a->thorough, &o, caches);
        if (a->reps)
            o.reps = a->reps;
        if (a->max_ws)
            o.max_ws_bytes = (double)a->max_ws;
        o.progress = on_progress;
        o.progress_ctx = &ps;
        o.stop = sr_cli_interrupted;
        /* the options against the device, then the database: a bad --max-ws or --db is
         * refused before a run begins and a minute of measuring */
        if ((c = sr_peaks_check(&o, s.dev, &err)) == SR_OK)
            c = sr_session_open_store(&s, sr_cli_db_path(a->db), &err);
    }
    if (c == SR_OK)
        c = sr_session_begin(&s, &err);
    if (c == SR_OK) {
        sr_cli_progress("measuring %s%s (about %s)", s.dev->name, a->thorough ? ", thorough" : "",
                        a->thorough ? "a few minutes" : "a minute");
        c = sr_session_open_device(&s, &err);
    }
    if (c == SR_OK)
        c = sr_session_measure_ceilings(&s, &o, &r, &err);
    progress_end(&ps);
    c = sr_session_end(&s, c, &err);
    int rc = sr_cli_exit("peaks", c, s.run, NULL, &err);
    if (rc == SR_EXIT_OK && a->json) {
        json_object *j = result_json(&r, &o);
        json_object_object_add(j, "device_uuid", json_object_new_string(s.device_uuid));
        json_object_object_add(j, "run_uuid", json_object_new_string(s.run));
        sr_cli_json_print(j);
    } else if (rc == SR_EXIT_OK) {
        print_result(&r, &o, s.dev);
        print_device_model(s.store, s.device_uuid);
        printf("Stored in %s (run %s)\n", sr_cli_db_path(a->db), s.run);
    }
    sr_peaks_result_free(&r);
    sr_session_close(&s);
    return rc;
}

int sr_cmd_peaks(int argc, char **argv)
{
    peaks_args a = {0};
    sr_err err = {0};
    int rc = parse_args(argc, argv, &a, &err);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    if (a.import)
        return run_import(argc, argv, &a);
    return a.defining ? run_define(argc, argv, &a) : run_measure(argc, argv, &a);
}
