/* Intel MKL's dense and sparse products, as a CPU user would call them: the single
 * dynamic library mkl_rt (from PyPI, see tools/install-deps --peers), GNU OpenMP
 * threading (the process already holds libgomp for the plain-C peer: one OpenMP runtime,
 * not two; MKL_THREADING_LAYER in the environment overrides), as many threads as the
 * OpenCL device has compute units. The sparse handles point into the case's own CSR or
 * BSR arrays (MKL takes them zero-based, 32-bit: the LP64 interface).
 * cblas_sgemm is also OpenBLAS's name, and the process may hold both libraries: MKL's is
 * looked up in mkl_rt itself (dlsym on its handle), never through the global scope. */
#include "peer_mkl.h"

#include <dlfcn.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/timing.h"

#ifdef HAVE_MKL
#include <mkl.h>

typedef void (*sgemm_fn)(const CBLAS_LAYOUT, const CBLAS_TRANSPOSE, const CBLAS_TRANSPOSE, const MKL_INT,
                         const MKL_INT, const MKL_INT, const float, const float *, const MKL_INT, const float *,
                         const MKL_INT, const float, float *, const MKL_INT);

struct peer_mkl {
    peer_kind kind;
    sgemm_fn sgemm;     /* MKL's own cblas_sgemm */
    int groups;
    sparse_matrix_t *a; /* sparse: one handle per group */
    float *xpad;        /* BSR: X with k rounded up to whole blocks (zeros below), per group */
    float *ypad;        /* BSR: Y with m rounded up to whole blocks */
    sr_sparse **csr;    /* CSR made from N:M weights (handles may point into it) */
    int kp, mp;
};

static const struct matrix_descr general = {.type = SPARSE_MATRIX_TYPE_GENERAL,
                                            .mode = SPARSE_FILL_MODE_FULL,
                                            .diag = SPARSE_DIAG_NON_UNIT};

static const char *status_name(sparse_status_t s)
{
    switch (s) {
    case SPARSE_STATUS_SUCCESS: return "success";
    case SPARSE_STATUS_NOT_INITIALIZED: return "not initialized";
    case SPARSE_STATUS_ALLOC_FAILED: return "allocation failed";
    case SPARSE_STATUS_INVALID_VALUE: return "invalid value";
    case SPARSE_STATUS_EXECUTION_FAILED: return "execution failed";
    case SPARSE_STATUS_INTERNAL_ERROR: return "internal error";
    case SPARSE_STATUS_NOT_SUPPORTED: return "not supported";
    }
    return "unknown status";
}

/* Threading is chosen once, before any other MKL call. */
static void mkl_start(int threads)
{
    static int started;
    if (!started && !getenv("MKL_THREADING_LAYER"))
        mkl_set_threading_layer(MKL_THREADING_GNU);
    started = 1;
    mkl_set_num_threads(threads);
}

/* MKL's own cblas_sgemm, from its handle (NULL if not found). */
static sgemm_fn own_sgemm(void)
{
    void *h = dlopen(SR_MKL_RT, RTLD_NOW | RTLD_LOCAL); /* the library already linked */
    void *sym = h ? dlsym(h, "cblas_sgemm") : NULL;
    sgemm_fn f;
    memcpy(&f, &sym, sizeof f); /* ISO C has no object-to-function pointer cast */
    return f;
}

int peer_mkl_owns_cblas(void)
{
    void *global = dlsym(dlopen(NULL, RTLD_NOW), "cblas_sgemm");
    sgemm_fn g, own = own_sgemm();
    memcpy(&g, &global, sizeof g);
    return own && g == own;
}

static sparse_status_t make_handle(peer_mkl *p, const sr_sparse *s, sparse_matrix_t *a)
{
    if (p->kind == PEER_MKL_CSR)
        return mkl_sparse_s_create_csr(a, SPARSE_INDEX_BASE_ZERO, s->m, s->k, s->rowptr, s->rowptr + 1, s->colidx,
                                       s->vals);
    return mkl_sparse_s_create_bsr(a, SPARSE_INDEX_BASE_ZERO, SPARSE_LAYOUT_ROW_MAJOR, s->mp / s->pattern.br,
                                   s->kp / s->pattern.bc, s->pattern.br, s->rowptr, s->rowptr + 1, s->colidx,
                                   s->vals);
}

peer_mkl *peer_mkl_create(peer_kind kind, const bench_case *c, int threads, double *setup_s, char *note,
                          size_t note_size, sr_err *err)
{
    *setup_s = 0;
    if (kind == PEER_MKL_CSR && c->pat.kind == SR_PAT_BLOCK) {
        sr_err_set(err, SR_ERR_ARG, "MKL CSR takes CSR weights, the case holds BSR");
        return NULL;
    }
    if (kind == PEER_MKL_BSR && (c->pat.kind != SR_PAT_BLOCK || c->pat.br != c->pat.bc)) {
        sr_err_set(err, SR_ERR_ARG, "n/a: MKL's BSR takes square blocks only");
        return NULL;
    }
    peer_mkl *p = calloc(1, sizeof *p);
    if (!p) {
        sr_err_set(err, SR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->kind = kind;
    p->groups = c->groups;
    mkl_start(threads);
    char ver[200];
    mkl_get_version_string(ver, sizeof ver);
    char *trim = strstr(ver, " for ");
    if (trim)
        *trim = '\0';
    if (kind == PEER_MKL_GEMM) {
        if (!(p->sgemm = own_sgemm())) {
            sr_err_set(err, SR_ERR_ARG, "failed: no cblas_sgemm in %s", SR_MKL_RT);
            peer_mkl_free(p);
            return NULL;
        }
        snprintf(note, note_size, "cblas_sgemm, %d threads, %s", threads, ver);
        return p;
    }
    /* N:M and unstructured weights go to CSR: the N:M format stores explicit zeros of
     * groups with fewer nonzeros, CSR only the nonzeros, so decode it */
    sr_sparse **src = c->s, **csr = NULL;
    sr_code code = SR_OK;
    if (kind == PEER_MKL_CSR && c->pat.kind != SR_PAT_UNSTRUCTURED) {
        const sr_pattern u = {.kind = SR_PAT_UNSTRUCTURED};
        csr = calloc((size_t)c->groups, sizeof *csr);
        for (int g = 0; csr && g < c->groups && code == SR_OK; g++)
            code = sr_sparse_from_dense(c->w + (size_t)g * c->m * c->k, c->m, c->k, &u, &csr[g], err);
        if (!csr)
            code = sr_err_set(err, SR_ERR_NOMEM, "out of memory");
        src = p->csr = csr;
    }
    p->a = calloc((size_t)c->groups, sizeof *p->a);
    if (kind == PEER_MKL_BSR) {
        p->kp = c->s[0]->kp;
        p->mp = c->s[0]->mp;
        p->xpad = bench_floats((size_t)c->groups * p->kp * c->n, 1);
        p->ypad = bench_floats((size_t)p->mp * c->n, 0);
        for (int g = 0; p->xpad && g < c->groups; g++)
            memcpy(p->xpad + (size_t)g * p->kp * c->n, c->x + (size_t)g * c->k * c->n,
                   (size_t)c->k * c->n * sizeof(float));
    }
    if (code == SR_OK && (!p->a || (kind == PEER_MKL_BSR && (!p->xpad || !p->ypad))))
        code = sr_err_set(err, SR_ERR_NOMEM, "out of memory");
    const double t0 = sr_wall_seconds();
    for (int g = 0; g < c->groups && code == SR_OK; g++) {
        sparse_status_t st = make_handle(p, src[g], &p->a[g]);
        const char *what = "create";
        if (st == SPARSE_STATUS_SUCCESS && (what = "set_mm_hint",
            st = mkl_sparse_set_mm_hint(p->a[g], SPARSE_OPERATION_NON_TRANSPOSE, general, SPARSE_LAYOUT_ROW_MAJOR,
                                        c->n, 1000)) == SPARSE_STATUS_SUCCESS)
            what = "optimize", st = mkl_sparse_optimize(p->a[g]);
        if (st != SPARSE_STATUS_SUCCESS)
            code = sr_err_set(err, SR_ERR_ARG, "mkl_sparse_%s: %s", what, status_name(st));
    }
    *setup_s = sr_wall_seconds() - t0;
    if (code != SR_OK) {
        peer_mkl_free(p);
        return NULL;
    }
    snprintf(note, note_size, "mkl_sparse_s_mm on %s%s, row-major, mm hint + optimize (%.3g ms apart), %d threads, %s",
             kind == PEER_MKL_BSR ? "BSR" : "CSR", c->pat.kind == SR_PAT_NM ? " (the N:M weights)" : "",
             *setup_s * 1e3, threads, ver);
    return p;
}

sr_code peer_mkl_run(peer_mkl *p, const bench_case *c, float *y, sr_err *err)
{
    const size_t mk = (size_t)c->m * c->k, kn = (size_t)c->k * c->n, mn = (size_t)c->m * c->n;
    for (int g = 0; g < p->groups; g++) {
        if (p->kind == PEER_MKL_GEMM) {
            p->sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, c->m, c->n, c->k, 1.0f, c->w + g * mk, c->k,
                     c->x + g * kn, c->n, 0.0f, y + g * mn, c->n);
            continue;
        }
        const int bsr = p->kind == PEER_MKL_BSR;
        const float *x = bsr ? p->xpad + (size_t)g * p->kp * c->n : c->x + g * kn;
        float *out = bsr && p->mp != c->m ? p->ypad : y + g * mn;
        sparse_status_t st = mkl_sparse_s_mm(SPARSE_OPERATION_NON_TRANSPOSE, 1.0f, p->a[g], general,
                                             SPARSE_LAYOUT_ROW_MAJOR, x, c->n, c->n, 0.0f, out, c->n);
        if (st != SPARSE_STATUS_SUCCESS)
            return sr_err_set(err, SR_ERR_ARG, "mkl_sparse_s_mm: %s", status_name(st));
        if (out != y + g * mn) /* the padding rows of the last block row dropped */
            memcpy(y + g * mn, out, mn * sizeof *y);
    }
    return SR_OK;
}

void peer_mkl_free(peer_mkl *p)
{
    if (!p)
        return;
    for (int g = 0; p->a && g < p->groups; g++)
        if (p->a[g])
            mkl_sparse_destroy(p->a[g]);
    for (int g = 0; p->csr && g < p->groups; g++)
        sr_sparse_free(p->csr[g]);
    free(p->csr);
    free(p->a);
    free(p->xpad);
    free(p->ypad);
    free(p);
}

#else

struct peer_mkl {
    int unused;
};

peer_mkl *peer_mkl_create(peer_kind kind, const bench_case *c, int threads, double *setup_s, char *note,
                          size_t note_size, sr_err *err)
{
    (void)kind;
    (void)c;
    (void)threads;
    (void)note;
    (void)note_size;
    *setup_s = 0;
    sr_err_set(err, SR_ERR_ARG, "n/a: built without MKL (tools/install-deps --peers)");
    return NULL;
}

sr_code peer_mkl_run(peer_mkl *p, const bench_case *c, float *y, sr_err *err)
{
    (void)p;
    (void)c;
    (void)y;
    return sr_err_set(err, SR_ERR_ARG, "built without MKL");
}

void peer_mkl_free(peer_mkl *p) { (void)p; }

int peer_mkl_owns_cblas(void) { return 0; }

#endif
