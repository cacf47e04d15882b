/* What a sweep found, from the rows its run stored: for each pattern and sparsity the
 * network's measured and predicted time and speedup over dense (GEMM work on both
 * sides; layers a pattern does not prune keep their dense time), the prediction's
 * error, and every layer's distance from its prediction, worst first. */
#ifndef SR_SESSION_SWEEP_SUMMARY_H
#define SR_SESSION_SWEEP_SUMMARY_H

#include "session/sweep.h"

typedef struct {
    sr_sweep_config config;
    double measured_dense_s, measured_s, predicted_dense_s, predicted_s; /* NAN where missing */
    double measured_speedup, predicted_speedup;
    double error;            /* predicted / measured speedup - 1 */
    double device_dense_s, device_s, device_speedup; /* the device model's (NAN: none) */
    double device_error;     /* device / measured speedup - 1 */
    double device_time_error; /* device / measured network time - 1 */
    size_t kept_dense;       /* layers the pattern prunes that had no row of it (dense time) */
} sr_sweep_result;

typedef struct {
    size_t layer_index;
    const char *name;        /* the network's */
    sr_sweep_config config;
    double measured_s, predicted_s;
    double ratio;            /* predicted / measured time */
    double device_s;         /* the device model's time (NAN: none) */
    char bound[SR_NAME_MAX];
    int above_roof;          /* measured faster than its roofline bound */
} sr_sweep_layer;

typedef struct {
    sr_sweep_result *results;
    size_t n_results;
    sr_sweep_layer *layers;  /* by |log(ratio)|, worst first */
    size_t n_layers;
    size_t above_roof;
    double above_roof_max;   /* the largest predicted / measured time among them (0: none) */
    int complete;            /* every layer of every config has a time */
    /* the device model's error per layer, |device / measured time - 1|: median and worst
     * over every row with a device time (NAN: none) */
    double device_layer_median, device_layer_worst;
} sr_sweep_summary;

sr_code sr_sweep_summarize(const sr_sweep_opts *o, const sr_layer_row *rows, size_t n, sr_sweep_summary *out,
                           sr_err *err);
void sr_sweep_summary_free(sr_sweep_summary *s);

#endif
