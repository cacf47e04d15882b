/* Sparsity Roofline curves from stored rows: for one network on one device (batch,
 * dtype), each accuracy figure of a pattern placed at the speedup stored for that pattern
 * and sparsity (predicted, measured, or both), one curve per pattern and source; and the
 * answer in words: the fastest pattern and sparsity within each accuracy-drop budget.
 * A speedup between two stored sparsities is interpolated (the network's time, linearly in
 * sparsity); outside them it is not extrapolated and the point is left out, with a note.
 * Without accuracy figures, the curves are speedup against each stored sparsity. */
#ifndef SR_QUERY_CURVE_H
#define SR_QUERY_CURVE_H

#include <stdio.h>

#include "common/status.h"
#include "query/outfile.h"
#include "store/reads.h"

enum { SR_CURVE_PREDICTED = 1, SR_CURVE_MEASURED = 2, SR_CURVE_BOTH = 3 };

#define SR_CURVE_BUDGETS 4 /* accuracy-drop budgets, in points: 0.5, 1, 2, 5 */

typedef struct {
    const char *network;  /* required: a name */
    const char *device;   /* NULL: the device with the newest rows for the network */
    const char *dtype;    /* NULL: that of the newest rows */
    int batch;            /* 0: that of the newest rows */
    int sources;          /* SR_CURVE_PREDICTED, _MEASURED or _BOTH (0: both) */
    const char *patterns; /* comma-separated filter (NULL: all) */
    int relative;         /* y: accuracy minus the source's dense baseline */
    const char *metric;   /* NULL: the metric (and dataset) with the most figures */
    const char *dataset;
} sr_curve_opts;

/* The speedup of one pattern at one sparsity: NAN for a kind with no stored rows there. */
typedef struct {
    double predicted, measured;
    int interpolated; /* 1: between two stored sparsities */
} sr_speedup_at;

/* Speedup at (pattern, sparsity) from rows[0..n) of one set; 0 when neither kind is
 * stored there or between two stored sparsities (never extrapolated). "dense" is 1. */
int sr_curve_speedup(const sr_speedup_row *rows, size_t n, const char *pattern,
                     double sparsity, sr_speedup_at *out);

typedef struct {
    double sparsity;
    double accuracy;   /* the figure (NAN without accuracy) */
    double predicted, measured; /* speedups, NAN where none (or not asked for) */
    int interpolated;
} sr_curve_point;

typedef struct {
    char pattern[SR_NAME_MAX], source[512], method[256];
    double dense_accuracy; /* the source's dense figure, NAN when it has none */
    sr_curve_point *pts;   /* by sparsity; the source's dense point first when known */
    size_t n;
} sr_curve;

typedef struct {
    double budget;      /* points of accuracy drop allowed */
    int found;          /* 0: no sparse point within the budget (stay dense) */
    char pattern[SR_NAME_MAX], source[512];
    double sparsity, speedup, accuracy, dense_accuracy;
    int measured;       /* the speedup is measured (else predicted) */
    int interpolated;
} sr_curve_answer;

typedef struct {
    sr_speedup_set set;       /* the device, network, dtype and batch drawn */
    size_t n_sets;            /* how many sets the network has (any device) */
    int with_accuracy;
    int relative;
    int sources;
    char metric[32], dataset[128];
    sr_curve *curves;
    size_t n_curves;
    char **notes;             /* what was left out, and why */
    size_t n_notes;
    sr_curve_answer answers[SR_CURVE_BUDGETS];
    int answered;             /* answers hold something (accuracy figures with baselines) */
} sr_curve_set;

/* Reads the rows and builds the curves. SR_ERR_NOTFOUND, naming what is missing and what
 * there is, for an unknown network or device, or a database without timings for them. */
sr_code sr_curve_build(sr_store *s, const sr_curve_opts *o, sr_curve_set **out, sr_err *err);
void sr_curve_set_free(sr_curve_set *c); /* NULL: no-op */

/* The answer for budget b as one sentence into buf. */
void sr_curve_answer_text(const sr_curve_set *c, size_t b, char *buf, size_t size);

/* The curve as a chart (query/plot.h; the caller frees it), or its points as CSV or JSON. */
struct sr_plot;
sr_code sr_curve_chart(const sr_curve_set *c, struct sr_plot **out, sr_err *err);
sr_code sr_curve_write_csv(const sr_curve_set *c, FILE *f, sr_err *err);
struct json_object *sr_curve_json(const sr_curve_set *c);
extern const sr_out_writers sr_curve_writers; /* all three, for sr_out_save */

#endif
