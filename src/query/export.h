/* Stored rows out as CSV (RFC 4180) or JSON, for pandas, R and spreadsheets: any view or
 * table of the store, or rows a command hands over. Reads only. */
#ifndef SR_QUERY_EXPORT_H
#define SR_QUERY_EXPORT_H

#include <stdio.h>

#include "common/status.h"
#include "store/store.h"

typedef enum { SR_EXPORT_CSV = 0, SR_EXPORT_JSON } sr_export_format;

/* "csv" or "json"; the message names the input otherwise. */
sr_code sr_export_format_parse(const char *text, sr_export_format *out, sr_err *err);

/* Every row of the view or table `name` (see sr_store_read_rows). An unknown name is
 * SR_ERR_NOTFOUND with a message listing what exists, and nothing is written. CSV: a
 * header line, then one line a row; NULL is an empty field. JSON: an array of objects, one
 * a row, NULL as null. */
sr_code sr_export_view(sr_store *s, const char *name, sr_export_format f, FILE *out, sr_err *err);

/* The writer behind sr_export_view, for rows a command reads itself (sr_store_read_runs):
 * begin, then the sink's reader handed to a store read, then end. */
typedef struct {
    sr_export_format format;
    FILE *out;
    const char *const *names;
    int cols, started; /* started: the columns were written */
    size_t rows;
} sr_export_sink;

void sr_export_begin(sr_export_sink *k, sr_export_format f, FILE *out);
sr_row_reader sr_export_reader(sr_export_sink *k);
/* Closes the output's structure (JSON's array, once columns were written) and checks it
 * was written; returns code (the status of the read) or the write failure. */
sr_code sr_export_end(sr_export_sink *k, sr_code code, sr_err *err);

#endif
