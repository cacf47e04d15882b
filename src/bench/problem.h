/* A benchmark problem: seeded random weights pruned to a pattern and encoded in its
 * format, and seeded random inputs. What `kernel` and `tune` run on. */
#ifndef SR_BENCH_PROBLEM_H
#define SR_BENCH_PROBLEM_H

#include <stdint.h>

#include "sparse/format.h"

typedef struct {
    int m, k, n;
    float *w_random; /* m x k, before pruning */
    float *x;        /* k x n */
} sr_problem;

typedef struct {
    float *pruned;   /* m x k: the reference's weights */
    sr_sparse *w;    /* the same in the pattern's format */
} sr_problem_weights;

/* Allocates and fills the random weights and inputs from seed. */
sr_code sr_problem_make(int m, int k, int n, uint64_t seed, sr_problem *out, sr_err *err);
void sr_problem_free(sr_problem *p);

/* Prunes the problem's weights to pattern at sparsity and encodes them. */
sr_code sr_problem_weights_make(const sr_problem *p, const sr_pattern *pattern, double sparsity,
                                sr_problem_weights *out, sr_err *err);
void sr_problem_weights_free(sr_problem_weights *w);

#endif
