/* The benchmark's peers: OpenBLAS cblas_sgemm on the host (threads = the OpenCL device's
 * compute units), CLBlast's SGEMM on the same OpenCL context and queue as ours, SciPy's
 * CSR product through benchmarks/scipy_csr.py fed with the very matrices ours runs, and
 * our CSR algorithm in plain C (peer_plain_csr.c: what the CPU gives it without OpenCL). Each output is checked against the CPU reference, so a broken peer cannot flatter
 * us. Peers time by the wall clock (CLBlast may launch several kernels; OpenBLAS has no
 * events); SciPy times itself in Python, interpreter start-up left out. */
#include "bench.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/reference.h"
#include "bench/timing.h"

#ifdef HAVE_OPENBLAS
#include <cblas.h>
#endif
#ifdef HAVE_CLBLAST
#include <clblast_c.h>
#endif
#ifdef HAVE_PLAIN_CSR
#include <omp.h>

#include "peer_plain_csr.h"
#endif

struct peer_state {
    float *y;             /* the peer's output, m x n */
    sr_cl *cl;            /* CLBlast */
    cl_mem wb, xb, yb;
    char dir[64];         /* SciPy: the files it reads and writes */
#ifdef HAVE_PLAIN_CSR
    plain_csr *plain;
#endif
};

const char *peer_name(peer_kind kind)
{
    switch (kind) {
    case PEER_OPENBLAS: return "OpenBLAS";
    case PEER_CLBLAST: return "CLBlast";
    case PEER_SCIPY: return "SciPy CSR";
    case PEER_PLAIN_CSR: return "plain C, same algorithm";
    }
    return "?";
}

static void disable(bench_peer *p, const char *fmt, const char *detail)
{
    p->usable = 0;
    snprintf(p->note, sizeof p->note, fmt, detail);
}

/* 'text' for the shell; 0 if it holds a quote (refused rather than escaped). */
static int shell_quote(const char *text, char *buf, size_t size)
{
    if (strchr(text, '\'') || (size_t)snprintf(buf, size, "'%s'", text) >= size)
        return 0;
    return 1;
}

const char *peer_find_python(const char *want)
{
    static char found[512];
    const char *cands[] = {want, "python3", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
        char q[512], cmd[700];
        if (!cands[i] || !shell_quote(cands[i], q, sizeof q))
            continue;
        snprintf(cmd, sizeof cmd, "%s -c 'import scipy.sparse, numpy' >/dev/null 2>&1", q);
        if (system(cmd) == 0) {
            snprintf(found, sizeof found, "%s", cands[i]);
            return found;
        }
        if (want && i == 0)
            return NULL; /* asked for this one: do not substitute another */
    }
    return NULL;
}

static int write_file(const char *dir, const char *name, const void *data, size_t bytes)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    const int ok = fwrite(data, 1, bytes, f) == bytes;
    return fclose(f) == 0 && ok;
}

static const char *scipy_files[] = {"rowptr.i32", "colidx.i32", "vals.f32", "x.f32", "y.f32"};

static void scipy_setup(bench_peer *p, const bench_case *c, const bench_config *cfg)
{
    if (c->pat.kind != SR_PAT_UNSTRUCTURED) {
        disable(p, "%s", "SciPy peer is for CSR only");
        return;
    }
    if (!cfg->python) {
        disable(p, "%s", "n/a: no python3 that imports scipy (tools/install-deps --peers)");
        return;
    }
    if (!cfg->scipy_script || access(cfg->scipy_script, R_OK) != 0) {
        disable(p, "n/a: cannot read %s", cfg->scipy_script ? cfg->scipy_script : "scipy_csr.py");
        return;
    }
    peer_state *st = p->state;
    snprintf(st->dir, sizeof st->dir, "/tmp/sr-bench-XXXXXX");
    if (!mkdtemp(st->dir)) {
        st->dir[0] = '\0';
        disable(p, "%s", "n/a: cannot create a temporary directory for SciPy's input");
        return;
    }
    const sr_sparse *s = c->s;
    if (!write_file(st->dir, scipy_files[0], s->rowptr, (size_t)(s->m + 1) * sizeof(int32_t)) ||
        !write_file(st->dir, scipy_files[1], s->colidx, s->nnz * sizeof(int32_t)) ||
        !write_file(st->dir, scipy_files[2], s->vals, s->nnz * sizeof(float)) ||
        !write_file(st->dir, scipy_files[3], c->x, (size_t)c->k * c->n * sizeof(float))) {
        disable(p, "n/a: cannot write SciPy's input under %s", st->dir);
        return;
    }
    snprintf(p->note, sizeof p->note, "%s, 1 thread", cfg->python);
}

static sr_code scipy_round(bench_peer *p, const bench_case *c, const bench_config *cfg, int reps,
                           int verify, double *median_s, sr_err *err)
{
    char py[512], script[1024], cmd[2048];
    if (!shell_quote(cfg->python, py, sizeof py) || !shell_quote(cfg->scipy_script, script, sizeof script))
        return sr_err_set(err, SR_ERR_ARG, "python or script path holds a quote: %s %s", cfg->python,
                          cfg->scipy_script);
    snprintf(cmd, sizeof cmd, "%s %s --load %s --m %d --k %d --n %d --reps %d%s", py, script, p->state->dir, c->m,
             c->k, c->n, reps, verify ? " --save-y" : "");
    FILE *f = popen(cmd, "r");
    if (!f)
        return sr_err_set(err, SR_ERR_IO, "cannot run %s", cmd);
    char out[8192];
    size_t len = fread(out, 1, sizeof out - 1, f);
    out[len] = '\0';
    const int status = pclose(f);
    if (status != 0)
        return sr_err_set(err, SR_ERR_IO, "%s exited with status %d", cmd, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    json_object *j = json_tokener_parse(out), *med = NULL;
    if (!j || !json_object_object_get_ex(j, "median_s", &med)) {
        json_object_put(j);
        return sr_err_set(err, SR_ERR_FORMAT, "scipy_csr.py printed no median_s: %.200s", out);
    }
    *median_s = json_object_get_double(med);
    json_object_put(j);
    if (!verify)
        return SR_OK;
    char path[128];
    snprintf(path, sizeof path, "%s/y.f32", p->state->dir);
    FILE *yf = fopen(path, "rb");
    const size_t want = (size_t)c->m * c->n;
    const size_t got = yf ? fread(p->state->y, sizeof(float), want, yf) : 0;
    if (yf)
        fclose(yf);
    if (got != want)
        return sr_err_set(err, SR_ERR_IO, "scipy_csr.py left %zu of %zu values in %s", got, want, path);
    return SR_OK;
}

#ifdef HAVE_CLBLAST
static CLBlastStatusCode clblast_sgemm(peer_state *st, const bench_case *c, cl_event *ev)
{
    cl_command_queue q = sr_cl_queue(st->cl);
    return CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, (size_t)c->m,
                        (size_t)c->n, (size_t)c->k, 1.0f, st->wb, 0, (size_t)c->k, st->xb, 0, (size_t)c->n, 0.0f,
                        st->yb, 0, (size_t)c->n, &q, ev);
}

/* One SGEMM, waited for; its wall time. */
static sr_code clblast_once(peer_state *st, const bench_case *c, double *seconds, sr_err *err)
{
    cl_event ev = NULL;
    const double t0 = sr_wall_seconds();
    CLBlastStatusCode s = clblast_sgemm(st, c, &ev);
    sr_code code = s == CLBlastSuccess ? sr_cl_finish(st->cl, "CLBlastSgemm", err)
                                       : sr_err_set(err, SR_ERR_CL, "CLBlastSgemm returned status %d", (int)s);
    *seconds = sr_wall_seconds() - t0;
    if (ev)
        clReleaseEvent(ev);
    return code;
}
#endif

static void clblast_setup(bench_peer *p, sr_cl *cl, const bench_case *c)
{
#ifdef HAVE_CLBLAST
    peer_state *st = p->state;
    sr_err err = {0};
    double t = 0;
    st->cl = cl;
    const size_t wbytes = (size_t)c->m * c->k * 4, xbytes = (size_t)c->k * c->n * 4, ybytes = (size_t)c->m * c->n * 4;
    const cl_mem_flags ro = CL_MEM_READ_ONLY;
    if (sr_cl_buffer(cl, ro, wbytes, c->w, "CLBlast W", &st->wb, &err) != SR_OK ||
        sr_cl_buffer(cl, ro, xbytes, c->x, "CLBlast X", &st->xb, &err) != SR_OK ||
        sr_cl_buffer(cl, CL_MEM_READ_WRITE, ybytes, NULL, "CLBlast Y", &st->yb, &err) != SR_OK ||
        clblast_once(st, c, &t, &err) != SR_OK) { /* the first call builds its kernels */
        disable(p, "failed: %s", err.msg);
        return;
    }
    snprintf(p->note, sizeof p->note, "default parameters, same OpenCL queue");
#else
    (void)cl;
    (void)c;
    disable(p, "%s", "n/a: built without CLBlast (libclblast-dev)");
#endif
}

static void plain_csr_setup(bench_peer *p, const bench_case *c, const bench_config *cfg)
{
#ifdef HAVE_PLAIN_CSR
    sr_err err = {0};
    omp_set_num_threads(cfg->threads);
    if (!(p->state->plain = plain_csr_create(c->s, c->n, &err))) {
        disable(p, "failed: %s", err.msg);
        return;
    }
    snprintf(p->note, sizeof p->note, "OpenMP, %d threads, -O3 -march=native, FMA contraction", cfg->threads);
#else
    (void)c;
    (void)cfg;
    disable(p, "%s", "n/a: built without OpenMP");
#endif
}

void peer_setup(bench_peer *p, sr_cl *cl, const bench_case *c, const bench_config *cfg)
{
    p->usable = 1;
    p->note[0] = '\0';
    p->round_s = calloc((size_t)cfg->rounds, sizeof *p->round_s);
    p->state = calloc(1, sizeof *p->state);
    if (p->state)
        p->state->y = malloc((size_t)c->m * c->n * sizeof(float));
    if (!p->round_s || !p->state || !p->state->y) {
        disable(p, "%s", "failed: out of memory");
        return;
    }
    switch (p->kind) {
    case PEER_OPENBLAS:
#ifdef HAVE_OPENBLAS
        openblas_set_num_threads(cfg->threads);
        snprintf(p->note, sizeof p->note, "cblas_sgemm, %d threads", cfg->threads);
#else
        disable(p, "%s", "n/a: built without OpenBLAS (libopenblas-dev)");
#endif
        break;
    case PEER_CLBLAST: clblast_setup(p, cl, c); break;
    case PEER_SCIPY: scipy_setup(p, c, cfg); break;
    case PEER_PLAIN_CSR: plain_csr_setup(p, c, cfg); break;
    }
}

sr_code peer_round(bench_peer *p, const bench_case *c, const bench_config *cfg, int reps, int verify,
                   double *median_s, sr_err *err)
{
    double *t = calloc((size_t)reps, sizeof *t);
    if (!t)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory");
    sr_code code = SR_OK;
    peer_state *st = p->state;
    switch (p->kind) {
    case PEER_OPENBLAS:
#ifdef HAVE_OPENBLAS
        for (int i = -1; i < reps; i++) { /* i = -1: warm-up (wakes OpenBLAS's threads) */
            const double t0 = sr_wall_seconds();
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c->m, c->n, c->k, 1.0f, c->w, c->k, c->x, c->n,
                        0.0f, st->y, c->n);
            if (i >= 0)
                t[i] = sr_wall_seconds() - t0;
        }
        *median_s = sr_median(t, reps);
#endif
        break;
    case PEER_CLBLAST:
#ifdef HAVE_CLBLAST
        for (int i = -1; i < reps && code == SR_OK; i++) {
            double s = 0;
            code = clblast_once(st, c, &s, err);
            if (i >= 0)
                t[i] = s;
        }
        if (code == SR_OK)
            *median_s = sr_median(t, reps);
        if (code == SR_OK && verify)
            code = sr_cl_read(st->cl, st->yb, (size_t)c->m * c->n * sizeof(float), st->y, "CLBlast Y", err);
#endif
        break;
    case PEER_SCIPY: code = scipy_round(p, c, cfg, reps, verify, median_s, err); break;
    case PEER_PLAIN_CSR:
#ifdef HAVE_PLAIN_CSR
        /* warm-up for at least 2 ms, as ours gets (bench/spmm.c) */
        for (const double t_warm = sr_wall_seconds() + 2e-3; sr_wall_seconds() < t_warm;)
            plain_csr_run(st->plain, c->x, st->y);
        for (int i = 0; i < reps; i++) {
            const double t0 = sr_wall_seconds();
            plain_csr_run(st->plain, c->x, st->y);
            t[i] = sr_wall_seconds() - t0;
        }
        *median_s = sr_median(t, reps);
#endif
        break;
    }
    free(t);
    if (code == SR_OK && verify) {
        sr_verify_result vr;
        if (!sr_verify_spmm(c->w, c->x, st->y, c->m, c->k, c->n, &vr))
            code = sr_err_set(err, SR_ERR_VERIFY,
                              "wrong result: %zu of %zu elements outside the fp32 bound (worst %.3g times it)",
                              vr.failed, vr.checked, vr.max_err_ratio);
        p->verified = code == SR_OK;
    }
    return code;
}

void peer_free(bench_peer *p)
{
    peer_state *st = p->state;
    if (st) {
        if (st->wb)
            clReleaseMemObject(st->wb);
        if (st->xb)
            clReleaseMemObject(st->xb);
        if (st->yb)
            clReleaseMemObject(st->yb);
        if (st->dir[0]) {
            for (size_t i = 0; i < sizeof scipy_files / sizeof *scipy_files; i++) {
                char path[128];
                snprintf(path, sizeof path, "%s/%s", st->dir, scipy_files[i]);
                unlink(path);
            }
            rmdir(st->dir);
        }
#ifdef HAVE_PLAIN_CSR
        plain_csr_free(st->plain);
#endif
        free(st->y);
        free(st);
    }
    free(p->round_s);
    p->state = NULL;
    p->round_s = NULL;
}
