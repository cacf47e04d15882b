/* CSV and JSON export of stored rows (query/export.h). Values keep their SQLite type:
 * integers stay integers, reals are written with the fewest digits that read back to the
 * same double, text is quoted as each format requires, blobs become hex. */
#include "query/export.h"

#include <json-c/json.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

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

static void write_hex(FILE *out, const unsigned char *p, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(out, "%02x", p[i]);
}

static void csv_text(FILE *out, const char *t)
{
    if (!strpbrk(t, ",\"\r\n") && t[0] != ' ' && (t[0] == '\0' || t[strlen(t) - 1] != ' ')) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', out);
        fputc(*t, out);
    }
    fputc('"', out);
}

static void csv_row(sqlite3_stmt *st, int cols, int header, FILE *out)
{
    for (int i = 0; i < cols; i++) {
        if (i)
            fputc(',', out);
        if (header) {
            csv_text(out, sqlite3_column_name(st, i));
            continue;
        }
        char num[40];
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
            break;
        case SQLITE_INTEGER:
            fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i));
            break;
        case SQLITE_FLOAT:
            format_double(num, sqlite3_column_double(st, i));
            fputs(num, out);
            break;
        case SQLITE_BLOB:
            write_hex(out, sqlite3_column_blob(st, i), sqlite3_column_bytes(st, i));
            break;
        default:
            csv_text(out, (const char *)sqlite3_column_text(st, i));
        }
    }
    fputs("\r\n", out);
}

static json_object *json_value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_object_new_int64(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(st, i);
        if (!isfinite(v))
            return NULL; /* JSON has no infinities */
        char num[40];
        format_double(num, v);
        return json_object_new_double_s(v, num);
    }
    case SQLITE_TEXT:
        return json_object_new_string_len((const char *)sqlite3_column_text(st, i),
                                          sqlite3_column_bytes(st, i));
    case SQLITE_BLOB: {
        const unsigned char *p = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        char *hex = malloc(2 * (size_t)n + 1);
        if (!hex)
            return NULL;
        for (int k = 0; k < n; k++)
            snprintf(hex + 2 * k, 3, "%02x", p[k]);
        hex[2 * n] = '\0';
        json_object *o = json_object_new_string(hex);
        free(hex);
        return o;
    }
    default:
        return NULL;
    }
}

static sr_code json_row(sqlite3_stmt *st, int cols, int first, FILE *out, sr_err *err)
{
    json_object *row = json_object_new_object();
    if (!row)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory exporting a row");
    for (int i = 0; i < cols; i++)
        json_object_object_add(row, sqlite3_column_name(st, i), json_value(st, i));
    fprintf(out, "%s  %s", first ? "" : ",\n",
            json_object_to_json_string_ext(row, JSON_C_TO_STRING_SPACED |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(row);
    return SR_OK;
}

sr_code sr_export_query(sr_store *s, const char *sql, sr_export_format f, FILE *out, sr_err *err)
{
    sqlite3 *db = sr_store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sr_err_set(err, SR_ERR_DB, "%s: cannot query \"%s\": %s", sr_store_path(s), sql,
                          sqlite3_errmsg(db));
    int cols = sqlite3_column_count(st), rc, rows = 0;
    sr_code code = SR_OK;
    if (f == SR_EXPORT_CSV)
        csv_row(st, cols, 1, out);
    else
        fputs("[\n", out);
    while (code == SR_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (f == SR_EXPORT_CSV)
            csv_row(st, cols, 0, out);
        else
            code = json_row(st, cols, rows == 0, out, err);
        rows++;
    }
    if (code == SR_OK && rc != SQLITE_DONE)
        code = sr_err_set(err, SR_ERR_DB, "%s: reading rows of \"%s\": %s", sr_store_path(s), sql,
                          sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (f == SR_EXPORT_JSON)
        fputs(rows ? "\n]\n" : "]\n", out);
    if (code == SR_OK && (fflush(out) != 0 || ferror(out)))
        code = sr_err_set(err, SR_ERR_IO, "writing the export failed (disk full?)");
    return code;
}

static const char names_sql[] =
    "SELECT name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' "
    "ORDER BY type = 'table', name";

sr_code sr_export_names(sr_store *s, char *buf, size_t size, sr_err *err)
{
    sqlite3 *db = sr_store_sqlite(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, names_sql, -1, &st, NULL) != SQLITE_OK)
        return sr_err_set(err, SR_ERR_DB, "%s: cannot list views: %s", sr_store_path(s),
                          sqlite3_errmsg(db));
    size_t len = 0;
    buf[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && len < size) {
        int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                         (const char *)sqlite3_column_text(st, 0));
        len += n > 0 ? (size_t)n : 0;
    }
    sqlite3_finalize(st);
    return SR_OK;
}

sr_code sr_export_view(sr_store *s, const char *name, sr_export_format f, FILE *out, sr_err *err)
{
    sqlite3 *db = sr_store_sqlite(s);
    sqlite3_stmt *st;
    int found = 0;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s) WHERE name = ?1", names_sql);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
        found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
        sqlite3_finalize(st);
    }
    if (!found) {
        char names[2048];
        if (sr_export_names(s, names, sizeof names, err) != SR_OK)
            return err ? err->code : SR_ERR_DB;
        return sr_err_set(err, SR_ERR_NOTFOUND, "no view or table '%s' in %s; there are: %s",
                          name ? name : "", sr_store_path(s), names);
    }
    /* The name is one of the schema's own, so quoting it is enough. */
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
    return sr_export_query(s, sql, f, out, err);
}
