/* Helpers shared by the files of src/sparse/ (not part of the public API): argument
 * checks and the magnitude orderings that pruning and encoding must agree on. */
#ifndef SR_SPARSE_INTERNAL_H
#define SR_SPARSE_INTERNAL_H

#include <stdint.h>
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
uint32_t sr_nm_select(const float *row, int k, int c0, int n, int m);

/* key(ctx, i): the ordering key of item i (larger ranks first). */
typedef uint64_t (*sr_key_fn)(const void *ctx, size_t i);

/* Selection of the `keep` largest of n keys (ties to the lower index) in O(n) passes
 * with a radix histogram, no sort and no copy of the keys. On return, item i is kept
 * when key(i) > *thr, or key(i) == *thr and it is among the first *ties such items in
 * index order. keep must be in [1, n]; keys use only their low `bits` bits (32 or 64). */
sr_code sr_select_top(sr_key_fn key, const void *ctx, size_t n, size_t keep, int bits,
                      uint64_t *thr, size_t *ties, sr_err *err);

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
