/* CSV and JSON export of stored rows (query/export.h). Values keep their stored type:
 * integers stay integers, reals are written with the fewest digits that read back to the
 * same double, text is quoted as each format requires, blobs become hex. */
#include "query/export.h"

#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

sr_code sr_export_format_parse(const char *text, sr_export_format *out, sr_err *err)
{
    if (text && strcmp(text, "csv") == 0)
        *out = SR_EXPORT_CSV;
    else if (text && strcmp(text, "json") == 0)
        *out = SR_EXPORT_JSON;
    else
        return sr_err_set(err, SR_ERR_ARG, "export format '%s' is neither 'csv' nor 'json'",
                          text ? text : "");
    return SR_OK;
}

/* Shortest of %.15g, %.16g, %.17g that reads back as v. */
static void format_double(char buf[40], double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, 40, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static void write_hex(FILE *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", p[i]);
}

static void csv_header(const char *const *names, int cols, FILE *out)
{
    for (int i = 0; i < cols; i++) {
        if (i)
            fputc(',', out);
        sr_csv_put_text(out, names[i]);
    }
    fputs("\r\n", out);
}

static void csv_row(const sr_cell *cells, int cols, FILE *out)
{
    for (int i = 0; i < cols; i++) {
        if (i)
            fputc(',', out);
        const sr_cell *c = &cells[i];
        char num[40];
        switch (c->type) {
        case SR_CELL_NULL:
            break;
        case SR_CELL_INT:
            fprintf(out, "%lld", (long long)c->i);
            break;
        case SR_CELL_REAL:
            format_double(num, c->r);
            fputs(num, out);
            break;
        case SR_CELL_BLOB:
            write_hex(out, c->blob, c->len);
            break;
        case SR_CELL_TEXT:
            sr_csv_put_text(out, c->text);
        }
    }
    fputs("\r\n", out);
}

static json_object *json_value(const sr_cell *c)
{
    switch (c->type) {
    case SR_CELL_INT:
        return json_object_new_int64(c->i);
    case SR_CELL_REAL: {
        if (!isfinite(c->r))
            return NULL; /* JSON has no infinities */
        char num[40];
        format_double(num, c->r);
        return json_object_new_double_s(c->r, num);
    }
    case SR_CELL_TEXT:
        return json_object_new_string_len(c->text, (int)c->len);
    case SR_CELL_BLOB: {
        char *hex = malloc(2 * c->len + 1);
        if (!hex)
            return NULL;
        for (size_t k = 0; k < c->len; k++)
            snprintf(hex + 2 * k, 3, "%02x", c->blob[k]);
        hex[2 * c->len] = '\0';
        json_object *o = json_object_new_string(hex);
        free(hex);
        return o;
    }
    default:
        return NULL;
    }
}

static sr_code json_row(const sr_export_sink *k, const sr_cell *cells, sr_err *err)
{
    json_object *row = json_object_new_object();
    if (!row)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory exporting a row");
    for (int i = 0; i < k->cols; i++)
        json_object_object_add(row, k->names[i], json_value(&cells[i]));
    fprintf(k->out, "%s  %s", k->rows == 0 ? "" : ",\n",
            json_object_to_json_string_ext(row, JSON_C_TO_STRING_SPACED |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(row);
    return SR_OK;
}

void sr_export_begin(sr_export_sink *k, sr_export_format f, FILE *out)
{
    memset(k, 0, sizeof *k);
    k->format = f;
    k->out = out;
}

/* The sink's reader callbacks: the header (or the array's start), then a row at a time. */
static sr_code sink_columns(void *ctx, const char *const *names, int n, sr_err *err)
{
    (void)err;
    sr_export_sink *k = ctx;
    k->names = names;
    k->cols = n;
    k->started = 1;
    if (k->format == SR_EXPORT_CSV)
        csv_header(names, n, k->out);
    else
        fputs("[\n", k->out);
    return SR_OK;
}

static sr_code sink_row(void *ctx, const sr_cell *cells, int n, sr_err *err)
{
    (void)n;
    sr_export_sink *k = ctx;
    sr_code code = SR_OK;
    if (k->format == SR_EXPORT_CSV)
        csv_row(cells, k->cols, k->out);
    else
        code = json_row(k, cells, err);
    k->rows++;
    return code;
}

sr_code sr_export_end(sr_export_sink *k, sr_code code, sr_err *err)
{
    if (k->format == SR_EXPORT_JSON && k->started)
        fputs(k->rows ? "\n]\n" : "]\n", k->out);
    if (code == SR_OK && (fflush(k->out) != 0 || ferror(k->out)))
        code = sr_err_set(err, SR_ERR_IO, "writing the export failed (disk full?)");
    return code;
}

sr_row_reader sr_export_reader(sr_export_sink *k)
{
    sr_row_reader r = {sink_columns, sink_row, k};
    return r;
}

sr_code sr_export_view(sr_store *s, const char *name, sr_export_format f, FILE *out, sr_err *err)
{
    sr_export_sink k;
    sr_export_begin(&k, f, out);
    sr_row_reader reader = sr_export_reader(&k);
    return sr_export_end(&k, sr_store_read_rows(s, name, &reader, err), err);
}
