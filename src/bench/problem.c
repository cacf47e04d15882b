/* Seeded benchmark problems: random (or given) weights and random inputs, pruned and
 * encoded per pattern, group by group. */
#include "bench/problem.h"

#include <stdlib.h>
#include <string.h>

sr_code sr_problem_make_groups(int m, int k, int n, int groups, const float *w, uint64_t seed, sr_problem *out,
                               sr_err *err)
{
    memset(out, 0, sizeof *out);
    if (m < 1 || k < 1 || n < 1 || groups < 1)
        return sr_err_set(err, SR_ERR_ARG, "problem %d x %d x %d in %d groups: every dimension must be at least 1",
                          m, k, n, groups);
    out->m = m, out->k = k, out->n = n, out->groups = groups;
    const size_t wn = (size_t)groups * m * k, xn = (size_t)groups * k * n;
    out->w_random = malloc(wn * sizeof *out->w_random);
    out->x = malloc(xn * sizeof *out->x);
    if (!out->w_random || !out->x) {
        sr_problem_free(out);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d groups of %d x %d weights and %d x %d inputs",
                          groups, m, k, k, n);
    }
    if (w)
        memcpy(out->w_random, w, wn * sizeof *w);
    else
        sr_dense_random(out->w_random, groups * m, k, seed);
    sr_dense_random(out->x, groups * k, n, seed ^ 0x9e3779b97f4a7c15ULL); /* a different stream from W's */
    return SR_OK;
}

sr_code sr_problem_make(int m, int k, int n, uint64_t seed, sr_problem *out, sr_err *err)
{
    return sr_problem_make_groups(m, k, n, 1, NULL, seed, out, err);
}

void sr_problem_free(sr_problem *p)
{
    free(p->w_random);
    free(p->x);
    p->w_random = p->x = NULL;
}

sr_code sr_problem_group_weights(const sr_problem *p, int g, const sr_pattern *pattern, double sparsity,
                                 sr_problem_weights *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    out->pruned = malloc((size_t)p->m * p->k * sizeof *out->pruned);
    if (!out->pruned)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for a %d x %d matrix", p->m, p->k);
    sr_code c = sr_prune(p->w_random + (size_t)g * p->m * p->k, p->m, p->k, pattern, sparsity, out->pruned, err);
    if (c == SR_OK)
        c = sr_sparse_from_dense(out->pruned, p->m, p->k, pattern, &out->w, err);
    if (c != SR_OK)
        sr_problem_weights_free(out);
    return c;
}

sr_code sr_problem_weights_make(const sr_problem *p, const sr_pattern *pattern, double sparsity,
                                sr_problem_weights *out, sr_err *err)
{
    return sr_problem_group_weights(p, 0, pattern, sparsity, out, err);
}

void sr_problem_weights_free(sr_problem_weights *w)
{
    free(w->pruned);
    sr_sparse_free(w->w);
    w->pruned = NULL;
    w->w = NULL;
}
