/* Accuracy figures of pruned networks: reading and checking the CSV files users import and
 * the ones shipped in db/accuracy/ (embedded into the binary), and finding each figure's
 * dense baseline: the dense row of the same source (study), network, dataset and metric.
 * Figures are in the metric's points (percent for top1, f1, ...). No SQL here. */
#ifndef SR_QUERY_ACCURACY_H
#define SR_QUERY_ACCURACY_H

#include <stddef.h>

#include "common/status.h"
#include "store/store.h"

/* The range of a metric's values; 0 for a metric this tool does not know. */
int sr_accuracy_metric_range(const char *metric, double *lo, double *hi);

/* The metrics known, comma-separated (for messages). */
const char *sr_accuracy_metrics(void);

/* Whether a network name is known (built in, or stored); ctx is the callback's own. */
typedef int (*sr_network_known_fn)(const char *name, void *ctx);

/* Reads an accuracy CSV (text[0..len), named `source` in messages). The header must hold
 * network,dataset,metric,pattern,sparsity,value,method,source_url in any order; a `source`
 * column names the study a row belongs to (default: source_url without its #fragment);
 * other columns are allowed and ignored. Every row is checked: a known network, a pattern
 * that parses (stored by its canonical name; dense at sparsity 0, N:M at 1 - N/M), a
 * sparsity in [0, 1], a known metric with its value in range, a source URL, no row twice.
 * The first refusal names the source, the line and the reason; then nothing is returned.
 * *rows (free()) receives *n rows. */
sr_code sr_accuracy_parse(const char *source, const char *text, size_t len,
                          sr_network_known_fn known, void *ctx, sr_accuracy_rec **rows,
                          size_t *n, sr_err *err);

/* The accuracy files shipped in db/accuracy/, embedded: name and text of the i-th, or NULL
 * past the end. */
const char *sr_accuracy_builtin(size_t i, const char **text, size_t *len);

/* The index in rows[0..n) of row r's dense baseline (same network, dataset, metric and
 * source, pattern dense), or -1. */
long sr_accuracy_baseline(const sr_accuracy_rec *rows, size_t n, size_t r);

#endif
