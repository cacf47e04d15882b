/* bench_kernels: issue 6's benchmark. Runs every case (dense GEMM 1024^3, 2048^3 and
 * 2048x2048x256; CSR, BSR 16x16, BSR 4x4 and 2:4 at 2048x2048x256) with sparseroof's
 * verified, timed kernel run and with its peers, interleaved: each round runs every case,
 * ours and the peers in turn (the order flips every round), a few repetitions each; the
 * figures are medians over rounds of the per-round medians, so a round that came out at
 * half speed on a noisy machine does not decide them. */
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

static const char *help =
    "usage: bench_kernels [--cases LIST] [--rounds R] [--reps N] [--device D] [--seed S]\n"
    "                     [--ceilings FILE | --peak-gflops G --bw-gbps B | --no-ceilings]\n"
    "                     [--python PATH] [--no-peers] [--json]\n"
    "\n"
    "Compares sparseroof's kernels with peers on one OpenCL device, interleaved round by\n"
    "round; prints medians, ratios against the issue's targets and roofline efficiency.\n"
    "\n"
    "  --cases LIST      comma-separated, default all: dense1024 (1024^3), dense2048 (2048^3),\n"
    "                    dense (2048x2048x256), csr, bsr16, bsr4, nm24 (2048x2048x256, s=0.9)\n"
    "  --rounds R        interleaved rounds (default 5)\n"
    "  --reps N          timed repetitions per round, each side (default 3)\n"
    "  --device D        OpenCL device (as in 'sparseroof devices'; default the first)\n"
    "  --seed S          seed of the random weights and inputs (default 1)\n"
    "  --ceilings FILE   the device's ceilings as 'sparseroof peaks --json' prints them;\n"
    "                    without it they are measured first (as 'peaks' does, ~30 s)\n"
    "  --peak-gflops G   an fp32 FMA ceiling given by hand, GFLOP/s; with --bw-gbps B (GB/s,\n"
    "                    one level) the roofline, alone only the CSR target\n"
    "  --no-ceilings     neither measure nor use ceilings (no efficiency)\n"
    "  --python PATH     python3 with scipy for the CSR peer (default: python3 on PATH,\n"
    "                    then /usr/bin/python3)\n"
    "  --no-peers        ours only\n"
    "  --json            print JSON instead of the table\n"
    "\n"
    "Peers (optional; \"n/a\" when absent): OpenBLAS cblas_sgemm with as many threads as\n"
    "the device has compute units, CLBlast SGEMM on the same OpenCL queue (dense cases),\n"
    "SciPy's CSR product (csr), and our CSR algorithm in plain C (OpenMP, -march=native;\n"
    "csr: how much of what the CPU gives the algorithm the OpenCL kernel gets). BSR and 2:4\n"
    "are compared with our dense kernel on the same shape. Every peer's output is checked\n"
    "against the CPU reference.\n";

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
    const char *cases, *device, *python, *ceilings;
    unsigned long long seed;
    double peak_gflops, bw_gbps; /* 0: not given */
    int no_peers, no_ceilings, json;
} bench_opts;

/* The dense case of case i's shape (there is one in case_table for every sparse case),
 * or -1. */
static int dense_of(const bench_case *cases, int n, int i)
{
    for (int j = 0; j < n; j++)
        if (strcmp(cases[j].pattern, "dense") == 0 && cases[j].m == cases[i].m && cases[j].k == cases[i].k &&
            cases[j].n == cases[i].n)
            return j;
    return -1;
}

/* Selects the cases; a sparse case brings the dense case of its shape along. */
static sr_code select_cases(const char *list, bench_case *out, int *n, sr_err *err)
{
    int want[NCASES] = {0};
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list ? list : "all");
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int hit = 0;
        for (int i = 0; i < NCASES; i++)
            if (strcmp(tok, "all") == 0 || strcmp(tok, case_table[i].id) == 0)
                want[i] = hit = 1;
        if (!hit)
            return sr_err_set(err, SR_ERR_ARG,
                              "--cases: unknown case '%s' (dense1024, dense2048, dense, csr, bsr16, bsr4, nm24, all)",
                              tok);
    }
    *n = 0;
    for (int i = 0; i < NCASES; i++)
        if (want[i] && strcmp(case_table[i].pattern, "dense") != 0)
            want[dense_of(case_table, NCASES, i)] = 1;
    for (int i = 0; i < NCASES; i++)
        if (want[i])
            out[(*n)++] = case_table[i];
    return SR_OK;
}

/* Generates, prunes and encodes a case's matrices and prepares its peers. */
static sr_code setup_case(bench_case *c, sr_cl *cl, const bench_config *cfg, unsigned long long seed, int peers,
                          sr_err *err)
{
    sr_code code = sr_pattern_parse(c->pattern, &c->pat, err);
    if (code != SR_OK)
        return code;
    sr_kernel_params_default(&c->pat, cfg->dev->type, &c->kp);
    if ((code = sr_spmm_check_limits(cfg->dev, &c->pat, c->m, c->k, c->n, c->sparsity, &c->kp, err)) != SR_OK)
        return code;
    float *w = malloc((size_t)c->m * c->k * sizeof *w);
    c->w = malloc((size_t)c->m * c->k * sizeof *c->w);
    c->x = malloc((size_t)c->k * c->n * sizeof *c->x);
    c->round_s = calloc((size_t)cfg->rounds, sizeof *c->round_s);
    c->pack_round_s = calloc((size_t)cfg->rounds, sizeof *c->pack_round_s);
    if (!w || !c->w || !c->x || !c->round_s || !c->pack_round_s) {
        free(w);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for case %s", c->id);
    }
    sr_dense_random(w, c->m, c->k, seed);
    sr_dense_random(c->x, c->k, c->n, seed ^ 0x9e3779b97f4a7c15ULL);
    code = sr_prune(w, c->m, c->k, &c->pat, c->sparsity, c->w, err);
    free(w);
    if (code == SR_OK)
        code = sr_sparse_from_dense(c->w, c->m, c->k, &c->pat, &c->s, err);
    if (code != SR_OK)
        return code;
    size_t nz = 0;
    for (size_t i = 0; i < (size_t)c->m * c->k; i++)
        nz += c->w[i] != 0.0f;
    c->useful_flops = 2.0 * (double)nz * c->n;
    c->flops = sr_spmm_flops(c->s, c->n);
    sr_gemm_cost cost; /* the model's count of bytes, as every command uses */
    code = sr_gemm_cost_from_nnz(c->m, c->k, c->n, 1, &c->pat, (double)c->s->nnz, SR_DTYPE_FP32, -1.0, &cost, err);
    if (code != SR_OK)
        return code;
    c->bytes = cost.bytes;
    c->achieved = 1.0 - (double)nz / ((double)c->m * c->k);
    if (peers && c->pat.kind == SR_PAT_DENSE) {
        c->peers[c->npeers++].kind = PEER_OPENBLAS;
        c->peers[c->npeers++].kind = PEER_CLBLAST;
    } else if (peers && c->pat.kind == SR_PAT_UNSTRUCTURED) {
        c->peers[c->npeers++].kind = PEER_SCIPY;
        c->peers[c->npeers++].kind = PEER_PLAIN_CSR;
    }
    for (int i = 0; i < c->npeers; i++) {
        sr_cli_progress("%s: preparing %s", c->id, peer_name(c->peers[i].kind));
        peer_setup(&c->peers[i], cl, c, cfg);
    }
    return SR_OK;
}

static void free_case(bench_case *c)
{
    for (int i = 0; i < c->npeers; i++)
        peer_free(&c->peers[i]);
    sr_sparse_free(c->s);
    free(c->w);
    free(c->x);
    free(c->round_s);
    free(c->pack_round_s);
}

/* Lets OpenBLAS's threads stop spinning before the next side runs. */
static void settle(void)
{
    const struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
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
    } else {
        sr_peaks_opts po;
        sr_peaks_opts_default(&po, 0);
        po.progress = on_peaks_progress;
        sr_peaks_result r;
        memset(&r, 0, sizeof r);
        if ((c = sr_peaks_measure(cl, &po, &r, err)) == SR_OK)
            cfg->ceilings = r.ceilings;
        sr_peaks_result_free(&r);
        snprintf(cfg->ceilings_source, sizeof cfg->ceilings_source, "measured now");
    }
    if (c != SR_OK)
        return c;
    cfg->have_ceilings = 1;
    const sr_compute_ceiling *fp32 = sr_ceilings_compute(&cfg->ceilings, SR_DTYPE_FP32);
    cfg->fma_gflops = fp32 ? fp32->gflops : 0.0;
    return SR_OK;
}

static sr_code run_ours(sr_cl *cl, bench_case *c, int round, const bench_config *cfg, sr_err *err)
{
    sr_spmm_result res;
    sr_cli_progress("round %d: %s, ours", round + 1, c->id);
    sr_code code = sr_spmm_run(cl, c->s, c->w, c->x, c->n, &c->kp, cfg->reps, &res, err);
    if (code != SR_OK)
        return sr_err_prefix(err, "%s (%s %dx%dx%d)", c->id, c->pattern, c->m, c->k, c->n);
    c->pack_round_s[c->rounds] = res.pack_s;
    c->round_s[c->rounds++] = res.time.median_s;
    c->wallclock |= res.time.wallclock;
    snprintf(c->params, sizeof c->params, "%s", res.params);
    return SR_OK;
}

static void run_peers(bench_case *c, int round, const bench_config *cfg)
{
    for (int i = 0; i < c->npeers; i++) {
        bench_peer *p = &c->peers[i];
        if (!p->usable)
            continue;
        sr_cli_progress("round %d: %s, %s", round + 1, c->id, peer_name(p->kind));
        const int verify = round == 0 || round == cfg->rounds - 1;
        double t = 0;
        sr_err err = {0};
        if (peer_round(p, c, cfg, cfg->reps, verify, &t, &err) != SR_OK) {
            p->usable = 0;
            snprintf(p->note, sizeof p->note, "failed: %s", err.msg);
            continue;
        }
        p->round_s[p->rounds++] = t;
        if (p->kind == PEER_OPENBLAS)
            settle();
    }
}

static double median_of(const double *v, int n)
{
    double tmp[64];
    n = n < 64 ? n : 64;
    memcpy(tmp, v, (size_t)n * sizeof *tmp);
    return sr_median(tmp, n);
}

static sr_code run_rounds(sr_cl *cl, bench_case *cases, int n, const bench_config *cfg, sr_err *err)
{
    for (int r = 0; r < cfg->rounds; r++)
        for (int i = 0; i < n; i++) {
            if (r % 2)
                run_peers(&cases[i], r, cfg);
            sr_code code = run_ours(cl, &cases[i], r, cfg, err);
            if (code != SR_OK)
                return code;
            if (r % 2 == 0)
                run_peers(&cases[i], r, cfg);
        }
    for (int i = 0; i < n; i++) {
        cases[i].median_s = median_of(cases[i].round_s, cases[i].rounds);
        cases[i].pack_median_s = median_of(cases[i].pack_round_s, cases[i].rounds);
        for (int j = 0; j < cases[i].npeers; j++) {
            bench_peer *p = &cases[i].peers[j];
            p->median_s = p->usable ? median_of(p->round_s, p->rounds) : 0.0;
        }
    }
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
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    sr_err err = {0};
    sr_code rc = SR_OK;
    int c;
    while (rc == SR_OK && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o->cases = optarg; break;
        case 'R': rc = sr_cli_int("--rounds", optarg, 1, 64, &cfg->rounds, &err); break;
        case 'r': rc = sr_cli_int("--reps", optarg, 1, 1000, &cfg->reps, &err); break;
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
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = {.seed = 1};
    bench_config cfg = {.rounds = 5, .reps = 3};
#ifdef SR_SCIPY_SCRIPT
    cfg.scipy_script = SR_SCIPY_SCRIPT;
#endif
    const char *script = getenv("SR_SCIPY_SCRIPT"); /* a moved source tree */
    if (script && *script)
        cfg.scipy_script = script;
    int rc = parse_args(argc, argv, &o, &cfg);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;

    bench_case cases[NCASES];
    memset(cases, 0, sizeof cases);
    int n = 0;
    sr_err err = {0};
    sr_device_info *devs = NULL;
    size_t ndev = 0, di = 0;
    sr_cl *cl = NULL;
    sr_code c = select_cases(o.cases, cases, &n, &err);
    if (c == SR_OK && (c = sr_device_list(&devs, &ndev, &err)) == SR_OK &&
        (c = sr_device_find(devs, ndev, o.device, &di, &err)) == SR_OK)
        c = sr_cl_open(&devs[di], &cl, &err);
    if (c == SR_OK) {
        cfg.dev = &devs[di];
        cfg.threads = devs[di].compute_units > 0 ? (int)devs[di].compute_units : 1;
        cfg.python = o.no_peers ? NULL : peer_find_python(o.python);
    }
    cfg.cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.load_before = load_average();
    if (c == SR_OK)
        c = get_ceilings(cl, &o, &cfg, &err);
    for (int i = 0; i < n && c == SR_OK; i++)
        c = setup_case(&cases[i], cl, &cfg, o.seed, !o.no_peers, &err);
    if (c == SR_OK)
        c = run_rounds(cl, cases, n, &cfg, &err);
    cfg.load_after = load_average();
    if (c == SR_OK) {
        for (int i = 0; i < n; i++)
            cases[i].dense_ref = cases[i].pat.kind == SR_PAT_DENSE ? -1 : dense_of(cases, n, i);
        if (o.json)
            bench_print_json(cases, n, &cfg);
        else
            bench_print_table(cases, n, &cfg);
    }
    rc = c == SR_OK ? SR_EXIT_OK : sr_cli_fail("bench-kernels", &err);
    for (int i = 0; i < n; i++)
        free_case(&cases[i]);
    sr_cl_close(cl);
    free(devs);
    return rc;
}
