/* Reading a 2-D float32/float64 NumPy .npy file into a dense fp32 matrix. The header is a
 * Python dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), });
 * only what a C-order little-endian float matrix needs is accepted. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sparse/read.h"
#include "sparse/sparse_internal.h"

#define NPY_HEADER_MAX 65536 /* numpy writes a few hundred bytes; v2 allows 4 GiB */

typedef struct {
    char descr[16];
    int fortran, ndim, have_descr, have_order, have_shape;
    long long shape[3];
} npy_header;

static void skip_space(const char **s)
{
    while (isspace((unsigned char)**s))
        (*s)++;
}

/* A quoted Python string ('...' or "...") into buf; 0 when malformed or too long. */
static int parse_str(const char **s, char *buf, size_t size)
{
    char q = **s;
    if (q != '\'' && q != '"')
        return 0;
    const char *end = strchr(*s + 1, q);
    if (!end || (size_t)(end - *s - 1) >= size)
        return 0;
    memcpy(buf, *s + 1, (size_t)(end - *s - 1));
    buf[end - *s - 1] = '\0';
    *s = end + 1;
    return 1;
}

/* A tuple of non-negative integers, e.g. (3, 4) or (5,); up to 3 kept, ndim counts all. */
static int parse_shape(const char **s, npy_header *h)
{
    if (**s != '(')
        return 0;
    (*s)++;
    h->ndim = 0;
    for (;;) {
        skip_space(s);
        if (**s == ')')
            break;
        char *end;
        errno = 0;
        long long v = strtoll(*s, &end, 10);
        if (end == *s || errno || v < 0)
            return 0;
        if (h->ndim < 3)
            h->shape[h->ndim] = v;
        h->ndim++;
        *s = end;
        skip_space(s);
        if (**s == ',')
            (*s)++;
        else if (**s != ')')
            return 0;
    }
    (*s)++;
    return 1;
}

/* 0 on success; otherwise sets err (naming path) and returns the code. */
static sr_code parse_header(const char *path, const char *text, npy_header *h, sr_err *err)
{
    const char *s = text;
    skip_space(&s);
    if (*s++ != '{')
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header is not a dict: %.60s", path, text);
    for (;;) {
        skip_space(&s);
        if (*s == '}')
            break;
        char key[32];
        if (!parse_str(&s, key, sizeof key))
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header: expected a quoted key at '%.30s'",
                              path, s);
        skip_space(&s);
        if (*s++ != ':')
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header: no ':' after '%s'", path, key);
        skip_space(&s);
        int ok;
        if (strcmp(key, "descr") == 0) {
            ok = h->have_descr = parse_str(&s, h->descr, sizeof h->descr);
        } else if (strcmp(key, "fortran_order") == 0) {
            h->have_order = ok = strncmp(s, "True", 4) == 0 || strncmp(s, "False", 5) == 0;
            h->fortran = *s == 'T';
            s += *s == 'T' ? 4 : 5;
        } else if (strcmp(key, "shape") == 0) {
            ok = h->have_shape = parse_shape(&s, h);
        } else {
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header has unknown key '%s'", path, key);
        }
        if (!ok)
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header: bad value for '%s'", path, key);
        skip_space(&s);
        if (*s == ',')
            s++;
        else if (*s != '}')
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header: expected ',' or '}' at '%.30s'",
                              path, s);
    }
    if (!h->have_descr || !h->have_order || !h->have_shape)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header lacks '%s'", path,
                          !h->have_descr ? "descr" : !h->have_order ? "fortran_order" : "shape");
    return SR_OK;
}

static uint64_t load_le(const unsigned char *b, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* Converts `count` little-endian values starting at flat index `at` (for messages). */
static sr_code convert(const char *path, const unsigned char *raw, size_t count, int elsize,
                       size_t at, int k, float *out, sr_err *err)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t bits = load_le(raw + i * (size_t)elsize, elsize);
        if (elsize == 4) {
            uint32_t b32 = (uint32_t)bits;
            memcpy(&out[i], &b32, sizeof b32);
            continue;
        }
        double d;
        memcpy(&d, &bits, sizeof d);
        if (isfinite(d) && fabs(d) > FLT_MAX)
            return sr_err_set(err, SR_ERR_FORMAT,
                              "%s: value %g at row %zu, column %zu is beyond float32's range", path, d,
                              (at + i) / (size_t)k, (at + i) % (size_t)k);
        out[i] = (float)d;
    }
    return SR_OK;
}

/* The magic, the version and the header's length. */
static sr_code read_preamble(FILE *f, const char *path, size_t *hlen, sr_err *err)
{
    unsigned char pre[12];
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not a .npy file (no \\x93NUMPY magic)", path);
    int major = pre[6];
    if (major == 1) {
        *hlen = (size_t)load_le(pre + 8, 2);
    } else if (major == 2 || major == 3) {
        if (fread(pre + 10, 1, 2, f) != 2)
            return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy file ends inside its preamble", path);
        *hlen = (size_t)load_le(pre + 8, 4);
    } else {
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy format version %d.%d is not supported", path,
                          major, pre[7]);
    }
    if (*hlen > NPY_HEADER_MAX)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy header of %zu bytes is implausibly large",
                          path, *hlen);
    return SR_OK;
}

static sr_code read_header(FILE *f, const char *path, npy_header *h, sr_err *err)
{
    size_t hlen = 0;
    sr_code rc = read_preamble(f, path, &hlen, err);
    if (rc)
        return rc;
    char *text = malloc(hlen + 1);
    if (!text)
        return sr_err_set(err, SR_ERR_NOMEM, "%s: out of memory reading the .npy header", path);
    if (fread(text, 1, hlen, f) != hlen)
        rc = sr_err_set(err, SR_ERR_FORMAT, "%s: .npy file ends inside its header", path);
    if (!rc) {
        text[hlen] = '\0';
        rc = parse_header(path, text, h, err);
    }
    free(text);
    return rc;
}

/* The array the header declares must be a C-order 2-D float matrix of a size we take. */
static sr_code check_array(const char *path, const npy_header *h, int *elsize, int *rows,
                           int *cols, sr_err *err)
{
    *elsize = strcmp(h->descr, "<f4") == 0 ? 4 : strcmp(h->descr, "<f8") == 0 ? 8 : 0;
    if (!*elsize)
        return sr_err_set(err, SR_ERR_FORMAT,
                          "%s: .npy dtype '%s' is not supported: need little-endian float32 ('<f4') "
                          "or float64 ('<f8')",
                          path, h->descr);
    if (h->fortran)
        return sr_err_set(err, SR_ERR_FORMAT,
                          "%s: .npy array is in Fortran (column-major) order: save it in C order",
                          path);
    if (h->ndim != 2)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy array has %d dimensions: need a 2-D matrix",
                          path, h->ndim);
    if (h->shape[0] > INT32_MAX || h->shape[1] > INT32_MAX)
        return sr_err_set(err, SR_ERR_ARG, "%s: .npy shape (%lld, %lld) is too large", path,
                          h->shape[0], h->shape[1]);
    *rows = (int)h->shape[0];
    *cols = (int)h->shape[1];
    sr_pattern dense = {.kind = SR_PAT_DENSE};
    if (sr_sparse_check_shape(&dense, *rows, *cols, err))
        return sr_err_prefix(err, "%s", path);
    return SR_OK;
}

/* The data the header declares must be what the file holds, checked before allocating
 * for it: a damaged header must not ask for gigabytes. */
static sr_code check_data_size(FILE *f, const char *path, int rows, int cols, int elsize,
                               sr_err *err)
{
    long long left = sr_file_bytes_left(f), need = (long long)rows * cols * elsize;
    if (left >= 0 && left < need)
        return sr_err_set(err, SR_ERR_FORMAT,
                          "%s: .npy data ends after %lld of %lld values (the header declares "
                          "%dx%d, %lld bytes; the file holds %lld)",
                          path, left / elsize, need / elsize, rows, cols, need, left);
    if (left > need)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: .npy file has data past its %dx%d array", path,
                          rows, cols);
    return SR_OK;
}

/* The rows x cols values after the header, converted to fp32 into out, and nothing after. */
static sr_code read_values(FILE *f, const char *path, int elsize, int rows, int cols, float *out,
                           sr_err *err)
{
    size_t total = (size_t)rows * (size_t)cols;
    unsigned char *raw = malloc(4096 * 8);
    if (!raw)
        return sr_err_set(err, SR_ERR_NOMEM, "%s: out of memory for a %dx%d matrix", path, rows, cols);
    sr_code rc = SR_OK;
    for (size_t at = 0; at < total && !rc;) {
        size_t want = total - at < 4096 ? total - at : 4096;
        size_t got = fread(raw, (size_t)elsize, want, f);
        if (got != want && ferror(f))
            rc = sr_err_set(err, SR_ERR_IO, "%s: read error: %s", path, strerror(errno));
        else if (got != want)
            rc = sr_err_set(err, SR_ERR_FORMAT, "%s: .npy data ends after %zu of %zu values", path,
                            at + got, total);
        else
            rc = convert(path, raw, got, elsize, at, cols, out + at, err);
        at += got;
    }
    if (!rc && fgetc(f) != EOF)
        rc = sr_err_set(err, SR_ERR_FORMAT, "%s: .npy file has data past its %dx%d array", path, rows,
                        cols);
    free(raw);
    return rc;
}

static sr_code read_body(FILE *f, const char *path, float **w, int *m, int *k, sr_err *err)
{
    npy_header h = {0};
    int elsize = 0, rows = 0, cols = 0;
    sr_code rc = read_header(f, path, &h, err);
    if (rc || (rc = check_array(path, &h, &elsize, &rows, &cols, err)) ||
        (rc = check_data_size(f, path, rows, cols, elsize, err)))
        return rc;
    float *out = malloc((size_t)rows * (size_t)cols * sizeof *out);
    if (!out)
        return sr_err_set(err, SR_ERR_NOMEM, "%s: out of memory for a %dx%d matrix", path, rows, cols);
    if ((rc = read_values(f, path, elsize, rows, cols, out, err))) {
        free(out);
        return rc;
    }
    *w = out;
    *m = rows;
    *k = cols;
    return SR_OK;
}

sr_code sr_read_npy(const char *path, float **w, int *m, int *k, sr_err *err)
{
    if (!path || !w || !m || !k)
        return sr_err_set(err, SR_ERR_ARG, "reading a .npy file: missing argument");
    *w = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, SR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    sr_code rc = read_body(f, path, w, m, k, err);
    fclose(f);
    return rc;
}
