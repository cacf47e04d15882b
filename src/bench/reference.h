/* The CPU reference every kernel result is checked against before its time counts. */
#ifndef SR_BENCH_REFERENCE_H
#define SR_BENCH_REFERENCE_H

#include <stddef.h>

typedef struct {
    size_t checked, failed;
    double max_abs_err;  /* largest |y - ref| */
    double max_err_ratio;/* largest |y - ref| / bound; <= 1 passes */
    size_t worst_row, worst_col;
} sr_verify_result;

/* Compares y (m x n, row-major fp32) with W·X computed in double from the dense (pruned)
 * weights w (m x k) and x (k x n). An element passes when
 *   |y - ref| <= (nz + 2) * FLT_EPSILON * sum_k |w_ik * x_kj| + FLT_MIN,
 * nz the nonzeros of its row: the rounding bound of a length-nz fp32 sum in any order
 * (fma or not). Returns 1 when every element passes. */
int sr_verify_spmm(const float *w, const float *x, const float *y, int m, int k, int n,
                   sr_verify_result *out);

/* The same on every row_step-th row (and the last): for layers whose full reference would
 * cost more than the kernel runs it checks (out->checked says how many elements were). */
int sr_verify_spmm_rows(const float *w, const float *x, const float *y, int m, int k, int n, int row_step,
                        sr_verify_result *out);

#endif
