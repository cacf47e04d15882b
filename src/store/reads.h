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
    int batch;
    int64_t m, k, n;
    char run_uuid[SR_UUID_LEN];
} sr_roofline_point;

/* The points of a device (UUID), optionally of one run (UUID or prefix; NULL: all) and one
 * network (name; NULL: all, "" : free shapes only). Rows without FLOPs or bytes are left
 * out, and measured rows that failed verification. */
sr_code sr_store_roofline_points(sr_store *s, const char *device_uuid, const char *run,
                                 const char *network, sr_roofline_point **pts, size_t *n,
                                 sr_err *err);

#endif
