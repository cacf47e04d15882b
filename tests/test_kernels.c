/* Every kernel against the CPU reference: odd shapes that are multiples of no tile,
 * block or group; an all-zero matrix; a fully dense one; several tile parameters. */
#define _DEFAULT_SOURCE /* mkdtemp, setenv */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "test_quick.h"
#include "bench/loop_bound.h"
#include "bench/spmm.h"
#include "device_fixture.h"
#include "bench/tune.h"
#include "device_probe.h"

/* Builds W (m x k) pruned to `pattern` at `sparsity` (or all zeros), runs the kernel
 * with the given parameters (NULL: defaults) and asserts it verified; returns the floats
 * per row of X and Y it ran with. */
static int check_case(const char *pattern, int m, int k, int n, double sparsity, int zeros,
                       const char *params)
{
    sr_pattern p;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse(pattern, &p, &err), SR_OK);
    float *w = malloc((size_t)m * k * sizeof *w), *pruned = malloc((size_t)m * k * sizeof *w);
    float *x = malloc((size_t)k * n * sizeof *x);
    sr_dense_random(w, m, k, 42);
    sr_dense_random(x, k, n, 43);
    if (zeros)
        for (size_t i = 0; i < (size_t)m * k; i++)
            w[i] = 0.0f;
    ck_assert_int_eq(sr_prune(w, m, k, &p, sparsity, pruned, &err), SR_OK);
    sr_sparse *s = NULL;
    ck_assert_msg(sr_sparse_from_dense(pruned, m, k, &p, &s, &err) == SR_OK, "%s", err.msg);
    sr_kernel_params kp;
    sr_kernel_params_default(&p, sr_cl_info(cl)->type, &kp);
    if (params)
        ck_assert_int_eq(sr_kernel_params_parse(params, &kp, &err), SR_OK);
    sr_spmm_result res;
    sr_code c = sr_spmm_run(cl, s, pruned, x, n, &kp, 2, &res, &err);
    ck_assert_msg(c == SR_OK, "%s %dx%dx%d s=%g params=%s: %s", pattern, m, k, n, sparsity,
                  params ? params : "default", err.msg);
    ck_assert(res.verified);
    ck_assert_uint_eq(res.verify.checked, (size_t)m * n);
    ck_assert(res.time.median_s > 0.0);
    ck_assert(res.time.min_s <= res.time.median_s && res.time.median_s <= res.time.max_s);
    sr_sparse_free(s);
    free(w);
    free(pruned);
    free(x);
    return res.row_floats;
}

static const char *patterns[] = {"dense", "unstructured", "block:1x1", "block:4x4", "block:16x16",
                                 "block:1x32", "block:32x2", "block:8x1", "2:4", "1:4", "4:8",
                                 "1:2", "15:16", "3:7"};
#define NPAT (int)(sizeof patterns / sizeof *patterns)
/* Quick shapes (SPARSEROOF_TEST_QUICK: a slow implementation, whose every new build costs
 * seconds): every kernel family once, a block of one row and an N:M of odd M. */
static const char *quick_patterns[] = {"dense", "unstructured", "block:4x4", "block:1x32", "2:4", "3:7"};
#define NQUICK (int)(sizeof quick_patterns / sizeof *quick_patterns)
static const char **pats = patterns; /* those the pattern loops run (set in main) */

START_TEST(test_odd_shape)
{
    check_case(pats[_i], 67, 131, 29, 0.7, 0, NULL);
}
END_TEST

/* The GPU defaults, run here on whatever device there is: a GPU user's first run must
 * verify even where no GPU was at hand when they were chosen. */
START_TEST(test_gpu_defaults)
{
    sr_pattern p;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse(pats[_i], &p, &err), SR_OK);
    sr_kernel_params kp;
    sr_kernel_params_default(&p, "GPU", &kp);
    char params[128];
    sr_kernel_params_format(&kp, params, sizeof params);
    check_case(pats[_i], 67, 131, 29, 0.7, 0, params);
}
END_TEST

START_TEST(test_all_zero)
{
    check_case(pats[_i], 33, 45, 17, 0.5, 1, NULL);
}
END_TEST

START_TEST(test_fully_dense)
{
    check_case(pats[_i], 19, 64, 70, 0.0, 0, NULL);
}
END_TEST

START_TEST(test_tile_params)
{
    static const char *params[] = {"vw=8,nv=2,rows=2,wg=4", "vw=4,nv=1,rows=1,wg=0",
                                   "vw=2,nv=3,rows=1,wg=16"};
    for (int i = 0; i < (sr_test_quick() ? 1 : 3); i++) {
        check_case("dense", 37, 53, 41, 0.0, 0, params[i]);
        check_case("unstructured", 37, 53, 41, 0.8, 0, params[i]);
        check_case("block:4x4", 37, 53, 41, 0.8, 0, params[i]);
        check_case("2:4", 37, 53, 41, 0.5, 0, params[i]);
    }
}
END_TEST

/* Several register tiles per work-item and K blocks that divide nothing: rows past M in
 * the last work-item, a last K block shorter than the others, K blocks that are not
 * whole N:M groups, and tile counts that BSR must reduce to divide its block height. */
START_TEST(test_tiles_and_k_blocks)
{
    static const char *params[] = {"vw=4,nv=2,rows=2,wg=0,tiles=3,kc=8", "vw=8,nv=1,rows=4,wg=2,tiles=5,kc=5",
                                   "vw=16,nv=1,rows=1,wg=1,tiles=7,kc=1", "vw=4,nv=4,rows=2,wg=0,tiles=64,kc=0"};
    static const char *all[] = {"dense", "unstructured", "block:16x16", "3:7", "block:4x4", "2:4"};
    const int quick = sr_test_quick();
    for (int i = 0; i < 4; i += quick ? 2 : 1)
        for (int j = 0; j < (quick ? 4 : 6); j++)
            check_case(all[j], 37, 53, 41, 0.8, 0, params[i]); /* N:M and dense ignore the sparsity */
}
END_TEST

/* A panel is never wider than N in vectors, and BSR tiles stay inside a block row; a
 * run with such parameters verifies. */
START_TEST(test_effective_params)
{
    sr_pattern p;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("block:4x4", &p, &err), SR_OK);
    const sr_kernel_params kp = {.vw = 16, .nv = 8, .rows = 2, .wg = 0, .tiles = 5, .kc = 0};
    sr_kernel_params e;
    sr_kernel_params_effective(&kp, &p, 20, &e);
    ck_assert_int_eq(e.nv, 2);
    ck_assert_int_eq(e.tiles, 2);
    ck_assert_int_eq(e.rows, 2);
    sr_kernel_params_effective(&kp, &p, 1000, &e);
    ck_assert_int_eq(e.nv, 8);
    /* vectors no wider than N needs, down to 4 */
    sr_kernel_params_effective(&kp, &p, 1, &e);
    ck_assert_int_eq(e.vw, 4);
    ck_assert_int_eq(e.nv, 1);
    sr_kernel_params_effective(&kp, &p, 8, &e);
    ck_assert_int_eq(e.vw, 8);
    ck_assert_int_eq(sr_pattern_parse("dense", &p, &err), SR_OK);
    sr_kernel_params_effective(&kp, &p, 20, &e);
    ck_assert_int_eq(e.tiles, 5);
    /* CSR: the same rows per item in other tiles is the same kernel; another kc is not */
    ck_assert_int_eq(sr_pattern_parse("unstructured", &p, &err), SR_OK);
    sr_kernel_params kc1 = {.vw = 16, .nv = 4, .rows = 2, .wg = 1, .tiles = 8, .kc = 64};
    const sr_kernel_params kc2 = {.vw = 16, .nv = 4, .rows = 4, .wg = 1, .tiles = 4, .kc = 64};
    sr_kernel_params e2;
    sr_kernel_params_effective(&kc1, &p, 256, &e);
    sr_kernel_params_effective(&kc2, &p, 256, &e2);
    ck_assert_int_eq(memcmp(&e, &e2, sizeof e), 0);
    ck_assert_int_eq(e.rows * e.tiles, 16);
    kc1.kc = 128;
    sr_kernel_params_effective(&kc1, &p, 256, &e);
    ck_assert_int_ne(memcmp(&e, &e2, sizeof e), 0);
    ck_assert_int_eq(sr_pattern_parse("block:4x4", &p, &err), SR_OK);
    check_case("block:4x4", 24, 40, 20, 0.5, 0, "vw=16,nv=8,rows=2,wg=0,tiles=5,kc=0");
}
END_TEST

/* One panel exactly as wide as X (and K needing no padding) reads X as it is, with no
 * pack; K padded to a block or group still packs. Both verify. */
START_TEST(test_x_as_one_panel)
{
    static const char *pats[] = {"dense", "unstructured", "block:4x4", "2:4"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        check_case(pats[i], 37, 52, 32, 0.7, 0, "vw=8,nv=4,rows=2,tiles=2,kc=8,wg=0"); /* K = 52: no padding */
        check_case(pats[i], 37, 53, 32, 0.7, 0, "vw=8,nv=4,rows=2,tiles=2,kc=8,wg=0"); /* padded K for 4x4, 2:4 */
    }
}
END_TEST

/* X read in place (x=2) and repacked (x=1) on the shapes networks have: N = 1, N = 49
 * (one panel, not whole vectors), several panels with a partial last one, K a multiple
 * of no block or group (the zero rows past K then come with X itself), small tiles. */
START_TEST(test_x_in_place)
{
    static const char *all[] = {"dense", "unstructured", "block:4x4", "block:16x16", "2:4", "3:7"};
    static const int shapes[][3] = {{37, 53, 1}, {40, 131, 49}, {33, 70, 150}};
    static const char *params[] = {"x=2", "x=1", "x=2,vw=8,nv=2,rows=2,tiles=3,kc=8,wg=0"};
    const int quick = sr_test_quick();
    /* quick (llvmpipe, seconds a build): each shape with one of the parameter sets */
    for (int j = 0; j < 6; j += quick ? 2 : 1)
        for (int i = 0; i < 3; i++)
            for (int q = quick ? i : 0; q < (quick ? i + 1 : 3); q++)
                check_case(all[j], shapes[i][0], shapes[i][1], shapes[i][2], 0.7, 0, params[q]);
}
END_TEST

/* Dense at N = 1 runs gemv_dense.cl: K below one vector (the scalar tail only), one
 * vector and a tail, several double steps; rows past M in the last work-item; x=1 asks
 * for panels, which a GEMV never uses. */
START_TEST(test_gemv)
{
    static const int ks[] = {5, 19, 131};
    static const char *params[] = {"vw=16,rows=6", "vw=4,rows=1,wg=0", "vw=8,rows=3,tiles=2,x=1"};
    for (int i = 0; i < 3; i++)
        for (int q = 0; q < (sr_test_quick() ? 1 : 3); q++)
            check_case("dense", 37, ks[i], 1, 0.0, 0, params[q]);
}
END_TEST

/* N:M at N = 1 runs gemv_nm.cl where N is a power of two (2:4, 1:4: K of fewer kept
 * values than one vector, a vector and a tail, several double steps, K a multiple of no
 * group; rows past M in the last work-item), spmm_nm.cl otherwise (3:7); x=1 asks for
 * panels, which a GEMV never uses. */
START_TEST(test_gemv_nm)
{
    static const char *pats[] = {"2:4", "1:4", "3:7"};
    static const int ks[] = {5, 19, 131};
    static const char *params[] = {"rows=2", "vw=4,rows=1,wg=0", "vw=8,rows=3,tiles=2,x=1"};
    for (int p = 0; p < 3; p++)
        for (int i = 0; i < 3; i++)
            for (int q = sr_test_quick() ? i : 0; q < (sr_test_quick() ? i + 1 : 3); q++)
                check_case(pats[p], 37, ks[i], 1, 0.0, 0, params[q]);
    sr_pattern nm24, nm37, dense;
    ck_assert_int_eq(sr_pattern_parse("2:4", &nm24, NULL), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("3:7", &nm37, NULL), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("dense", &dense, NULL), SR_OK);
    ck_assert_int_eq(sr_kernel_params_gemv(&nm24, 1), 1);
    ck_assert_int_eq(sr_kernel_params_gemv(&nm24, 2), 0);
    ck_assert_int_eq(sr_kernel_params_gemv(&nm37, 1), 0);
    ck_assert_int_eq(sr_kernel_params_gemv(&dense, 1), 1);
    sr_kernel_params kp = {.vw = 16, .nv = 8, .rows = 2, .wg = 1, .tiles = 16, .kc = 64, .x = SR_X_PANELS};
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &nm24, 1000, 2048, 1), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &nm37, 1000, 2048, 1), 0);
}
END_TEST

/* Dense with vectors along M (gemm_dense_wt.cl): N a multiple of no tile width, M of no
 * panel height, K of no block; one column tile per item or several over K blocks; the
 * columns per tile chosen by N (ct=0) or given. */
START_TEST(test_dense_wt)
{
    static const int shapes[][3] = {{40, 131, 49}, {33, 70, 150}, {70, 19, 13}};
    static const char *params[] = {"mv=1,ct=0", "mv=1,vw=16,nv=2,tiles=7,kc=256,wg=1",
                                   "mv=1,vw=4,nv=3,ct=5,tiles=3,kc=8,wg=0"};
    for (int i = 0; i < 3; i++)
        for (int q = sr_test_quick() ? i : 0; q < (sr_test_quick() ? i + 1 : 3); q++)
            check_case("dense", shapes[i][0], shapes[i][1], shapes[i][2], 0.0, 0, params[q]);
}
END_TEST

/* ct=0 pads N the least within the register budget; mv is dense only; the defaults and
 * tune's second start by N. */
START_TEST(test_dense_wt_params)
{
    sr_pattern dense, csr;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("dense", &dense, &err), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, &err), SR_OK);
    sr_kernel_params kp = {.vw = 16, .nv = 4, .rows = 6, .wg = 1, .tiles = 1, .kc = 0, .mv = 1, .ct = 0}, eff;
    ck_assert_int_eq(sr_kernel_params_check(&kp, &dense, &err), SR_OK);
    sr_kernel_params_effective(&kp, &dense, 49, &eff);
    ck_assert_int_eq(eff.ct, 7);
    ck_assert_int_eq(eff.vw * eff.nv, 64); /* vectors run along M: N leaves them */
    sr_kernel_params_effective(&kp, &dense, 64, &eff);
    ck_assert_int_eq(eff.ct, 4); /* 8 would need 32 accumulators with nv=4 */
    kp.nv = 2;
    sr_kernel_params_effective(&kp, &dense, 64, &eff);
    ck_assert_int_eq(eff.ct, 8);
    sr_kernel_params_effective(&kp, &dense, 196, &eff);
    ck_assert_int_eq(eff.ct, 14); /* 2 x 14 accumulators, no padding */
    sr_kernel_params_effective(&kp, &dense, 49, &eff);
    ck_assert_int_eq(eff.ct, 7);
    sr_kernel_params_effective(&kp, &dense, 3, &eff);
    ck_assert_int_eq(eff.ct, 3);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&eff, &dense, 2048, 2048, 256), 1);
    sr_kernel_params_effective(&kp, &dense, 1, &eff); /* N = 1: the GEMV, one candidate */
    ck_assert_int_eq(eff.mv, 0);
    /* the default layout by N: along M where 64-column panels pad N by 15% or more */
    sr_kernel_params d, alt;
    const int ns[] = {49, 196, 20, 300, 784, 128, 1};
    const int along_m[] = {1, 1, 1, 0, 0, 0, 0};
    for (int i = 0; i < 7; i++) {
        sr_kernel_params_default_for(&dense, "CPU", 2048, ns[i], &d);
        ck_assert_int_eq(d.mv, along_m[i]);
        ck_assert_int_eq(sr_kernel_params_check(&d, &dense, &err), SR_OK);
        /* tune's second start is the other layout (none for the GEMV) */
        ck_assert_int_eq(sr_kernel_params_alternative(&dense, "CPU", ns[i], &alt), ns[i] > 1);
        if (ns[i] > 1)
            ck_assert_int_eq(alt.mv, !along_m[i]);
    }
    sr_kernel_params_default_for(&dense, "GPU", 2048, 49, &d);
    ck_assert_int_eq(d.mv, 0);
    /* along N with X read in place (up to 256 rows, whole vectors): 8 x 48 tiles where
     * 48-column panels pad N at most 2% more than 64-column ones, else 6 x 64 */
    const struct {
        int m, n, rows, nv;
    } tile[] = {{64, 3136, 8, 3}, {256, 784, 8, 3}, {128, 12544, 8, 3}, {512, 784, 6, 4},
                {256, 256, 6, 4}, {256, 1024, 6, 4}, {256, 300, 6, 4}};
    for (size_t i = 0; i < sizeof tile / sizeof tile[0]; i++) {
        sr_kernel_params_default_for(&dense, "CPU", tile[i].m, tile[i].n, &d);
        ck_assert_msg(d.rows == tile[i].rows && d.nv == tile[i].nv && !d.mv, "%dx%d: rows=%d nv=%d", tile[i].m,
                      tile[i].n, d.rows, d.nv);
        ck_assert_int_eq(sr_kernel_params_check(&d, &dense, &err), SR_OK);
    }
    sr_kernel_params_default_for(&dense, "GPU", 64, 3136, &d);
    ck_assert_int_eq(d.rows, 2);
    sr_kernel_params_default_for(&csr, "CPU", 2048, 49, &d);
    ck_assert_int_eq(d.mv, 0);
    ck_assert_int_eq(sr_kernel_params_alternative(&csr, "CPU", 49, &alt), 0);
    ck_assert_int_eq(sr_kernel_params_check(&kp, &csr, &err), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "mv=1"));
    char buf[96];
    kp.ct = 7;
    sr_kernel_params_format(&kp, buf, sizeof buf);
    ck_assert_str_eq(buf, "vw=16,nv=2,rows=6,wg=1,tiles=1,kc=0,mv=1,ct=7");
    sr_kernel_params back = {0};
    ck_assert_int_eq(sr_kernel_params_parse(buf, &back, &err), SR_OK);
    ck_assert_mem_eq(&back, &kp, sizeof kp);
}
END_TEST

/* The sparse kernels' built-in panel on a CPU (fit_panel in bench/params.c). N:M covers the
 * padded row with the fewest columns (ties: the widest), the default where none does
 * better, and a wider panel shortens the K block so its slice of X stays within 40 KiB.
 * BSR fits nv between half its default and its default; CSR between 2 and 4, only where
 * the default pads the row by more than an eighth. GPUs keep their defaults. */
START_TEST(test_panel_fit)
{
    sr_pattern nm;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("2:4", &nm, &err), SR_OK);
    sr_kernel_params def, kp;
    sr_kernel_params_default(&nm, "CPU", &def);
    static const struct {
        int n, nv, kc;
    } cases[] = {
        {196, 13, 48},  /* 208 padded: one panel of 13 vectors, 48 x 832 B of X a block */
        {784, 7, 64},   /* 7 panels of 112 */
        {3136, 7, 64},  /* 28 of 112 (4 vectors cover it too, in more panels) */
        {100, 7, 64},   /* 112 padded */
        {256, 8, 64},   /* the default covers it exactly */
        {12544, 8, 64}, /* so it does here */
        {128, 8, 64},
        {49, 8, 64}, /* 64 padded, four vectors or fewer: left to sr_kernel_params_effective */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sr_kernel_params_default_for(&nm, "CPU", 2048, cases[i].n, &kp);
        ck_assert_msg(kp.nv == cases[i].nv && kp.kc == cases[i].kc, "N = %d: nv=%d kc=%d, want nv=%d kc=%d",
                      cases[i].n, kp.nv, kp.kc, cases[i].nv, cases[i].kc);
        ck_assert_int_eq(kp.vw, def.vw);
        ck_assert_int_eq(kp.rows, def.rows);
        ck_assert_int_eq(sr_kernel_params_check(&kp, &nm, &err), SR_OK);
    }
    /* the rule itself, at other widths and ranges */
    sr_kernel_params at = def;
    ck_assert_int_eq(sr_kernel_params_fit_nv(&at, &nm, 196, 1, 16), 13);
    at.vw = 8;
    ck_assert_int_eq(sr_kernel_params_fit_nv(&at, &nm, 196, 1, 16), 5); /* 200 padded: 5 panels of 40 */
    at.vw = 4;
    ck_assert_int_eq(sr_kernel_params_fit_nv(&at, &nm, 196, 1, 16), 7); /* 196: 7 panels of 28 */
    at.vw = 16;
    ck_assert_int_eq(sr_kernel_params_fit_nv(&at, &nm, 256, 1, 16), 8); /* kp's nv: none covers it with fewer */
    ck_assert_int_eq(sr_kernel_params_fit_nv(&at, &nm, 49, 1, 16), 4); /* 64 padded: 1, 2 or 4; the widest */
    sr_kernel_params gpu;
    sr_kernel_params_default(&nm, "GPU", &gpu);
    sr_kernel_params_default_for(&nm, "GPU", 2048, 196, &kp);
    ck_assert_mem_eq(&kp, &gpu, sizeof kp);
    /* CSR: a row of up to 8 vectors in one panel (128, and 100 padded to 112); 196 (13
     * vectors) in 7 panels of 2, not 4 of 4; 784 (49 vectors, 52 in panels of 4: under an
     * eighth more) and whole panels keep the default */
    static const struct {
        const char *pattern;
        int n, nv;
    } sparse[] = {
        {"unstructured", 196, 2}, {"unstructured", 784, 4}, {"unstructured", 256, 4},
        {"unstructured", 49, 4},  {"unstructured", 128, 8}, {"unstructured", 100, 7},
        {"block:4x4", 196, 2},    {"block:4x4", 784, 2},
        {"block:4x4", 256, 4},    {"block:4x4", 49, 4},     {"block:16x16", 196, 1},
        {"block:16x16", 784, 1},  {"block:16x16", 3136, 2}, {"block:16x16", 128, 2},
    };
    for (size_t i = 0; i < sizeof sparse / sizeof *sparse; i++) {
        sr_pattern p;
        ck_assert_int_eq(sr_pattern_parse(sparse[i].pattern, &p, &err), SR_OK);
        sr_kernel_params_default(&p, "CPU", &def);
        sr_kernel_params_default_for(&p, "CPU", 2048, sparse[i].n, &kp);
        ck_assert_msg(kp.nv == sparse[i].nv, "%s at N = %d: nv=%d, want %d", sparse[i].pattern, sparse[i].n,
                      kp.nv, sparse[i].nv);
        kp.nv = def.nv; /* nothing else moves */
        ck_assert_mem_eq(&kp, &def, sizeof kp);
        ck_assert_int_eq(sr_kernel_params_check(&kp, &p, &err), SR_OK);
        sr_kernel_params_default_for(&p, "GPU", 2048, sparse[i].n, &kp);
        sr_kernel_params_default(&p, "GPU", &def);
        ck_assert_mem_eq(&kp, &def, sizeof kp);
    }
}
END_TEST

/* Rows padded to whole vectors (pad=1) where vectors run along N and N is wider than one
 * and unaligned; the text form says pad=1 and text without it reads as unpadded. */
START_TEST(test_row_floats)
{
    sr_pattern dense, csr, nm;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("dense", &dense, &err), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, &err), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("2:4", &nm, &err), SR_OK);
    sr_kernel_params kp, eff;
    sr_kernel_params_default(&csr, "CPU", &kp);
    ck_assert_int_eq(kp.pad, 1);
    sr_kernel_params_effective(&kp, &csr, 196, &eff);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &csr, 196), 208);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &csr, 49), 64);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &csr, 208), 208); /* whole vectors */
    sr_kernel_params_effective(&kp, &csr, 5, &eff);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &csr, 5), 5); /* narrower than a vector */
    sr_kernel_params_default(&nm, "CPU", &kp);
    sr_kernel_params_effective(&kp, &nm, 1, &eff);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &nm, 1), 1); /* the GEMV */
    sr_kernel_params_default_for(&dense, "CPU", 2048, 49, &kp);            /* along M */
    sr_kernel_params_effective(&kp, &dense, 49, &eff);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &dense, 49), 49);
    sr_kernel_params_default_for(&dense, "CPU", 2048, 300, &kp); /* along N */
    sr_kernel_params_effective(&kp, &dense, 300, &eff);
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &dense, 300), 304);
    eff.pad = 0;
    ck_assert_int_eq(sr_kernel_params_row_floats(&eff, &dense, 300), 300);
    char buf[96];
    sr_kernel_params_default(&csr, "CPU", &kp);
    sr_kernel_params_format(&kp, buf, sizeof buf);
    ck_assert_str_eq(buf, "vw=16,nv=4,rows=2,wg=2,tiles=16,kc=256,pad=1");
    sr_kernel_params back = {0};
    ck_assert_int_eq(sr_kernel_params_parse(buf, &back, &err), SR_OK);
    ck_assert_mem_eq(&back, &kp, sizeof kp);
    memset(&back, 0, sizeof back);
    ck_assert_int_eq(sr_kernel_params_parse("vw=16,nv=4,rows=2,wg=2,tiles=16,kc=256", &back, &err), SR_OK);
    ck_assert_int_eq(back.pad, 0);
    ck_assert_int_eq(sr_kernel_params_parse("pad=2", &back, &err), SR_ERR_ARG);
}
END_TEST

/* Every pattern at widths off whole vectors, padded and not: verified against the
 * reference on its N columns (every one checked), and the run says how wide its rows
 * were. */
START_TEST(test_padded_rows_run)
{
    static const char *pats_pad[] = {"dense", "unstructured", "block:4x4", "2:4"};
    const int cpu = strcmp(sr_cl_info(cl)->type, "GPU") != 0, vw = cpu ? 16 : 4; /* the defaults' vectors */
    /* quick (a slow implementation, each new width a build of seconds): CSR at 49 alone */
    const size_t first = sr_test_quick() ? 1 : 0, end = sr_test_quick() ? 2 : sizeof pats_pad / sizeof *pats_pad;
    for (size_t i = first; i < end; i++) {
        ck_assert_int_eq(check_case(pats_pad[i], 40, 36, 49, 0.5, 0, "pad=0"), 49);
        ck_assert_int_eq(check_case(pats_pad[i], 40, 36, 49, 0.5, 0, "pad=1"), (49 + vw - 1) / vw * vw);
        if (!sr_test_quick())
            ck_assert_int_eq(check_case(pats_pad[i], 40, 36, 301, 0.5, 0, "pad=1"), 304);
    }
    /* the panels fitted to 196 on a CPU (fit_panel): N:M one of 13 vectors, K in blocks
     * of 48; CSR and BSR 4x4 seven of 2 (the last half past the row); BSR 16x16 of 1 */
    if (cpu && !sr_test_quick()) {
        ck_assert_int_eq(check_case("2:4", 40, 100, 196, 0.5, 0, "nv=13,kc=48"), 208);
        ck_assert_int_eq(check_case("unstructured", 40, 100, 196, 0.5, 0, "nv=2"), 208);
        ck_assert_int_eq(check_case("block:4x4", 40, 100, 196, 0.5, 0, "nv=2"), 208);
        ck_assert_int_eq(check_case("block:16x16", 40, 100, 196, 0.5, 0, "nv=1,rows=8"), 208);
    }
    /* dense along M broadcasts X's elements: no vectors along N to pad for */
    if (cpu && !sr_test_quick())
        ck_assert_int_eq(check_case("dense", 40, 36, 49, 0, 0, "vw=16,nv=2,mv=1,pad=1"), 49);
}
END_TEST

/* The host's choice for x=0 (sr_kernel_params_x_in_place); an explicit x is obeyed. */
START_TEST(test_x_auto)
{
    sr_pattern dense, bsr, csr;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("dense", &dense, &err), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("block:4x4", &bsr, &err), SR_OK);
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, &err), SR_OK);
    sr_kernel_params kp = {.vw = 16, .nv = 4, .rows = 4, .wg = 8, .tiles = 1, .kc = 0};
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 1000, 2048, 1), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 2048, 512, 64), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 2048, 512, 49), 0); /* unaligned rows */
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 64, 147, 12544), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 256, 512, 784), 1); /* few rows */
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 512, 256, 784), 0); /* many rows */
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 1024, 256, 784), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 1024, 256, 196), 0);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 64, 147, 12544), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 768, 768, 128), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 768, 3072, 128), 0); /* 768 KiB on 512 */
    /* one panel, the whole row: X's own layout, however long */
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &csr, 512, 4608, 64), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &bsr, 768, 3072, 128), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &bsr, 1024, 256, 196), 1);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &bsr, 2048, 2048, 256), 0);
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &bsr, 64, 147, 12544), 1);
    kp.x = SR_X_PANELS;
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &bsr, 64, 147, 49), 0);
    kp.x = SR_X_IN_PLACE;
    ck_assert_int_eq(sr_kernel_params_x_in_place(&kp, &dense, 2048, 2048, 256), 1);
    /* crowded strides (sr_kernel_params_x_crowded): a 64-float panel of rows 128 floats
     * (512 B) apart starts on 128 of a way's 1024 line positions; 192 (768 B) on 256, a
     * quarter: not crowded; 2304 (9 KiB) on 64; the whole row as the panel (N = 64), and
     * BSR whatever the stride, never */
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 128), 1);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &dense, 128), 1);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 192), 0);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 2304), 1);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 784), 0);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 64), 0);
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &bsr, 128), 0);
    kp.nv = 8; /* a panel of 128 floats: the whole row at N = 128 */
    ck_assert_int_eq(sr_kernel_params_x_crowded(&kp, &csr, 128), 0);
}
END_TEST

/* The text form keeps the keys it is not given and refuses unknown ones and bad values. */
START_TEST(test_params_text)
{
    sr_kernel_params kp = {.vw = 16, .nv = 4, .rows = 4, .wg = 8, .tiles = 1, .kc = 0};
    sr_err err = {0};
    ck_assert_int_eq(sr_kernel_params_parse("tiles=16,kc=128", &kp, &err), SR_OK);
    ck_assert_int_eq(kp.tiles, 16);
    ck_assert_int_eq(kp.kc, 128);
    ck_assert_int_eq(kp.vw, 16);
    char buf[96];
    sr_kernel_params_format(&kp, buf, sizeof buf);
    ck_assert_str_eq(buf, "vw=16,nv=4,rows=4,wg=8,tiles=16,kc=128");
    kp.x = SR_X_IN_PLACE; /* written only when not the host's choice */
    sr_kernel_params_format(&kp, buf, sizeof buf);
    ck_assert_str_eq(buf, "vw=16,nv=4,rows=4,wg=8,tiles=16,kc=128,x=2");
    ck_assert_int_eq(sr_kernel_params_parse("x=3", &kp, &err), SR_ERR_ARG);
    sr_kernel_params back = {0};
    ck_assert_int_eq(sr_kernel_params_parse(buf, &back, &err), SR_OK);
    ck_assert_mem_eq(&back, &kp, sizeof kp);
    ck_assert_int_eq(sr_kernel_params_parse("tile=2", &kp, &err), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "tile"));
    ck_assert_int_eq(sr_kernel_params_parse("kc=-1", &kp, &err), SR_ERR_ARG);
    sr_pattern p;
    ck_assert_int_eq(sr_pattern_parse("dense", &p, &err), SR_OK);
    kp.tiles = 0;
    ck_assert_int_eq(sr_kernel_params_check(&kp, &p, &err), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "tiles"));
    /* 32 x 64 rows of 256 floats: 2 MiB of partial sums, refused (CSR keeps none) */
    ck_assert_int_eq(sr_kernel_params_parse("rows=32,tiles=64,vw=16,nv=16", &kp, &err), SR_OK);
    ck_assert_int_eq(sr_kernel_params_check(&kp, &p, &err), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.msg, "private memory"));
    ck_assert_int_eq(sr_pattern_parse("unstructured", &p, &err), SR_OK);
    ck_assert_int_eq(sr_kernel_params_check(&kp, &p, &err), SR_OK);
}
END_TEST

/* A wrong result must be caught: corrupt one stored value after encoding. */
START_TEST(test_verification_catches_errors)
{
    const int m = 20, k = 30, n = 9;
    sr_pattern p;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse("unstructured", &p, &err), SR_OK);
    float *w = malloc((size_t)m * k * sizeof *w), *x = malloc((size_t)k * n * sizeof *x);
    sr_dense_random(w, m, k, 7);
    sr_dense_random(x, k, n, 8);
    sr_sparse *s = NULL;
    ck_assert_int_eq(sr_sparse_from_dense(w, m, k, &p, &s, &err), SR_OK);
    s->vals[5] += 0.5f;
    sr_kernel_params kp;
    sr_kernel_params_default(&p, "CPU", &kp);
    sr_spmm_result res;
    ck_assert_int_eq(sr_spmm_run(cl, s, w, x, n, &kp, 1, &res, &err), SR_ERR_VERIFY);
    ck_assert(!res.verified);
    ck_assert_ptr_nonnull(strstr(err.msg, "disagrees"));
    sr_sparse_free(s);
    free(w);
    free(x);
}
END_TEST

/* W of m x k pruned to `pattern`, encoded (free with sr_sparse_free). */
static sr_sparse *encoded(const char *pattern, int m, int k, double sparsity, float **dense)
{
    sr_pattern p;
    sr_err err = {0};
    ck_assert_int_eq(sr_pattern_parse(pattern, &p, &err), SR_OK);
    float *w = malloc((size_t)m * k * sizeof *w), *pruned = malloc((size_t)m * k * sizeof *w);
    sr_dense_random(w, m, k, 42);
    ck_assert_int_eq(sr_prune(w, m, k, &p, sparsity, pruned, &err), SR_OK);
    sr_sparse *s = NULL;
    ck_assert_msg(sr_sparse_from_dense(pruned, m, k, &p, &s, &err) == SR_OK, "%s", err.msg);
    free(w);
    if (dense)
        *dense = pruned;
    else
        free(pruned);
    return s;
}

/* The loop bound of a run with the CPU defaults at N columns. */
static double bound(const char *pattern, int m, int k, int n, double sparsity)
{
    sr_sparse *s = encoded(pattern, m, k, sparsity, NULL);
    sr_kernel_params kp, eff;
    sr_kernel_params_default(&s->pattern, "CPU", &kp);
    sr_kernel_params_effective(&kp, &s->pattern, n, &eff);
    const double b = sr_spmm_loop_bound(s, &eff);
    sr_sparse_free(s);
    return b;
}

/* On Mesa 22.3's llvmpipe, whose loops stop after 65535 iterations, these runs gave wrong
 * results (dense at K = 2048, 2:4 at 1024 x 768, CSR and 16x16 blocks at K = 2048 and
 * half sparse): their bound must be above the limit. These verified there, and stay
 * below it. */
START_TEST(test_loop_bound)
{
    ck_assert_double_gt(bound("dense", 2048, 2048, 64, 0), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_gt(bound("dense", 2048, 2048, 256, 0), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_gt(bound("2:4", 1024, 768, 196, 0.5), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_gt(bound("2:4", 256, 512, 64, 0.5), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_gt(bound("unstructured", 512, 2048, 64, 0.5), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_gt(bound("block:16x16", 256, 2048, 64, 0.5), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_le(bound("dense", 512, 512, 64, 0), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_le(bound("dense", 1024, 1024, 256, 0), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_le(bound("unstructured", 256, 256, 64, 0.9), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_le(bound("block:4x4", 256, 256, 64, 0.9), SR_LOOP_LIMIT_LOWEST);
    ck_assert_double_le(bound("2:4", 256, 256, 64, 0.5), SR_LOOP_LIMIT_LOWEST);
    /* more of K, more loops */
    ck_assert_double_gt(bound("dense", 64, 4096, 64, 0), 1.9 * bound("dense", 64, 2048, 64, 0));
}
END_TEST

/* A run whose loops exceed the device's limit is refused with a message that names the
 * driver's defect (not a plain wrong result); without a limit (PoCL) it runs and
 * verifies. Fewer rows per tile loop less and run everywhere. */
START_TEST(test_loop_limit_refusal)
{
    const int m = 64, k = 2048, n = 64;
    sr_err err = {0};
    uint64_t limit = 1;
    ck_assert_msg(sr_cl_loop_limit(cl, &limit, &err) == SR_OK, "%s", err.msg);
    float *pruned = NULL, *x = malloc((size_t)k * n * sizeof *x);
    sr_dense_random(x, k, n, 43);
    sr_sparse *s = encoded("dense", m, k, 0, &pruned);
    sr_kernel_params kp, eff;
    sr_kernel_params_default(&s->pattern, "CPU", &kp);
    sr_kernel_params_effective(&kp, &s->pattern, n, &eff);
    const double need = sr_spmm_loop_bound(s, &eff);
    ck_assert_double_gt(need, SR_LOOP_LIMIT_LOWEST);
    sr_spmm_result res;
    sr_code c = sr_spmm_run(cl, s, pruned, x, n, &kp, 1, &res, &err);
    if (limit > 0 && (double)limit < need) {
        ck_assert_int_eq(c, SR_ERR_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(err.msg, "refused: gemm_dense"));
        ck_assert(!res.verified);
        ck_assert_ptr_nonnull(strstr(err.msg, "ends a kernel's loops"));
        ck_assert_ptr_nonnull(strstr(err.msg, sr_cl_info(cl)->name));
    } else {
        ck_assert_msg(c == SR_OK && res.verified, "%s", err.msg);
    }
    ck_assert_int_eq(sr_kernel_params_parse("rows=1", &kp, &err), SR_OK);
    c = sr_spmm_run(cl, s, pruned, x, n, &kp, 1, &res, &err);
    ck_assert_msg(c == SR_OK && res.verified, "rows=1: %s", err.msg);
    sr_sparse_free(s);
    free(pruned);
    free(x);
}
END_TEST

typedef struct {
    int ok, skipped;
    char why[SR_ERR_MSG_MAX];
} tune_seen;

static int seen_candidate(void *ctx, const sr_kernel_params *kp, double time_s, int ok, const char *why)
{
    tune_seen *t = ctx;
    (void)kp;
    (void)time_s;
    t->ok += ok;
    t->skipped += !ok;
    ck_assert(ok ? why == NULL : why != NULL);
    if (!ok && !t->why[0])
        snprintf(t->why, sizeof t->why, "%s", why);
    return 0;
}

static int stop_at_nv13(void *ctx, const sr_kernel_params *kp, double time_s, int ok, const char *why)
{
    (void)time_s;
    (void)why;
    int *seen = ctx;
    *seen |= ok && kp->nv == 13;
    return *seen; /* found: stop the search */
}

/* A product to tune: W as encoded() makes it (pattern, m x k at sparsity), its dense copy,
 * and X (k x n) random from seed. */
typedef struct {
    sr_sparse *s;
    float *w, *x;
    int n;
} tune_case;

static tune_case tune_case_make(const char *pattern, int m, int k, int n, double sparsity, uint64_t seed)
{
    tune_case t = {.n = n, .x = malloc((size_t)k * n * sizeof(float))};
    sr_dense_random(t.x, k, n, seed);
    t.s = encoded(pattern, m, k, sparsity, &t.w);
    return t;
}

static void tune_case_free(tune_case *t)
{
    sr_sparse_free(t->s);
    free(t->w);
    free(t->x);
}

/* A search over CSR's parameters (24 x 40 at 0.5, n columns) from start, reported to cb;
 * it must succeed. */
static sr_tune_result tune_csr(int n, const sr_kernel_params *start, sr_tune_progress cb, void *ctx)
{
    tune_case t = tune_case_make("unstructured", 24, 40, n, 0.5, 9);
    sr_tune_result r;
    sr_err err = {0};
    ck_assert_msg(sr_tune(cl, t.s, t.w, t.x, n, start, 1, 20.0, cb, ctx, &r, &err) == SR_OK, "%s", err.msg);
    tune_case_free(&t);
    return r;
}

/* tune tries, besides nv's powers of two, the nv whose panels cover N with the fewest
 * columns: 13 vectors of 16 at N = 196 (208 padded). */
START_TEST(test_tune_fitted_nv)
{
    if (sr_test_quick()) /* a build per candidate: seconds each on llvmpipe */
        return;
    sr_pattern csr;
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, NULL), SR_OK);
    sr_kernel_params start;
    sr_kernel_params_default(&csr, "CPU", &start); /* vw=16, nv=4 */
    int seen = 0;
    const sr_tune_result r = tune_csr(196, &start, stop_at_nv13, &seen);
    ck_assert(seen);
    ck_assert(r.stopped);
}
END_TEST

static int stop_at_first(void *ctx, const sr_kernel_params *kp, double time_s, int ok, const char *why)
{
    (void)ctx, (void)kp, (void)time_s, (void)ok, (void)why;
    return 1; /* the start only */
}

/* tune keeps its winner with the panel it ran: a start of 16 vectors of 16 at N = 20 ran
 * 2 (32 columns) and is kept as nv=2, not as 16 (which a 196-wide layer that looks it up
 * would run as 13). */
START_TEST(test_tune_keeps_panel_run)
{
    sr_pattern csr;
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, NULL), SR_OK);
    sr_kernel_params start;
    sr_kernel_params_default(&csr, "CPU", &start);
    start.vw = 16, start.nv = 16;
    const sr_tune_result r = tune_csr(20, &start, stop_at_first, NULL);
    ck_assert(r.stopped);
    ck_assert_int_eq(r.best.vw, 16);
    ck_assert_int_eq(r.best.nv, 2);
}
END_TEST

/* tune confirms its winner against the start, the two run side by side: the winner
 * stays only when faster by the margin there, and both times are those rounds'; a
 * search that never left the start runs no rounds. */
START_TEST(test_tune_confirms)
{
    if (sr_test_quick()) /* a build per candidate: seconds each on llvmpipe */
        return;
    tune_case t = tune_case_make("dense", 64, 64, 64, 0, 7);
    const sr_pattern *p = &t.s->pattern;
    sr_kernel_params start;
    sr_kernel_params_default(p, sr_cl_info(cl)->type, &start);
    start.vw = 4, start.nv = 1, start.rows = 1; /* slow: the search should leave it */
    sr_tune_result r;
    sr_err err = {0};
    ck_assert_msg(sr_tune(cl, t.s, t.w, t.x, t.n, &start, 3, 8.0, NULL, NULL, &r, &err) == SR_OK, "%s", err.msg);
    ck_assert_double_gt(r.default_time_s, 0.0);
    sr_kernel_params eff, start_eff;
    sr_kernel_params_run_width(&r.best, p, t.n, &eff);
    sr_kernel_params_run_width(&start, p, t.n, &start_eff);
    const int moved = memcmp(&eff, &start_eff, sizeof eff) != 0;
    if (r.confirmed) {
        ck_assert_int_eq(r.confirmed, SR_TUNE_CONFIRM_ROUNDS);
        if (moved)
            ck_assert_double_le(r.best_time_s, r.default_time_s * (1.0 - SR_TUNE_MARGIN));
        else
            ck_assert_double_eq(r.best_time_s, r.default_time_s);
    } else {
        ck_assert(!moved);
    }
    tune_case_free(&t);
}
END_TEST

/* tune skips a candidate that does not verify or build, says why, and goes on: from a
 * start point that cannot build to one that runs; with every result wrong, to an error. */
START_TEST(test_tune_skips)
{
    tune_case t = tune_case_make("dense", 20, 30, 9, 0, 8);
    sr_sparse *s = t.s;
    sr_kernel_params start;
    sr_kernel_params_default(&s->pattern, sr_cl_info(cl)->type, &start);
    start.vw = 3; /* no such vector width: the start cannot build */
    sr_tune_result r;
    tune_seen seen = {0};
    sr_err err = {0};
    ck_assert_msg(sr_tune(cl, s, t.w, t.x, t.n, &start, 1, 5.0, seen_candidate, &seen, &r, &err) == SR_OK, "%s",
                  err.msg);
    ck_assert_ptr_nonnull(strstr(seen.why, "vw=3"));
    ck_assert_int_gt(seen.ok, 0);
    ck_assert_int_eq(r.evaluated, seen.ok);
    ck_assert_int_eq(r.failed, seen.skipped);
    ck_assert_int_ne(r.best.vw, 3);
    ck_assert_double_eq(r.default_time_s, 0.0);
    ck_assert_double_gt(r.best_gflops, 0.0);
    /* every result wrong: each candidate skipped as not verified, then an error */
    s->vals[5] += 0.5f;
    sr_kernel_params_default(&s->pattern, sr_cl_info(cl)->type, &start);
    memset(&seen, 0, sizeof seen);
    ck_assert_int_eq(sr_tune(cl, s, t.w, t.x, t.n, &start, 1, 1.0, seen_candidate, &seen, &r, &err), SR_ERR_VERIFY);
    ck_assert_ptr_nonnull(strstr(seen.why, "disagrees"));
    ck_assert_int_eq(seen.ok, 0);
    ck_assert_int_gt(seen.skipped, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "no candidate"));
    tune_case_free(&t);
}
END_TEST

/* The .bin files of the binary cache in dir, and their total size. */
static int cache_files(const char *dir, long *bytes)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    *bytes = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".bin") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        *bytes += (long)st.st_size;
        n++;
    }
    closedir(d);
    return n;
}

/* Runs a verified dense product on a newly opened device; its program counts. */
static void run_on_new_device(int *built, int *loaded)
{
    sr_cl *other = NULL;
    sr_err err = {0};
    ck_assert_msg(sr_cl_open(sr_cl_info(cl), &other, &err) == SR_OK, "%s", err.msg);
    sr_cl *mine = cl;
    cl = other;
    check_case("dense", 9, 20, 24, 0.0, 0, "vw=8,nv=1,rows=2,tiles=1,kc=0,wg=0");
    cl = mine;
    sr_cl_program_counts(other, built, loaded);
    sr_cl_close(other);
}

/* A program built once is loaded from the binary cache by the next process (here: the
 * next opened device) and runs right; a cache file that is not one of ours, or cut
 * short, is built again and replaced; SPARSEROOF_CACHE_DIR=off keeps none. */
START_TEST(test_binary_cache)
{
    char dir[] = "/tmp/sr-cache-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[sizeof dir + 16];
    snprintf(sub, sizeof sub, "%s/a/b", dir); /* made when missing */
    setenv("SPARSEROOF_CACHE_DIR", sub, 1);
    int built, loaded;
    long bytes, again;
    run_on_new_device(&built, &loaded);
    ck_assert_int_eq(loaded, 0);
    ck_assert_int_ge(built, 1); /* the product, and the pack unless X is one panel */
    const int files = cache_files(sub, &bytes);
    ck_assert_int_eq(files, built);
    run_on_new_device(&built, &loaded);
    ck_assert_int_eq(built, 0);
    ck_assert_int_eq(loaded, files);
    /* every file replaced by bytes no driver takes */
    DIR *d = opendir(sub);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", sub, e->d_name);
        FILE *f = fopen(path, "wb");
        fputs("not a binary", f);
        fclose(f);
    }
    closedir(d);
    run_on_new_device(&built, &loaded);
    ck_assert_int_eq(loaded, 0);
    ck_assert_int_eq(built, files);
    ck_assert_int_eq(cache_files(sub, &again), files);
    ck_assert_int_gt(again, files * (long)strlen("not a binary")); /* written again, whole */
    ck_assert_int_gt(bytes, 0);
    /* every file cut to half its length (a write cut short): never handed to the driver */
    d = opendir(sub);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", sub, e->d_name);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(truncate(path, st.st_size / 2), 0);
    }
    closedir(d);
    run_on_new_device(&built, &loaded);
    ck_assert_int_eq(loaded, 0);
    ck_assert_int_eq(built, files);
    setenv("SPARSEROOF_CACHE_DIR", "off", 1);
    run_on_new_device(&built, &loaded);
    ck_assert_int_eq(loaded, 0);
    ck_assert_int_eq(built, files);
    char cmd[sizeof dir + 16];
    snprintf(cmd, sizeof cmd, "rm -r %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    if (!sr_test_have_device()) {
        fprintf(stderr, "no OpenCL device: kernel tests skipped\n");
        return 77;
    }
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("verify");
    tcase_add_checked_fixture(tc, open_device, close_device);
    tcase_set_timeout(tc, 120); /* cold PoCL builds: about 1 s per program */
    const int npat = sr_test_quick() ? NQUICK : NPAT;
    pats = sr_test_quick() ? quick_patterns : patterns;
    tcase_add_loop_test(tc, test_odd_shape, 0, npat);
    tcase_add_loop_test(tc, test_all_zero, 0, npat);
    tcase_add_loop_test(tc, test_gpu_defaults, 0, npat);
    tcase_add_loop_test(tc, test_fully_dense, 0, npat);
    tcase_add_test(tc, test_tile_params);
    tcase_add_test(tc, test_tiles_and_k_blocks);
    tcase_add_test(tc, test_params_text);
    tcase_add_test(tc, test_effective_params);
    tcase_add_test(tc, test_x_as_one_panel);
    tcase_add_test(tc, test_x_in_place);
    tcase_add_test(tc, test_x_auto);
    tcase_add_test(tc, test_row_floats);
    tcase_add_test(tc, test_panel_fit);
    tcase_add_test(tc, test_padded_rows_run);
    tcase_add_test(tc, test_gemv);
    tcase_add_test(tc, test_dense_wt);
    tcase_add_test(tc, test_gemv_nm);
    tcase_add_test(tc, test_dense_wt_params);
    tcase_add_test(tc, test_verification_catches_errors);
    tcase_add_test(tc, test_tune_skips);
    tcase_add_test(tc, test_tune_fitted_nv);
    tcase_add_test(tc, test_tune_keeps_panel_run);
    tcase_add_test(tc, test_tune_confirms);
    tcase_add_test(tc, test_binary_cache);
    suite_add_tcase(s, tc);
    /* drivers that end loops early (llvmpipe) */
    tc = tcase_create("loops");
    tcase_add_checked_fixture(tc, open_device, close_device);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_loop_limit_refusal);
    tcase_add_test(tc, test_loop_bound);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
