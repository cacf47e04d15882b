/* Network predictions: the roofline time of every layer of a network, dense and under
 * each pattern and sparsity asked for, and the network speedup over dense (the sum of
 * layer times; layers left dense keep their dense time). The first and last prunable
 * layers stay dense unless prune_all. Patterns whose sparsity is fixed (dense, N:M) give
 * one result each and ignore the sparsities. */
#ifndef SR_MODEL_PREDICT_H
#define SR_MODEL_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "common/pattern.h"
#include "common/status.h"
#include "model/ceilings.h"
#include "model/device_model.h"
#include "model/network.h"

typedef struct {
    int64_t batch;  /* images or sequences, >= 1 */
    sr_dtype dtype;
    int prune_all;  /* prune the first and last prunable layers too */
    /* NULL: the roofline's time. Else the device model's (model/device_model.h): each
     * layer's calibrated kernel time plus its launches, with the same non-GEMM term; the
     * bound names the term that decides it. */
    const sr_device_model *dm;
} sr_predict_opts;

typedef struct {
    char name[SR_LAYER_NAME_MAX];
    sr_layer_kind kind;
    int64_t m, k, n, groups; /* at the batch: see sr_layer_batched() */
    int pruned;              /* the pattern was applied; 0: the layer ran dense */
    double sparsity;         /* applied: 0 when not pruned */
    double nnz, flops, bytes, ai, extra_bytes;
    double gflops, gbps;     /* ceilings used */
    char bound[SR_NAME_MAX]; /* "compute" or a bandwidth level */
    double time_s;           /* predicted, non-GEMM work included */
    double dense_time_s;     /* the same layer dense */
} sr_layer_prediction;

typedef struct {
    sr_pattern pattern;
    char pattern_name[SR_NAME_MAX];
    double sparsity;         /* asked for, or the pattern's own (N:M: 1 - N/M) */
    double dense_time_s, time_s, speedup;
    size_t n_pruned;
    size_t n_layers;
    sr_layer_prediction *layers;
} sr_network_prediction;

typedef struct {
    char network[SR_LAYER_NAME_MAX];
    char device[256];
    sr_predict_opts opts;
    size_t n_results;
    sr_network_prediction *results; /* patterns in order, each over its sparsities */
} sr_prediction;

/* Predicts net on the device c for each pattern (and each sparsity, for patterns whose
 * sparsity is not fixed; they need at least one). Sparsities must be in [0, 1]. */
sr_code sr_predict(const sr_network *net, const sr_ceilings *c, const sr_predict_opts *opts,
                   const sr_pattern *patterns, size_t n_patterns, const double *sparsities,
                   size_t n_sparsities, sr_prediction **out, sr_err *err);
void sr_prediction_free(sr_prediction *p); /* NULL is a no-op */

/* Whether layer i of net is pruned under opts: prunable, and not the first or last
 * prunable layer unless prune_all. */
int sr_predict_layer_pruned(const sr_network *net, size_t i, int prune_all);

#endif
