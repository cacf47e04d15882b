/* Stored rows out as CSV (RFC 4180) or JSON, for pandas, R and spreadsheets: any view or
 * table of the store, or the rows of a query. Reads only. */
#ifndef SR_QUERY_EXPORT_H
#define SR_QUERY_EXPORT_H

#include <stdio.h>

#include "common/status.h"
#include "store/store.h"

typedef enum { SR_EXPORT_CSV = 0, SR_EXPORT_JSON } sr_export_format;

/* "csv" or "json"; the message names the input otherwise. */
sr_code sr_export_format_parse(const char *text, sr_export_format *out, sr_err *err);

/* The names that can be exported (views first, then tables), comma-separated, into buf. */
sr_code sr_export_names(sr_store *s, char *buf, size_t size, sr_err *err);

/* Every row of the view or table `name`. An unknown name is SR_ERR_NOTFOUND with a message
 * listing what exists. CSV: a header line, then one line a row; NULL is an empty field.
 * JSON: an array of objects, one a row, NULL as null. */
sr_code sr_export_view(sr_store *s, const char *name, sr_export_format f, FILE *out, sr_err *err);

/* The rows of one SELECT (bound parameters: none), written the same way. */
sr_code sr_export_query(sr_store *s, const char *sql, sr_export_format f, FILE *out, sr_err *err);

#endif
