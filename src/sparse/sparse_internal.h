/* Helpers shared by the files of src/sparse/ (not part of the public API): argument
 * checks and the magnitude orderings that pruning and encoding must agree on. */
#ifndef SR_SPARSE_INTERNAL_H
#define SR_SPARSE_INTERNAL_H

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "sparse/format.h"

/* Checks the pattern (block sides, N and M) and the shape (m, k > 0; the shape padded to
 * the block or group fits 32-bit indices). The message names what is wrong. */
sr_code sr_sparse_check_shape(const sr_pattern *p, int m, int k, sr_err *err);

/* A total order on magnitudes: the bits of |v| as an unsigned integer (monotone for
 * floats; NaN ranks above infinity so every ordering stays well defined). */
static inline uint32_t sr_mag_key(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u & UINT32_C(0x7fffffff);
}

/* The n positions kept in the N:M group of row[] starting at column c0 (positions past
 * k are zero padding): the n largest magnitudes, ties to the lower position. Returns a
 * bitmask, bit j for position j. */
static inline uint32_t sr_nm_select(const float *row, int k, int c0, int n, int m)
{
    uint32_t keys[SR_NM_MAX_M];
    for (int j = 0; j < m; j++)
        keys[j] = c0 + j < k ? sr_mag_key(row[c0 + j]) : 0;
    uint32_t mask = 0;
    /* rank of j = how many positions order before it (larger, or equal and lower); keep
     * the first n. Branch-free: which positions win is as random as the weights. */
    for (int j = 0; j < m; j++) {
        int rank = 0;
        for (int i = 0; i < m; i++)
            rank += i < j ? keys[i] >= keys[j] : keys[i] > keys[j];
        mask |= (uint32_t)(rank < n) << j;
    }
    return mask;
}

/* key(ctx, i): the ordering key of item i (larger ranks first). */
typedef uint64_t (*sr_key_fn)(const void *ctx, size_t i);

/* Selection of the `keep` largest of n keys (ties to the lower index) in O(n) passes
 * with a radix histogram, no sort and no copy of the keys. On return, item i is kept
 * when key(i) > *thr, or key(i) == *thr and it is among the first *ties such items in
 * index order. keep must be in [1, n]; keys use only their low `bits` bits (32 or 64).
 * Inline, so that a caller's key function is inlined into the passes over the keys. */
#define SR_DIGIT_BITS 16
#define SR_DIGIT_BINS (1u << SR_DIGIT_BITS)
static inline sr_code sr_select_top(sr_key_fn key, const void *ctx, size_t n, size_t keep, int bits,
                                    uint64_t *thr, size_t *ties, sr_err *err)
{
    uint32_t *hist = malloc(SR_DIGIT_BINS * sizeof *hist); /* n fits int32 (checked by callers) */
    if (!hist)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory selecting the %zu largest of %zu weights",
                          keep, n);
    /* Fix the threshold one 16-bit digit at a time, from the top: `need` is how many of
     * the items sharing the digits fixed so far are still to be kept. */
    uint64_t prefix = 0, fixed = 0;
    size_t need = keep;
    for (int shift = bits - SR_DIGIT_BITS; shift >= 0; shift -= SR_DIGIT_BITS) {
        memset(hist, 0, SR_DIGIT_BINS * sizeof *hist);
        for (size_t i = 0; i < n; i++) {
            uint64_t v = key(ctx, i);
            if ((v & fixed) == prefix)
                hist[(v >> shift) & (SR_DIGIT_BINS - 1)]++;
        }
        size_t above = 0;
        uint32_t d = SR_DIGIT_BINS - 1;
        while (above + hist[d] < need)
            above += hist[d--];
        need -= above;
        prefix |= (uint64_t)d << shift;
        fixed |= (uint64_t)(SR_DIGIT_BINS - 1) << shift;
    }
    free(hist);
    *thr = prefix;
    *ties = need;
    return SR_OK;
}

/* Bytes from the position to the end of f, for readers to check what a header declares
 * before allocating for it; -1 where f cannot seek (a pipe). */
static inline long long sr_file_bytes_left(FILE *f)
{
    long here = ftell(f);
    if (here < 0 || fseek(f, 0, SEEK_END) != 0)
        return -1;
    long end = ftell(f);
    if (fseek(f, here, SEEK_SET) != 0 || end < here)
        return -1;
    return (long long)(end - here);
}

#endif
