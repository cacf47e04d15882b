/* Typed reads for src/query (curves, rooflines, accuracy, comparisons): the views of
 * schemas/ as plain structs, so that query/ includes no SQLite. Each returns a malloc'ed
 * array (free()) and its length; no rows is SR_OK with *n = 0. Doubles NULL in the
 * database are NAN. */
#ifndef SR_STORE_READS_H
#define SR_STORE_READS_H

#include <stddef.h>

#include "store/store.h"

/* Accuracy rows of one network (NULL: all), ordered by network, dataset, metric, source,
 * pattern, sparsity. */
sr_code sr_store_get_accuracy(sr_store *s, const char *network, sr_accuracy_rec **rows,
                              size_t *n, sr_err *err);

/* One set of network timings: a device, a network definition, a dtype and a batch with
 * rows in v_network_speedup. */
typedef struct {
    char device_uuid[SR_UUID_LEN], device[256];
    char network_uuid[SR_UUID_LEN], network[128];
    char dtype[8];
    int batch;
    size_t points;       /* pattern-sparsity rows */
    size_t measured;     /* of them, with a measured speedup */
    char newest_run[32]; /* start of the newest run with rows in it */
} sr_speedup_set;

/* The sets of a network (by name; NULL: every network), newest first. */
sr_code sr_store_speedup_sets(sr_store *s, const char *network, sr_speedup_set **sets,
                              size_t *n, sr_err *err);

/* One pattern at one sparsity of a set: the network's total times (v_network_speedup). */
typedef struct {
    char pattern[SR_NAME_MAX];
    double sparsity;
    double predicted_dense_s, predicted_sparse_s; /* NAN where a layer lacks a time */
    double measured_dense_s, measured_sparse_s;
    int layers, layers_measured;
} sr_speedup_row;

/* The rows of a set, ordered by pattern and sparsity. */
sr_code sr_store_speedup_rows(sr_store *s, const sr_speedup_set *set, sr_speedup_row **rows,
                              size_t *n, sr_err *err);

/* A kernel or network layer as a point of the classic roofline: the newest row of each
 * (network, layer or shape, pattern, sparsity, dtype, batch, kind). */
typedef struct {
    char network[128], layer_name[128]; /* "" for a free shape (`kernel`) */
    int layer;                          /* -1 for a free shape */
    int measured;                       /* 1: a kernel's timing; 0: a prediction */
    char pattern[SR_NAME_MAX], dtype[8], bound[SR_NAME_MAX];
    double sparsity, flops, bytes, ai;
    double predicted_time_s, measured_time_s;
    double device_time_s; /* the device model's time of a measured row; NAN: none */
    int batch;
    int64_t m, k, n;
    char run_uuid[SR_UUID_LEN];
} sr_roofline_row;

/* The points of a device (UUID), optionally of one run (UUID or prefix; NULL: all) and one
 * network (name; NULL: all, "" : free shapes only). Rows without FLOPs or bytes are left
 * out, and measured rows that failed verification. */
sr_code sr_store_roofline_points(sr_store *s, const char *device_uuid, const char *run,
                                 const char *network, sr_roofline_row **pts, size_t *n,
                                 sr_err *err);

/* ---- The lab report's tables (read_report.c) ---------------------------------------- */

/* A device as v_device shows it, and when rows were last stored for it. */
typedef struct {
    char device_uuid[SR_UUID_LEN], device[256], type[16];
    int is_virtual;
    char platform[256], platform_version[256], driver_version[256];
    char host[256], cpu_model[256];
    int compute_units;       /* 0: unknown */
    double fp32_gflops, dram_gbps; /* NAN: none stored */
    int64_t runs, measurements;
    char newest_rows[32];    /* start of the newest run with measurements; "" if none */
} sr_device_row;

/* Every stored device, the one with the newest measurements first (then by name). */
sr_code sr_store_devices(sr_store *s, sr_device_row **rows, size_t *n, sr_err *err);

/* A current ceiling of a device (v_ceiling): kind 'bandwidth' (name a level, GB/s),
 * 'compute' (a dtype, GFLOP/s; supported 0: the device lacks it), 'launch' (s), 'pattern'
 * (a virtual device's per-pattern GFLOP/s) or 'calibration' (a calibrated pattern's
 * median GFLOP/s over its grid, unit saying over what). */
typedef struct {
    char device_uuid[SR_UUID_LEN], device[256];
    char kind[16], name[SR_NAME_MAX], unit[128], method[16];
    double value;            /* NAN: none */
    int64_t ws_min_bytes, ws_max_bytes; /* bandwidth: its working sets; max -1: unbounded */
    int supported;           /* -1: not said */
    int position;
} sr_ceiling_row;

/* The ceilings of a device (UUID; NULL: every device), by device, kind (bandwidth,
 * compute, launch, pattern, calibration) and position. */
sr_code sr_store_ceiling_rows(sr_store *s, const char *device_uuid, sr_ceiling_row **rows,
                              size_t *n, sr_err *err);

/* A row of v_network_speedup: one pattern at one sparsity of a network on a device, its
 * network times and speedups by each prediction and measured, and the errors. NAN: none. */
typedef struct {
    char device_uuid[SR_UUID_LEN], device[256], network[128];
    char pattern[SR_NAME_MAX], dtype[8];
    double sparsity;
    int batch, layers, layers_measured;
    double predicted_dense_s, predicted_sparse_s, predicted_speedup;  /* the paper's, peak */
    double measured_dense_s, measured_sparse_s, measured_speedup;
    double gemm_predicted_speedup, speedup_error;          /* like for like with measured */
    double device_dense_s, device_sparse_s, device_speedup, device_speedup_error;
} sr_network_speedup;

/* The rows of a network (name) on a device (UUID; NULL: every device), by device, dtype,
 * batch, pattern and sparsity. */
sr_code sr_store_network_speedups(sr_store *s, const char *network, const char *device_uuid,
                                  sr_network_speedup **rows, size_t *n, sr_err *err);

#endif
