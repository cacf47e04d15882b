/* The Sparsity Roofline formulas of design.md for one GEMM-like layer: what a pattern at a
 * sparsity keeps (padding to whole blocks and groups included), the FLOPs and bytes a
 * kernel must execute and move, the arithmetic intensity, and the speed-of-light time on a
 * device (hierarchical roofline: the bandwidth of the level the working set fits in).
 *
 * Conventions (all counts over every group of the layer):
 *   v = value bytes of the data type, i = 4 (32-bit indices)
 *   dense          nnz = m*k                weights = nnz*v
 *   unstructured   nnz = round((1-s)*m*k)   weights = nnz*v + nnz*i + (m+1)*i        (CSR)
 *   block br x bc  mp = ceil(m/br)*br, kp = ceil(k/bc)*bc,
 *                  blocks = round((1-s) * mp*kp/(br*bc)), nnz = blocks*br*bc
 *                                           weights = nnz*v + blocks*i + (mp/br+1)*i (BSR)
 *   N:M            nnz = m * ceil(k/M) * N  weights = nnz*v + ceil(nnz*ceil(log2 M)/8)
 *   flops = 2*nnz*n (padding is multiplied too), bytes = weights + x*k*n*v + m*n*v,
 *   ai = flops/bytes, where x is the share of X's rows the kernel must read: 1, but for
 *   block patterns only the block columns some kept block lies in, in expectation over
 *   which blocks are kept: with R = mp/br block rows, C = kp/bc block columns, T = R*C and
 *   `blocks` of them kept, x = 1 - C(T-R, blocks) / C(T, blocks) (about 1 - (1-d)^R at
 *   density d; it matters where R is small and the sparsity high).
 * A pattern's metadata_bits override (sr_ceilings.patterns) replaces the per-nonzero
 * metadata: the CSR column indices, the BSR block indices, the N:M positions, by
 * ceil(nnz*bits/8) bytes (row pointers stay). Dense has no metadata to replace.
 *
 * Time: t = max(flops / P, bytes / B) + extra_bytes / B_dram, where P is the pattern's own
 * compute ceiling if the device gives one, else the device's for the data type; B is the
 * bandwidth of the level whose working-set range holds `bytes` (the layer's weights, X and
 * Y); extra_bytes (the non-GEMM work after the layer) moves at DRAM bandwidth. Launch
 * overhead is left out, as in the paper: the predicted time is a speed of light, and the
 * launch cost shows in the distance between measured and predicted. */
#ifndef SR_MODEL_ROOFLINE_H
#define SR_MODEL_ROOFLINE_H

#include <stdint.h>

#include "common/pattern.h"
#include "common/status.h"
#include "model/ceilings.h"
#include "model/network.h"

#define SR_INDEX_BYTES 4

typedef struct {
    double nnz;          /* weights stored: kept ones plus padding */
    double weight_bytes; /* values, indices, metadata */
    double flops;
    double bytes;        /* weight_bytes + X + Y */
    double ai;
} sr_gemm_cost;

typedef struct {
    sr_gemm_cost cost;
    double extra_bytes;      /* non-GEMM bytes at the data type */
    double gflops;           /* compute ceiling used */
    double gbps;             /* bandwidth ceiling used */
    char bound[SR_NAME_MAX]; /* "compute" or the bandwidth level ("L2", "DRAM") */
    double time_s;           /* max(flops/P, bytes/B) + extra_bytes/B_dram */
} sr_roofline_point;

/* FLOPs and bytes of `groups` products Y(m x n) = W(m x k) X(k x n) with W in pattern p at
 * sparsity s (ignored by dense and N:M; else in [0, 1]). metadata_bits < 0: the format's
 * own. */
sr_code sr_gemm_cost_of(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                        double sparsity, sr_dtype dtype, double metadata_bits, sr_gemm_cost *out,
                        sr_err *err);

/* The same for a matrix whose stored values (padding included) are known: nnz of one
 * group, e.g. what pruning a real matrix kept. The formulas' one count of bytes: kernels
 * and predictions both use it (a kernel's own layout may store more, see
 * sr_sparse_weight_bytes). */
sr_code sr_gemm_cost_from_nnz(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                              double nnz, sr_dtype dtype, double metadata_bits, sr_gemm_cost *out,
                              sr_err *err);

/* The roofline point of a given cost (e.g. what a real kernel counted it read) for pattern
 * p on the device c: the pattern's compute ceiling, the bandwidth of the level that holds
 * cost->bytes. */
sr_code sr_roofline_point_of(const sr_gemm_cost *cost, const sr_pattern *p, sr_dtype dtype,
                             const sr_ceilings *c, sr_roofline_point *out, sr_err *err);

/* The roofline point of a free GEMM (no non-GEMM work) on the device c. */
sr_code sr_roofline_gemm(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                         double sparsity, sr_dtype dtype, const sr_ceilings *c,
                         sr_roofline_point *out, sr_err *err);

/* The same for a matrix whose stored values per group are known (sr_gemm_cost_from_nnz),
 * with the device's metadata bits for the pattern where it gives them. */
sr_code sr_roofline_nnz(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p, double nnz,
                        sr_dtype dtype, const sr_ceilings *c, sr_roofline_point *out, sr_err *err);

/* A network layer's shape at a batch: conv and linear scale n, matmul scales groups (each
 * image has its own activation products). */
void sr_layer_batched(const sr_layer *l, int64_t batch, int64_t *m, int64_t *k, int64_t *n,
                      int64_t *groups);

/* The roofline point of a network layer at a batch, its non-GEMM work included. */
sr_code sr_roofline_layer(const sr_layer *l, int64_t batch, const sr_pattern *p,
                          double sparsity, sr_dtype dtype, const sr_ceilings *c,
                          sr_roofline_point *out, sr_err *err);

#endif
