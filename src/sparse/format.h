/* Sparse weight formats: the matrix W (M x K, fp32, row-major when dense) in the layout a
 * kernel reads. Knows nothing of OpenCL or SQLite.
 *
 * Layouts (32-bit indices, fp32 values):
 *   dense         vals[m*k]                                   row-major
 *   unstructured  CSR: rowptr[m+1], colidx[nnz], vals[nnz]    columns ascending per row
 *   block RxC     BSR: mb = ceil(m/br), kb = ceil(k/bc) block rows/cols;
 *                 rowptr[mb+1], colidx[nblocks] (block column), vals[nblocks*br*bc]
 *                 (each block row-major, br x bc); block columns ascending per block row.
 *                 Blocks at the right/bottom edge are padded with zeros.
 *   N:M           groups = ceil(k/m) per row (k padded to groups*m with zeros);
 *                 vals[m_rows*groups*n], idx[m_rows*groups*n] (uint8 position 0..m-1
 *                 inside its group, ascending within a group). Every group stores exactly
 *                 n entries (zeros where the group had fewer nonzeros).
 */
#ifndef SR_SPARSE_FORMAT_H
#define SR_SPARSE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "common/pattern.h"
#include "common/status.h"

typedef struct sr_sparse {
    sr_pattern pattern;
    int m, k;         /* logical shape of W */
    int mp, kp;       /* padded shape: multiples of the block (br, bc) or group (1, m) */
    size_t nnz;       /* stored values: CSR nonzeros, nblocks*br*bc, or m*groups*n */
    size_t values;    /* of those, the ones inside the m x k matrix (nnz less padding) */
    size_t nblocks;   /* BSR only */
    int groups;       /* N:M only: groups per row */
    int32_t *rowptr;  /* CSR: m+1; BSR: mb+1 */
    int32_t *colidx;  /* CSR: nnz; BSR: nblocks */
    uint8_t *idx;     /* N:M: nnz */
    float *vals;      /* dense: m*k; CSR: nnz; BSR: nblocks*br*bc; N:M: nnz */
} sr_sparse;

/* Fills w[m*k] with values uniform in [-1, 1) from a seeded generator (same seed, same
 * matrix on every machine). */
void sr_dense_random(float *w, int m, int k, uint64_t seed);

/* Magnitude pruning: writes into out[m*k] a copy of w in which the smallest-magnitude
 * weights (unstructured), blocks (block, scored by L1 norm, padding counts as zero) or
 * the smallest m-n of every group along K (N:M) are zeroed. For unstructured and block
 * the number kept is round((1-sparsity) * total); ties go to the lower index. Dense
 * copies w; N:M ignores `sparsity`. sparsity must be in [0, 1]. */
sr_code sr_prune(const float *w, int m, int k, const sr_pattern *p, double sparsity,
                 float *out, sr_err *err);

/* Encodes a (pruned) dense matrix into the pattern's format. For N:M the n largest
 * magnitudes of each group are kept (the matrix need not be pruned already). */
sr_code sr_sparse_from_dense(const float *w, int m, int k, const sr_pattern *p,
                             sr_sparse **out, sr_err *err);

/* Decodes into out[m*k] (the logical shape; padding dropped). */
void sr_sparse_to_dense(const sr_sparse *s, float *out);

void sr_sparse_free(sr_sparse *s); /* NULL is a no-op */

/* Bytes of W the kernel must read: values, indices, row pointers, metadata, padding
 * included (design.md's table, counting what is actually stored). */
size_t sr_sparse_weight_bytes(const sr_sparse *s);

/* Fraction of the m*k weights the format stores (values / (m*k), padding not counted: at
 * most 1); 1 - this is the achieved sparsity. */
double sr_sparse_density(const sr_sparse *s);

/* Upper bounds, before anything is built, of the largest single array and of all
 * arrays of the format for this shape and sparsity: used to refuse a matrix larger
 * than a device's limits before allocating. */
void sr_sparse_estimate(const sr_pattern *p, int m, int k, double sparsity,
                        size_t *largest_bytes, size_t *total_bytes);

#endif
