/* The accuracy CSV reader (query/accuracy.h). Every refusal names the file, the line and
 * the reason, "acc.csv:7: value 101 is outside top1's range [0, 100]", and a file with
 * one bad row gives no rows at all. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/csv.h"
#include "common/embedded.h"
#include "query/accuracy.h"

extern const struct sr_embedded sr_accuracy_sources[];

enum { C_NETWORK, C_DATASET, C_METRIC, C_PATTERN, C_SPARSITY, C_VALUE, C_METHOD, C_URL,
       C_SOURCE, N_COLS };
static const char *const col_names[N_COLS] = {"network", "dataset", "metric", "pattern",
                                              "sparsity", "value", "method", "source_url",
                                              "source"};
#define N_REQUIRED 8 /* all but source */
#define MAX_FIELDS 64

static const struct {
    const char *name;
    double lo, hi;
} metrics[] = {
    {"top1", 0, 100},        {"top5", 0, 100},     {"accuracy", 0, 100}, {"accuracy_m", 0, 100},
    {"accuracy_mm", 0, 100}, {"f1", 0, 100},       {"em", 0, 100},       {"miou", 0, 100},
    {"map", 0, 100},         {"bleu", 0, 100},     {"mcc", -100, 100},   {"pearson", -100, 100},
    {"spearman", -100, 100},
};

int sr_accuracy_metric_range(const char *metric, double *lo, double *hi)
{
    for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
        if (strcmp(metric, metrics[i].name) == 0) {
            *lo = metrics[i].lo, *hi = metrics[i].hi;
            return 1;
        }
    return 0;
}

const char *sr_accuracy_metrics(void)
{
    return "top1, top5, accuracy, accuracy_m, accuracy_mm, f1, em, miou, map, bleu (0 to 100); "
           "mcc, pearson, spearman (-100 to 100)";
}

const char *sr_accuracy_builtin(size_t i, const char **text, size_t *len)
{
    for (size_t k = 0; k <= i; k++)
        if (!sr_accuracy_sources[k].name)
            return NULL;
    *text = sr_accuracy_sources[i].data;
    *len = sr_accuracy_sources[i].size;
    return sr_accuracy_sources[i].name;
}

long sr_accuracy_baseline(const sr_accuracy_rec *rows, size_t n, size_t r)
{
    const sr_accuracy_rec *a = &rows[r];
    for (size_t i = 0; i < n; i++) {
        const sr_accuracy_rec *b = &rows[i];
        if (strcmp(b->pattern, "dense") == 0 && strcmp(b->network, a->network) == 0 &&
            strcmp(b->dataset, a->dataset) == 0 && strcmp(b->metric, a->metric) == 0 &&
            strcmp(b->source, a->source) == 0)
            return (long)i;
    }
    return -1;
}

typedef struct {
    const char *file;
    sr_err *err;
    size_t line;
    int col[N_COLS];
    int n_fields;
    sr_network_known_fn known;
    void *ctx;
    sr_accuracy_rec *rows;
    size_t *lines; /* line of each row, for duplicates */
    size_t n, cap;
} reader;

static sr_code fail(reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static sr_code fail(reader *r, const char *fmt, ...)
{
    char msg[SR_ERR_MSG_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->line)
        return sr_err_set(r->err, SR_ERR_FORMAT, "%s:%zu: %s", r->file, r->line, msg);
    return sr_err_set(r->err, SR_ERR_FORMAT, "%s: %s", r->file, msg);
}

static sr_code read_header(reader *r, char **fields, int n)
{
    for (int c = 0; c < N_COLS; c++)
        r->col[c] = -1;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < N_COLS; c++) {
            if (strcasecmp(fields[i], col_names[c]) != 0)
                continue;
            if (r->col[c] >= 0)
                return fail(r, "column '%s' appears twice in the header", col_names[c]);
            r->col[c] = i;
        }
    for (int c = 0; c < N_REQUIRED; c++)
        if (r->col[c] < 0)
            return fail(r, "missing column '%s' in the header (need network, dataset, metric, "
                        "pattern, sparsity, value, method, source_url)", col_names[c]);
    r->n_fields = n;
    return SR_OK;
}

/* A field into a record's buffer; too long is refused. */
static sr_code copy_field(reader *r, char *dst, size_t size, const char *text, int c)
{
    if (strlen(text) >= size)
        return fail(r, "%s is longer than %zu characters", col_names[c], size - 1);
    memcpy(dst, text, strlen(text) + 1);
    return SR_OK;
}

static sr_code number(reader *r, const char *text, int c, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || *end || errno || !isfinite(*out))
        return fail(r, "%s '%s' is not a number", col_names[c], text);
    return SR_OK;
}

/* The checks of one row's pattern, sparsity, metric and value. */
static sr_code check_row(reader *r, sr_accuracy_rec *a, const char *pattern)
{
    sr_pattern p;
    sr_err perr;
    if (sr_pattern_parse(pattern, &p, &perr) != SR_OK)
        return fail(r, "%s", perr.msg);
    sr_pattern_name(&p, a->pattern, sizeof a->pattern);
    if (!(a->sparsity >= 0 && a->sparsity <= 1))
        return fail(r, "sparsity %g is outside [0, 1]", a->sparsity);
    double fixed;
    if (sr_pattern_fixed_sparsity(&p, &fixed) && fabs(a->sparsity - fixed) > 1e-6)
        return fail(r, "pattern %s is %g sparse, the row says %g", a->pattern, fixed,
                    a->sparsity);
    double lo, hi;
    if (!sr_accuracy_metric_range(a->metric, &lo, &hi))
        return fail(r, "unknown metric '%s' (known: %s)", a->metric, sr_accuracy_metrics());
    if (a->value < lo || a->value > hi)
        return fail(r, "value %g is outside %s's range [%g, %g] (points, not fractions)",
                    a->value, a->metric, lo, hi);
    return SR_OK;
}

static sr_code read_row(reader *r, char **fields, int n)
{
    if (n != r->n_fields)
        return fail(r, "%d fields, the header has %d", n, r->n_fields);
    const char *f[N_COLS];
    for (int c = 0; c < N_COLS; c++)
        f[c] = r->col[c] >= 0 ? fields[r->col[c]] : "";
    for (int c = 0; c < N_REQUIRED; c++)
        if (!*f[c] && c != C_METHOD)
            return fail(r, "%s is empty%s", col_names[c],
                        c == C_URL ? ": every figure needs the address of its source" : "");
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        sr_accuracy_rec *rows = realloc(r->rows, cap * sizeof *rows);
        size_t *lines = rows ? realloc(r->lines, cap * sizeof *lines) : NULL;
        if (rows)
            r->rows = rows;
        if (!rows || !lines)
            return sr_err_set(r->err, SR_ERR_NOMEM, "out of memory reading %s", r->file);
        r->lines = lines;
        r->cap = cap;
    }
    sr_accuracy_rec *a = &r->rows[r->n];
    memset(a, 0, sizeof *a);
    sr_code rc = copy_field(r, a->network, sizeof a->network, f[C_NETWORK], C_NETWORK);
    if (rc == SR_OK && !r->known(f[C_NETWORK], r->ctx))
        rc = fail(r, "unknown network '%s' (sparseroof networks lists the built-in ones)",
                  f[C_NETWORK]);
    if (rc == SR_OK)
        rc = copy_field(r, a->dataset, sizeof a->dataset, f[C_DATASET], C_DATASET);
    if (rc == SR_OK)
        rc = copy_field(r, a->metric, sizeof a->metric, f[C_METRIC], C_METRIC);
    if (rc == SR_OK)
        rc = copy_field(r, a->method, sizeof a->method, f[C_METHOD], C_METHOD);
    if (rc == SR_OK)
        rc = copy_field(r, a->source_url, sizeof a->source_url, f[C_URL], C_URL);
    if (rc == SR_OK && *f[C_SOURCE])
        rc = copy_field(r, a->source, sizeof a->source, f[C_SOURCE], C_SOURCE);
    else if (rc == SR_OK) /* the URL's page is the study */
        snprintf(a->source, sizeof a->source, "%.*s", (int)strcspn(a->source_url, "#"),
                 a->source_url);
    if (rc == SR_OK)
        rc = number(r, f[C_SPARSITY], C_SPARSITY, &a->sparsity);
    if (rc == SR_OK)
        rc = number(r, f[C_VALUE], C_VALUE, &a->value);
    if (rc == SR_OK)
        rc = check_row(r, a, f[C_PATTERN]);
    for (size_t i = 0; rc == SR_OK && i < r->n; i++) {
        const sr_accuracy_rec *b = &r->rows[i];
        if (strcmp(a->network, b->network) == 0 && strcmp(a->pattern, b->pattern) == 0 &&
            fabs(a->sparsity - b->sparsity) < 1e-9 && strcmp(a->metric, b->metric) == 0 &&
            strcmp(a->source, b->source) == 0)
            rc = fail(r, "the same network, pattern, sparsity, metric and source as line %zu",
                      r->lines[i]);
    }
    if (rc == SR_OK)
        r->lines[r->n++] = r->line;
    return rc;
}

sr_code sr_accuracy_parse(const char *source, const char *text, size_t len,
                          sr_network_known_fn known, void *ctx, sr_accuracy_rec **rows,
                          size_t *n, sr_err *err)
{
    *rows = NULL;
    *n = 0;
    reader r = {.file = source, .err = err, .known = known, .ctx = ctx};
    char *buf = malloc(len + 1);
    if (!buf)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", source);
    memcpy(buf, text, len);
    buf[len] = '\0';
    sr_code rc = SR_OK;
    int have_header = 0;
    if (strlen(buf) != len)
        rc = fail(&r, "a NUL byte: not a text file");
    for (char *next = buf, *line; rc == SR_OK && next;) {
        line = next;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        r.line++;
        line = sr_csv_trim(line);
        if (!*line || *line == '#')
            continue;
        char *fields[MAX_FIELDS];
        const char *why = NULL;
        int nf = sr_csv_split(line, fields, MAX_FIELDS, &why);
        if (nf < 0)
            rc = fail(&r, "%s", why);
        else if (!have_header)
            rc = read_header(&r, fields, nf), have_header = 1;
        else
            rc = read_row(&r, fields, nf);
    }
    r.line = 0;
    if (rc == SR_OK && !have_header)
        rc = fail(&r, "no header line (need network, dataset, metric, pattern, sparsity, value, "
                  "method, source_url)");
    if (rc == SR_OK && r.n == 0)
        rc = fail(&r, "no rows after the header");
    free(buf);
    free(r.lines);
    if (rc != SR_OK) {
        free(r.rows);
        return rc;
    }
    *rows = r.rows;
    *n = r.n;
    return SR_OK;
}
