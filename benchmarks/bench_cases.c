/* Setting a case up (seeded weights and inputs, pruned and encoded group by group, its
 * peers prepared) and the interleaved rounds: each round runs every case, ours and the
 * peers in turn (the order flips every round), a few repetitions each; the figures are
 * medians over rounds of the per-round medians, so a round that came out at half speed on
 * a noisy machine does not decide them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bench/kernel_run.h"
#include "bench/timing.h"
#include "cli/cli.h"
#include "openmp_bind.h"
#include "runtime/keep_awake.h"
#include "session/params.h"

int bench_dense_of(const bench_case *cases, int n, int i)
{
    for (int j = 0; j < n; j++)
        if (strcmp(cases[j].pattern, "dense") == 0 && cases[j].m == cases[i].m && cases[j].k == cases[i].k &&
            cases[j].n == cases[i].n && cases[j].groups == cases[i].groups)
            return j;
    return -1;
}

float *bench_floats(size_t n, int zero)
{
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64; /* aligned_alloc: a multiple */
    float *f = aligned_alloc(64, bytes > 0 ? bytes : 64);
    if (f && zero)
        memset(f, 0, bytes);
    return f;
}

double bench_median(const double *v, int n)
{
    double tmp[64];
    n = n < 64 ? n : 64;
    memcpy(tmp, v, (size_t)n * sizeof *tmp);
    return sr_median(tmp, n);
}

sr_code bench_select(const char *option, const char *list, const char *const *ids, int n, int *want, sr_err *err)
{
    char buf[256], known[256] = "";
    for (int i = 0; i < n; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s, ", ids[i]);
    snprintf(buf, sizeof buf, "%s", list ? list : "all");
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int hit = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(tok, "all") == 0 || strcmp(tok, ids[i]) == 0)
                want[i] = hit = 1;
        if (!hit)
            return sr_err_set(err, SR_ERR_ARG, "%s: unknown name '%s' (%sall)", option, tok, known);
    }
    return SR_OK;
}

/* Every row_step-th row is checked, so that the reference spends about check_macs. */
static int row_step_for(const bench_case *c, double check_macs)
{
    const double macs = c->nnz * c->n;
    if (check_macs <= 0 || macs <= check_macs)
        return 1;
    const double step = macs / check_macs;
    return step >= c->m ? c->m : (int)step + 1;
}

/* The peers of a case's pattern: MKL first (issue 14's reference), then the others. */
static void choose_peers(bench_case *c)
{
    peer_kind want[MAX_PEERS];
    int n = 0;
    switch (c->pat.kind) {
    case SR_PAT_DENSE:
        want[n++] = PEER_MKL_GEMM;
        want[n++] = PEER_ORT;
        want[n++] = PEER_OPENBLAS;
        want[n++] = PEER_CLBLAST;
        break;
    case SR_PAT_UNSTRUCTURED:
        want[n++] = PEER_MKL_CSR;
        want[n++] = PEER_PLAIN_CSR;
        if (c->count == 0) /* SciPy starts Python every round: the fixed cases only */
            want[n++] = PEER_SCIPY;
        break;
    case SR_PAT_BLOCK: want[n++] = PEER_MKL_BSR; break;
    case SR_PAT_NM: want[n++] = PEER_MKL_CSR; break; /* MKL has no N:M format: as CSR */
    }
    for (int i = 0; i < n; i++)
        c->peers[c->npeers++].kind = want[i];
}

/* Random weights pruned to the pattern and encoded, group by group; random inputs. */
static sr_code make_operands(bench_case *c, unsigned long long seed, sr_err *err)
{
    const size_t mk = (size_t)c->m * c->k, kn = (size_t)c->k * c->n, g = (size_t)c->groups;
    float *w = malloc(mk * sizeof *w);
    c->w = bench_floats(g * mk, 0);
    c->x = bench_floats(g * kn, 0);
    c->s = calloc(g, sizeof *c->s);
    if (!w || !c->w || !c->x || !c->s) {
        free(w);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for case %s", c->id);
    }
    sr_code code = SR_OK;
    size_t nz = 0;
    for (size_t i = 0; i < g && code == SR_OK; i++) {
        const unsigned long long gs = seed ^ (i * 0xd1b54a32d192ed03ULL); /* group 0: the seed itself */
        sr_dense_random(w, c->m, c->k, gs);
        sr_dense_random(c->x + i * kn, c->k, c->n, gs ^ 0x9e3779b97f4a7c15ULL);
        float *pw = c->w + i * mk;
        code = sr_prune(w, c->m, c->k, &c->pat, c->sparsity, pw, err);
        if (code == SR_OK)
            code = sr_sparse_from_dense(pw, c->m, c->k, &c->pat, &c->s[i], err);
        for (size_t j = 0; code == SR_OK && j < mk; j++)
            nz += pw[j] != 0.0f;
        if (code == SR_OK) {
            c->flops += sr_spmm_flops(c->s[i], c->n);
            c->nnz += (double)c->s[i]->nnz;
            c->weight_bytes += (double)sr_sparse_weight_bytes(c->s[i]);
        }
    }
    free(w);
    c->useful_flops = 2.0 * (double)nz * c->n;
    c->achieved = 1.0 - (double)nz / ((double)g * (double)mk);
    return code;
}

sr_code bench_case_setup(bench_case *c, sr_cl *cl, const bench_config *cfg, unsigned long long seed, int peers,
                         int skip_ok, sr_err *err)
{
    if (c->groups < 1)
        c->groups = 1;
    sr_code code = sr_pattern_parse(c->pattern, &c->pat, err);
    if (code != SR_OK)
        return code;
    sr_params_source src = SR_PARAMS_DEFAULT;
    sr_kernel_params_default_for(&c->pat, cfg->dev->type, c->m, c->n, &c->kp);
    if (cfg->session && (code = sr_session_params(cfg->session, &c->pat, c->m, c->k, c->n, NULL, &c->kp, &src,
                                                  err)) != SR_OK)
        return code;
    c->params_source = sr_params_source_name(src);
    const sr_kernel_spec spec = {.pattern = c->pat, .sparsity = c->sparsity, .params = c->kp};
    if ((code = sr_kernel_check(cfg->dev, c->m, c->k, c->n, c->groups, &spec, err)) != SR_OK) {
        if (!skip_ok || code == SR_ERR_NOMEM)
            return code;
        snprintf(c->skipped, sizeof c->skipped, "%s", err->msg); /* the layer keeps its dense time */
        return SR_OK;
    }
    c->round_s = calloc((size_t)cfg->rounds, sizeof *c->round_s);
    c->pack_round_s = calloc((size_t)cfg->rounds, sizeof *c->pack_round_s);
    if (!c->round_s || !c->pack_round_s)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for case %s", c->id);
    if ((code = make_operands(c, seed, err)) != SR_OK)
        return code;
    c->row_step = row_step_for(c, cfg->check_macs);
    sr_gemm_cost cost; /* the model's count of bytes, as every command uses */
    code = sr_gemm_cost_from_nnz(c->m, c->k, c->n, c->groups, &c->pat, c->nnz / c->groups, SR_DTYPE_FP32, -1.0,
                                 &cost, err);
    if (code != SR_OK)
        return code;
    c->bytes = cost.bytes;
    if (peers)
        choose_peers(c);
    for (int i = 0; i < c->npeers; i++) {
        sr_cli_progress("%s %dx%dx%d: preparing %s", c->id, c->m, c->k, c->n, peer_name(c->peers[i].kind));
        peer_setup(&c->peers[i], cl, c, cfg);
    }
    return SR_OK;
}

void bench_case_free(bench_case *c)
{
    for (int i = 0; i < c->npeers; i++)
        peer_free(&c->peers[i]);
    for (int i = 0; c->s && i < c->groups; i++)
        sr_sparse_free(c->s[i]);
    free(c->s);
    free(c->w);
    free(c->x);
    free(c->round_s);
    free(c->pack_round_s);
}

void bench_cases_free(bench_case *cases, int n)
{
    for (int i = 0; cases && i < n; i++) {
        bench_case_free(&cases[i]);
        free((char *)cases[i].layer);
    }
    free(cases);
}

/* Lets one side's threads stop spinning before the next side runs: OpenBLAS's spin long;
 * MKL's (GNU OpenMP here), onnxruntime's (another process) and PoCL's briefly. Without
 * it a multithreaded peer run right after ours waits for cores PoCL's workers still hold
 * (seen: MKL's sparse product 1000x slower). */
static void settle(peer_kind kind)
{
    if (kind == PEER_SCIPY || kind == PEER_CLBLAST)
        return;
    const struct timespec ts = {0, (kind == PEER_OPENBLAS ? 200 : 50) * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static sr_code run_ours(sr_cl *cl, bench_case *c, int round, const bench_config *cfg, sr_err *err)
{
    sr_spmm_operand ops[64], *op = c->groups <= 64 ? ops : malloc((size_t)c->groups * sizeof *op);
    if (!op)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d groups", c->groups);
    for (int g = 0; g < c->groups; g++)
        op[g] = (sr_spmm_operand){c->s[g], c->w + (size_t)g * c->m * c->k, c->x + (size_t)g * c->k * c->n};
    sr_spmm_result res;
    sr_cli_progress("round %d: %s %dx%dx%d, ours", round + 1, c->id, c->m, c->k, c->n);
    sr_code code = sr_spmm_run_groups(cl, op, c->groups, c->n, &c->kp, cfg->reps, c->row_step, 0.0, &res, err);
    if (op != ops)
        free(op);
    if (code != SR_OK)
        return sr_err_prefix(err, "%s (%s %dx%dx%d)", c->id, c->pattern, c->m, c->k, c->n);
    c->pack_round_s[c->rounds] = res.pack_s;
    c->round_s[c->rounds++] = res.time.median_s;
    c->wallclock |= res.time.wallclock;
    c->packed = res.launches > c->groups; /* a pack launch beside each group's kernel */
    snprintf(c->params, sizeof c->params, "%s", res.params);
    return SR_OK;
}

/* The peers are timed with the device's cores held awake, as ours are (bench/spmm.c): in
 * this virtual machine a core left idle halts, and MKL's sgemm at 1024x512x196 after 50
 * ms of sleep then took 8 ms a call instead of 0.7 in 90 of 120 calls (3 of 120 with the
 * cores held awake). The threads yield to any other, onnxruntime's process included. */
static void run_peers(bench_case *c, int round, const bench_config *cfg, const char *device_type)
{
    for (int i = 0; i < c->npeers; i++) {
        bench_peer *p = &c->peers[i];
        if (!p->usable)
            continue;
        sr_cli_progress("round %d: %s %dx%dx%d, %s", round + 1, c->id, c->m, c->k, c->n, peer_name(p->kind));
        const int verify = round == 0 || round == cfg->rounds - 1;
        double t = 0;
        sr_err err = {0};
        const int openmp = p->kind == PEER_MKL_GEMM || p->kind == PEER_MKL_CSR || p->kind == PEER_MKL_BSR ||
                           p->kind == PEER_PLAIN_CSR;
        sr_keep_awake *awake = sr_keep_awake_start(device_type);
        if (openmp)
            openmp_bind_enter();
        const sr_code code = peer_round(p, c, cfg, cfg->reps, verify, &t, &err);
        if (openmp)
            openmp_bind_leave();
        sr_keep_awake_stop(awake);
        if (code != SR_OK) {
            p->usable = 0;
            snprintf(p->note, sizeof p->note, "failed: %s", err.msg);
            continue;
        }
        p->round_s[p->rounds++] = t;
        settle(p->kind);
    }
}

sr_code bench_run_rounds(sr_cl *cl, bench_case *cases, int n, const bench_config *cfg, sr_err *err)
{
    const char *type = sr_cl_info(cl)->type;
    for (int r = 0; r < cfg->rounds; r++)
        for (int i = 0; i < n; i++) {
            if (cases[i].skipped[0])
                continue;
            if (r % 2)
                run_peers(&cases[i], r, cfg, type);
            sr_code code = run_ours(cl, &cases[i], r, cfg, err);
            if (code != SR_OK)
                return code;
            if (cases[i].npeers > 0)
                settle(PEER_KINDS); /* PoCL's workers */
            if (r % 2 == 0)
                run_peers(&cases[i], r, cfg, type);
        }
    for (int i = 0; i < n; i++) {
        cases[i].median_s = bench_median(cases[i].round_s, cases[i].rounds);
        cases[i].pack_median_s = bench_median(cases[i].pack_round_s, cases[i].rounds);
        for (int j = 0; j < cases[i].npeers; j++) {
            bench_peer *p = &cases[i].peers[j];
            p->median_s = p->usable ? bench_median(p->round_s, p->rounds) : 0.0;
        }
    }
    return SR_OK;
}
