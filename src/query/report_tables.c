/* The report's speedup and error tables (query/report.h): v_network_speedup as it is, and
 * per pattern and sparsity the errors of each prediction, of the network's speedup and
 * layer by layer (median and worst over the newest measured row of each layer). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/report.h"

#define SAME_SPARSITY 1e-9

/* The end of the block of rows from i on that share a device, dtype and batch (the rows
 * come ordered so). */
static size_t block_end(const sr_network_speedup *r, size_t n, size_t i)
{
    size_t end = i + 1;
    while (end < n && strcmp(r[end].device_uuid, r[i].device_uuid) == 0 &&
           strcmp(r[end].dtype, r[i].dtype) == 0 && r[end].batch == r[i].batch)
        end++;
    return end;
}

/* A block's heading: "device, batch 1, fp32". */
static void block_heading(FILE *f, const sr_network_speedup *r)
{
    fputs("<h3>", f);
    sr_html_text(f, r->device);
    fprintf(f, ", batch %d, %s</h3>\n", r->batch, r->dtype);
}

sr_code sr_report_speedups(sr_store *s, const char *network, const char *device_uuid, FILE *f,
                           sr_err *err)
{
    sr_network_speedup *r = NULL;
    size_t n = 0;
    sr_code rc = sr_store_network_speedups(s, network, device_uuid, &r, &n, err);
    if (rc != SR_OK)
        return rc;
    static const char *const heads[] = {
        "pattern", "sparsity", "layers measured", "measured", "peak prediction", "GEMM prediction",
        "device model", "sparse time (measured)", "dense time (measured)"};
    static const char *const tips[] = {
        NULL, NULL, "sparse layers with a measured time, of all layers",
        "measured_speedup: dense over sparse network time, both measured",
        "predicted_speedup: the paper's prediction, every pattern at the device's peak",
        "gemm_predicted_speedup: the roofline prediction of the very GEMMs measured",
        "device_speedup: the calibrated device model's prediction", NULL, NULL};
    fputs("<h2 id=\"speedups\">Speedups over dense</h2>\n<p>The network's speedup at each pattern and sparsity "
          "(v_network_speedup): measured, the paper's prediction at the device's peak, the "
          "roofline prediction of the same GEMMs that were measured, and the device model's.</p>\n", f);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || block_end(r, n, i - 1) == i) {
            if (i)
                sr_html_table_end(f);
            block_heading(f, &r[i]);
            sr_html_table(f, heads, tips, 9);
        }
        char layers[32], t[2][32];
        snprintf(layers, sizeof layers, "%d of %d", r[i].layers_measured, r[i].layers);
        int measured = r[i].layers_measured > 0;
        snprintf(t[0], sizeof t[0], "%.4g ms", 1e3 * r[i].measured_sparse_s);
        snprintf(t[1], sizeof t[1], "%.4g ms", 1e3 * r[i].measured_dense_s);
        sr_html_row(f);
        sr_html_cell(f, r[i].pattern);
        sr_html_cell_num(f, "%.4g", r[i].sparsity);
        sr_html_cell(f, layers);
        sr_html_cell_num(f, "%.2fx", measured ? r[i].measured_speedup : NAN);
        sr_html_cell_num(f, "%.2fx", r[i].predicted_speedup);
        sr_html_cell_num(f, "%.2fx", r[i].gemm_predicted_speedup);
        sr_html_cell_num(f, "%.2fx", r[i].device_speedup);
        sr_html_cell(f, measured && r[i].measured_sparse_s > 0 ? t[0] : "");
        sr_html_cell(f, r[i].measured_dense_s > 0 ? t[1] : "");
        sr_html_row_end(f);
    }
    if (n)
        sr_html_table_end(f);
    else
        fputs("<p class=\"note\">No speedups stored for this network.</p>\n", f);
    free(r);
    return SR_OK;
}

/* Median and worst (largest in size, with its sign) of v[0..n); NAN when n is 0. */
static void summarize(double *v, size_t n, double *median, double *worst)
{
    *median = *worst = NAN;
    if (!n)
        return;
    for (size_t i = 1; i < n; i++) /* insertion sort: a network has tens of layers */
        for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1], v[j - 1] = t;
        }
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    *worst = fabs(v[0]) > fabs(v[n - 1]) ? v[0] : v[n - 1];
}

typedef struct {
    double device_median, device_worst, roof_median, roof_worst;
    size_t layers;
} layer_errors;

/* The per-layer errors of the measured points of one pattern, sparsity, dtype and batch. */
static sr_code layer_stats(const sr_roofline_row *p, size_t n, const char *pattern, double sparsity,
                           const char *dtype, int batch, layer_errors *out, sr_err *err)
{
    double *dev = malloc((n + 1) * sizeof *dev), *roof = malloc((n + 1) * sizeof *roof);
    if (!dev || !roof) {
        free(dev), free(roof);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory summarizing errors");
    }
    size_t nd = 0, nr = 0;
    out->layers = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].measured || strcmp(p[i].pattern, pattern) || fabs(p[i].sparsity - sparsity) > SAME_SPARSITY ||
            strcmp(p[i].dtype, dtype) || p[i].batch != batch || !(p[i].measured_time_s > 0))
            continue;
        out->layers++;
        if (p[i].device_time_s > 0)
            dev[nd++] = p[i].device_time_s / p[i].measured_time_s - 1;
        if (p[i].predicted_time_s > 0)
            roof[nr++] = p[i].predicted_time_s / p[i].measured_time_s - 1;
    }
    summarize(dev, nd, &out->device_median, &out->device_worst);
    summarize(roof, nr, &out->roof_median, &out->roof_worst);
    free(dev);
    free(roof);
    return SR_OK;
}

static void error_row(FILE *f, const char *pattern, double sparsity, const layer_errors *le,
                      double speedup_error, double device_speedup_error)
{
    sr_html_row(f);
    sr_html_cell(f, pattern);
    sr_html_cell_num(f, "%.4g", sparsity);
    sr_html_cell_num(f, "%.0f", (double)le->layers);
    sr_html_cell_pct(f, speedup_error);
    sr_html_cell_pct(f, device_speedup_error);
    sr_html_cell_pct(f, le->device_median);
    sr_html_cell_pct(f, le->device_worst);
    sr_html_cell_pct(f, le->roof_median);
    sr_html_cell_pct(f, le->roof_worst);
    sr_html_row_end(f);
}

static const char *const error_heads[] = {
    "pattern", "sparsity", "layers measured", "speedup: GEMM prediction", "speedup: device model",
    "layer: device model, median", "layer: device model, worst", "layer: roofline, median",
    "layer: roofline, worst"};
static const char *const error_tips[] = {
    NULL, NULL, NULL, "speedup_error: gemm_predicted_speedup / measured_speedup - 1",
    "device_speedup_error: device_speedup / measured_speedup - 1",
    "v_layer_roofline.device_error: device model time / measured time - 1",
    "the layer whose device model time is furthest from its measured time",
    "v_layer_roofline.prediction_error: roofline time / measured time - 1",
    "the layer whose roofline time is furthest from its measured time"};

/* One device's table (if anything of it was measured): dense first (layers only), then
 * each pattern and sparsity. */
static sr_code device_errors(sr_store *s, const char *network, const sr_network_speedup *r, size_t n,
                             FILE *f, size_t *rows, sr_err *err)
{
    int measured = 0;
    for (size_t i = 0; i < n; i++)
        measured |= r[i].layers_measured > 0;
    if (!measured)
        return SR_OK;
    block_heading(f, r);
    sr_html_table(f, error_heads, error_tips, 9);
    sr_roofline_row *p = NULL;
    size_t np = 0;
    sr_code rc = sr_store_roofline_points(s, r[0].device_uuid, NULL, network, &p, &np, err);
    layer_errors le;
    if (rc == SR_OK)
        rc = layer_stats(p, np, "dense", 0, r[0].dtype, r[0].batch, &le, err);
    if (rc == SR_OK && le.layers) {
        error_row(f, "dense", 0, &le, NAN, NAN);
        (*rows)++;
    }
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        rc = layer_stats(p, np, r[i].pattern, r[i].sparsity, r[i].dtype, r[i].batch, &le, err);
        if (rc != SR_OK || (!le.layers && isnan(r[i].speedup_error)))
            continue;
        error_row(f, r[i].pattern, r[i].sparsity, &le, r[i].speedup_error, r[i].device_speedup_error);
        (*rows)++;
    }
    sr_html_table_end(f);
    free(p);
    return rc;
}

sr_code sr_report_errors(sr_store *s, const char *network, const char *device_uuid, FILE *f,
                         sr_err *err)
{
    sr_network_speedup *r = NULL;
    size_t n = 0, rows = 0;
    sr_code rc = sr_store_network_speedups(s, network, device_uuid, &r, &n, err);
    if (rc != SR_OK)
        return rc;
    fputs("<h2 id=\"errors\">Prediction errors</h2>\n<p>Each prediction against the measurement. A speedup error "
          "is predicted over measured speedup minus 1 (positive: the prediction promised more than "
          "was measured); a layer's error is its predicted over its measured time minus 1 "
          "(negative: predicted faster than it ran), median and worst over the network's layers "
          "(the newest measurement of each).</p>\n", f);
    for (size_t i = 0, end; i < n && rc == SR_OK; i = end) {
        end = block_end(r, n, i);
        rc = device_errors(s, network, r + i, end - i, f, &rows, err);
    }
    if (rc == SR_OK && !rows)
        fputs("<p class=\"note\">Nothing measured yet: 'sparseroof bench' (or study) measures the "
              "network, 'sparseroof calibrate' the device model.</p>\n", f);
    free(r);
    return rc;
}
