/* The lab report page (query/report.h): what it covers (network, devices), then each
 * section from stored rows. A section without rows says so and how to get them; only a
 * report with nothing to report is refused. */
#include "query/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/compare.h"
#include "query/curve.h"
#include "query/lookup.h"
#include "query/outfile.h"
#include "query/plot.h"
#include "query/roofline.h"

#ifndef SR_VERSION
#define SR_VERSION "?"
#endif

typedef struct {
    sr_store *s;
    FILE *f;
    char network[128];                  /* "" : no network has timings */
    char only[SR_UUID_LEN];             /* --device, "" : every device */
    char device_uuid[SR_UUID_LEN];      /* the device of the plots */
    char device[256];
    int plots;                          /* SVGs inlined so far */
    sr_curve_set *curve;                /* NULL: none (curve_err says why) */
    sr_code curve_rc;
    sr_err curve_err;
} page;

static const char style[] =
    "body{font-family:sans-serif;color:#222;max-width:1180px;margin:24px auto;padding:0 16px;"
    "line-height:1.45}\n"
    "h1{font-size:1.6em;margin-bottom:0.2em}h2{font-size:1.25em;margin-top:1.8em;"
    "border-bottom:1px solid #ccc;padding-bottom:3px}\n"
    ".meta{color:#555;font-size:0.92em}.note{color:#555;font-style:italic}\n"
    "table{border-collapse:collapse;margin:0.6em 0 1em;font-size:0.9em}\n"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tbody tr:nth-child(even){background:#fafafa}\n"
    "figure{margin:1em 0}figure svg{width:100%;height:auto;border:1px solid #ddd}\n"
    "ul.answers li{margin:0.2em 0}h3{font-size:1.05em;margin:1em 0 0.2em}\n";

/* A section failing for want of rows becomes a note; any other failure stops the page. */
static sr_code soft(page *pg, sr_code rc, const sr_err *e, sr_err *err)
{
    if (rc == SR_OK)
        return SR_OK;
    if (rc != SR_ERR_NOTFOUND) {
        *err = *e;
        return rc;
    }
    fputs("<p class=\"note\">", pg->f);
    sr_html_text(pg->f, e->msg);
    fputs("</p>\n", pg->f);
    return SR_OK;
}

static sr_code figure(page *pg, sr_plot *pl, const char *caption, sr_err *err)
{
    char *svg = NULL;
    size_t len;
    sr_code rc = sr_plot_svg(pl, &svg, &len, err);
    if (rc == SR_OK) {
        fputs("<figure>\n", pg->f);
        rc = sr_html_svg(pg->f, svg, ++pg->plots, err);
        fputs("<figcaption class=\"meta\">", pg->f);
        sr_html_text(pg->f, caption);
        fputs("</figcaption>\n</figure>\n", pg->f);
    }
    free(svg);
    return rc;
}

/* ---- what the page covers ---------------------------------------------------------- */

static sr_code scope(page *pg, const sr_report_opts *o, sr_err *err)
{
    sr_code rc = SR_OK;
    if (o->device)
        rc = sr_store_find_device(pg->s, o->device, pg->only, err);
    if (rc == SR_OK && o->network)
        rc = sr_query_check_network(pg->s, o->network, err);
    sr_speedup_set *sets = NULL;
    size_t n = 0;
    if (rc == SR_OK)
        rc = sr_store_speedup_sets(pg->s, o->network, &sets, &n, err);
    if (rc != SR_OK)
        return rc;
    size_t pick = n;
    for (size_t i = 0; i < n && pick == n; i++) /* newest first */
        if (!pg->only[0] || strcmp(sets[i].device_uuid, pg->only) == 0)
            pick = i;
    if (pick < n) {
        snprintf(pg->network, sizeof pg->network, "%s", sets[pick].network);
        snprintf(pg->device_uuid, sizeof pg->device_uuid, "%s", sets[pick].device_uuid);
        snprintf(pg->device, sizeof pg->device, "%s", sets[pick].device);
    } else if (o->network) {
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no timings of %s%s%s in %s: 'sparseroof study' "
                        "(or predict, bench) stores them", o->network, o->device ? " on " : "",
                        o->device ? o->device : "", sr_store_path(pg->s));
    }
    free(sets);
    if (rc == SR_OK && !pg->device_uuid[0]) /* no timings: the device still has ceilings */
        rc = sr_query_pick_device(pg->s, o->device, pg->device_uuid, pg->device, err);
    return rc;
}

static void header(page *pg)
{
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>sparseroof "
          "report", pg->f);
    if (pg->network[0]) {
        fputs(": ", pg->f);
        sr_html_text(pg->f, pg->network);
    }
    fprintf(pg->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>sparseroof report", style);
    if (pg->network[0]) {
        fputs(": ", pg->f);
        sr_html_text(pg->f, pg->network);
        fputs(" on ", pg->f);
        sr_html_text(pg->f, pg->device);
    }
    fputs("</h1>\n<p class=\"meta\">From ", pg->f);
    sr_html_text(pg->f, sr_store_path(pg->s));
    fprintf(pg->f, ", %s, by sparseroof %s. Every figure here is a row of that database: the views "
            "v_device, v_ceiling, v_network_speedup and v_layer_roofline hold them, for SQL.</p>\n",
            now, SR_VERSION);
    fputs("<p class=\"meta\">Sections: <a href=\"#devices\">devices</a> \xc2\xb7 <a href=\"#ceilings\">"
          "ceilings</a>", pg->f);
    if (pg->network[0])
        fputs(" \xc2\xb7 <a href=\"#curve\">Sparsity Roofline</a>", pg->f);
    fputs(" \xc2\xb7 <a href=\"#roofline\">roofline</a>", pg->f);
    if (pg->network[0] && !pg->only[0])
        fputs(" \xc2\xb7 <a href=\"#compare\">devices side by side</a>", pg->f);
    if (pg->network[0])
        fputs(" \xc2\xb7 <a href=\"#speedups\">speedups</a> \xc2\xb7 <a href=\"#errors\">prediction "
              "errors</a>", pg->f);
    fputs("</p>\n", pg->f);
}

/* ---- tables ------------------------------------------------------------------------ */

static int in_scope(const page *pg, const char *device_uuid)
{
    return !pg->only[0] || strcmp(pg->only, device_uuid) == 0;
}

static sr_code devices(page *pg, sr_err *err)
{
    sr_device_row *d = NULL;
    size_t n = 0;
    sr_code rc = sr_store_devices(pg->s, &d, &n, err);
    if (rc != SR_OK)
        return rc;
    static const char *const heads[] = {"device", "type", "platform", "driver", "host", "CPU",
                                        "compute units", "fp32 GFLOP/s", "DRAM GB/s", "runs",
                                        "measurements"};
    fputs("<h2 id=\"devices\">Hosts and devices</h2>\n", pg->f);
    sr_html_table(pg->f, heads, NULL, 11);
    for (size_t i = 0; i < n; i++) {
        if (!in_scope(pg, d[i].device_uuid))
            continue;
        sr_html_row(pg->f);
        sr_html_cell(pg->f, d[i].device);
        sr_html_cell(pg->f, d[i].is_virtual ? "virtual" : d[i].type);
        sr_html_cell(pg->f, d[i].platform);
        sr_html_cell(pg->f, d[i].driver_version);
        sr_html_cell(pg->f, d[i].host);
        sr_html_cell(pg->f, d[i].cpu_model);
        sr_html_cell_num(pg->f, "%.0f", d[i].compute_units > 0 ? d[i].compute_units : NAN);
        sr_html_cell_num(pg->f, "%.1f", d[i].fp32_gflops);
        sr_html_cell_num(pg->f, "%.1f", d[i].dram_gbps);
        sr_html_cell_num(pg->f, "%.0f", (double)d[i].runs);
        sr_html_cell_num(pg->f, "%.0f", (double)d[i].measurements);
        sr_html_row_end(pg->f);
    }
    sr_html_table_end(pg->f);
    free(d);
    return SR_OK;
}

/* A byte count as people read it: "16 KiB", "4.5 MiB". */
static void bytes_text(int64_t b, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024 && u < 4)
        v /= 1024, u++;
    snprintf(buf, size, v >= 100 || v == floor(v) ? "%.0f %s" : "%.3g %s", v, units[u]);
}

static void working_set(const sr_ceiling_row *c, char *buf, size_t size)
{
    char lo[32], hi[32];
    bytes_text(c->ws_min_bytes, lo, sizeof lo);
    bytes_text(c->ws_max_bytes, hi, sizeof hi);
    if (strcmp(c->kind, "bandwidth") != 0 || c->ws_min_bytes < 0)
        snprintf(buf, size, "%s", "");
    else if (c->ws_max_bytes < 0 || c->ws_max_bytes >= INT64_MAX / 2)
        snprintf(buf, size, "from %s", lo);
    else
        snprintf(buf, size, "%s to %s", lo, hi);
}

static void ceiling_row(FILE *f, const sr_ceiling_row *c)
{
    char ws[96];
    working_set(c, ws, sizeof ws);
    sr_html_row(f);
    sr_html_cell(f, c->kind);
    sr_html_cell(f, c->name);
    sr_html_cell_num(f, strcmp(c->kind, "launch") == 0 ? "%.3g" : "%.1f", c->supported == 0 ? NAN : c->value);
    sr_html_cell(f, c->supported == 0 ? "not supported" : c->unit);
    sr_html_cell(f, ws);
    sr_html_cell(f, c->method);
    sr_html_row_end(f);
}

static sr_code ceilings(page *pg, sr_err *err)
{
    sr_ceiling_row *c = NULL;
    size_t n = 0;
    sr_code rc = sr_store_ceiling_rows(pg->s, pg->only[0] ? pg->only : NULL, &c, &n, err);
    if (rc != SR_OK)
        return rc;
    static const char *const heads[] = {"kind", "name", "value", "unit", "working set", "method"};
    fputs("<h2 id=\"ceilings\">Ceilings</h2>\n<p>What the roofline stands on, each device's newest "
          "complete set (v_ceiling): bandwidth by working-set size, FMA peak by data type, the launch "
          "overhead, and the calibrated median rate of each pattern where the device model was "
          "calibrated.</p>\n", pg->f);
    if (!n)
        fputs("<p class=\"note\">No ceilings stored: 'sparseroof peaks' measures them.</p>\n", pg->f);
    for (size_t i = 0; i < n; i++) { /* one table a device */
        if (i == 0 || strcmp(c[i].device_uuid, c[i - 1].device_uuid) != 0) {
            if (i)
                sr_html_table_end(pg->f);
            fputs("<h3>", pg->f);
            sr_html_text(pg->f, c[i].device);
            fputs("</h3>\n", pg->f);
            sr_html_table(pg->f, heads, NULL, 6);
        }
        ceiling_row(pg->f, &c[i]);
    }
    if (n)
        sr_html_table_end(pg->f);
    free(c);
    return SR_OK;
}

/* ---- plots ------------------------------------------------------------------------- */

/* The answer in words at the top, from the curve drawn further down. */
static void answers(page *pg)
{
    sr_curve_opts o = {.network = pg->network, .device = pg->device_uuid};
    pg->curve_rc = sr_curve_build(pg->s, &o, &pg->curve, &pg->curve_err);
    const sr_curve_set *c = pg->curve;
    if (!c || !c->answered)
        return;
    fprintf(pg->f, "<p>On this device, the fastest pattern within each accuracy budget (%s %s, "
            "each figure against its own source's dense figure):</p>\n<ul class=\"answers\">\n",
            c->dataset, c->metric);
    for (size_t b = 0; b < SR_CURVE_BUDGETS; b++) {
        char text[1024];
        sr_curve_answer_text(c, b, text, sizeof text);
        fputs("<li>", pg->f);
        sr_html_text(pg->f, text);
        fputs("</li>\n", pg->f);
    }
    fputs("</ul>\n", pg->f);
}

static sr_code curve_section(page *pg, sr_err *err)
{
    fputs("<h2 id=\"curve\">The Sparsity Roofline</h2>\n", pg->f);
    sr_code rc = soft(pg, pg->curve_rc, &pg->curve_err, err);
    const sr_curve_set *c = pg->curve;
    if (rc != SR_OK || !c)
        return rc;
    if (!c->with_accuracy)
        fputs("<p class=\"note\">No accuracy figures for this network: the curves are speedup "
              "against sparsity ('sparseroof accuracy import --builtin' adds the published ones).</p>\n",
              pg->f);
    sr_plot *pl = NULL;
    rc = sr_curve_chart(c, &pl, err);
    if (rc == SR_OK)
        rc = figure(pg, pl, "Speedup over dense from stored rows (sparseroof curve); a speedup "
                    "between stored sparsities is interpolated, never extrapolated.", err);
    sr_plot_free(pl);
    return rc;
}

static sr_code roofline_section(page *pg, sr_err *err)
{
    fputs("<h2 id=\"roofline\">Roofline of ", pg->f);
    sr_html_text(pg->f, pg->device);
    fputs("</h2>\n", pg->f);
    sr_roofline_opts o = {.device = pg->device_uuid, .network = pg->network[0] ? pg->network : NULL};
    sr_roofline *r = NULL;
    sr_err e = {0};
    sr_code rc = soft(pg, sr_roofline_build(pg->s, &o, &r, &e), &e, err);
    if (rc != SR_OK || !r)
        return rc;
    sr_plot *pl = NULL;
    rc = sr_roofline_chart(r, &pl, err);
    if (rc == SR_OK)
        rc = figure(pg, pl, "Each layer at its arithmetic intensity, predicted (hollow) and "
                    "measured (filled); a red ring marks a measured layer faster than its "
                    "roofline bound (sparseroof roofline).", err);
    sr_plot_free(pl);
    sr_roofline_free(r);
    return rc;
}

static sr_code compare_section(page *pg, sr_err *err)
{
    if (!pg->network[0] || pg->only[0])
        return SR_OK;
    fputs("<h2 id=\"compare\">Devices side by side</h2>\n", pg->f);
    sr_compare_opts o = {.network = pg->network};
    sr_compare *c = NULL;
    sr_err e = {0};
    sr_code rc = soft(pg, sr_compare_build(pg->s, &o, &c, &e), &e, err);
    if (rc != SR_OK || !c)
        return rc;
    if (c->n_devs < 2) {
        fputs("<p class=\"note\">One device has timings of this network: 'sparseroof merge' pools "
              "other machines' databases, 'sparseroof peaks --define' and 'predict' add a virtual "
              "device.</p>\n", pg->f);
    } else {
        sr_plot *pl = NULL;
        rc = sr_compare_chart(c, &pl, err);
        if (rc == SR_OK)
            rc = figure(pg, pl, "Each device's speedup over its own dense time (sparseroof "
                        "compare); the legend gives each device's dense network time.", err);
        sr_plot_free(pl);
    }
    sr_compare_free(c);
    return rc;
}

sr_code sr_report_write(sr_store *s, const sr_report_opts *o, FILE *f, sr_err *err)
{
    page pg = {.s = s, .f = f};
    sr_code rc = scope(&pg, o, err);
    if (rc != SR_OK)
        return rc;
    header(&pg);
    if (pg.network[0])
        answers(&pg);
    rc = devices(&pg, err);
    if (rc == SR_OK)
        rc = ceilings(&pg, err);
    if (rc == SR_OK && pg.network[0])
        rc = curve_section(&pg, err);
    if (rc == SR_OK)
        rc = roofline_section(&pg, err);
    if (rc == SR_OK)
        rc = compare_section(&pg, err);
    if (rc == SR_OK && pg.network[0])
        rc = sr_report_speedups(s, pg.network, pg.only[0] ? pg.only : NULL, f, err);
    if (rc == SR_OK && pg.network[0])
        rc = sr_report_errors(s, pg.network, pg.only[0] ? pg.only : NULL, f, err);
    if (rc == SR_OK && !pg.network[0])
        fputs("<p class=\"note\">No network timings stored yet: 'sparseroof study' measures one.</p>\n", f);
    fputs("</body>\n</html>\n", f);
    sr_curve_set_free(pg.curve);
    return rc;
}

typedef struct {
    sr_store *s;
    const sr_report_opts *o;
} job;

static sr_code put_page(void *ctx, FILE *f, sr_err *err)
{
    job *j = ctx;
    return sr_report_write(j->s, j->o, f, err);
}

sr_code sr_report_save(sr_store *s, const sr_report_opts *o, const char *path, sr_err *err)
{
    job j = {s, o};
    return sr_out_write(path, put_page, &j, err);
}
