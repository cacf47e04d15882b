/* Reading a Matrix Market file (math.nist.gov/MatrixMarket/formats.html) into a dense
 * fp32 matrix: coordinate or array; real, integer or pattern; general, symmetric or
 * skew-symmetric. Every message names the file and, for content, the line. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "sparse/read.h"
#include "sparse/sparse_internal.h"

typedef enum { SYM_GENERAL, SYM_SYMMETRIC, SYM_SKEW } mtx_symmetry;
typedef enum { FIELD_REAL, FIELD_INTEGER, FIELD_PATTERN } mtx_field;

typedef struct {
    FILE *f;
    const char *path;
    char *line;
    size_t cap;
    long lineno;
    sr_err *err;
} reader;

/* The next line that is neither a comment nor blank, trailing space cut; 0 at the end. */
static int next_line(reader *r)
{
    while (getline(&r->line, &r->cap, r->f) != -1) {
        r->lineno++;
        size_t n = strlen(r->line);
        while (n > 0 && isspace((unsigned char)r->line[n - 1]))
            r->line[--n] = '\0';
        const char *s = r->line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s && *s != '%')
            return 1;
    }
    return 0;
}

static sr_code bad(reader *r, const char *what, const char *detail)
{
    return sr_err_set(r->err, SR_ERR_FORMAT, "%s line %ld: %s%s", r->path, r->lineno, what, detail);
}

/* One integer field from *s; 0 when there is none. */
static int take_int(const char **s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(*s, &end, 10);
    if (end == *s || errno || (*end && !isspace((unsigned char)*end)))
        return 0;
    *s = end;
    return 1;
}

static sr_code take_value(reader *r, const char **s, mtx_field field, float *out)
{
    if (field == FIELD_PATTERN) {
        *out = 1.0f;
        return SR_OK;
    }
    if (field == FIELD_INTEGER) {
        long long v;
        if (!take_int(s, &v))
            return bad(r, "expected an integer value: ", r->line);
        *out = (float)v;
        return SR_OK;
    }
    char *end;
    double d = strtod(*s, &end);
    if (end == *s || (*end && !isspace((unsigned char)*end)))
        return bad(r, "expected a real value: ", r->line);
    if (isfinite(d) && fabs(d) > FLT_MAX)
        return bad(r, "value beyond float32's range: ", r->line);
    *s = end;
    *out = (float)d;
    return SR_OK;
}

static sr_code expect_end(reader *r, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s ? bad(r, "unexpected text after the entry: ", r->line) : SR_OK;
}

static sr_code read_coordinate(reader *r, mtx_field field, mtx_symmetry sym, int m, int k,
                               long long nnz, float *w)
{
    for (long long e = 0; e < nnz; e++) {
        if (!next_line(r))
            return sr_err_set(r->err, SR_ERR_FORMAT, "%s: file ends after %lld of the %lld entries it declares",
                              r->path, e, nnz);
        const char *s = r->line;
        long long i, j;
        float v;
        sr_code rc;
        if (!take_int(&s, &i) || !take_int(&s, &j))
            return bad(r, "expected 'row column", field == FIELD_PATTERN ? "'" : " value'");
        if ((rc = take_value(r, &s, field, &v)) || (rc = expect_end(r, s)))
            return rc;
        if (i < 1 || i > m || j < 1 || j > k) {
            char where[96];
            snprintf(where, sizeof where, "(%lld, %lld) outside the %dx%d matrix", i, j, m, k);
            return bad(r, "entry ", where);
        }
        if (sym != SYM_GENERAL && (i < j || (sym == SYM_SKEW && i == j)))
            return bad(r, sym == SYM_SKEW ? "a skew-symmetric file stores only entries below the diagonal: "
                                          : "a symmetric file stores only the lower triangle: ",
                       r->line);
        i--, j--;
        w[(size_t)i * k + j] += v; /* duplicates add up */
        if (sym != SYM_GENERAL && i != j)
            w[(size_t)j * k + i] += sym == SYM_SKEW ? -v : v;
    }
    return SR_OK;
}

static sr_code read_array(reader *r, mtx_field field, mtx_symmetry sym, int m, int k, float *w)
{
    /* column-major; symmetric files hold the lower triangle, skew ones below the diagonal */
    long long want = 0;
    for (int j = 0; j < k; j++)
        for (int i = sym == SYM_GENERAL ? 0 : sym == SYM_SYMMETRIC ? j : j + 1; i < m; i++, want++) {
            if (!next_line(r)) {
                long long total = sym == SYM_GENERAL ? (long long)m * k
                                  : sym == SYM_SYMMETRIC ? (long long)m * (m + 1) / 2
                                                         : (long long)m * (m - 1) / 2;
                return sr_err_set(r->err, SR_ERR_FORMAT, "%s: file ends after %lld of its %lld values",
                                  r->path, want, total);
            }
            const char *s = r->line;
            float v;
            sr_code rc;
            if ((rc = take_value(r, &s, field, &v)) || (rc = expect_end(r, s)))
                return rc;
            w[(size_t)i * k + j] = v;
            if (sym != SYM_GENERAL)
                w[(size_t)j * k + i] = sym == SYM_SKEW ? -v : v;
        }
    return SR_OK;
}

/* A matrix of more cells than this must first show that the file could hold it; smaller
 * ones are read, and a short file is reported where it ends. */
#define MTX_SMALL_CELLS (1LL << 22)
/* A coordinate file's dense matrix may hold at most this many cells per entry it stores:
 * beyond, the file is a few bytes asking for gigabytes of zeros. */
#define MTX_CELLS_PER_ENTRY 65536

/* What the size line declares must fit what the file holds, checked before allocating a
 * large dense matrix: an entry line takes at least 4 bytes ("1 1" and a newline), 6 with
 * a value, and an array value 2. */
static sr_code check_declared(reader *r, int coord, mtx_field field, mtx_symmetry sym,
                              long long rows, long long cols, long long nnz)
{
    if (rows * cols <= MTX_SMALL_CELLS)
        return SR_OK;
    long long left = sr_file_bytes_left(r->f);
    long long items = coord ? nnz
                      : sym == SYM_GENERAL   ? rows * cols
                      : sym == SYM_SYMMETRIC ? rows * (rows + 1) / 2
                                             : rows * (rows - 1) / 2;
    int least = coord ? (field == FIELD_PATTERN ? 4 : 6) : 2;
    char what[200];
    if (left >= 0 && items > (left + 1) / least) {
        snprintf(what, sizeof what, "declares %lld %s, more than the %lld bytes after it can "
                 "hold: ", items, coord ? "entries" : "values", left);
        return bad(r, what, r->line);
    }
    if (coord && rows * cols / MTX_CELLS_PER_ENTRY > (nnz > 0 ? nnz : 1)) {
        snprintf(what, sizeof what, "a %lldx%lld matrix of only %lld entries is too sparse to "
                 "read as a dense matrix (at most %d cells an entry): ", rows, cols, nnz,
                 MTX_CELLS_PER_ENTRY);
        return bad(r, what, r->line);
    }
    return SR_OK;
}

static sr_code read_file(reader *r, float **w, int *m, int *k)
{
    char banner[32], object[32], format[32], fieldname[32], symname[32];
    if (getline(&r->line, &r->cap, r->f) == -1 ||
        sscanf(r->line, "%31s %31s %31s %31s %31s", banner, object, format, fieldname, symname) != 5 ||
        strcmp(banner, "%%MatrixMarket") != 0)
        return sr_err_set(r->err, SR_ERR_FORMAT,
                          "%s: not a Matrix Market file (first line must be "
                          "'%%%%MatrixMarket matrix <format> <field> <symmetry>')",
                          r->path);
    r->lineno = 1;
    int coord = strcasecmp(format, "coordinate") == 0;
    if (strcasecmp(object, "matrix") != 0 || (!coord && strcasecmp(format, "array") != 0))
        return bad(r, "object must be 'matrix' and format 'coordinate' or 'array': ", r->line);
    mtx_field field;
    if (strcasecmp(fieldname, "real") == 0 || strcasecmp(fieldname, "double") == 0)
        field = FIELD_REAL;
    else if (strcasecmp(fieldname, "integer") == 0)
        field = FIELD_INTEGER;
    else if (strcasecmp(fieldname, "pattern") == 0 && coord)
        field = FIELD_PATTERN;
    else
        return bad(r, "field must be real, integer or pattern (coordinate only), not ", fieldname);
    mtx_symmetry sym;
    if (strcasecmp(symname, "general") == 0)
        sym = SYM_GENERAL;
    else if (strcasecmp(symname, "symmetric") == 0)
        sym = SYM_SYMMETRIC;
    else if (strcasecmp(symname, "skew-symmetric") == 0 && field != FIELD_PATTERN)
        sym = SYM_SKEW;
    else
        return bad(r, "symmetry must be general, symmetric or skew-symmetric, not ", symname);

    if (!next_line(r))
        return sr_err_set(r->err, SR_ERR_FORMAT, "%s: file ends before its size line", r->path);
    const char *s = r->line;
    long long rows, cols, nnz = 0;
    if (!take_int(&s, &rows) || !take_int(&s, &cols) || (coord && !take_int(&s, &nnz)) ||
        expect_end(r, s))
        return bad(r, coord ? "size line must be 'rows columns entries': "
                            : "size line must be 'rows columns': ",
                   r->line);
    if (rows > INT32_MAX || cols > INT32_MAX || rows < 0 || cols < 0 || nnz < 0)
        return bad(r, "size out of range: ", r->line);
    if (sym != SYM_GENERAL && rows != cols)
        return bad(r, "a symmetric matrix must be square: ", r->line);
    sr_pattern dense = {.kind = SR_PAT_DENSE};
    if (sr_sparse_check_shape(&dense, (int)rows, (int)cols, r->err))
        return sr_err_prefix(r->err, "%s line %ld", r->path, r->lineno);
    sr_code rc = check_declared(r, coord, field, sym, rows, cols, nnz);
    if (rc)
        return rc;
    float *out = calloc((size_t)rows * (size_t)cols, sizeof *out);
    if (!out)
        return sr_err_set(r->err, SR_ERR_NOMEM, "%s: out of memory for a %lldx%lld matrix", r->path,
                          rows, cols);
    rc = coord ? read_coordinate(r, field, sym, (int)rows, (int)cols, nnz, out)
                       : read_array(r, field, sym, (int)rows, (int)cols, out);
    if (!rc && next_line(r))
        rc = bad(r, "more data than the size line declares: ", r->line);
    if (!rc && ferror(r->f))
        rc = sr_err_set(r->err, SR_ERR_IO, "%s: read error: %s", r->path, strerror(errno));
    if (rc) {
        free(out);
        return rc;
    }
    *w = out;
    *m = (int)rows;
    *k = (int)cols;
    return SR_OK;
}

sr_code sr_read_mtx(const char *path, float **w, int *m, int *k, sr_err *err)
{
    if (!path || !w || !m || !k)
        return sr_err_set(err, SR_ERR_ARG, "reading a Matrix Market file: missing argument");
    *w = NULL;
    reader r = {.path = path, .err = err};
    if (!(r.f = fopen(path, "r")))
        return sr_err_set(err, SR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    sr_code rc = read_file(&r, w, m, k);
    free(r.line);
    fclose(r.f);
    return rc;
}

sr_code sr_read_matrix(const char *path, float **w, int *m, int *k, sr_err *err)
{
    if (w)
        *w = NULL;
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && strcasecmp(dot, ".npy") == 0)
        return sr_read_npy(path, w, m, k, err);
    if (dot && strcasecmp(dot, ".mtx") == 0)
        return sr_read_mtx(path, w, m, k, err);
    return sr_err_set(err, SR_ERR_ARG, "%s: unknown matrix file type (expected .npy or .mtx)",
                      path ? path : "(no path)");
}
