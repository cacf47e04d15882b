/* A benchmark problem: weights (seeded random, or the caller's) to be pruned to a pattern
 * and encoded in its format, and seeded random inputs; `groups` independent products of
 * one shape (a grouped convolution), each with its own weights and inputs. What `kernel`,
 * `tune` and the network sweep run on. */
#ifndef SR_BENCH_PROBLEM_H
#define SR_BENCH_PROBLEM_H

#include <stdint.h>

#include "sparse/format.h"

typedef struct {
    int m, k, n, groups;
    float *w_random; /* groups * m * k, before pruning (the caller's weights if given) */
    float *x;        /* groups * k * n */
} sr_problem;

typedef struct {
    float *pruned;   /* m x k: the reference's weights */
    sr_sparse *w;    /* the same in the pattern's format */
} sr_problem_weights;

/* Allocates and fills the random weights and inputs of one product from seed. */
sr_code sr_problem_make(int m, int k, int n, uint64_t seed, sr_problem *out, sr_err *err);

/* The same for groups products; w (may be NULL: random) gives the weights,
 * groups * m * k floats, copied. */
sr_code sr_problem_make_groups(int m, int k, int n, int groups, const float *w, uint64_t seed, sr_problem *out,
                               sr_err *err);
void sr_problem_free(sr_problem *p);

/* Prunes group g's weights to pattern at sparsity and encodes them. */
sr_code sr_problem_group_weights(const sr_problem *p, int g, const sr_pattern *pattern, double sparsity,
                                 sr_problem_weights *out, sr_err *err);

/* The same for group 0. */
sr_code sr_problem_weights_make(const sr_problem *p, const sr_pattern *pattern, double sparsity,
                                sr_problem_weights *out, sr_err *err);
void sr_problem_weights_free(sr_problem_weights *w);

#endif
