/* One kernel run (bench/kernel_run): the reference check on a sample of rows, the
 * model's count of a pruned matrix's work against what pruning really keeps and what the
 * kernel's layout reads, and a grouped product verified and counted over every group. The
 * reference and the counts need no device; the runs open one inside each forked test. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/kernel_run.h"
#include "check_run.h"
#include "device_fixture.h"
#include "device_probe.h"

/* ---- the sampled reference check (no device) ---- */

/* y = W X rounded once to fp32: within the reference's bound everywhere. */
static void exact_product(const float *w, const float *x, float *y, int m, int k, int n)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int kk = 0; kk < k; kk++)
                s += (double)w[(size_t)i * k + kk] * x[(size_t)kk * n + j];
            y[(size_t)i * n + j] = (float)s;
        }
}

/* Whether y with one element (row, col) made wrong passes a check of every step-th row. */
static int passes_with_wrong(const float *w, const float *x, const float *y, int m, int k, int n, int step,
                             int row, int col, size_t *checked, size_t *worst_row)
{
    float *bad = malloc((size_t)m * n * sizeof *bad);
    memcpy(bad, y, (size_t)m * n * sizeof *bad);
    if (row >= 0)
        bad[(size_t)row * n + col] += 1.0f;
    sr_verify_result v;
    const int ok = sr_verify_spmm_rows(w, x, bad, m, k, n, step, &v);
    *checked = v.checked;
    *worst_row = v.worst_row;
    free(bad);
    return ok;
}

/* Rows 0, step, 2*step, ... and the last are checked; a wrong value anywhere else passes. */
START_TEST(test_verify_row_step)
{
    const int m = 11, k = 7, n = 3;
    float w[11 * 7], x[7 * 3], y[11 * 3];
    sr_dense_random(w, m, k, 5);
    sr_dense_random(x, k, n, 6);
    exact_product(w, x, y, m, k, n);
    size_t checked, worst;
    /* step 3 over 11 rows: 0, 3, 6, 9 and the last, 10 */
    ck_assert(passes_with_wrong(w, x, y, m, k, n, 3, -1, 0, &checked, &worst));
    ck_assert_uint_eq(checked, 5 * (size_t)n);
    static const int unchecked[] = {1, 2, 4, 5, 7, 8};
    for (size_t i = 0; i < sizeof unchecked / sizeof *unchecked; i++)
        ck_assert_msg(passes_with_wrong(w, x, y, m, k, n, 3, unchecked[i], 1, &checked, &worst),
                      "row %d is not one of the sample, yet its error was seen", unchecked[i]);
    static const int sampled[] = {0, 3, 6, 9, 10};
    for (size_t i = 0; i < sizeof sampled / sizeof *sampled; i++) {
        ck_assert_msg(!passes_with_wrong(w, x, y, m, k, n, 3, sampled[i], 2, &checked, &worst),
                      "a wrong value in sampled row %d passed", sampled[i]);
        ck_assert_uint_eq(worst, (size_t)sampled[i]);
    }
    /* the last row on the step itself (10 rows: 0, 3, 6, 9) is checked once */
    ck_assert(passes_with_wrong(w, x, y, 10, k, n, 3, -1, 0, &checked, &worst));
    ck_assert_uint_eq(checked, 4 * (size_t)n);
    ck_assert(!passes_with_wrong(w, x, y, 10, k, n, 3, 9, 0, &checked, &worst));
    /* a step beyond the rows: the first and the last */
    ck_assert(passes_with_wrong(w, x, y, m, k, n, 50, 5, 0, &checked, &worst));
    ck_assert_uint_eq(checked, 2 * (size_t)n);
    ck_assert(!passes_with_wrong(w, x, y, m, k, n, 50, 10, 0, &checked, &worst));
    /* step 1 (and below): every row */
    ck_assert(!passes_with_wrong(w, x, y, m, k, n, 1, 5, 0, &checked, &worst));
    ck_assert_uint_eq(checked, (size_t)m * n);
    ck_assert(!passes_with_wrong(w, x, y, m, k, n, 0, 7, 0, &checked, &worst));
    ck_assert_uint_eq(checked, (size_t)m * n);
}
END_TEST

/* ---- the model's count of a pruned matrix (no device) ---- */

static const char *count_patterns[] = {"dense", "unstructured", "block:4x4", "block:16x16", "block:1x32",
                                       "2:4", "1:2", "1:8", "3:7", "15:16"};
#define N_COUNT (int)(sizeof count_patterns / sizeof *count_patterns)

/* Bits an N:M position takes in the model: ceil(log2 M). */
static int nm_bits(int m)
{
    int b = 0;
    while ((1 << b) < m)
        b++;
    return b;
}

/* What pruning keeps is what the model counts at that sparsity (padding included); the
 * count from those stored values (sr_gemm_cost_from_nnz) is the count at the sparsity
 * (sr_gemm_cost_of); and the kernel's layout reads the same bytes, but for N:M's index: a
 * byte each, where the model counts ceil(log2 M) bits. */
START_TEST(test_counts_agree)
{
    static const int shapes[][2] = {{37, 53}, {32, 64}, {5, 100}};
    static const double sps[] = {0.0, 0.5, 0.83, 0.97};
    sr_pattern p;
    sr_err e;
    ck_assert_int_eq(sr_pattern_parse(count_patterns[_i], &p, &e), SR_OK);
    for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
        const int m = shapes[si][0], k = shapes[si][1], n = 9;
        float *w = malloc((size_t)m * k * sizeof *w), *pr = malloc((size_t)m * k * sizeof *pr);
        sr_dense_random(w, m, k, 11 + si);
        for (size_t t = 0; t < sizeof sps / sizeof *sps; t++) {
            ck_assert_int_eq(sr_prune(w, m, k, &p, sps[t], pr, &e), SR_OK);
            sr_sparse *s = NULL;
            ck_assert_msg(sr_sparse_from_dense(pr, m, k, &p, &s, &e) == SR_OK, "%s", e.msg);
            sr_gemm_cost at, from;
            ck_assert_int_eq(sr_gemm_cost_of(m, k, n, 3, &p, sps[t], SR_DTYPE_FP32, -1, &at, &e), SR_OK);
            ck_assert_int_eq(
                sr_gemm_cost_from_nnz(m, k, n, 3, &p, (double)s->nnz, SR_DTYPE_FP32, -1, &from, &e), SR_OK);
            ck_assert_msg(at.nnz == 3.0 * (double)s->nnz, "%s %dx%d s=%g: the model keeps %g, pruning %zu",
                          count_patterns[_i], m, k, sps[t], at.nnz / 3, s->nnz);
            ck_assert_double_eq(from.flops, at.flops);
            ck_assert_double_eq(from.bytes, at.bytes);
            ck_assert_double_eq(from.weight_bytes, at.weight_bytes);
            ck_assert_double_eq(from.flops, 2.0 * 3 * (double)s->nnz * n);
            /* all of X and Y, but for blocks: the block columns some kept block reads */
            if (p.kind == SR_PAT_BLOCK)
                ck_assert(from.bytes <= from.weight_bytes + 3 * 4.0 * ((double)k * n + (double)m * n) &&
                          from.bytes >= from.weight_bytes + 3 * 4.0 * (double)m * n);
            else
                ck_assert_double_eq(from.bytes, from.weight_bytes + 3 * 4.0 * ((double)k * n + (double)m * n));
            const double layout = 3.0 * (double)sr_sparse_weight_bytes(s);
            if (p.kind == SR_PAT_NM) {
                const double nnz = (double)s->nnz, model_meta = ceil(nnz * nm_bits(p.m) / 8.0);
                ck_assert_double_eq(from.weight_bytes, 3 * (nnz * 4 + model_meta));
                ck_assert_double_eq(layout, 3 * (nnz * 4 + nnz));
            } else {
                ck_assert_msg(layout == from.weight_bytes, "%s: the layout reads %g bytes, the model counts %g",
                              count_patterns[_i], layout, from.weight_bytes);
            }
            sr_sparse_free(s);
        }
        free(w);
        free(pr);
    }
}
END_TEST

/* ---- kernel runs (a device, opened inside each forked test) ---- */

static sr_kernel_spec spec_of(const char *pattern, double sparsity, double check_macs)
{
    sr_kernel_spec spec;
    memset(&spec, 0, sizeof spec);
    sr_err e;
    ck_assert_int_eq(sr_pattern_parse(pattern, &spec.pattern, &e), SR_OK);
    spec.sparsity = sparsity;
    spec.reps = 2;
    spec.check_macs = check_macs;
    sr_kernel_params_default(&spec.pattern, sr_cl_info(cl)->type, &spec.params);
    return spec;
}

/* Three groups of one shape whose weights differ (group 1 is group 0 negated, group 2
 * doubled: the same nonzeros, other products): every group is run, every group's rows are
 * checked against its own reference, and the work is the three groups'. A run of group 0
 * alone with its time and counts multiplied by three would check a third of the rows, and
 * the group-level reference test below would pass where it must fail. */
START_TEST(test_groups_all_run)
{
    const int g = 3, m = 12, k = 32, n = 10;
    float *w = malloc((size_t)g * m * k * sizeof *w);
    sr_dense_random(w, m, k, 21);
    for (size_t i = 0; i < (size_t)m * k; i++) {
        w[(size_t)m * k + i] = -w[i];
        w[2 * (size_t)m * k + i] = 2 * w[i];
    }
    sr_problem prob;
    sr_err e;
    ck_assert_int_eq(sr_problem_make_groups(m, k, n, g, w, 3, &prob, &e), SR_OK);
    free(w);
    static const char *pats[] = {"dense", "unstructured", "block:4x4", "2:4"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        const sr_kernel_spec spec = spec_of(pats[i], 0.75, 0);
        sr_kernel_outcome out;
        ck_assert_msg(sr_kernel_run(cl, &prob, &spec, NULL, NULL, &out, &e) == SR_OK, "%s: %s", pats[i],
                      e.msg);
        /* the same nonzeros in every group: three times group 0's */
        sr_problem_weights one;
        ck_assert_int_eq(sr_problem_group_weights(&prob, 0, &spec.pattern, spec.sparsity, &one, &e), SR_OK);
        ck_assert_uint_eq(out.nnz, 3 * one.w->nnz);
        ck_assert_double_eq(out.flops, 2.0 * (double)out.nnz * n);
        sr_problem_weights_free(&one);
        ck_assert(out.res.verified);
        ck_assert_uint_eq(out.rows, (size_t)g * m);
        ck_assert_uint_eq(out.res.rows_checked, (size_t)g * m);
        ck_assert_uint_eq(out.res.verify.checked, (size_t)g * m * n);
        ck_assert_int_ge(out.res.launches, g); /* a launch (or two, with the pack) per group */
        ck_assert(out.res.time.median_s > 0);
    }
    /* a sample of rows, by check_macs: each group's first and last rows at the least */
    const sr_kernel_spec spec = spec_of("unstructured", 0.5, 1);
    sr_kernel_outcome out;
    ck_assert_msg(sr_kernel_run(cl, &prob, &spec, NULL, NULL, &out, &e) == SR_OK, "%s", e.msg);
    ck_assert(out.res.verified);
    ck_assert_uint_eq(out.res.rows_checked, 2 * (size_t)g);
    ck_assert_uint_eq(out.rows, (size_t)g * m);
    sr_problem_free(&prob);
}
END_TEST

/* Every group's result is compared with its own reference: a reference that is right for
 * groups 0 and 1 but not for group 2 fails, however the rows are sampled, as long as the
 * wrong row is one of them. */
START_TEST(test_groups_own_reference)
{
    const int g = 3, m = 9, k = 24, n = 8;
    sr_problem prob;
    sr_err e;
    ck_assert_int_eq(sr_problem_make_groups(m, k, n, g, NULL, 4, &prob, &e), SR_OK);
    sr_pattern p;
    ck_assert_int_eq(sr_pattern_parse("unstructured", &p, &e), SR_OK);
    sr_problem_weights pw[3];
    sr_spmm_operand ops[3];
    for (int i = 0; i < g; i++) {
        ck_assert_int_eq(sr_problem_group_weights(&prob, i, &p, 0.5, &pw[i], &e), SR_OK);
        ops[i] = (sr_spmm_operand){pw[i].w, pw[i].pruned, prob.x + (size_t)i * k * n};
    }
    sr_kernel_params kp;
    sr_kernel_params_default(&p, sr_cl_info(cl)->type, &kp);
    sr_spmm_result res;
    ck_assert_msg(sr_spmm_run_groups(cl, ops, g, n, &kp, 1, 1, 0.0, &res, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(res.rows_checked, (size_t)g * m);
    /* group 2 checked against group 0's weights: its products differ */
    ops[2].w_dense = pw[0].pruned;
    ck_assert_int_eq(sr_spmm_run_groups(cl, ops, g, n, &kp, 1, 1, 0.0, &res, &e), SR_ERR_VERIFY);
    ck_assert_msg(strstr(e.msg, "in a group") != NULL, "%s", e.msg);
    /* group 2's reference wrong in its last row only: sampled (every m-th row and the
     * last), it fails; wrong in row 1 only, it is not sampled and passes */
    float *wrong = malloc((size_t)m * k * sizeof *wrong);
    memcpy(wrong, pw[2].pruned, (size_t)m * k * sizeof *wrong);
    for (int kk = 0; kk < k; kk++)
        wrong[(size_t)(m - 1) * k + kk] = 1.0f;
    ops[2].w_dense = wrong;
    ck_assert_int_eq(sr_spmm_run_groups(cl, ops, g, n, &kp, 1, m, 0.0, &res, &e), SR_ERR_VERIFY);
    memcpy(wrong, pw[2].pruned, (size_t)m * k * sizeof *wrong);
    for (int kk = 0; kk < k; kk++)
        wrong[(size_t)1 * k + kk] = 1.0f;
    ck_assert_msg(sr_spmm_run_groups(cl, ops, g, n, &kp, 1, m, 0.0, &res, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(res.rows_checked, 2 * (size_t)g);
    ck_assert_int_eq(sr_spmm_run_groups(cl, ops, g, n, &kp, 1, 1, 0.0, &res, &e), SR_ERR_VERIFY);
    free(wrong);
    for (int i = 0; i < g; i++)
        sr_problem_weights_free(&pw[i]);
    sr_problem_free(&prob);
}
END_TEST

/* The run reports the model's bytes (what the prediction uses) and the layout's: equal
 * but for N:M, where the kernel reads a byte per index against the model's bits. */
START_TEST(test_bytes_model_and_layout)
{
    const int g = 2, m = 16, k = 40, n = 12;
    sr_problem prob;
    sr_err e;
    sr_ceilings ceilings;
    ck_assert_int_eq(sr_ceilings_simple(&ceilings, "test", 100, 1000, &e), SR_OK);
    ck_assert_int_eq(sr_problem_make_groups(m, k, n, g, NULL, 9, &prob, &e), SR_OK);
    static const char *pats[] = {"dense", "unstructured", "block:4x4", "2:4", "1:8"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        const sr_kernel_spec spec = spec_of(pats[i], 0.6, 0);
        sr_kernel_outcome out;
        ck_assert_msg(sr_kernel_run(cl, &prob, &spec, &ceilings, NULL, &out, &e) == SR_OK, "%s: %s", pats[i],
                      e.msg);
        const double nnz_g = (double)out.nnz / g, xy = g * 4.0 * ((double)k * n + (double)m * n);
        sr_gemm_cost cost;
        ck_assert_int_eq(sr_gemm_cost_from_nnz(m, k, n, g, &spec.pattern, nnz_g, SR_DTYPE_FP32, -1, &cost, &e),
                         SR_OK);
        ck_assert_double_eq(out.bytes, cost.bytes);
        ck_assert_double_eq(out.flops, cost.flops);
        double meta_model = 0, meta_layout = 0;
        if (spec.pattern.kind == SR_PAT_NM) {
            meta_model = ceil(nnz_g * nm_bits(spec.pattern.m) / 8.0);
            meta_layout = nnz_g;
            ck_assert_double_eq(out.bytes, g * (nnz_g * 4 + meta_model) + xy);
            ck_assert(out.layout_bytes > out.bytes);
        }
        ck_assert_msg(fabs(out.layout_bytes - out.bytes - g * (meta_layout - meta_model)) < 0.5,
                      "%s: layout %g, model %g bytes", pats[i], out.layout_bytes, out.bytes);
        /* the prediction counts what the model counts */
        ck_assert(out.predicted);
        ck_assert_double_eq(out.pt.cost.bytes, out.bytes);
        ck_assert(out.pt.time_s > 0);
    }
    sr_problem_free(&prob);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kernel_run");
    TCase *tc = tcase_create("counts");
    tcase_add_test(tc, test_verify_row_step);
    tcase_add_loop_test(tc, test_counts_agree, 0, N_COUNT);
    suite_add_tcase(s, tc);
    if (sr_test_have_device()) {
        tc = tcase_create("run");
        tcase_add_checked_fixture(tc, open_device, close_device);
        tcase_set_timeout(tc, 120); /* cold PoCL builds: about 1 s per program */
        tcase_add_test(tc, test_groups_all_run);
        tcase_add_test(tc, test_groups_own_reference);
        tcase_add_test(tc, test_bytes_model_and_layout);
        suite_add_tcase(s, tc);
    } else {
        fprintf(stderr, "no OpenCL device: kernel runs skipped (the counts are tested)\n");
    }
    return sr_check_run(s);
}
