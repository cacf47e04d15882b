/* Calibrating the device model: each pattern's kernel run on a grid of synthetic shapes
 * (M, K, N and, for patterns whose sparsity is free, the sparsity), with the parameters
 * the sweep would use, verified and timed; the points stored together under the run. No
 * network is involved: the model predicts networks it never saw. */
#ifndef SR_SESSION_CALIBRATE_H
#define SR_SESSION_CALIBRATE_H

#include "model/device_model.h"
#include "session/session.h"

#define SR_CALIB_MAX_VALUES 12

typedef struct {
    sr_pattern patterns[16];
    size_t n_patterns;
    double m[SR_CALIB_MAX_VALUES], k[SR_CALIB_MAX_VALUES], n[SR_CALIB_MAX_VALUES];
    double sparsity[SR_CALIB_MAX_VALUES];
    size_t n_m, n_k, n_n, n_sparsity;
    /* more N for dense alone: widths where it runs with vectors along M (no panels), so
     * that its rates there come from points of that kernel */
    double n_dense[SR_CALIB_MAX_VALUES];
    size_t n_n_dense;
    /* more M for dense alone: the top of its in-place range (sr_kernel_params_x_in_place:
     * M <= 128), so that layers there take no rate of another M's way of reading X */
    double m_dense[SR_CALIB_MAX_VALUES];
    size_t n_m_dense;
    double max_flops; /* shapes whose dense work exceeds this are left out (time) */
    int unaligned;    /* also each N less one column: rows of Y not whole vectors */
    int reps;
    double min_time_s, check_macs;
} sr_calibrate_opts;

/* The default grid (quick: fewer N and sparsities) for the study's patterns. */
void sr_calibrate_opts_default(sr_calibrate_opts *o, int quick);

/* Points of the grid, in the order they run. */
size_t sr_calibrate_count(const sr_calibrate_opts *o);

typedef void (*sr_calibrate_progress)(void *ctx, size_t done, size_t total, const sr_calib_point *p);

/* The device model of a stored device (device_uuid) with launch overhead launch_s: its
 * newest calibration (*pts malloc'ed; free() it) and the panels its dense kernels ran in.
 * SR_ERR_NOTFOUND: no calibration. */
sr_code sr_session_device_model(sr_store *store, const char *device_uuid, double launch_s, sr_device_model *dm,
                                sr_calib_point **pts, sr_err *err);

/* The hash of what decides the speeds of calibration points pts on this binary and this
 * store: the kernel sources, and for each point the parameters a run of it would use now on
 * device_uuid (of type device_type; NULL: "CPU"), defaults or tuned, as the kernels apply
 * them to its N (effective panel, X read in place or repacked). Independent of the points'
 * order. Into out as 16 hex digits. */
sr_code sr_calibration_hash(sr_store *store, const char *device_uuid, const char *device_type,
                            const sr_calib_point *pts, size_t n, char out[SR_KERNELS_HASH_LEN], sr_err *err);

#define SR_CALIBRATION_STALE "calibration made with other kernels: run 'sparseroof calibrate' again"

/* Whether the newest calibration of device_uuid (its points pts) was made with other
 * kernels or parameters than this binary would run now (1), or says nothing of them (made
 * before hashes were recorded: 1 too); why (if not NULL) gets the line to show the user,
 * "" when it is current (0). */
int sr_calibration_stale(sr_store *store, const char *device_uuid, const sr_calib_point *pts, size_t n, char *why,
                         size_t size);

/* Runs the grid on the session's open device (its run begun) and stores the points;
 * *pts (malloc'ed) receives them. Interrupted: nothing stored. */
sr_code sr_session_calibrate(sr_session *s, const sr_calibrate_opts *o, sr_calibrate_progress progress, void *ctx,
                             sr_calib_point **pts, size_t *n, sr_err *err);

#endif
