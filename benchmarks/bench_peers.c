/* The benchmark's peers: OpenBLAS cblas_sgemm on the host (threads = the OpenCL device's
 * compute units), CLBlast's SGEMM on the same OpenCL context and queue as ours, SciPy's
 * CSR product through benchmarks/scipy_csr.py fed with the very matrices ours runs, our
 * CSR algorithm in plain C (peer_plain_csr.c: what the CPU gives it without OpenCL),
 * Intel MKL's dense and sparse products (peer_mkl.c) and onnxruntime (peer_ort.c). Each
 * output is checked against the CPU reference, so a broken peer cannot flatter us. The
 * peers in this process time by the wall clock (CLBlast may launch several kernels;
 * OpenBLAS and MKL have no events), after a warm-up of at least 2 ms as ours gets; SciPy
 * and onnxruntime time themselves in Python, interpreter start-up left out. A grouped
 * layer's peers run every group (those that take one product only say n/a). */
#include "bench.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/reference.h"
#include "bench/timing.h"
#include "peer_mkl.h"
#include "peer_ort.h"

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
    char dir[64];         /* SciPy, onnxruntime: the files they read and write */
    peer_mkl *mkl;
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
    case PEER_MKL_GEMM: return "MKL sgemm";
    case PEER_MKL_CSR: return "MKL CSR";
    case PEER_MKL_BSR: return "MKL BSR";
    case PEER_ORT: return "onnxruntime";
    case PEER_KINDS: break;
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

static const char *peer_files[] = {"rowptr.i32", "colidx.i32", "vals.f32", "w.f32", "x.f32", "y.f32"};

/* A fresh temporary directory for a peer's files; 0 (and the peer disabled) if none. */
static int make_dir(bench_peer *p)
{
    peer_state *st = p->state;
    snprintf(st->dir, sizeof st->dir, "/tmp/sr-bench-XXXXXX");
    if (mkdtemp(st->dir))
        return 1;
    st->dir[0] = '\0';
    disable(p, "n/a: cannot create a temporary directory for %s's input", peer_name(p->kind));
    return 0;
}

/* Reads the m x n Y a peer left in its directory. */
static sr_code read_y(const bench_peer *p, const bench_case *c, sr_err *err)
{
    char path[128];
    snprintf(path, sizeof path, "%s/y.f32", p->state->dir);
    FILE *yf = fopen(path, "rb");
    const size_t want = (size_t)c->m * c->n;
    const size_t got = yf ? fread(p->state->y, sizeof(float), want, yf) : 0;
    if (yf)
        fclose(yf);
    if (got != want)
        return sr_err_set(err, SR_ERR_IO, "%s left %zu of %zu values in %s", peer_name(p->kind), got, want, path);
    return SR_OK;
}

/* A peer that runs one product only. */
static int one_group(bench_peer *p, const bench_case *c)
{
    if (c->groups == 1)
        return 1;
    snprintf(p->note, sizeof p->note, "n/a: runs one product, the layer has %d groups", c->groups);
    p->usable = 0;
    return 0;
}

static void scipy_setup(bench_peer *p, const bench_case *c, const bench_config *cfg)
{
    if (c->pat.kind != SR_PAT_UNSTRUCTURED) {
        disable(p, "%s", "SciPy peer is for CSR only");
        return;
    }
    if (!one_group(p, c))
        return;
    if (!cfg->python) {
        disable(p, "%s", "n/a: no python3 that imports scipy (tools/install-deps --peers)");
        return;
    }
    if (!cfg->scipy_script || access(cfg->scipy_script, R_OK) != 0) {
        disable(p, "n/a: cannot read %s", cfg->scipy_script ? cfg->scipy_script : "scipy_csr.py");
        return;
    }
    peer_state *st = p->state;
    if (!make_dir(p))
        return;
    const sr_sparse *s = c->s[0];
    if (!write_file(st->dir, "rowptr.i32", s->rowptr, (size_t)(s->m + 1) * sizeof(int32_t)) ||
        !write_file(st->dir, "colidx.i32", s->colidx, s->nnz * sizeof(int32_t)) ||
        !write_file(st->dir, "vals.f32", s->vals, s->nnz * sizeof(float)) ||
        !write_file(st->dir, "x.f32", c->x, (size_t)c->k * c->n * sizeof(float))) {
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
    return verify ? read_y(p, c, err) : SR_OK;
}

static void ort_setup(bench_peer *p, const bench_case *c, const bench_config *cfg)
{
    if (!one_group(p, c) || !make_dir(p))
        return;
    peer_state *st = p->state;
    if (!write_file(st->dir, "w.f32", c->w, (size_t)c->m * c->k * sizeof(float)) ||
        !write_file(st->dir, "x.f32", c->x, (size_t)c->k * c->n * sizeof(float))) {
        disable(p, "n/a: cannot write onnxruntime's input under %s", st->dir);
        return;
    }
    sr_err err = {0};
    if (peer_ort_load(cfg, st->dir, c, &p->setup_s, p->note, sizeof p->note, &err) != SR_OK)
        disable(p, "%s", err.msg);
}

static void mkl_setup(bench_peer *p, const bench_case *c, const bench_config *cfg)
{
    sr_err err = {0};
    if (!(p->state->mkl = peer_mkl_create(p->kind, c, cfg->threads, &p->setup_s, p->note, sizeof p->note, &err)))
        disable(p, "%s", err.msg);
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
    if (!one_group(p, c))
        return;
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
    if (!one_group(p, c))
        return;
#ifdef HAVE_PLAIN_CSR
    sr_err err = {0};
    omp_set_num_threads(cfg->threads);
    if (!(p->state->plain = plain_csr_create(c->s[0], c->n, &err))) {
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
        p->state->y = bench_floats((size_t)c->groups * c->m * c->n, 0);
    if (!p->round_s || !p->state || !p->state->y) {
        disable(p, "%s", "failed: out of memory");
        return;
    }
    switch (p->kind) {
    case PEER_OPENBLAS:
#ifdef HAVE_OPENBLAS
        if (peer_mkl_owns_cblas()) { /* link order put MKL first: this would time MKL */
            disable(p, "%s", "n/a: cblas_sgemm binds to MKL's in this build");
            break;
        }
        openblas_set_num_threads(cfg->threads);
        snprintf(p->note, sizeof p->note, "cblas_sgemm, %d threads", cfg->threads);
#else
        disable(p, "%s", "n/a: built without OpenBLAS (libopenblas-dev)");
#endif
        break;
    case PEER_CLBLAST: clblast_setup(p, cl, c); break;
    case PEER_SCIPY: scipy_setup(p, c, cfg); break;
    case PEER_PLAIN_CSR: plain_csr_setup(p, c, cfg); break;
    case PEER_MKL_GEMM:
    case PEER_MKL_CSR:
    case PEER_MKL_BSR: mkl_setup(p, c, cfg); break;
    case PEER_ORT: ort_setup(p, c, cfg); break;
    case PEER_KINDS: disable(p, "%s", "no such peer"); break;
    }
}

/* One product of an in-process peer, every group, into st->y. */
static sr_code run_once(bench_peer *p, const bench_case *c, sr_err *err)
{
    peer_state *st = p->state;
    switch (p->kind) {
    case PEER_OPENBLAS:
#ifdef HAVE_OPENBLAS
        for (int g = 0; g < c->groups; g++) {
            const size_t mk = (size_t)c->m * c->k, kn = (size_t)c->k * c->n, mn = (size_t)c->m * c->n;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c->m, c->n, c->k, 1.0f, c->w + g * mk, c->k,
                        c->x + g * kn, c->n, 0.0f, st->y + g * mn, c->n);
        }
#endif
        return SR_OK;
    case PEER_CLBLAST: {
#ifdef HAVE_CLBLAST
        double s = 0;
        return clblast_once(st, c, &s, err);
#else
        return SR_OK;
#endif
    }
    case PEER_PLAIN_CSR:
#ifdef HAVE_PLAIN_CSR
        plain_csr_run(st->plain, c->x, st->y);
#endif
        return SR_OK;
    case PEER_MKL_GEMM:
    case PEER_MKL_CSR:
    case PEER_MKL_BSR: return peer_mkl_run(st->mkl, c, st->y, err);
    default: return sr_err_set(err, SR_ERR_ARG, "%s does not run in this process", peer_name(p->kind));
    }
}

/* A warm-up of at least 2 ms (as ours gets, bench/spmm.c; it wakes the peer's threads)
 * and 3 products (MKL's first products after optimize are slow, the first ones far past
 * 2 ms), then reps products timed one by one by the wall clock. */
static sr_code time_in_process(bench_peer *p, const bench_case *c, int reps, int verify, double *median_s,
                               sr_err *err)
{
    double *t = calloc((size_t)reps, sizeof *t);
    if (!t)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory");
    sr_code code = SR_OK;
    const double t_warm = sr_wall_seconds() + 2e-3;
    for (int i = 0; code == SR_OK && (i < 3 || sr_wall_seconds() < t_warm); i++)
        code = run_once(p, c, err);
    for (int i = 0; i < reps && code == SR_OK; i++) {
        const double t0 = sr_wall_seconds();
        code = run_once(p, c, err);
        t[i] = sr_wall_seconds() - t0;
    }
    if (code == SR_OK)
        *median_s = sr_median(t, reps);
    free(t);
#ifdef HAVE_CLBLAST
    if (code == SR_OK && verify && p->kind == PEER_CLBLAST)
        code = sr_cl_read(p->state->cl, p->state->yb, (size_t)c->m * c->n * sizeof(float), p->state->y, "CLBlast Y",
                          err);
#else
    (void)verify;
#endif
    return code;
}

/* The peer's Y of every group against the CPU reference (every row_step-th row). */
static sr_code verify_peer(bench_peer *p, const bench_case *c, sr_err *err)
{
    const size_t mk = (size_t)c->m * c->k, kn = (size_t)c->k * c->n, mn = (size_t)c->m * c->n;
    for (int g = 0; g < c->groups; g++) {
        sr_verify_result vr;
        if (!sr_verify_spmm_rows(c->w + g * mk, c->x + g * kn, p->state->y + g * mn, c->m, c->k, c->n, c->row_step,
                                 &vr))
            return sr_err_set(err, SR_ERR_VERIFY,
                              "wrong result%s: %zu of %zu elements outside the fp32 bound (worst %.3g times it)",
                              c->groups > 1 ? " in a group" : "", vr.failed, vr.checked, vr.max_err_ratio);
    }
    p->verified = 1;
    return SR_OK;
}

sr_code peer_round(bench_peer *p, const bench_case *c, const bench_config *cfg, int reps, int verify,
                   double *median_s, sr_err *err)
{
    sr_code code;
    if (p->kind == PEER_SCIPY)
        code = scipy_round(p, c, cfg, reps, verify, median_s, err);
    else if (p->kind == PEER_ORT)
        code = peer_ort_run(p->state->dir, reps, verify, median_s, err);
    else
        code = time_in_process(p, c, reps, verify, median_s, err);
    if (code == SR_OK && verify && p->kind == PEER_ORT)
        code = read_y(p, c, err);
    if (code == SR_OK && verify)
        code = verify_peer(p, c, err);
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
            for (size_t i = 0; i < sizeof peer_files / sizeof *peer_files; i++) {
                char path[128];
                snprintf(path, sizeof path, "%s/%s", st->dir, peer_files[i]);
                unlink(path);
            }
            rmdir(st->dir);
        }
#ifdef HAVE_PLAIN_CSR
        plain_csr_free(st->plain);
#endif
        peer_mkl_free(st->mkl);
        free(st->y);
        free(st);
    }
    free(p->round_s);
    p->state = NULL;
    p->round_s = NULL;
}
