/* bench_kernels: issues 6's and 14's benchmark. Runs fixed cases (dense GEMM 1024^3,
 * 2048^3 and 2048x2048x256; CSR, BSR 16x16, BSR 4x4 and 2:4 at 2048x2048x256), or with
 * --network every distinct layer shape of a network in each pattern, with sparseroof's
 * verified, timed kernel run and with its peers, interleaved round by round
 * (bench_cases.c). This file: options, the fixed cases, the ceilings, main. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bench/ceilings_json.h"
#include "bench/peaks.h"
#include "bench/timing.h"
#include "cli/cli.h"
#include "openmp_bind.h"
#include "peer_ort.h"
#include "session/session.h"

static const char *help =
    "usage: bench_kernels [--cases LIST | --network NAME|FILE [--batch B] [--patterns LIST]]\n"
    "                     [--quick] [--rounds R] [--reps N] [--device D] [--seed S]\n"
    "                     [--ceilings FILE | --peak-gflops G --bw-gbps B | --no-ceilings]\n"
    "                     [--db FILE] [--python PATH] [--no-peers] [--json]\n"
    "\n"
    "Compares sparseroof's kernels with peers on one OpenCL device, interleaved round by\n"
    "round; prints medians, ratios against the issues' targets and roofline efficiency.\n"
    "\n"
    "  --cases LIST      comma-separated, default all: dense1024 (1024^3), dense2048 (2048^3),\n"
    "                    dense (2048x2048x256), csr, bsr16, bsr4, nm24 (2048x2048x256, s=0.9)\n"
    "  --network NAME|FILE  instead of the cases: every distinct prunable layer shape of a\n"
    "                    built-in network ('sparseroof networks') or a network CSV, at\n"
    "                    --batch B (default 1), as 'bench' runs them; per shape and pattern\n"
    "                    ours and the peers, per pattern the totals with each shape weighted\n"
    "                    by its number of layers and the median roofline efficiency over the\n"
    "                    layers. A shape our kernel cannot take is listed as skipped.\n"
    "  --patterns LIST   network mode's patterns, default all: dense, csr (unstructured 0.9),\n"
    "                    bsr4 (block:4x4 0.9), bsr16 (block:16x16 0.9), nm24 (2:4)\n"
    "  --quick           a smoke run in seconds: 1 round of 2 repetitions; network mode keeps\n"
    "                    the 3 smallest shapes, the cases mode csr and dense; ceilings (unless\n"
    "                    given) from a short, rough sweep\n"
    "  --rounds R        interleaved rounds (default 5)\n"
    "  --reps N          timed repetitions per round, each side (default 3)\n"
    "  --device D        OpenCL device (as in 'sparseroof devices'; default the first)\n"
    "  --seed S          seed of the random weights and inputs (default 1)\n"
    "  --ceilings FILE   the device's ceilings as 'sparseroof peaks --json' prints them;\n"
    "                    without it they are measured first (as 'peaks' does, ~30 s)\n"
    "  --peak-gflops G   an fp32 FMA ceiling given by hand, GFLOP/s; with --bw-gbps B (GB/s,\n"
    "                    one level) the roofline, alone only the CSR target\n"
    "  --no-ceilings     neither measure nor use ceilings (no efficiency)\n"
    "  --db FILE         a sparseroof database (read only): the kernel parameters 'tune'\n"
    "                    stored for this device, by shape, as 'bench' uses them (without it:\n"
    "                    the built-in defaults), and its newest stored ceilings unless\n"
    "                    --ceilings, --peak-gflops or --no-ceilings say otherwise\n"
    "  --python PATH     python3 with scipy for the CSR peer (default: python3 on PATH,\n"
    "                    then /usr/bin/python3)\n"
    "  --no-peers        ours only\n"
    "  --json            print JSON instead of the table\n"
    "\n"
    "Peers (optional, tools/install-deps --peers; \"n/a\" when absent), with as many threads\n"
    "as the device has compute units: dense: Intel MKL cblas_sgemm, onnxruntime (a one-node\n"
    "Gemm model), OpenBLAS cblas_sgemm, CLBlast SGEMM on the same OpenCL queue; unstructured:\n"
    "MKL mkl_sparse_s_mm on CSR, our CSR algorithm in plain C (OpenMP, -march=native), SciPy's\n"
    "CSR product (cases mode); block: MKL on BSR; 2:4: MKL on CSR of the same weights. MKL's\n"
    "optimize and onnxruntime's session are timed apart. Sparse cases are also compared with\n"
    "our dense kernel on the same shape. Every peer's output is checked against the CPU\n"
    "reference (network mode: an even sample of rows on large layers).\n";

static const bench_case case_table[] = {
    {.id = "dense1024", .pattern = "dense", .m = 1024, .k = 1024, .n = 1024},
    {.id = "dense2048", .pattern = "dense", .m = 2048, .k = 2048, .n = 2048},
    {.id = "dense", .pattern = "dense", .m = 2048, .k = 2048, .n = 256},
    {.id = "csr", .pattern = "unstructured", .m = 2048, .k = 2048, .n = 256, .sparsity = 0.9},
    {.id = "bsr16", .pattern = "block:16x16", .m = 2048, .k = 2048, .n = 256, .sparsity = 0.9},
    {.id = "bsr4", .pattern = "block:4x4", .m = 2048, .k = 2048, .n = 256, .sparsity = 0.9},
    {.id = "nm24", .pattern = "2:4", .m = 2048, .k = 2048, .n = 256, .sparsity = 0.5},
};
enum { NCASES = sizeof case_table / sizeof *case_table };

typedef struct {
    const char *cases, *device, *python, *ceilings, *network, *patterns, *db;
    unsigned long long seed;
    double peak_gflops, bw_gbps; /* 0: not given */
    int batch, quick, rounds_given, reps_given;
    int no_peers, no_ceilings, json;
} bench_opts;

/* Selects the cases; a sparse case brings the dense case of its shape along. */
static sr_code select_cases(const char *list, bench_case **out, int *n, sr_err *err)
{
    int want[NCASES] = {0};
    const char *ids[NCASES];
    for (int i = 0; i < NCASES; i++)
        ids[i] = case_table[i].id;
    sr_code c = bench_select("--cases", list, ids, NCASES, want, err);
    if (c != SR_OK)
        return c;
    *n = 0;
    for (int i = 0; i < NCASES; i++)
        if (want[i] && strcmp(case_table[i].pattern, "dense") != 0)
            want[bench_dense_of(case_table, NCASES, i)] = 1;
    if (!(*out = calloc(NCASES, sizeof **out)))
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < NCASES; i++)
        if (want[i])
            (*out)[(*n)++] = case_table[i];
    return SR_OK;
}

/* The host's 1-minute load average (Linux /proc; -1 elsewhere): other work on the
 * machine during the run makes every ratio doubtful, so the report shows it. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double v = -1.0;
    if (f && fscanf(f, "%lf", &v) != 1)
        v = -1.0;
    if (f)
        fclose(f);
    return v;
}

static void on_peaks_progress(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx;
    sr_cli_progress("measuring ceilings: %s %d/%d %s", stage, done, total, detail);
}

/* The roofline's ceilings: read, given by hand, or measured on the opened device. */
static sr_code get_ceilings(sr_cl *cl, const bench_opts *o, bench_config *cfg, sr_err *err)
{
    sr_code c = SR_OK;
    if (o->ceilings) {
        c = sr_ceilings_read_file(o->ceilings, &cfg->ceilings, err);
        snprintf(cfg->ceilings_source, sizeof cfg->ceilings_source, "from %.80s", o->ceilings);
    } else if (o->peak_gflops > 0) {
        snprintf(cfg->ceilings_source, sizeof cfg->ceilings_source, "given by hand");
        cfg->fma_gflops = o->peak_gflops;
        if (!(o->bw_gbps > 0))
            return SR_OK;
        c = sr_ceilings_simple(&cfg->ceilings, "given", o->bw_gbps, o->peak_gflops, err);
    } else if (o->no_ceilings) {
        return SR_OK;
    } else if (cfg->session && cfg->session->device_uuid[0] &&
               sr_store_get_ceilings(cfg->session->store, cfg->session->device_uuid, &cfg->ceilings, NULL) ==
                   SR_OK) {
        snprintf(cfg->ceilings_source, sizeof cfg->ceilings_source, "stored in %.80s", o->db);
    } else {
        sr_peaks_opts po;
        sr_peaks_opts_default(&po, 0);
        if (o->quick) { /* rough but quick: a point per octave, short runs, no DRAM sweep to 4x LLC */
            po.points_per_octave = 1;
            po.reps = 2;
            po.min_time_s = 0.5e-3;
            po.compute_time_s = 5e-3;
            po.launch_reps = 20;
            po.max_ws_bytes = 64.0 * 1024 * 1024;
        }
        po.progress = on_peaks_progress;
        sr_peaks_result r;
        memset(&r, 0, sizeof r);
        if ((c = sr_peaks_measure(cl, &po, &r, err)) == SR_OK)
            cfg->ceilings = r.ceilings;
        sr_peaks_result_free(&r);
        snprintf(cfg->ceilings_source, sizeof cfg->ceilings_source, "%s", o->quick ? "measured now, quick and rough"
                                                                                     : "measured now");
    }
    if (c != SR_OK)
        return c;
    cfg->have_ceilings = 1;
    const sr_compute_ceiling *fp32 = sr_ceilings_compute(&cfg->ceilings, SR_DTYPE_FP32);
    cfg->fma_gflops = fp32 ? fp32->gflops : 0.0;
    return SR_OK;
}

static int parse_args(int argc, char **argv, bench_opts *o, bench_config *cfg)
{
    static const struct option opts[] = {
        {"cases", required_argument, NULL, 'c'},  {"rounds", required_argument, NULL, 'R'},
        {"reps", required_argument, NULL, 'r'},   {"device", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 'S'},   {"peak-gflops", required_argument, NULL, 'P'},
        {"bw-gbps", required_argument, NULL, 'B'}, {"python", required_argument, NULL, 'y'},
        {"no-peers", no_argument, NULL, 'n'},     {"json", no_argument, NULL, 'j'},
        {"ceilings", required_argument, NULL, 'C'}, {"no-ceilings", no_argument, NULL, 'N'},
        {"network", required_argument, NULL, 'w'}, {"batch", required_argument, NULL, 'b'},
        {"patterns", required_argument, NULL, 'p'}, {"quick", no_argument, NULL, 'q'},
        {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    sr_err err = {0};
    sr_code rc = SR_OK;
    int c;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o->cases = optarg; break;
        case 'R': rc = sr_cli_int("--rounds", optarg, 1, 64, &cfg->rounds, &err), o->rounds_given = 1; break;
        case 'r': rc = sr_cli_int("--reps", optarg, 1, 1000, &cfg->reps, &err), o->reps_given = 1; break;
        case 'w': o->network = optarg; break;
        case 'b': rc = sr_cli_int("--batch", optarg, 1, 1 << 20, &o->batch, &err); break;
        case 'p': o->patterns = optarg; break;
        case 'q': o->quick = 1; break;
        case 'D': o->db = optarg; break;
        case 'd': o->device = optarg; break;
        case 'S': rc = sr_cli_u64("--seed", optarg, &o->seed, &err); break;
        case 'P': rc = sr_cli_double("--peak-gflops", optarg, 1e-3, 1e9, &o->peak_gflops, &err); break;
        case 'B': rc = sr_cli_double("--bw-gbps", optarg, 1e-3, 1e9, &o->bw_gbps, &err); break;
        case 'C': o->ceilings = optarg; break;
        case 'N': o->no_ceilings = 1; break;
        case 'y': o->python = optarg; break;
        case 'n': o->no_peers = 1; break;
        case 'j': o->json = 1; break;
        case 'h': fputs(help, stdout); return -1;
        default: return sr_cli_usage("bench-kernels", "bad option");
        }
    }
    if (rc != SR_OK)
        return sr_cli_fail("bench-kernels", &err);
    if (optind < argc)
        return sr_cli_usage("bench-kernels", "unexpected argument '%s'", argv[optind]);
    if (o->bw_gbps > 0 && !(o->peak_gflops > 0))
        return sr_cli_usage("bench-kernels", "--bw-gbps needs --peak-gflops");
    if ((o->ceilings != NULL) + (o->peak_gflops > 0) + o->no_ceilings > 1)
        return sr_cli_usage("bench-kernels", "--ceilings, --peak-gflops and --no-ceilings exclude each other");
    if (o->network && o->cases)
        return sr_cli_usage("bench-kernels", "--cases and --network exclude each other");
    if (!o->network && (o->patterns || o->batch))
        return sr_cli_usage("bench-kernels", "--patterns and --batch go with --network");
    if (o->quick) {
        cfg->rounds = o->rounds_given ? cfg->rounds : 1;
        cfg->reps = o->reps_given ? cfg->reps : 2;
        o->cases = o->cases ? o->cases : "csr";
    }
    if (!o->batch)
        o->batch = 1;
    return 0;
}

/* --db: the database, read only, and this device's record in it (none: the defaults and
 * measured ceilings, said on stderr). */
static sr_code open_db(const char *path, const sr_device_info *dev, sr_session *s, sr_err *err)
{
    s->dev = dev;
    sr_code c = sr_store_open(path, SR_STORE_READONLY, &s->store, err);
    if (c != SR_OK)
        return sr_err_prefix(err, "--db");
    if (sr_store_find_device(s->store, dev->name, s->device_uuid, NULL) != SR_OK) {
        s->device_uuid[0] = '\0';
        fprintf(stderr, "bench-kernels: %s holds nothing of %s: default parameters\n", path, dev->name);
    }
    return SR_OK;
}

/* Where the PyPI peers' environment and onnxruntime's helper script are: the build's,
 * unless the environment names others (a moved tree, another build folder's venv). */
static void peer_paths(bench_config *cfg)
{
#ifdef SR_SCIPY_SCRIPT
    cfg->scipy_script = SR_SCIPY_SCRIPT;
    cfg->ort_script = SR_ORT_SCRIPT;
    cfg->venv = SR_PEERS_VENV;
#endif
    const char *v;
    if ((v = getenv("SR_SCIPY_SCRIPT")) && *v)
        cfg->scipy_script = v;
    if ((v = getenv("SR_ORT_SCRIPT")) && *v)
        cfg->ort_script = v;
    if ((v = getenv("SR_PEERS_VENV")) && *v)
        cfg->venv = v;
}

int main(int argc, char **argv)
{
    openmp_bind_start(argv);
    bench_opts o = {.seed = 1};
    bench_config cfg = {.rounds = 5, .reps = 3};
    peer_paths(&cfg);
    int rc = parse_args(argc, argv, &o, &cfg);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    /* the network's large layers are checked on a sample of rows: the reference in double
     * would otherwise cost more than every kernel of the round together */
    cfg.check_macs = o.network ? (o.quick ? 5e6 : 5e7) : 0.0;

    bench_case *cases = NULL;
    int n = 0, n_shapes = 0; /* cases; network mode: distinct shapes */
    sr_err err = {0};
    sr_device_info *devs = NULL;
    size_t ndev = 0, di = 0;
    sr_cl *cl = NULL;
    sr_session db;
    sr_session_init(&db, 0, NULL, NULL);
    sr_code c = o.network ? bench_network_cases(o.network, o.batch, o.patterns, o.quick, &cases, &n, &n_shapes, &err)
                          : select_cases(o.cases, &cases, &n, &err);
    if (c == SR_OK && (c = sr_device_list(&devs, &ndev, &err)) == SR_OK &&
        (c = sr_device_find(devs, ndev, o.device, &di, &err)) == SR_OK)
        c = sr_cl_open(&devs[di], &cl, &err);
    if (c == SR_OK) {
        cfg.dev = &devs[di];
        cfg.threads = devs[di].compute_units > 0 ? (int)devs[di].compute_units : 1;
        cfg.python = o.no_peers || o.network ? NULL : peer_find_python(o.python);
    }
    if (c == SR_OK && o.db && (c = open_db(o.db, &devs[di], &db, &err)) == SR_OK)
        cfg.session = &db;
    cfg.cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.load_before = load_average();
    if (c == SR_OK)
        c = get_ceilings(cl, &o, &cfg, &err);
    for (int i = 0; i < n && c == SR_OK; i++)
        c = bench_case_setup(&cases[i], cl, &cfg, o.seed, !o.no_peers, o.network != NULL, &err);
    if (c == SR_OK)
        c = bench_run_rounds(cl, cases, n, &cfg, &err);
    cfg.load_after = load_average();
    if (c == SR_OK) {
        for (int i = 0; i < n; i++)
            cases[i].dense_ref = cases[i].pat.kind == SR_PAT_DENSE ? -1 : bench_dense_of(cases, n, i);
        if (o.network && o.json)
            bench_network_json(o.network, o.batch, cases, n, &cfg);
        else if (o.network)
            bench_network_print(o.network, o.batch, cases, n, &cfg);
        else if (o.json)
            bench_print_json(cases, n, &cfg);
        else
            bench_print_table(cases, n, &cfg);
    }
    rc = c == SR_OK ? SR_EXIT_OK : sr_cli_fail("bench-kernels", &err);
    bench_cases_free(cases, n);
    peer_ort_stop();
    db.dev = NULL;
    sr_session_close(&db);
    sr_cl_close(cl);
    free(devs);
    return rc;
}
