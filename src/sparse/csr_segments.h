/* CSR cut into K blocks, for the CSR SpMM kernel: the nonzeros of each (K block, row)
 * pair form one segment, so that a work-item can run all its rows over one block of
 * columns (whose slice of X then stays in L1) before the next block. Inside each
 * (block, group of rows) the segments are ordered by length: consecutive segments then
 * loop the same number of times and the loop exit becomes predictable, where random
 * lengths cost a branch miss per segment.
 *
 * Layout: for block b (columns [b*kc, (b+1)*kc)) and row group g (rows [g*rows, ...)),
 * segments b*m + g*rows ... hold that group's rows, shortest first; segment s is row
 * seg_row[s], nonzeros seg_ptr[s] .. seg_ptr[s+1]-1 of colidx/vals (columns ascending).
 * A weight matrix is prepared once, like BSR or N:M packing; kc = k and rows = 1 give
 * the plain CSR order. Knows nothing of OpenCL. */
#ifndef SR_SPARSE_CSR_SEGMENTS_H
#define SR_SPARSE_CSR_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "sparse/format.h"

typedef struct {
    int m, k;
    int kc;          /* columns per K block */
    int rows;        /* rows per group (the rows one work-item runs over each block) */
    int nblocks;     /* ceil(k / kc) */
    size_t nnz;
    int32_t *seg_row; /* nblocks * m */
    int32_t *seg_ptr; /* nblocks * m + 1 */
    int32_t *colidx;  /* nnz */
    float *vals;      /* nnz */
} sr_csr_segments;

/* Cuts a CSR matrix (pattern unstructured) into blocks of kc columns (kc <= 0 or
 * kc > k: one block) and groups of `rows` rows (>= 1). */
sr_code sr_csr_segments_build(const sr_sparse *csr, int kc, int rows, sr_csr_segments *out, sr_err *err);

void sr_csr_segments_free(sr_csr_segments *s); /* frees the arrays; NULL is a no-op */

#endif
