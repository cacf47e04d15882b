/* Seeded benchmark problems: random weights and inputs, pruned and encoded per pattern. */
#include "bench/problem.h"

#include <stdlib.h>
#include <string.h>

sr_code sr_problem_make(int m, int k, int n, uint64_t seed, sr_problem *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    out->m = m, out->k = k, out->n = n;
    out->w_random = malloc((size_t)m * k * sizeof *out->w_random);
    out->x = malloc((size_t)k * n * sizeof *out->x);
    if (!out->w_random || !out->x) {
        sr_problem_free(out);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for the %d x %d weights and %d x %d inputs", m, k,
                          k, n);
    }
    sr_dense_random(out->w_random, m, k, seed);
    sr_dense_random(out->x, k, n, seed ^ 0x9e3779b97f4a7c15ULL); /* a different stream from W's */
    return SR_OK;
}

void sr_problem_free(sr_problem *p)
{
    free(p->w_random);
    free(p->x);
    p->w_random = p->x = NULL;
}

sr_code sr_problem_weights_make(const sr_problem *p, const sr_pattern *pattern, double sparsity,
                                sr_problem_weights *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    out->pruned = malloc((size_t)p->m * p->k * sizeof *out->pruned);
    if (!out->pruned)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for a %d x %d matrix", p->m, p->k);
    sr_code c = sr_prune(p->w_random, p->m, p->k, pattern, sparsity, out->pruned, err);
    if (c == SR_OK)
        c = sr_sparse_from_dense(out->pruned, p->m, p->k, pattern, &out->w, err);
    if (c != SR_OK)
        sr_problem_weights_free(out);
    return c;
}

void sr_problem_weights_free(sr_problem_weights *w)
{
    free(w->pruned);
    sr_sparse_free(w->w);
    w->pruned = NULL;
    w->w = NULL;
}
