/* Readers of .npy and Matrix Market files (src/sparse/read_*.c), on small files written
 * to a temporary directory; part of the test_sparse executable. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sparse/read.h"

void sparse_read_tests(Suite *s); /* called from test_sparse.c */

static char tmpdir[64];

static void make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/sr_read_XXXXXX", base && strlen(base) < 40 ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes bytes to tmpdir/name; returns the path (static buffer, one at a time). */
static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* A .npy file: header dict (padded like numpy) and `len` bytes of little-endian data. */
static const char *write_npy(const char *name, int major, const char *dict, const void *data,
                             size_t len)
{
    unsigned char buf[4096];
    size_t pre = major == 1 ? 10 : 12, dl = strlen(dict);
    size_t hlen = ((pre + dl + 1 + 63) / 64) * 64 - pre;
    ck_assert_uint_lt(pre + hlen + len, sizeof buf);
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = 0;
    for (size_t i = 0; i < pre - 8; i++)
        buf[8 + i] = (unsigned char)(hlen >> (8 * i));
    memset(buf + pre, ' ', hlen);
    memcpy(buf + pre, dict, dl);
    buf[pre + hlen - 1] = '\n';
    memcpy(buf + pre + hlen, data, len);
    return write_file(name, buf, pre + hlen + len);
}

/* Little-endian bytes of n values of `size` bytes (float or double), whatever the host. */
static void to_le(unsigned char *out, const void *v, int n, int size)
{
    for (int i = 0; i < n; i++) {
        uint64_t u = 0;
        if (size == 4) {
            uint32_t u32;
            memcpy(&u32, (const float *)v + i, 4);
            u = u32;
        } else {
            memcpy(&u, (const double *)v + i, 8);
        }
        for (int b = 0; b < size; b++)
            out[size * i + b] = (unsigned char)(u >> (8 * b));
    }
}

static void expect_matrix(sr_code rc, const sr_err *e, float *w, int m, int k, int wm, int wk,
                          const float *want)
{
    ck_assert_msg(rc == SR_OK, "read failed: %s", e->msg);
    ck_assert_int_eq(m, wm);
    ck_assert_int_eq(k, wk);
    for (int i = 0; i < m * k; i++)
        ck_assert_msg(w[i] == want[i], "element %d: %g, want %g", i, (double)w[i], (double)want[i]);
    free(w);
}

/* The read fails with `code`, names the file, says `why`, and leaves *w NULL. */
static void expect_fail(sr_code rc, const sr_err *e, const float *w, sr_code code, const char *path,
                        const char *why)
{
    ck_assert_msg(rc == code, "got %d (%s), want %d", rc, e->msg, code);
    ck_assert_msg(strstr(e->msg, path) != NULL, "message '%s' does not name the file", e->msg);
    ck_assert_msg(strstr(e->msg, why) != NULL, "message '%s' does not say '%s'", e->msg, why);
    ck_assert_ptr_null(w);
}

START_TEST(test_npy_good)
{
    make_tmpdir();
    sr_code rc;
    sr_err e;
    float *w;
    int m, k;
    const float f[6] = {1.5f, -2, 0, 3.25f, 1e-30f, -0.125f};
    unsigned char raw[64];
    to_le(raw, f, 6, 4);
    const char *p = write_npy("a.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                              raw, 24);
    rc = sr_read_npy(p, &w, &m, &k, &e);
    expect_matrix(rc, &e, w, m, k, 2, 3, f);
    /* format 2.0 header, float64, key order and quotes as another writer may produce */
    const double d[6] = {0.1, -7, 1e-3, 2, 3, 4};
    const float fd[6] = {0.1f, -7, 1e-3f, 2, 3, 4};
    to_le(raw, d, 6, 8);
    p = write_npy("b.npy", 2, "{\"shape\": (3,2), \"fortran_order\": False, \"descr\": \"<f8\"}", raw, 48);
    rc = sr_read_npy(p, &w, &m, &k, &e);
    expect_matrix(rc, &e, w, m, k, 3, 2, fd);
    p = write_npy("c.NPY", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", raw, 4);
    ck_assert_int_eq(sr_read_matrix(p, &w, &m, &k, &e), SR_OK);
    ck_assert_int_eq(m * k, 1);
    free(w);
    remove_tmpdir();
}
END_TEST

START_TEST(test_npy_bad)
{
    make_tmpdir();
    sr_code rc;
    sr_err e;
    float *w = NULL;
    int m, k;
    unsigned char raw[64] = {0};
    const double huge = 1e300;
    struct {
        const char *name, *dict, *why;
        size_t len;
        sr_code code;
    } cases[] = {
        {"be.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", "'>f4'", 16, SR_ERR_FORMAT},
        {"int.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", "'<i4'", 16, SR_ERR_FORMAT},
        {"fort.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", "Fortran", 16, SR_ERR_FORMAT},
        {"1d.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "1 dimensions", 16, SR_ERR_FORMAT},
        {"3d.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2), }", "3 dimensions", 16, SR_ERR_FORMAT},
        {"short.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", "ends after 3 of 4", 12, SR_ERR_FORMAT},
        {"long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", "past its 2x2", 20, SR_ERR_FORMAT},
        {"empty.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", "0x3", 0, SR_ERR_ARG},
        {"nokey.npy", "{'descr': '<f4', 'shape': (2, 2), }", "fortran_order", 16, SR_ERR_FORMAT},
        {"junk.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2) 'x'}", "expected ','", 16, SR_ERR_FORMAT},
        {"huge.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", "row 0, column 0", 8, SR_ERR_FORMAT},
    };
    to_le(raw, &huge, 1, 8);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_npy(cases[i].name, 1, cases[i].dict, raw, cases[i].len);
        rc = sr_read_npy(p, &w, &m, &k, &e);
        expect_fail(rc, &e, w, cases[i].code, cases[i].name, cases[i].why);
    }
    const char *p = write_text("text.npy", "just text, no magic here");
    rc = sr_read_npy(p, &w, &m, &k, &e);
    expect_fail(rc, &e, w, SR_ERR_FORMAT, "text.npy", "not a .npy file");
    rc = sr_read_npy("/nonexistent/x.npy", &w, &m, &k, &e);
    expect_fail(rc, &e, w, SR_ERR_IO, "/nonexistent/x.npy", "cannot open");
    w = (float *)raw; /* must be reset to NULL */
    rc = sr_read_matrix("weights.txt", &w, &m, &k, &e);
    expect_fail(rc, &e, w, SR_ERR_ARG, "weights.txt", ".npy or .mtx");
    remove_tmpdir();
}
END_TEST

START_TEST(test_mtx_good)
{
    make_tmpdir();
    sr_code rc;
    sr_err e;
    float *w;
    int m, k;
    struct {
        const char *name, *text;
        int m, k;
        float want[9];
    } cases[] = {
        /* duplicates add up, comments and blank lines are skipped, CRLF is fine */
        {"a.mtx",
         "%%MatrixMarket matrix coordinate real general\r\n% a comment\r\n\r\n"
         "2 3 4\r\n1 1 1.5\r\n2 3 -2e0\r\n1 1 0.5\r\n2 1 4\r\n",
         2, 3, {2, 0, 0, 4, 0, -2}},
        {"b.mtx", "%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 7\n3 1 -2\n3 2 5\n",
         3, 3, {7, 0, -2, 0, 0, 5, -2, 5, 0}},
        {"c.MTX", "%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n2 1\n", 2, 2, {0, 1, 1, 0}},
        {"d.mtx", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 1 3\n", 2, 2, {0, -3, 3, 0}},
        /* array: column-major */
        {"e.mtx", "%%MatrixMarket matrix array real general\n2 3\n1\n2\n3\n4\n5\n6\n", 2, 3, {1, 3, 5, 2, 4, 6}},
        {"f.mtx", "%%MatrixMarket matrix array integer symmetric\n2 2\n1\n2\n3\n", 2, 2, {1, 2, 2, 3}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_text(cases[i].name, cases[i].text);
        rc = sr_read_matrix(p, &w, &m, &k, &e); /* by extension, any case */
        expect_matrix(rc, &e, w, m, k, cases[i].m, cases[i].k, cases[i].want);
    }
    remove_tmpdir();
}
END_TEST

START_TEST(test_mtx_bad)
{
    make_tmpdir();
    sr_code rc;
    sr_err e;
    float *w = NULL;
    int m, k;
    struct {
        const char *text, *why;
        sr_code code;
    } cases[] = {
        {"1 1 1\n1 1 1\n", "not a Matrix Market file", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", "complex", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n", "hermitian", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix array pattern general\n1 1\n", "pattern", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n", "line 3: entry (3, 1) outside", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n2 2 2\n", "after 2 of the 3", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 2\n", "line 4: more data", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 2 1\n", "lower triangle", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real symmetric\n2 3 0\n", "square", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 abc\n", "line 3: expected a real", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", "expected an integer", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1 9\n", "unexpected text", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n2 2\n", "rows columns entries", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n", "after 3 of its 4", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n0 2 0\n", "0x2", SR_ERR_ARG},
        {"%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1e300\n", "float32", SR_ERR_FORMAT},
        {"%%MatrixMarket matrix coordinate real general\n", "before its size line", SR_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad%zu.mtx", i);
        const char *p = write_text(name, cases[i].text);
        rc = sr_read_mtx(p, &w, &m, &k, &e);
        expect_fail(rc, &e, w, cases[i].code, name, cases[i].why);
    }
    rc = sr_read_mtx("/nonexistent/y.mtx", &w, &m, &k, &e);
    expect_fail(rc, &e, w, SR_ERR_IO, "/nonexistent/y.mtx", "cannot open");
    remove_tmpdir();
}
END_TEST

/* Under AddressSanitizer an address-space limit breaks the sanitizer itself. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* A few bytes declaring gigabytes: refused for what the file holds, before allocating (a
 * 1 GiB address-space limit turns an allocation into SR_ERR_NOMEM). */
START_TEST(test_declared_sizes)
{
#ifndef UNDER_ASAN
    struct rlimit lim = {1u << 30, 1u << 30};
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
#endif
    make_tmpdir();
    sr_err e;
    float *w = NULL;
    int m, k;
    const unsigned char three[3] = {1, 2, 3};
    const char *p = write_npy("big.npy", 1, "{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (743891325, 2), }", three, sizeof three);
    expect_fail(sr_read_npy(p, &w, &m, &k, &e), &e, w, SR_ERR_FORMAT, "big.npy",
                "5951130600 bytes; the file holds 3");
    struct {
        const char *text, *why;
    } mtx[] = {
        {"%%MatrixMarket matrix coordinate real general\n3 500000000 2000000000\n1 1 1\n",
         "declares 2000000000 entries"},
        {"%%MatrixMarket matrix coordinate real general\n3 500000000 1\n1 1 1\n", "too sparse"},
        {"%%MatrixMarket matrix array real general\n3 500000000\n1\n", "declares 1500000000 values"},
    };
    for (size_t i = 0; i < sizeof mtx / sizeof mtx[0]; i++) {
        p = write_text("big.mtx", mtx[i].text);
        expect_fail(sr_read_mtx(p, &w, &m, &k, &e), &e, w, SR_ERR_FORMAT, "big.mtx line 2",
                    mtx[i].why);
    }
    remove_tmpdir();
}
END_TEST

void sparse_read_tests(Suite *s)
{
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, test_npy_good);
    tcase_add_test(tc, test_npy_bad);
    tcase_add_test(tc, test_mtx_good);
    tcase_add_test(tc, test_mtx_bad);
    tcase_add_test(tc, test_declared_sizes);
    suite_add_tcase(s, tc);
}
