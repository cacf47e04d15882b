/* Magnitude selections shared by pruning and encoding: the k largest of many keys
 * (radix select) and the n kept positions of an N:M group. */
#include <stdlib.h>

#include "sparse/sparse_internal.h"

#define DIGIT_BITS 16
#define DIGIT_BINS (1u << DIGIT_BITS)

sr_code sr_select_top(sr_key_fn key, const void *ctx, size_t n, size_t keep, int bits,
                      uint64_t *thr, size_t *ties, sr_err *err)
{
    uint32_t *hist = malloc(DIGIT_BINS * sizeof *hist); /* n fits int32 (checked by callers) */
    if (!hist)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory selecting the %zu largest of %zu weights",
                          keep, n);
    /* Fix the threshold one 16-bit digit at a time, from the top: `need` is how many of
     * the items sharing the digits fixed so far are still to be kept. */
    uint64_t prefix = 0, fixed = 0;
    size_t need = keep;
    for (int shift = bits - DIGIT_BITS; shift >= 0; shift -= DIGIT_BITS) {
        memset(hist, 0, DIGIT_BINS * sizeof *hist);
        for (size_t i = 0; i < n; i++) {
            uint64_t v = key(ctx, i);
            if ((v & fixed) == prefix)
                hist[(v >> shift) & (DIGIT_BINS - 1)]++;
        }
        size_t above = 0;
        uint32_t d = DIGIT_BINS - 1;
        while (above + hist[d] < need)
            above += hist[d--];
        need -= above;
        prefix |= (uint64_t)d << shift;
        fixed |= (uint64_t)(DIGIT_BINS - 1) << shift;
    }
    free(hist);
    *thr = prefix;
    *ties = need;
    return SR_OK;
}

uint32_t sr_nm_select(const float *row, int k, int c0, int n, int m)
{
    uint32_t keys[SR_NM_MAX_M];
    for (int j = 0; j < m; j++)
        keys[j] = c0 + j < k ? sr_mag_key(row[c0 + j]) : 0;
    uint32_t mask = 0;
    /* rank of j = how many positions order before it; keep the first n */
    for (int j = 0; j < m; j++) {
        int rank = 0;
        for (int i = 0; i < m; i++)
            rank += keys[i] > keys[j] || (keys[i] == keys[j] && i < j);
        if (rank < n)
            mask |= UINT32_C(1) << j;
    }
    return mask;
}
