/* The CSV reader for network tables (format: db/networks/README.md). Every refusal names
 * the input, the line and the reason: "net.csv:7: m is 0, must be 1 to 1000000000". */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/csv.h"
#include "model/network.h"

enum { COL_NAME, COL_KIND, COL_M, COL_K, COL_N, COL_GROUPS, COL_PRUNABLE, COL_EXTRA, N_COLS };
static const char *const col_names[N_COLS] = {"name", "kind", "m", "k", "n",
                                              "groups", "prunable", "extra_bytes"};
#define N_REQUIRED 5 /* name, kind, m, k, n */
#define MAX_FIELDS 32

static sr_code fail(sr_err *err, const char *source, size_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static sr_code fail(sr_err *err, const char *source, size_t line, const char *fmt, ...)
{
    char msg[SR_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        return sr_err_set(err, SR_ERR_FORMAT, "%s:%zu: %s", source, line, msg);
    return sr_err_set(err, SR_ERR_FORMAT, "%s: %s", source, msg);
}

/* A whole number in 1..SR_DIM_MAX; an empty field takes `empty` when it is positive. */
static int parse_dim(const char *s, int64_t empty, int64_t *out, char *why, size_t size)
{
    if (!*s) {
        if (empty > 0) {
            *out = empty;
            return 1;
        }
        snprintf(why, size, "is empty");
        return 0;
    }
    int64_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            snprintf(why, size, "'%s' is not a whole number", s);
            return 0;
        }
        if (v > SR_DIM_MAX) /* keep going only to report non-digits first */
            continue;
        v = v * 10 + (*c - '0');
    }
    if (v < 1 || v > SR_DIM_MAX) {
        snprintf(why, size, "is %s, must be 1 to %lld", s, (long long)SR_DIM_MAX);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_bool(const char *s, int *out)
{
    static const char *yes[] = {"true", "1", "yes", "y", "t"}, *no[] = {"false", "0", "no", "n", "f"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 1;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 1;
    }
    return 0;
}

typedef struct {
    const char *source;
    sr_err *err;
    int col[N_COLS]; /* field index of each column, -1 when absent */
    int n_cols;
    size_t *lines; /* line of each layer, for duplicate names */
    size_t n_lines_cap;
} reader;

static sr_code read_header(reader *r, char **fields, int n, size_t line)
{
    for (int c = 0; c < N_COLS; c++)
        r->col[c] = -1;
    for (int i = 0; i < n; i++) {
        int c = 0;
        while (c < N_COLS && strcasecmp(fields[i], col_names[c]) != 0)
            c++;
        if (c == N_COLS)
            return fail(r->err, r->source, line, "unknown column '%s' in the header (columns: "
                        "name,kind,m,k,n,groups,prunable,extra_bytes)", fields[i]);
        if (r->col[c] >= 0)
            return fail(r->err, r->source, line, "column '%s' appears twice in the header",
                        col_names[c]);
        r->col[c] = i;
    }
    for (int c = 0; c < N_REQUIRED; c++)
        if (r->col[c] < 0)
            return fail(r->err, r->source, line, "missing column '%s' in the header (need "
                        "name,kind,m,k,n; groups, prunable, extra_bytes are optional)",
                        col_names[c]);
    r->n_cols = n;
    return SR_OK;
}

static sr_code read_row(reader *r, sr_network *net, char **fields, int n, size_t line)
{
    if (n != r->n_cols)
        return fail(r->err, r->source, line, "%d fields, the header has %d", n, r->n_cols);
    const char *field[N_COLS];
    for (int c = 0; c < N_COLS; c++)
        field[c] = r->col[c] >= 0 ? fields[r->col[c]] : "";
    sr_layer l;
    memset(&l, 0, sizeof l);
    if (!*field[COL_NAME])
        return fail(r->err, r->source, line, "empty layer name");
    if (strlen(field[COL_NAME]) >= sizeof l.name)
        return fail(r->err, r->source, line, "layer name longer than %d characters",
                    SR_LAYER_NAME_MAX - 1);
    memcpy(l.name, field[COL_NAME], strlen(field[COL_NAME]) + 1);
    if (!sr_layer_kind_parse(field[COL_KIND], &l.kind))
        return fail(r->err, r->source, line, "layer '%s': unknown kind '%s' (conv, linear or "
                    "matmul)", l.name, field[COL_KIND]);
    int64_t *dims[] = {&l.m, &l.k, &l.n, &l.groups};
    for (int c = COL_M; c <= COL_GROUPS; c++) {
        char why[160];
        if (!parse_dim(field[c], c == COL_GROUPS ? 1 : 0, dims[c - COL_M], why, sizeof why))
            return fail(r->err, r->source, line, "layer '%s': %s %s", l.name, col_names[c], why);
    }
    l.prunable = l.kind != SR_LAYER_MATMUL;
    if (*field[COL_PRUNABLE] && !parse_bool(field[COL_PRUNABLE], &l.prunable))
        return fail(r->err, r->source, line, "layer '%s': prunable '%s' is not true or false",
                    l.name, field[COL_PRUNABLE]);
    if (*field[COL_EXTRA]) {
        char *end;
        errno = 0;
        l.extra_bytes = strtod(field[COL_EXTRA], &end);
        if (*end || errno || !(l.extra_bytes >= 0 && l.extra_bytes <= SR_EXTRA_BYTES_MAX))
            return fail(r->err, r->source, line, "layer '%s': extra_bytes '%s' is not a "
                        "number of bytes from 0 to %g", l.name, field[COL_EXTRA],
                        SR_EXTRA_BYTES_MAX);
    }
    int64_t first = sr_network_find(net, l.name);
    if (first >= 0)
        return fail(r->err, r->source, line, "duplicate layer name '%s' (first on line %zu)",
                    l.name, r->lines[first]);
    sr_code rc = sr_network_add_layer(net, &l, r->err);
    if (rc != SR_OK)
        return sr_err_prefix(r->err, "%s:%zu", r->source, line);
    size_t i = sr_network_n_layers(net) - 1;
    if (i >= r->n_lines_cap) {
        size_t cap = r->n_lines_cap ? 2 * r->n_lines_cap : 64;
        size_t *lines = realloc(r->lines, cap * sizeof *lines);
        if (!lines)
            return sr_err_set(r->err, SR_ERR_NOMEM, "out of memory reading %s", r->source);
        r->lines = lines;
        r->n_lines_cap = cap;
    }
    r->lines[i] = line;
    return SR_OK;
}

sr_code sr_network_parse(const char *name, const char *source, const char *text, size_t len,
                         sr_network **out, sr_err *err)
{
    *out = NULL;
    reader r = {.source = source ? source : name, .err = err};
    char *buf = NULL, *description = NULL;
    sr_network *net = NULL;
    sr_code rc = SR_OK;
    int have_header = 0;
    size_t line = 0, cap = 0, pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a UTF-8 byte-order mark, as spreadsheets write */
    while (pos < len && rc == SR_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        line++;
        if (n + 1 > cap) {
            char *b = realloc(buf, n + 1);
            if (!b) {
                rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", r.source);
                break;
            }
            buf = b;
            cap = n + 1;
        }
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos += n + 1;
        if (memchr(buf, '\0', n))
            rc = fail(err, r.source, line, "a NUL byte: not a text file");
        char *s = sr_csv_trim(buf);
        if (rc != SR_OK || !*s)
            continue;
        if (*s == '#') {
            if (!have_header && !description) {
                for (s++; *s == ' ' || *s == '#'; s++)
                    ;
                if (!(description = malloc(strlen(s) + 1)))
                    rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", r.source);
                else
                    memcpy(description, s, strlen(s) + 1);
            }
            continue;
        }
        char *fields[MAX_FIELDS];
        const char *why = NULL;
        int nf = sr_csv_split(s, fields, MAX_FIELDS, &why);
        if (nf < 0) {
            rc = fail(err, r.source, line, "%s", why);
        } else if (!have_header) {
            rc = read_header(&r, fields, nf, line);
            have_header = 1;
            if (rc == SR_OK)
                rc = sr_network_create(name, description, &net, err);
        } else {
            rc = read_row(&r, net, fields, nf, line);
        }
    }
    if (rc == SR_OK && !have_header)
        rc = fail(err, r.source, 0, "no header line (expected name,kind,m,k,n,groups,prunable)");
    if (rc == SR_OK && sr_network_n_layers(net) == 0)
        rc = fail(err, r.source, 0, "no layers after the header");
    free(buf);
    free(description);
    free(r.lines);
    if (rc != SR_OK) {
        sr_network_free(net);
        return rc;
    }
    *out = net;
    return SR_OK;
}

sr_code sr_network_load(const char *path, sr_network **out, sr_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, SR_ERR_IO, "cannot open network file %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    sr_code rc = SR_OK;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *t = realloc(text, cap);
            if (!t) {
                rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", path);
                break;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (len > SR_NETWORK_MAX_BYTES) {
            rc = sr_err_set(err, SR_ERR_FORMAT, "network file %s is larger than %u MiB, the "
                            "most a network file may be (at most %d layers)", path,
                            SR_NETWORK_MAX_BYTES >> 20, SR_NETWORK_MAX_LAYERS);
            break;
        }
        if (got == 0)
            break;
    }
    if (rc == SR_OK && ferror(f))
        rc = errno == EISDIR
                 ? sr_err_set(err, SR_ERR_ARG, "%s is a directory, not a network file", path)
                 : sr_err_set(err, SR_ERR_IO, "cannot read network file %s: %s", path,
                              strerror(errno));
    fclose(f);
    if (rc == SR_OK) {
        /* the network is named after the file: dir/my-net.csv -> my-net */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char name[SR_LAYER_NAME_MAX];
        snprintf(name, sizeof name, "%s", base);
        char *dot = strrchr(name, '.');
        if (dot && dot != name)
            *dot = '\0';
        rc = sr_network_parse(name, path, text, len, out, err);
    }
    free(text);
    return rc;
}
