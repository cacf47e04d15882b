/* The lab report: one self-contained HTML page (inline CSS and SVG, nothing fetched) with
 * the hosts and devices, their ceilings, the Sparsity Roofline, the device's roofline, the
 * devices side by side, the speedup tables (measured, the paper's peak prediction, the
 * like-for-like GEMM prediction, the device model's) and the prediction errors, network and
 * per layer. Built from stored rows only. */
#ifndef SR_QUERY_REPORT_H
#define SR_QUERY_REPORT_H

#include <stdio.h>

#include "store/reads.h"

typedef struct {
    const char *network; /* NULL: the network of the newest timings */
    const char *device;  /* NULL: every device (plots: the one with the newest timings) */
} sr_report_opts;

/* Writes the page into path whole (never half a file). SR_ERR_NOTFOUND, naming what is
 * missing, for an unknown network or device, a network without timings, a database
 * without devices. */
sr_code sr_report_save(sr_store *s, const sr_report_opts *o, const char *path, sr_err *err);

/* Writes the page to f (what sr_report_save writes). */
sr_code sr_report_write(sr_store *s, const sr_report_opts *o, FILE *f, sr_err *err);

/* The report's tables of a network's speedups (measured, and each prediction) and of the
 * prediction errors, network and per layer, on one device (UUID) or every device (NULL);
 * report_tables.c. */
sr_code sr_report_speedups(sr_store *s, const char *network, const char *device_uuid, FILE *f,
                           sr_err *err);
sr_code sr_report_errors(sr_store *s, const char *network, const char *device_uuid, FILE *f,
                         sr_err *err);

/* ---- HTML pieces (report_html.c) --------------------------------------------------- */

/* s with &, <, >, " and ' escaped. */
void sr_html_text(FILE *f, const char *s);

/* An SVG document from cairo inlined in a page: its XML declaration dropped, its ids (and
 * the references to them) prefixed with "p<index>-" so that several plots on one page
 * keep their own glyphs, and its size left to the page's CSS. */
sr_code sr_html_svg(FILE *f, const char *svg, int index, sr_err *err);

/* A table: sr_html_table opens it with its column heads (and a tooltip each, saying what
 * the column shows; tips may be NULL); each row is sr_html_row, cells, sr_html_row_end;
 * sr_html_table_end closes it. A number NAN is an empty cell. */
void sr_html_table(FILE *f, const char *const *heads, const char *const *tips, int n);
void sr_html_row(FILE *f);
void sr_html_cell(FILE *f, const char *text);
void sr_html_cell_num(FILE *f, const char *fmt, double v);
void sr_html_cell_pct(FILE *f, double v); /* v = 0.123: "+12.3%" */
void sr_html_row_end(FILE *f);
void sr_html_table_end(FILE *f);

#endif
