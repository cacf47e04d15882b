/* Magnitude pruning of a dense matrix to a sparsity pattern: the weights (or blocks, or
 * group members) of smallest magnitude become zero. out may be w itself. */
#include <math.h>
#include <stdlib.h>

#include "sparse/sparse_internal.h"

static uint64_t weight_key(const void *ctx, size_t i)
{
    return sr_mag_key(((const float *)ctx)[i]);
}

static uint64_t score_key(const void *ctx, size_t i)
{
    uint64_t u;
    memcpy(&u, (const double *)ctx + i, sizeof u);
    return u & UINT64_C(0x7fffffffffffffff);
}

/* round((1 - s) * total), the count the header promises; same expression as estimate. */
static size_t kept_count(double sparsity, size_t total)
{
    double keep = floor((1.0 - sparsity) * (double)total + 0.5);
    return keep <= 0 ? 0 : keep >= (double)total ? total : (size_t)keep;
}

static sr_code prune_unstructured(const float *w, size_t total, size_t keep, float *out,
                                  sr_err *err)
{
    uint64_t thr = 0;
    size_t ties = 0;
    if (keep == 0)
        thr = UINT64_MAX; /* no key reaches it */
    else if (keep < total) {
        sr_code rc = sr_select_top(weight_key, w, total, keep, 32, &thr, &ties, err);
        if (rc)
            return rc;
    }
    /* at or above the threshold in one branch-free (vectorised: 32-bit keys) pass; then
     * of those at it, all but the first `ties` dropped (out may be w: only out is read
     * again). keep == 0 keeps none: thr is then above every 32-bit key. */
    if (thr > UINT32_MAX) {
        memset(out, 0, total * sizeof *out);
        return SR_OK;
    }
    const uint32_t thr32 = (uint32_t)thr;
    for (size_t i = 0; i < total; i++)
        out[i] = sr_mag_key(w[i]) >= thr32 ? w[i] : 0.0f;
    for (size_t i = 0; i < total; i++)
        if (sr_mag_key(out[i]) == thr32 && !(ties > 0 && ties--))
            out[i] = 0.0f;
    return SR_OK;
}

static sr_code prune_block(const float *w, int m, int k, int br, int bc, double sparsity,
                           float *out, sr_err *err)
{
    int mb = (m + br - 1) / br, kb = (k + bc - 1) / bc;
    size_t nb = (size_t)mb * (size_t)kb, keep = kept_count(sparsity, nb);
    double *score = calloc(nb, sizeof *score);
    if (!score)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory scoring %zu blocks of %dx%d", nb, br, bc);
    for (int i = 0; i < m; i++) {
        const float *row = w + (size_t)i * k;
        double *srow = score + (size_t)(i / br) * kb;
        for (int jb = 0, j0 = 0; jb < kb; jb++, j0 += bc)
            for (int j = j0; j < k && j < j0 + bc; j++)
                srow[jb] += fabs((double)row[j]);
    }
    uint64_t thr = 0;
    size_t ties = 0;
    if (keep == 0) {
        thr = UINT64_MAX;
    } else if (keep < nb) {
        sr_code rc = sr_select_top(score_key, score, nb, keep, 64, &thr, &ties, err);
        if (rc) {
            free(score);
            return rc;
        }
    }
    /* Decide block by block in index order (ties to the lower block); the score array
     * then holds 1 for a kept block, 0 for a dropped one. */
    for (size_t b = 0; b < nb; b++) {
        uint64_t key = score_key(score, b);
        score[b] = key > thr || (key == thr && ties > 0 && ties--);
    }
    for (int i = 0; i < m; i++) {
        const float *row = w + (size_t)i * k;
        float *orow = out + (size_t)i * k;
        const double *krow = score + (size_t)(i / br) * kb;
        for (int jb = 0, j0 = 0; jb < kb; jb++, j0 += bc)
            for (int j = j0; j < k && j < j0 + bc; j++)
                orow[j] = krow[jb] != 0.0 ? row[j] : 0.0f;
    }
    free(score);
    return SR_OK;
}

static void prune_nm(const float *w, int m, int k, int n, int g, float *out)
{
    for (int i = 0; i < m; i++) {
        const float *row = w + (size_t)i * k;
        float *orow = out + (size_t)i * k;
        int c0 = 0;
        /* whole groups of M = 4 (2:4, 1:4) spelled out, so that the selection unrolls */
        for (; g == 4 && c0 + 4 <= k; c0 += 4) {
            const uint32_t mask = sr_nm_select(row, c0 + 4, c0, n, 4);
            for (int j = 0; j < 4; j++)
                orow[c0 + j] = (mask >> j) & 1 ? row[c0 + j] : 0.0f;
        }
        for (; c0 < k; c0 += g) {
            const uint32_t mask = sr_nm_select(row, k, c0, n, g);
            for (int j = 0; j < g && c0 + j < k; j++)
                orow[c0 + j] = (mask >> j) & 1 ? row[c0 + j] : 0.0f;
        }
    }
}

sr_code sr_prune(const float *w, int m, int k, const sr_pattern *p, double sparsity,
                 float *out, sr_err *err)
{
    sr_code rc = sr_sparse_check_shape(p, m, k, err);
    if (rc)
        return rc;
    if (!w || !out)
        return sr_err_set(err, SR_ERR_ARG, "pruning a %dx%d matrix: no %s matrix given", m, k,
                          !w ? "input" : "output");
    if (!(sparsity >= 0.0 && sparsity <= 1.0)) /* also refuses NaN */
        return sr_err_set(err, SR_ERR_ARG, "sparsity %g is not in [0, 1]", sparsity);
    size_t total = (size_t)m * (size_t)k;
    /* a NaN's magnitude key lies above infinity's: one branch-free pass finds whether any */
    uint32_t top = 0;
    for (size_t i = 0; i < total; i++)
        top = sr_mag_key(w[i]) > top ? sr_mag_key(w[i]) : top;
    for (size_t i = 0; top > 0x7f800000u && i < total; i++)
        if (isnan(w[i]))
            return sr_err_set(err, SR_ERR_ARG, "weight at row %zu, column %zu is NaN: cannot rank it",
                              i / (size_t)k, i % (size_t)k);
    switch (p->kind) {
    case SR_PAT_DENSE:
        memmove(out, w, total * sizeof *out);
        return SR_OK;
    case SR_PAT_UNSTRUCTURED:
        return prune_unstructured(w, total, kept_count(sparsity, total), out, err);
    case SR_PAT_BLOCK:
        return prune_block(w, m, k, p->br, p->bc, sparsity, out, err);
    case SR_PAT_NM:
        prune_nm(w, m, k, p->n, p->m, out);
        return SR_OK;
    }
    return sr_err_set(err, SR_ERR_ARG, "unknown pattern kind %d", (int)p->kind);
}
