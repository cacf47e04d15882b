/* What `model-check` holds against each other, from stored layer rows: each row predicted
 * again by the device model as it is now (from the stored calibration and ceilings, no
 * kernel launched), network totals formed from the rows as v_network_speedup forms them,
 * and the errors by network and pattern. */
#ifndef SR_QUERY_MODEL_CHECK_H
#define SR_QUERY_MODEL_CHECK_H

#include "model/device_model.h"
#include "store/store.h"

/* Predicts every row again with dm on ceilings c: device_s becomes the model's kernel time
 * (launches left out, as bench stores it) and term what decides it; NAN where the model
 * cannot (a pattern it has no calibration of, a dtype other than fp32). peak_s becomes the
 * paper's roofline time on c as the formulas count it now (kept where they cannot).
 * Returns how many rows got a device prediction. */
size_t sr_model_check_recompute(sr_check_row *rows, size_t n, const sr_device_model *dm, const sr_ceilings *c);

/* Network totals of rows (as sr_store_check_rows orders them): for every network, dtype,
 * batch and sparse pattern and sparsity, the sum over the network's layers of the sparse
 * row where the layer is prunable and was measured so, else the dense row; a total whose
 * dense rows are not all there is left out, one without every device time too. *out
 * malloc'ed. */
sr_code sr_model_check_totals(const sr_check_row *rows, size_t n, sr_check_total **out, size_t *n_out,
                              sr_err *err);

/* Median and worst of absolute errors. */
typedef struct {
    double median, worst; /* NAN: none */
    double worst_sparsity; /* the sparsity of the worst (totals by pattern) */
    size_t n;
} sr_error_stats;

/* The errors of one network's pattern: its totals' speedup and time, its layer rows' time. */
typedef struct {
    char network[128], pattern[SR_NAME_MAX];
    sr_error_stats speedup, time, layer;
} sr_pattern_errors;

/* The device model's errors by network and pattern (*out malloc'ed; dense: layer rows
 * only), in the order of the rows. */
sr_code sr_model_check_by_pattern(const sr_check_total *t, size_t nt, const sr_check_row *rows, size_t nr,
                                  sr_pattern_errors **out, size_t *n_out, sr_err *err);

/* sr_error_stats of |v[i]| (v is reordered; worst_sparsity NAN). */
sr_error_stats sr_error_stats_of(double *v, size_t n);

#endif
