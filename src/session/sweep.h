/* The measured network sweep (`bench`): every layer of a network run for real, dense and
 * in each pattern and sparsity, verified, timed and predicted (GEMM work only, on both
 * sides), each row stored as soon as it is measured, so that an interrupted sweep keeps
 * what it did and a resumed one does only the rest. Layers of the same shape share one
 * measurement when their weights are the seeded random ones. */
#ifndef SR_SESSION_SWEEP_H
#define SR_SESSION_SWEEP_H

#include <stdint.h>

#include "bench/kernel_run.h"
#include "model/device_model.h"
#include "model/network.h"
#include "session/session.h"

#define SR_SWEEP_MAX_CONFIGS 128

typedef struct {
    sr_pattern pattern;
    double sparsity;
} sr_sweep_config;

typedef struct {
    const sr_network *net;
    int64_t batch;
    int prune_all;                 /* prune the first and last prunable layers too */
    sr_sweep_config configs[SR_SWEEP_MAX_CONFIGS]; /* dense first (sr_sweep_configs) */
    size_t n_configs;
    int reps;
    double min_time_s;             /* see sr_kernel_spec */
    uint64_t seed;
    double check_macs;             /* see sr_kernel_spec */
    const char *weights_dir;       /* NULL: seeded random weights */
    const sr_device_model *dm;     /* the device model (NULL: none); its time goes with each row */
} sr_sweep_opts;

/* Dense, then every pattern at every sparsity (dense and N:M once, at their own). */
sr_code sr_sweep_configs(const sr_pattern *patterns, size_t n_patterns, const double *sparsities,
                         size_t n_sparsities, sr_sweep_opts *o, sr_err *err);

/* The weights of layer i from --weights DIR: DIR/<layer name>.npy, (groups * m) x k. */
sr_code sr_sweep_layer_weights(const char *dir, const sr_layer *l, float **w, sr_err *err);

/* Checks that every prunable layer has a weights file of its shape (before anything runs). */
sr_code sr_sweep_check_weights(const sr_sweep_opts *o, sr_err *err);

typedef struct {
    size_t done, total;        /* measurements (layer x config) */
    const char *layer;         /* the one just done */
    size_t layer_index;
    const sr_sweep_config *config;
    double elapsed_s, eta_s;
    int reused;                /* an earlier layer of the same shape's measurement */
    int resumed;               /* stored before the run was interrupted */
    const char *skipped;       /* why a kernel could not take this layer (it keeps its dense time) */
    const char *params_note;   /* why it ran with the defaults, not its tuned parameters; else NULL */
} sr_sweep_event;

typedef void (*sr_sweep_progress)(void *ctx, const sr_sweep_event *ev);

typedef struct {
    double wall_s;     /* the sweep, from first to last measurement */
    double kernel_s;   /* of it, running kernels (timed and warm-up repetitions) */
    double build_s;    /* of it, building kernel programs (once per parameter set) */
    /* the rest, by phase: making problems (weights and inputs), pruning and encoding,
     * buffers and uploads, first launches (PoCL compiles for the local size there),
     * reference checks, storing rows */
    double problem_s, prune_s, setup_s, first_s, verify_s, store_s;
    int built, loaded; /* programs built from source, and loaded from the binary cache */
    size_t measured, reused, resumed, skipped, sampled; /* sampled: reference checked a sample of rows */
    size_t params_defaulted; /* measured with the defaults: their tuned parameters exceeded a device limit */
} sr_sweep_stats;

/* The newest of rows (a run's stored layer rows) for layer and config (verified ones only
 * when verified_only), or NULL. */
const sr_layer_row *sr_sweep_find_row(const sr_layer_row *rows, size_t n, size_t layer, const sr_sweep_config *cfg,
                                      int verified_only);

/* Runs the sweep on the session's open device (its run current, network net_uuid stored);
 * `done` (may be NULL) marks the layer x config pairs the run already stored. ceil adds
 * the predictions. Stops with SR_ERR_INTERRUPTED between measurements once the session is
 * interrupted. */
sr_code sr_sweep_run(sr_session *s, const char *net_uuid, const sr_sweep_opts *o, const sr_ceilings *ceil,
                     const sr_layer_row *done, size_t n_done, sr_sweep_progress progress, void *ctx,
                     sr_sweep_stats *stats, sr_err *err);

#endif
