/* Encoding a dense matrix into the kernel layouts of format.h (dense, CSR, BSR, N:M),
 * decoding back, and the sizes of what is stored (actual and estimated in advance). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sparse/sparse_internal.h"

static int ceil_div(int a, int b) { return a / b + (a % b != 0); }

sr_code sr_sparse_check_shape(const sr_pattern *p, int m, int k, sr_err *err)
{
    if (!p)
        return sr_err_set(err, SR_ERR_ARG, "no sparsity pattern given");
    int br = 1, bc = 1;
    switch (p->kind) {
    case SR_PAT_DENSE:
    case SR_PAT_UNSTRUCTURED:
        break;
    case SR_PAT_BLOCK:
        if (!sr_block_side_valid(p->br) || !sr_block_side_valid(p->bc))
            return sr_err_set(err, SR_ERR_ARG,
                              "block %dx%d: block sides must be one of 1, 2, 4, 8, 16, 32", p->br, p->bc);
        br = p->br, bc = p->bc;
        break;
    case SR_PAT_NM:
        if (p->n < 1 || p->n >= p->m || p->m > SR_NM_MAX_M)
            return sr_err_set(err, SR_ERR_ARG, "pattern %d:%d: N:M needs 1 <= N < M <= %d", p->n, p->m,
                              SR_NM_MAX_M);
        bc = p->m;
        break;
    default:
        return sr_err_set(err, SR_ERR_ARG, "unknown pattern kind %d", (int)p->kind);
    }
    if (m <= 0 || k <= 0)
        return sr_err_set(err, SR_ERR_ARG, "matrix shape %dx%d: both dimensions must be positive", m, k);
    /* Indices and offsets (row pointers, value positions) are int32 in the kernels. */
    int64_t mp = (int64_t)ceil_div(m, br) * br, kp = (int64_t)ceil_div(k, bc) * bc;
    if (mp * kp > INT32_MAX) {
        char name[64], padded[160] = "";
        sr_pattern_name(p, name, sizeof name);
        if (mp != m || kp != k)
            snprintf(padded, sizeof padded, " (%lldx%lld once padded for %s)", (long long)mp,
                     (long long)kp, name);
        return sr_err_set(err, SR_ERR_ARG,
                          "matrix %dx%d%s has more than %d weights, beyond 32-bit indices", m, k,
                          padded, INT32_MAX);
    }
    return SR_OK;
}

/* malloc that never asks for 0 bytes (an empty format still gets valid pointers). */
static void *alloc_n(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static sr_code nomem(sr_err *err, const sr_sparse *s)
{
    char name[64];
    sr_pattern_name(&s->pattern, name, sizeof name);
    return sr_err_set(err, SR_ERR_NOMEM, "out of memory encoding a %dx%d matrix as %s", s->m, s->k, name);
}

static sr_code encode_dense(sr_sparse *s, const float *w, sr_err *err)
{
    s->nnz = s->values = (size_t)s->m * (size_t)s->k;
    if (!(s->vals = alloc_n(s->nnz, sizeof *s->vals)))
        return nomem(err, s);
    memcpy(s->vals, w, s->nnz * sizeof *s->vals);
    return SR_OK;
}

static sr_code encode_csr(sr_sparse *s, const float *w, sr_err *err)
{
    size_t total = (size_t)s->m * (size_t)s->k, nnz = 0;
    for (size_t i = 0; i < total; i++)
        nnz += w[i] != 0.0f;
    s->nnz = s->values = nnz;
    s->rowptr = alloc_n((size_t)s->m + 1, sizeof *s->rowptr);
    /* one slot more than nnz: every weight is written at `at`, which moves on only past
     * a nonzero (branch-free: where the nonzeros lie is as random as the weights) */
    s->colidx = alloc_n(nnz + 1, sizeof *s->colidx);
    s->vals = alloc_n(nnz + 1, sizeof *s->vals);
    if (!s->rowptr || !s->colidx || !s->vals)
        return nomem(err, s);
    int32_t at = 0; /* nnz <= m*k <= INT32_MAX (checked) */
    for (int i = 0; i < s->m; i++) {
        const float *row = w + (size_t)i * s->k;
        s->rowptr[i] = at;
        for (int j = 0; j < s->k; j++) {
            s->colidx[at] = j;
            s->vals[at] = row[j];
            at += row[j] != 0.0f;
        }
    }
    s->rowptr[s->m] = at;
    return SR_OK;
}

static sr_code encode_bsr(sr_sparse *s, const float *w, sr_err *err)
{
    int br = s->pattern.br, bc = s->pattern.bc, m = s->m, k = s->k;
    int mb = ceil_div(m, br), kb = ceil_div(k, bc);
    s->mp = mb * br;
    s->kp = kb * bc;
    /* Which blocks hold any nonzero, then the blocks themselves. */
    uint8_t *any = alloc_n((size_t)mb * kb, 1);
    s->rowptr = alloc_n((size_t)mb + 1, sizeof *s->rowptr);
    if (!any || !s->rowptr) {
        free(any);
        return nomem(err, s);
    }
    for (int i = 0; i < m; i++) {
        const float *row = w + (size_t)i * k;
        uint8_t *arow = any + (size_t)(i / br) * kb;
        for (int jb = 0, j0 = 0; jb < kb; jb++, j0 += bc)
            for (int j = j0; j < k && j < j0 + bc && !arow[jb]; j++)
                arow[jb] = row[j] != 0.0f;
    }
    size_t nb = 0;
    for (size_t b = 0; b < (size_t)mb * kb; b++)
        nb += any[b];
    size_t bsize = (size_t)br * bc;
    s->nblocks = nb;
    s->nnz = nb * bsize;
    s->colidx = alloc_n(nb, sizeof *s->colidx);
    s->vals = alloc_n(s->nnz, sizeof *s->vals); /* zeroed: the padding */
    if (!s->colidx || !s->vals) {
        free(any);
        return nomem(err, s);
    }
    int32_t at = 0;
    for (int ib = 0; ib < mb; ib++) {
        s->rowptr[ib] = at;
        for (int jb = 0; jb < kb; jb++) {
            if (!any[(size_t)ib * kb + jb])
                continue;
            s->colidx[at] = jb;
            /* a block at the bottom or right edge reaches past the matrix: padding */
            s->values += (size_t)(m - ib * br < br ? m - ib * br : br) *
                         (size_t)(k - jb * bc < bc ? k - jb * bc : bc);
            float *blk = s->vals + (size_t)at * bsize;
            for (int r = 0, i = ib * br; r < br && i < m; r++, i++)
                for (int c = 0, j = jb * bc; c < bc && j < k; c++, j++)
                    blk[r * bc + c] = w[(size_t)i * k + j];
            at++;
        }
    }
    s->rowptr[mb] = at;
    free(any);
    return SR_OK;
}

static sr_code encode_nm(sr_sparse *s, const float *w, sr_err *err)
{
    int n = s->pattern.n, g = s->pattern.m, k = s->k;
    s->groups = ceil_div(k, g);
    s->kp = s->groups * g;
    s->nnz = (size_t)s->m * s->groups * n;
    s->vals = alloc_n(s->nnz, sizeof *s->vals);
    s->idx = alloc_n(s->nnz, sizeof *s->idx);
    if (!s->vals || !s->idx)
        return nomem(err, s);
    size_t at = 0;
    for (int i = 0; i < s->m; i++) {
        const float *row = w + (size_t)i * k;
        for (int c0 = 0; c0 < k; c0 += g) {
            if (c0 + g <= k && n == 2 && g == 4) { /* a whole group of 2:4, unrolled and branch-free */
                const uint32_t mask = sr_nm_select(row, c0 + 4, c0, 2, 4);
                const int j0 = __builtin_ctz(mask), j1 = __builtin_ctz(mask & (mask - 1));
                s->idx[at] = (uint8_t)j0, s->vals[at++] = row[c0 + j0];
                s->idx[at] = (uint8_t)j1, s->vals[at++] = row[c0 + j1];
                s->values += 2;
                continue;
            }
            const uint32_t mask = sr_nm_select(row, k, c0, n, g);
            for (int j = 0; j < g; j++)
                if ((mask >> j) & 1) {
                    s->values += c0 + j < k; /* else padding past the last column */
                    s->idx[at] = (uint8_t)j;
                    s->vals[at++] = c0 + j < k ? row[c0 + j] : 0.0f;
                }
        }
    }
    return SR_OK;
}

sr_code sr_sparse_from_dense(const float *w, int m, int k, const sr_pattern *p,
                             sr_sparse **out, sr_err *err)
{
    if (!out)
        return sr_err_set(err, SR_ERR_ARG, "encoding a %dx%d matrix: nowhere to put the result", m, k);
    *out = NULL;
    sr_code rc = sr_sparse_check_shape(p, m, k, err);
    if (rc)
        return rc;
    if (!w)
        return sr_err_set(err, SR_ERR_ARG, "encoding a %dx%d matrix: no matrix given", m, k);
    sr_sparse *s = calloc(1, sizeof *s);
    if (!s)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory encoding a %dx%d matrix", m, k);
    s->pattern = *p;
    s->m = s->mp = m;
    s->k = s->kp = k;
    switch (p->kind) {
    case SR_PAT_DENSE: rc = encode_dense(s, w, err); break;
    case SR_PAT_UNSTRUCTURED: rc = encode_csr(s, w, err); break;
    case SR_PAT_BLOCK: rc = encode_bsr(s, w, err); break;
    case SR_PAT_NM: rc = encode_nm(s, w, err); break;
    }
    if (rc) {
        sr_sparse_free(s);
        return rc;
    }
    *out = s;
    return SR_OK;
}

void sr_sparse_to_dense(const sr_sparse *s, float *out)
{
    if (!s || !out)
        return;
    int m = s->m, k = s->k;
    size_t total = (size_t)m * (size_t)k;
    if (s->pattern.kind == SR_PAT_DENSE) {
        memcpy(out, s->vals, total * sizeof *out);
        return;
    }
    memset(out, 0, total * sizeof *out);
    switch (s->pattern.kind) {
    case SR_PAT_DENSE:
        break;
    case SR_PAT_UNSTRUCTURED:
        for (int i = 0; i < m; i++)
            for (int32_t q = s->rowptr[i]; q < s->rowptr[i + 1]; q++)
                out[(size_t)i * k + s->colidx[q]] = s->vals[q];
        break;
    case SR_PAT_BLOCK: {
        int br = s->pattern.br, bc = s->pattern.bc, mb = s->mp / br;
        for (int ib = 0; ib < mb; ib++)
            for (int32_t b = s->rowptr[ib]; b < s->rowptr[ib + 1]; b++) {
                const float *blk = s->vals + (size_t)b * br * bc;
                for (int r = 0, i = ib * br; r < br && i < m; r++, i++)
                    for (int c = 0, j = s->colidx[b] * bc; c < bc && j < k; c++, j++)
                        out[(size_t)i * k + j] = blk[r * bc + c];
            }
        break;
    }
    case SR_PAT_NM: {
        int n = s->pattern.n, g = s->pattern.m;
        size_t at = 0;
        for (int i = 0; i < m; i++)
            for (int c0 = 0; c0 < s->kp; c0 += g)
                for (int e = 0; e < n; e++, at++)
                    if (c0 + s->idx[at] < k)
                        out[(size_t)i * k + c0 + s->idx[at]] = s->vals[at];
        break;
    }
    }
}

void sr_sparse_free(sr_sparse *s)
{
    if (!s)
        return;
    free(s->rowptr);
    free(s->colidx);
    free(s->idx);
    free(s->vals);
    free(s);
}

size_t sr_sparse_weight_bytes(const sr_sparse *s)
{
    if (!s)
        return 0;
    const size_t v = sizeof(float), i = sizeof(int32_t);
    switch (s->pattern.kind) {
    case SR_PAT_DENSE: return (size_t)s->m * s->k * v;
    case SR_PAT_UNSTRUCTURED: return s->nnz * (v + i) + ((size_t)s->m + 1) * i;
    case SR_PAT_BLOCK:
        return s->nblocks * ((size_t)s->pattern.br * s->pattern.bc * v + i) +
               ((size_t)(s->mp / s->pattern.br) + 1) * i;
    case SR_PAT_NM: return s->nnz * (v + sizeof(uint8_t));
    }
    return 0;
}

double sr_sparse_density(const sr_sparse *s)
{
    if (!s || s->m <= 0 || s->k <= 0)
        return 0.0;
    return (double)s->values / ((double)s->m * (double)s->k);
}

static size_t sat_mul(size_t a, size_t b) { return b && a > SIZE_MAX / b ? SIZE_MAX : a * b; }
static size_t sat_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }
static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

/* At most ceil((1-s)*total)+1 of `total` items are kept (pruning keeps round(...)). */
static size_t kept_bound(double sparsity, size_t total)
{
    double b = ceil((1.0 - sparsity) * (double)total) + 1.0;
    return b >= (double)total ? total : (size_t)b;
}

void sr_sparse_estimate(const sr_pattern *p, int m, int k, double sparsity,
                        size_t *largest_bytes, size_t *total_bytes)
{
    size_t big = 0, all = 0;
    /* Out-of-range sparsity is taken at its most demanding (NaN and < 0 as 0). */
    double s = sparsity > 1.0 ? 1.0 : sparsity >= 0.0 ? sparsity : 0.0;
    const size_t v = sizeof(float), ix = sizeof(int32_t);
    if (p && m > 0 && k > 0) {
        size_t mm = (size_t)m, kk = (size_t)k;
        switch (p->kind) {
        case SR_PAT_DENSE:
            big = all = sat_mul(sat_mul(mm, kk), v);
            break;
        case SR_PAT_UNSTRUCTURED: {
            size_t vals = sat_mul(kept_bound(s, sat_mul(mm, kk)), v), ptr = sat_mul(mm + 1, ix);
            big = max_size(vals, ptr);
            all = sat_add(sat_add(vals, vals), ptr); /* colidx is as large as vals */
            break;
        }
        case SR_PAT_BLOCK: {
            if (p->br <= 0 || p->bc <= 0)
                break;
            size_t mb = (size_t)ceil_div(m, p->br), kb = (size_t)ceil_div(k, p->bc);
            size_t nb = kept_bound(s, sat_mul(mb, kb));
            size_t vals = sat_mul(sat_mul(nb, (size_t)p->br * p->bc), v);
            size_t ptr = sat_mul(mb + 1, ix);
            big = max_size(vals, ptr);
            all = sat_add(sat_add(vals, sat_mul(nb, ix)), ptr);
            break;
        }
        case SR_PAT_NM: {
            if (p->m <= 0 || p->n <= 0)
                break;
            size_t nnz = sat_mul(sat_mul(mm, (size_t)ceil_div(k, p->m)), (size_t)p->n);
            big = sat_mul(nnz, v);
            all = sat_mul(nnz, v + sizeof(uint8_t));
            break;
        }
        }
    }
    if (largest_bytes)
        *largest_bytes = big;
    if (total_bytes)
        *total_bytes = all;
}
