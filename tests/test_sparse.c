/* Sparse formats, pruning and seeded generation (src/sparse/): round trips through every
 * layout, pruning targets and orderings, N:M constraints, byte counts and estimates. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "sparse/format.h"

void sparse_read_tests(Suite *s); /* tests/test_sparse_read.c */
void csr_segments_tests(Suite *s); /* tests/test_csr_segments.c */

static sr_pattern pat(const char *name)
{
    sr_pattern p;
    sr_err e;
    ck_assert_msg(sr_pattern_parse(name, &p, &e) == SR_OK, "pattern %s: %s", name, e.msg);
    return p;
}

static float *alloc_f(size_t n)
{
    float *w = calloc(n ? n : 1, sizeof *w);
    ck_assert_ptr_nonnull(w);
    return w;
}

static float *random_matrix(int m, int k, uint64_t seed)
{
    float *w = alloc_f((size_t)m * k);
    sr_dense_random(w, m, k, seed);
    return w;
}

static size_t count_nonzero(const float *w, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += w[i] != 0.0f;
    return c;
}

static sr_sparse *encode(const float *w, int m, int k, const sr_pattern *p)
{
    sr_sparse *s = NULL;
    sr_err e;
    ck_assert_msg(sr_sparse_from_dense(w, m, k, p, &s, &e) == SR_OK, "encode %dx%d: %s", m, k, e.msg);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void prune_ok(const float *w, int m, int k, const sr_pattern *p, double s, float *out)
{
    sr_err e;
    ck_assert_msg(sr_prune(w, m, k, p, s, out, &e) == SR_OK, "prune %dx%d s=%g: %s", m, k, s, e.msg);
}

/* The layout invariants format.h promises, checked on the stored arrays. */
static void check_layout(const sr_sparse *s)
{
    const sr_pattern *p = &s->pattern;
    switch (p->kind) {
    case SR_PAT_DENSE:
        ck_assert_uint_eq(s->nnz, (size_t)s->m * s->k);
        break;
    case SR_PAT_UNSTRUCTURED:
        ck_assert_int_eq(s->rowptr[0], 0);
        ck_assert_uint_eq((size_t)s->rowptr[s->m], s->nnz);
        for (int i = 0; i < s->m; i++) {
            ck_assert_int_le(s->rowptr[i], s->rowptr[i + 1]);
            for (int32_t q = s->rowptr[i]; q < s->rowptr[i + 1]; q++) {
                ck_assert_int_lt(s->colidx[q], s->k);
                ck_assert(s->vals[q] != 0.0f);
                if (q > s->rowptr[i])
                    ck_assert_int_lt(s->colidx[q - 1], s->colidx[q]);
            }
        }
        break;
    case SR_PAT_BLOCK: {
        int mb = (s->m + p->br - 1) / p->br, kb = (s->k + p->bc - 1) / p->bc;
        ck_assert_int_eq(s->mp, mb * p->br);
        ck_assert_int_eq(s->kp, kb * p->bc);
        ck_assert_uint_eq(s->nnz, s->nblocks * p->br * p->bc);
        ck_assert_int_eq(s->rowptr[0], 0);
        ck_assert_uint_eq((size_t)s->rowptr[mb], s->nblocks);
        for (int ib = 0; ib < mb; ib++)
            for (int32_t b = s->rowptr[ib]; b < s->rowptr[ib + 1]; b++) {
                ck_assert_int_lt(s->colidx[b], kb);
                if (b > s->rowptr[ib])
                    ck_assert_int_lt(s->colidx[b - 1], s->colidx[b]);
                /* padding past the logical edge is stored as zeros */
                for (int r = 0; r < p->br; r++)
                    for (int c = 0; c < p->bc; c++)
                        if (ib * p->br + r >= s->m || s->colidx[b] * p->bc + c >= s->k)
                            ck_assert(s->vals[(size_t)b * p->br * p->bc + r * p->bc + c] == 0.0f);
            }
        break;
    }
    case SR_PAT_NM: {
        int groups = (s->k + p->m - 1) / p->m;
        ck_assert_int_eq(s->groups, groups);
        ck_assert_int_eq(s->kp, groups * p->m);
        ck_assert_uint_eq(s->nnz, (size_t)s->m * groups * p->n); /* exactly n per group */
        for (size_t g = 0; g < (size_t)s->m * groups; g++)
            for (int e = 0; e < p->n; e++) {
                size_t at = g * p->n + e;
                ck_assert_int_lt(s->idx[at], p->m);
                if (e > 0)
                    ck_assert_int_lt(s->idx[at - 1], s->idx[at]);
                if ((int)(g % groups) * p->m + s->idx[at] >= s->k)
                    ck_assert(s->vals[at] == 0.0f);
            }
        break;
    }
    }
}

/* encode -> layout checks -> decode must give `expect` back bit for bit. */
static void check_round_trip(const float *w, int m, int k, const sr_pattern *p, const float *expect)
{
    char name[64];
    sr_pattern_name(p, name, sizeof name);
    sr_sparse *s = encode(w, m, k, p);
    check_layout(s);
    float *back = alloc_f((size_t)m * k);
    for (size_t i = 0; i < (size_t)m * k; i++)
        back[i] = NAN; /* every element must be written */
    sr_sparse_to_dense(s, back);
    ck_assert_msg(memcmp(back, expect, (size_t)m * k * sizeof *back) == 0,
                  "%s %dx%d: decoded matrix differs", name, m, k);
    free(back);
    sr_sparse_free(s);
}

static const int shapes[][2] = {{67, 131}, {1, 1}, {33, 17}, {64, 64}, {5, 40}};
#define NSHAPES (int)(sizeof shapes / sizeof shapes[0])
static const char *nm_names[] = {"1:2", "2:4", "4:8", "1:16", "15:16", "3:5", "2:8"};
#define NNM (int)(sizeof nm_names / sizeof nm_names[0])
static const int sides[] = {1, 2, 4, 8, 16, 32};

START_TEST(test_random_seeded)
{
    float a[1000], b[1000], c[1000];
    sr_dense_random(a, 10, 100, 7);
    sr_dense_random(b, 10, 100, 7);
    sr_dense_random(c, 10, 100, 8);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    size_t same = 0;
    float lo = 1, hi = -1;
    double sum = 0;
    for (int i = 0; i < 1000; i++) {
        same += a[i] == c[i];
        ck_assert(a[i] >= -1.0f && a[i] < 1.0f);
        lo = fminf(lo, a[i]);
        hi = fmaxf(hi, a[i]);
        sum += a[i];
    }
    ck_assert_uint_lt(same, 5);
    ck_assert(lo < -0.95f && hi > 0.95f);
    ck_assert(fabs(sum / 1000) < 0.1);
    /* splitmix64 from seed 0 starts 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4 (the reference
     * generator); the top 24 bits scaled to [-1, 1) give these exactly, on any machine. */
    float g[2];
    sr_dense_random(g, 1, 2, 0);
    ck_assert(g[0] == (float)0xe220a8 * 0x1p-23f - 1.0f);
    ck_assert(g[1] == (float)0x6e789e * 0x1p-23f - 1.0f);
}
END_TEST

/* Every pattern on every shape: prune then encode/decode gives the pruned matrix back;
 * an unpruned matrix round-trips exactly through dense, CSR and BSR. */
START_TEST(test_round_trip_all_formats)
{
    for (int si = 0; si < NSHAPES; si++) {
        int m = shapes[si][0], k = shapes[si][1];
        size_t n = (size_t)m * k;
        float *w = random_matrix(m, k, 100 + si), *pr = alloc_f(n);
        sr_pattern ps[2 + 36 + NNM];
        int np = 0;
        ps[np++] = pat("dense");
        ps[np++] = pat("unstructured");
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 6; c++) {
                char name[32];
                snprintf(name, sizeof name, "block:%dx%d", sides[r], sides[c]);
                ps[np++] = pat(name);
            }
        for (int i = 0; i < NNM; i++)
            ps[np++] = pat(nm_names[i]);
        for (int i = 0; i < np; i++) {
            prune_ok(w, m, k, &ps[i], 0.6, pr);
            check_round_trip(pr, m, k, &ps[i], pr);
            if (ps[i].kind != SR_PAT_NM)
                check_round_trip(w, m, k, &ps[i], w);
            else /* encoding keeps the n largest of each group: what pruning does */
                check_round_trip(w, m, k, &ps[i], pr);
        }
        free(w);
        free(pr);
    }
}
END_TEST

START_TEST(test_prune_unstructured)
{
    static const double sps[] = {0.0, 0.1, 0.5, 0.73, 0.9, 0.99, 1.0};
    int m = 67, k = 131;
    size_t n = (size_t)m * k;
    float *w = random_matrix(m, k, 1), *pr = alloc_f(n);
    ck_assert_uint_eq(count_nonzero(w, n), n); /* so kept == nonzero below */
    sr_pattern p = pat("unstructured");
    for (size_t t = 0; t < sizeof sps / sizeof sps[0]; t++) {
        prune_ok(w, m, k, &p, sps[t], pr);
        size_t kept = count_nonzero(pr, n), want = (size_t)llround((1 - sps[t]) * (double)n);
        ck_assert_msg(kept == want, "s=%g: kept %zu of %zu, want %zu", sps[t], kept, n, want);
        float min_kept = INFINITY, max_dropped = 0;
        for (size_t i = 0; i < n; i++) {
            if (pr[i] != 0.0f) {
                ck_assert(pr[i] == w[i]);
                min_kept = fminf(min_kept, fabsf(w[i]));
            } else {
                max_dropped = fmaxf(max_dropped, fabsf(w[i]));
            }
        }
        ck_assert_msg(min_kept >= max_dropped, "s=%g: kept |w| %g < dropped %g", sps[t],
                      (double)min_kept, (double)max_dropped);
        sr_sparse *s = encode(pr, m, k, &p);
        printf("unstructured %dx%d target sparsity %.2f: achieved density %.5f\n", m, k, sps[t],
               sr_sparse_density(s));
        ck_assert(fabs(sr_sparse_density(s) - (1 - sps[t])) <= 0.5 / (double)n + 1e-12);
        sr_sparse_free(s);
    }
    /* ties go to the lower index */
    float eq[6] = {1, -1, 1, -1, 1, -1}, out[6];
    prune_ok(eq, 2, 3, &p, 0.5, out);
    const float want[6] = {1, -1, 1, 0, 0, 0};
    ck_assert(memcmp(out, want, sizeof out) == 0);
    /* pruning in place works */
    prune_ok(eq, 2, 3, &p, 0.5, eq);
    ck_assert(memcmp(eq, want, sizeof eq) == 0);
    free(w);
    free(pr);
}
END_TEST

/* L1 norm of every block (padding as zero), summed in the order pruning sums. */
static double *block_norms(const float *w, int m, int k, int br, int bc)
{
    int mb = (m + br - 1) / br, kb = (k + bc - 1) / bc;
    double *nrm = calloc((size_t)mb * kb, sizeof *nrm);
    ck_assert_ptr_nonnull(nrm);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < k; j++)
            nrm[(size_t)(i / br) * kb + j / bc] += fabs((double)w[(size_t)i * k + j]);
    return nrm;
}

START_TEST(test_prune_block)
{
    static const double sps[] = {0.0, 0.3, 0.5, 0.8, 0.95, 1.0};
    int m = 67, k = 131;
    size_t n = (size_t)m * k;
    float *w = random_matrix(m, k, 2), *pr = alloc_f(n);
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 6; c++) {
            sr_pattern p = {.kind = SR_PAT_BLOCK, .br = sides[r], .bc = sides[c]};
            int mb = (m + p.br - 1) / p.br, kb = (k + p.bc - 1) / p.bc;
            size_t nb = (size_t)mb * kb;
            double *nrm = block_norms(w, m, k, p.br, p.bc);
            for (size_t t = 0; t < sizeof sps / sizeof sps[0]; t++) {
                prune_ok(w, m, k, &p, sps[t], pr);
                double *pn = block_norms(pr, m, k, p.br, p.bc);
                size_t kept = 0;
                double min_kept = INFINITY, max_dropped = 0;
                for (size_t b = 0; b < nb; b++) {
                    int on = pn[b] != 0.0;
                    kept += on;
                    if (on) {
                        ck_assert(pn[b] == nrm[b]); /* a kept block is kept whole */
                        min_kept = fmin(min_kept, nrm[b]);
                    } else {
                        max_dropped = fmax(max_dropped, nrm[b]);
                    }
                }
                double target = (1 - sps[t]) * (double)nb;
                ck_assert_msg(fabs((double)kept - target) <= 0.5 + 1e-9,
                              "block %dx%d s=%g: kept %zu of %zu blocks, target %g", p.br, p.bc,
                              sps[t], kept, nb, target);
                ck_assert(min_kept >= max_dropped);
                sr_sparse *s = encode(pr, m, k, &p);
                ck_assert_uint_eq(s->nblocks, kept);
                if (r == c && (t == 1 || t == 3))
                    printf("block %dx%d on %dx%d target sparsity %.2f: %zu of %zu blocks, "
                           "nonzero density %.4f, stored density %.4f\n",
                           p.br, p.bc, m, k, sps[t], kept, nb,
                           (double)count_nonzero(pr, n) / (double)n, sr_sparse_density(s));
                sr_sparse_free(s);
                free(pn);
            }
            free(nrm);
        }
    /* equal blocks: the lower (row-major) blocks win */
    float ones[16], out[16];
    for (int i = 0; i < 16; i++)
        ones[i] = 1.0f;
    sr_pattern p22 = pat("block:2x2");
    prune_ok(ones, 4, 4, &p22, 0.5, out);
    const float want[16] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    ck_assert(memcmp(out, want, sizeof out) == 0);
    free(w);
    free(pr);
}
END_TEST

START_TEST(test_nm_constraint)
{
    int m = 33, k = 131;
    size_t n = (size_t)m * k;
    float *w = random_matrix(m, k, 3), *pr = alloc_f(n);
    for (int t = 0; t < NNM; t++) {
        sr_pattern p = pat(nm_names[t]);
        prune_ok(w, m, k, &p, 0.0, pr); /* N:M ignores the sparsity */
        for (int i = 0; i < m; i++)
            for (int c0 = 0; c0 < k; c0 += p.m) {
                int nz = 0, real = 0;
                float min_kept = INFINITY, max_dropped = 0;
                for (int j = c0; j < c0 + p.m && j < k; j++, real++) {
                    float v = pr[(size_t)i * k + j], o = w[(size_t)i * k + j];
                    if (v != 0.0f) {
                        nz++;
                        ck_assert(v == o);
                        min_kept = fminf(min_kept, fabsf(o));
                    } else {
                        max_dropped = fmaxf(max_dropped, fabsf(o));
                    }
                }
                ck_assert_int_le(nz, p.n);
                ck_assert_int_eq(nz, real < p.n ? real : p.n); /* no zeros in w */
                ck_assert(min_kept >= max_dropped);
            }
        sr_sparse *s = encode(pr, m, k, &p);
        check_layout(s); /* exactly n stored per group */
        sr_sparse_free(s);
    }
    /* hand case: fewer nonzeros than n use the lowest free positions; ties to the lower
     * position; the padded last group (k = 10 -> 12) */
    const float row[10] = {0, 5, 0, 0, 1, -3, 2, 0, 7, 7};
    sr_pattern p = pat("2:4");
    sr_sparse *s = encode(row, 1, 10, &p);
    const uint8_t idx[6] = {0, 1, 1, 2, 0, 1};
    const float vals[6] = {0, 5, -3, 2, 7, 7};
    ck_assert_int_eq(s->groups, 3);
    ck_assert_uint_eq(s->nnz, 6);
    ck_assert(memcmp(s->idx, idx, sizeof idx) == 0);
    ck_assert(memcmp(s->vals, vals, sizeof vals) == 0);
    sr_sparse_free(s);
    const float tail[5] = {0, 0, 0, 0, 4}; /* 4:8 on k=5: group of 5 real + 3 padding */
    p = pat("4:8");
    s = encode(tail, 1, 5, &p);
    const uint8_t idx2[4] = {0, 1, 2, 4};
    const float vals2[4] = {0, 0, 0, 4};
    ck_assert(memcmp(s->idx, idx2, sizeof idx2) == 0);
    ck_assert(memcmp(s->vals, vals2, sizeof vals2) == 0);
    sr_sparse_free(s);
    free(w);
    free(pr);
}
END_TEST

START_TEST(test_zero_and_full)
{
    int m = 33, k = 17;
    size_t n = (size_t)m * k;
    float *zero = alloc_f(n), *full = random_matrix(m, k, 4), *pr = alloc_f(n);
    const char *names[] = {"dense", "unstructured", "block:4x4", "block:32x1", "2:4", "15:16"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sr_pattern p = pat(names[i]);
        prune_ok(zero, m, k, &p, 0.5, pr);
        ck_assert_uint_eq(count_nonzero(pr, n), 0);
        check_round_trip(zero, m, k, &p, zero);
        sr_sparse *s = encode(zero, m, k, &p);
        if (p.kind == SR_PAT_UNSTRUCTURED || p.kind == SR_PAT_BLOCK)
            ck_assert_uint_eq(s->nnz, 0);
        sr_sparse_free(s);
        if (p.kind != SR_PAT_NM) { /* s = 0 keeps everything */
            prune_ok(full, m, k, &p, 0.0, pr);
            ck_assert(memcmp(pr, full, n * sizeof *pr) == 0);
        }
        if (p.kind == SR_PAT_NM) /* only n of every m survive encoding */
            prune_ok(full, m, k, &p, 0.0, pr);
        check_round_trip(full, m, k, &p, p.kind == SR_PAT_NM ? pr : full);
    }
    free(zero);
    free(full);
    free(pr);
}
END_TEST

/* A hand-built 3x5 matrix: 4 nonzeros in 3 of its 2x2 blocks (padded to 4x6). */
START_TEST(test_weight_bytes_hand)
{
    const float w[15] = {1, 0, 0, 0, 0,
                         0, 0, 2, 0, 0,
                         0, 0, 0, 0, 3.5f};
    float w4[15];
    memcpy(w4, w, sizeof w);
    w4[5] = -1; /* second nonzero in the first block */
    struct {
        const char *pat;
        size_t bytes, nnz, values; /* values: stored inside the 3x5 matrix */
    } cases[] = {
        {"dense", 15 * 4, 15, 15},
        {"unstructured", 4 * (4 + 4) + (3 + 1) * 4, 4, 4},
        /* blocks (0,0), (0,1), (1,2): 3 * (2*2*4 + 4) + (2 + 1) * 4; the last holds one
         * cell of the matrix */
        {"block:2x2", 3 * (16 + 4) + 3 * 4, 12, 4 + 4 + 1},
        /* one 4x8 block covering everything, padded */
        {"block:4x8", 1 * (32 * 4 + 4) + 2 * 4, 32, 15},
        /* 2 groups per row (k 5 -> 8), 2 kept each: 12 values + 12 index bytes; the second
         * group has one column of the matrix */
        {"2:4", 12 * 4 + 12 * 1, 12, 3 * (2 + 1)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sr_pattern p = pat(cases[i].pat);
        sr_sparse *s = encode(w4, 3, 5, &p);
        ck_assert_msg(sr_sparse_weight_bytes(s) == cases[i].bytes, "%s: %zu bytes, want %zu",
                      cases[i].pat, sr_sparse_weight_bytes(s), cases[i].bytes);
        ck_assert_uint_eq(s->nnz, cases[i].nnz);
        ck_assert_uint_eq(s->values, cases[i].values);
        ck_assert(fabs(sr_sparse_density(s) - (double)cases[i].values / 15.0) < 1e-12);
        sr_sparse_free(s);
    }
    /* 15:16 on a 1x1 matrix stores 15 values, 14 of them padding: the achieved sparsity
     * is 0, not -14 (issue 15, defect 8) */
    const float one = 0.5f;
    sr_pattern p1516 = pat("15:16");
    sr_sparse *s1 = encode(&one, 1, 1, &p1516);
    ck_assert_uint_eq(s1->nnz, 15);
    ck_assert_uint_eq(s1->values, 1);
    ck_assert_double_eq(sr_sparse_density(s1), 1.0);
    sr_sparse_free(s1);
    sr_pattern p = pat("block:2x2");
    sr_sparse *s = encode(w4, 3, 5, &p);
    ck_assert_int_eq(s->mp, 4);
    ck_assert_int_eq(s->kp, 6);
    ck_assert_uint_eq(s->nblocks, 3);
    const int32_t rowptr[3] = {0, 2, 3}, colidx[3] = {0, 1, 2};
    ck_assert(memcmp(s->rowptr, rowptr, sizeof rowptr) == 0);
    ck_assert(memcmp(s->colidx, colidx, sizeof colidx) == 0);
    const float blk0[4] = {1, 0, -1, 0}, blk2[4] = {3.5f, 0, 0, 0};
    ck_assert(memcmp(s->vals, blk0, sizeof blk0) == 0);
    ck_assert(memcmp(s->vals + 8, blk2, sizeof blk2) == 0);
    sr_sparse_free(s);
    ck_assert_uint_eq(sr_sparse_weight_bytes(NULL), 0);
    sr_sparse_free(NULL);
}
END_TEST

/* Largest single array of an encoded matrix. */
static size_t largest_array(const sr_sparse *s)
{
    size_t sizes[4] = {s->nnz * sizeof(float), 0, 0, 0};
    switch (s->pattern.kind) {
    case SR_PAT_DENSE: break;
    case SR_PAT_UNSTRUCTURED:
        sizes[1] = s->nnz * 4;
        sizes[2] = ((size_t)s->m + 1) * 4;
        break;
    case SR_PAT_BLOCK:
        sizes[1] = s->nblocks * 4;
        sizes[2] = ((size_t)s->mp / s->pattern.br + 1) * 4;
        break;
    case SR_PAT_NM: sizes[1] = s->nnz; break;
    }
    size_t big = 0;
    for (int i = 0; i < 4; i++)
        big = sizes[i] > big ? sizes[i] : big;
    return big;
}

START_TEST(test_estimate_bounds)
{
    static const double sps[] = {0.0, 0.25, 0.5, 0.7, 0.9, 0.999, 1.0};
    const char *names[] = {"dense", "unstructured", "block:1x1", "block:4x4", "block:32x1",
                           "block:1x32", "block:16x8", "block:32x32", "1:2", "2:4", "15:16", "3:5"};
    for (int si = 0; si < NSHAPES; si++) {
        int m = shapes[si][0], k = shapes[si][1];
        float *w = random_matrix(m, k, 5), *pr = alloc_f((size_t)m * k);
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            for (size_t t = 0; t < sizeof sps / sizeof sps[0]; t++) {
                sr_pattern p = pat(names[i]);
                size_t big = 0, total = 0;
                sr_sparse_estimate(&p, m, k, sps[t], &big, &total);
                prune_ok(w, m, k, &p, sps[t], pr);
                sr_sparse *s = encode(pr, m, k, &p);
                ck_assert_msg(total >= sr_sparse_weight_bytes(s), "%s %dx%d s=%g: estimate %zu < %zu",
                              names[i], m, k, sps[t], total, sr_sparse_weight_bytes(s));
                ck_assert_msg(big >= largest_array(s), "%s %dx%d s=%g: largest %zu < %zu", names[i],
                              m, k, sps[t], big, largest_array(s));
                ck_assert_uint_ge(total, big);
                sr_sparse_free(s);
            }
        free(w);
        free(pr);
    }
    /* a shape far beyond int32 indices still gets a (saturating, nonzero) estimate */
    sr_pattern d = pat("dense");
    size_t big = 0, total = 0;
    sr_sparse_estimate(&d, 1 << 30, 1 << 30, 0.0, &big, &total);
    ck_assert_uint_ge(total, (size_t)1 << 32);
}
END_TEST

static void expect_refused(sr_code rc, const sr_err *e, const char *needle)
{
    ck_assert_int_eq(rc, SR_ERR_ARG);
    ck_assert_int_eq(e->code, SR_ERR_ARG);
    ck_assert_msg(strstr(e->msg, needle) != NULL, "message '%s' does not name '%s'", e->msg, needle);
}

START_TEST(test_bad_inputs)
{
    float w[4] = {1, 2, 3, 4}, out[4];
    sr_pattern p = pat("unstructured");
    sr_sparse dummy, *s = &dummy; /* must be reset to NULL on failure */
    sr_err e;
    expect_refused(sr_prune(w, 2, 2, &p, -0.1, out, &e), &e, "-0.1");
    expect_refused(sr_prune(w, 2, 2, &p, 1.5, out, &e), &e, "1.5");
    expect_refused(sr_prune(w, 2, 2, &p, NAN, out, &e), &e, "nan");
    expect_refused(sr_prune(w, 0, 2, &p, 0.5, out, &e), &e, "0x2");
    expect_refused(sr_prune(w, 2, -3, &p, 0.5, out, &e), &e, "2x-3");
    expect_refused(sr_sparse_from_dense(w, 2, 0, &p, &s, &e), &e, "2x0");
    ck_assert_ptr_null(s);
    sr_pattern bad_blk = {.kind = SR_PAT_BLOCK, .br = 3, .bc = 4};
    expect_refused(sr_sparse_from_dense(w, 2, 2, &bad_blk, &s, &e), &e, "3x4");
    sr_pattern bad_nm = {.kind = SR_PAT_NM, .n = 4, .m = 4};
    expect_refused(sr_prune(w, 2, 2, &bad_nm, 0.5, out, &e), &e, "4:4");
    expect_refused(sr_prune(w, 2, 2, NULL, 0.5, out, &e), &e, "pattern");
    /* a NaN weight cannot be ranked */
    float wn[4] = {1, NAN, 3, 4};
    expect_refused(sr_prune(wn, 2, 2, &p, 0.5, out, &e), &e, "row 0, column 1");
    /* beyond 32-bit indices: refused before any element is read */
    expect_refused(sr_prune(w, 65536, 65536, &p, 0.5, out, &e), &e, "32-bit");
    expect_refused(sr_sparse_from_dense(w, 46341, 46341, &p, &s, &e), &e, "46341x46341");
    /* fits unpadded (46340^2 < 2^31) but not padded to 32x32 blocks */
    sr_pattern b32 = pat("block:32x32");
    expect_refused(sr_sparse_from_dense(w, 46340, 46340, &b32, &s, &e), &e, "46368x46368");
    /* sparsity is validated for every kind; a NULL result pointer is refused */
    sr_pattern nm = pat("2:4");
    expect_refused(sr_prune(w, 1, 4, &nm, 2.0, out, &e), &e, "sparsity 2");
    ck_assert_int_eq(sr_sparse_from_dense(w, 2, 2, &p, NULL, &e), SR_ERR_ARG);
}
END_TEST

/* Large shapes run in well under the timeout (selection, not sorting). */
START_TEST(test_large)
{
    int m = 2048, k = 2048;
    size_t n = (size_t)m * k;
    float *w = random_matrix(m, k, 6), *pr = alloc_f(n);
    const char *names[] = {"unstructured", "block:4x4", "2:4"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sr_pattern p = pat(names[i]);
        prune_ok(w, m, k, &p, 0.9, pr);
        sr_sparse *s = encode(pr, m, k, &p);
        if (p.kind == SR_PAT_UNSTRUCTURED)
            ck_assert_uint_eq(s->nnz, (size_t)llround(0.1 * (double)n));
        size_t big, total;
        sr_sparse_estimate(&p, m, k, 0.9, &big, &total);
        ck_assert_uint_ge(total, sr_sparse_weight_bytes(s));
        sr_sparse_free(s);
    }
    free(w);
    free(pr);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sparse");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, test_random_seeded);
    tcase_add_test(tc, test_round_trip_all_formats);
    tcase_add_test(tc, test_prune_unstructured);
    tcase_add_test(tc, test_prune_block);
    tcase_add_test(tc, test_nm_constraint);
    tcase_add_test(tc, test_zero_and_full);
    tcase_add_test(tc, test_weight_bytes_hand);
    tcase_add_test(tc, test_estimate_bounds);
    tcase_add_test(tc, test_bad_inputs);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("large");
    tcase_set_timeout(big, 120);
    tcase_add_test(big, test_large);
    suite_add_tcase(s, big);
    sparse_read_tests(s);
    csr_segments_tests(s);
    return sr_check_run(s);
}
