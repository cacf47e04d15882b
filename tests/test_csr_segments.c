/* CSR cut into K-block segments (src/sparse/csr_segments.c): every nonzero once, in its
 * block, rows of a group shortest first, and the plain CSR order when nothing is cut. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sparse/csr_segments.h"

void csr_segments_tests(Suite *s); /* called by tests/test_sparse.c */

static sr_sparse *random_csr(int m, int k, double sparsity, uint64_t seed)
{
    float *w = calloc((size_t)m * k, sizeof *w), *pr = calloc((size_t)m * k, sizeof *pr);
    ck_assert_ptr_nonnull(w);
    ck_assert_ptr_nonnull(pr);
    sr_dense_random(w, m, k, seed);
    sr_pattern p;
    sr_err e;
    ck_assert_int_eq(sr_pattern_parse("unstructured", &p, &e), SR_OK);
    ck_assert_int_eq(sr_prune(w, m, k, &p, sparsity, pr, &e), SR_OK);
    sr_sparse *csr = NULL;
    ck_assert_int_eq(sr_sparse_from_dense(pr, m, k, &p, &csr, &e), SR_OK);
    free(w);
    free(pr);
    return csr;
}

/* Rebuilds the dense matrix from the segments and checks their order and bounds. */
static void check_segments(const sr_sparse *csr, int kc, int rows)
{
    sr_csr_segments sg;
    sr_err e;
    ck_assert_int_eq(sr_csr_segments_build(csr, kc, rows, &sg, &e), SR_OK);
    const int m = csr->m, k = csr->k, bk = sg.kc;
    ck_assert_int_eq(sg.nblocks, (k + bk - 1) / bk);
    ck_assert_uint_eq(sg.nnz, csr->nnz);
    float *back = calloc((size_t)m * k, sizeof *back), *want = calloc((size_t)m * k, sizeof *want);
    int *seen = calloc((size_t)sg.nblocks * m, sizeof *seen);
    sr_sparse_to_dense(csr, want);
    for (int b = 0; b < sg.nblocks; b++)
        for (int g0 = 0; g0 < m; g0 += rows) {
            const int n = m - g0 < rows ? m - g0 : rows;
            int prev_len = -1;
            for (int i = 0; i < n; i++) {
                const size_t s = (size_t)b * m + g0 + i;
                const int r = sg.seg_row[s], len = sg.seg_ptr[s + 1] - sg.seg_ptr[s];
                ck_assert_msg(r >= g0 && r < g0 + n, "block %d group at %d holds row %d", b, g0, r);
                ck_assert_msg(len >= prev_len, "block %d group at %d: segment %d shorter than the one before", b,
                              g0, i);
                prev_len = len;
                seen[(size_t)b * m + r]++;
                for (int j = sg.seg_ptr[s]; j < sg.seg_ptr[s + 1]; j++) {
                    const int c = sg.colidx[j];
                    ck_assert_msg(c >= b * bk && c < (b + 1) * bk && c < k, "column %d outside block %d", c, b);
                    ck_assert(j == sg.seg_ptr[s] || sg.colidx[j - 1] < c);
                    back[(size_t)r * k + c] = sg.vals[j];
                }
            }
        }
    for (size_t i = 0; i < (size_t)sg.nblocks * m; i++)
        ck_assert_int_eq(seen[i], 1); /* every (block, row) exactly once */
    ck_assert_mem_eq(back, want, (size_t)m * k * sizeof *back);
    free(back);
    free(want);
    free(seen);
    sr_csr_segments_free(&sg);
}

START_TEST(test_segments_shapes)
{
    sr_sparse *csr = random_csr(37, 53, 0.8, 7);
    const int cases[][2] = {{8, 5}, {5, 1}, {53, 37}, {0, 4}, {100, 64}, {16, 32}, {1, 3}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_segments(csr, cases[i][0], cases[i][1]);
    sr_sparse_free(csr);
}
END_TEST

START_TEST(test_segments_plain_order)
{
    /* one block, groups of one row: exactly the CSR arrays */
    sr_sparse *csr = random_csr(29, 31, 0.6, 3);
    sr_csr_segments sg;
    sr_err e;
    ck_assert_int_eq(sr_csr_segments_build(csr, 0, 1, &sg, &e), SR_OK);
    ck_assert_int_eq(sg.nblocks, 1);
    for (int r = 0; r < csr->m; r++) {
        ck_assert_int_eq(sg.seg_row[r], r);
        ck_assert_int_eq(sg.seg_ptr[r], csr->rowptr[r]);
    }
    ck_assert_int_eq(sg.seg_ptr[csr->m], csr->rowptr[csr->m]);
    ck_assert_mem_eq(sg.colidx, csr->colidx, csr->nnz * sizeof *sg.colidx);
    sr_csr_segments_free(&sg);
    sr_csr_segments_free(&sg); /* freeing twice is harmless */
    sr_csr_segments_free(NULL);
    sr_sparse_free(csr);
}
END_TEST

START_TEST(test_segments_bad_input)
{
    sr_sparse *csr = random_csr(8, 8, 0.5, 1);
    sr_csr_segments sg;
    sr_err e;
    ck_assert_int_eq(sr_csr_segments_build(csr, 4, 0, &sg, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "rows per group"));
    csr->pattern.kind = SR_PAT_DENSE;
    ck_assert_int_eq(sr_csr_segments_build(csr, 4, 2, &sg, &e), SR_ERR_ARG);
    csr->pattern.kind = SR_PAT_UNSTRUCTURED;
    sr_sparse_free(csr);
}
END_TEST

void csr_segments_tests(Suite *s)
{
    TCase *tc = tcase_create("csr_segments");
    tcase_add_test(tc, test_segments_shapes);
    tcase_add_test(tc, test_segments_plain_order);
    tcase_add_test(tc, test_segments_bad_input);
    suite_add_tcase(s, tc);
}
