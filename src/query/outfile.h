/* Output files of the query commands: the kind a name asks for (.svg, .png, .pdf, .csv,
 * .json, .html), and writing one through a temporary file renamed at the end, so that a
 * failure never leaves half a file under the name asked for. */
#ifndef SR_QUERY_OUTFILE_H
#define SR_QUERY_OUTFILE_H

#include <json-c/json.h>
#include <stdio.h>

#include "common/status.h"

typedef enum {
    SR_OUT_UNKNOWN = 0,
    SR_OUT_SVG,
    SR_OUT_PNG,
    SR_OUT_PDF,
    SR_OUT_CSV,
    SR_OUT_JSON,
    SR_OUT_HTML
} sr_out_kind;

/* The kind of path by its ending (case-insensitive); SR_OUT_UNKNOWN for any other. */
sr_out_kind sr_out_kind_of(const char *path);

/* 1 for the kinds sr_plot_write draws (.svg, .png, .pdf). */
int sr_out_is_plot(sr_out_kind k);

/* Writes path by calling fn on a temporary file beside it, renamed to path if fn and the
 * writing succeed; removed otherwise. */
typedef sr_code (*sr_out_fn)(void *ctx, FILE *f, sr_err *err);
sr_code sr_out_write(const char *path, sr_out_fn fn, void *ctx, sr_err *err);

/* o as pretty JSON into path (o stays the caller's). */
sr_code sr_out_json(const char *path, json_object *o, sr_err *err);

/* A JSON number, or null (NULL) when v is NaN or infinite. */
json_object *sr_out_json_number(double v);

/* How one result (ctx) is written in each kind of file: as a chart (the caller frees it),
 * as CSV rows, as a JSON document (the caller releases it). */
struct sr_plot;
typedef struct {
    sr_code (*chart)(const void *ctx, struct sr_plot **out, sr_err *err);
    sr_code (*csv)(const void *ctx, FILE *f, sr_err *err);
    json_object *(*json)(const void *ctx);
} sr_out_writers;

/* Writes ctx into path in the kind its name asks for (.svg, .png, .pdf, .csv or .json);
 * SR_ERR_ARG naming path for any other. */
sr_code sr_out_save(const char *path, const sr_out_writers *w, const void *ctx, sr_err *err);

#endif
