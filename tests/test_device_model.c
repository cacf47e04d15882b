/* The device model by hand: each term on a virtual device whose calibration is written
 * out here, with times computed on paper. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "model/device_model.h"
#include "model/network.h"
#include "model/predict.h"

#define EQ(a, b) ck_assert_double_eq_tol((a), (b), 1e-9 * fabs((double)(b)) + 1e-15)

static sr_pattern pat(const char *s)
{
    sr_pattern p;
    ck_assert(sr_pattern_parse(s, &p, NULL) == SR_OK);
    return p;
}

static sr_calib_point point(const char *p, double s, double m, double k, double n, double gflops, double pack_share)
{
    sr_calib_point c;
    memset(&c, 0, sizeof c);
    snprintf(c.pattern, sizeof c.pattern, "%s", p);
    c.sparsity = s;
    c.m = m, c.k = k, c.n = n;
    c.flops = 2.0 * m * k * n * (1 - s);
    c.time_s = c.flops / (gflops * 1e9);
    c.pack_s = pack_share * c.time_s;
    return c;
}

/* A device with a fast single level (so that re-reads never decide) */
static sr_ceilings fast_device(void)
{
    sr_ceilings c;
    ck_assert(sr_ceilings_simple(&c, "virtual-test", 1e6, 1e6, NULL) == SR_OK);
    return c;
}

/* A virtual device with these bandwidth levels and 1000 GFLOP/s */
static sr_ceilings level_device(const sr_bw_level *lv, size_t n)
{
    sr_ceilings c;
    memset(&c, 0, sizeof c);
    snprintf(c.device, sizeof c.device, "levels");
    c.is_virtual = 1;
    c.n_levels = n;
    memcpy(c.levels, lv, n * sizeof *lv);
    c.n_compute = 1;
    c.compute[0] = (sr_compute_ceiling){SR_DTYPE_FP32, 1, 1000};
    return c;
}

START_TEST(test_launch_only)
{
    /* one grid point at 100 GFLOP/s; a 1 x 1 x 1 product is 2 FLOPs = 20 ps of kernel,
     * and its launch (5 us, no repack) is what decides it */
    sr_calib_point pts[] = {point("dense", 0, 1, 1, 1, 100, 0)};
    sr_device_model dm = {.points = pts, .n_points = 1, .launch_s = 5e-6};
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense");
    sr_device_time t;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 1, 1, 1, 1, 1, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 / 100e9);
    EQ(t.launch_s, 5e-6);
    ck_assert_int_eq(t.launches, 1);
    EQ(t.time_s, 5e-6 + 2.0 / 100e9);
    ck_assert_str_eq(t.term, "launch");
    /* three groups: three launches */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 1, 1, 1, 3, 1, &t, NULL), SR_OK);
    ck_assert_int_eq(t.launches, 3);
    EQ(t.launch_s, 15e-6);
}
END_TEST

START_TEST(test_fixed_cost_only)
{
    /* 60% of the grid point's time was repacking X: the layer pays the same share, and
     * a repack makes two launches (pack + product) */
    sr_calib_point pts[] = {point("dense", 0, 256, 256, 256, 50, 0.6)};
    sr_device_model dm = {.points = pts, .n_points = 1};
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense");
    sr_device_time t;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 256, 256, 256, 1, 256.0 * 256, &t, NULL), SR_OK);
    const double kernel = 2.0 * 256 * 256 * 256 / 50e9;
    EQ(t.kernel_s, kernel);
    EQ(t.pack_s, 0.6 * kernel);
    ck_assert_int_eq(t.launches, 2);
    ck_assert_str_eq(t.term, "repack");
}
END_TEST

/* The virtual kernels' rule for repacking X: from 200 columns on */
static int packs_from_200(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n)
{
    (void)dm, (void)p, (void)m, (void)k;
    return n >= 200;
}

/* A point whose kernel ran at kernel_gflops after repacking X in 1 us + its bytes at 32 GB/s */
static sr_calib_point packed_point(double m, double k, double n, double kernel_gflops)
{
    sr_calib_point c = point("dense", 0, m, k, n, kernel_gflops, 0);
    c.pack_s = 1e-6 + 4.0 * k * n / 32e9;
    c.time_s += c.pack_s;
    return c;
}

START_TEST(test_repack_by_the_rule)
{
    /* in place at N = 64 (100 GFLOP/s); repacked at N = 256 and 1024, the kernel alone at
     * 200 GFLOP/s after 1 us + X's bytes at 32 GB/s */
    sr_calib_point pts[] = {point("dense", 0, 64, 64, 64, 100, 0), packed_point(64, 64, 256, 200),
                            packed_point(64, 64, 1024, 200)};
    sr_device_model dm = {.points = pts, .n_points = 3, .x_packed = packs_from_200};
    ck_assert(sr_device_model_pack_fit(&dm, &dm.pack_fixed_s, &dm.pack_gbps));
    EQ(dm.pack_fixed_s, 1e-6);
    EQ(dm.pack_gbps, 32);
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense");
    sr_device_time t;
    /* N = 512 repacks: the kernel at the repacked points' own rate, and the repack on top */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 512, 1, 64.0 * 64, &t, NULL), SR_OK);
    const double pack = 1e-6 + 4.0 * 64 * 512 / 32e9, kernel = 2.0 * 64 * 64 * 512 / 200e9;
    EQ(t.rate_s, kernel);
    EQ(t.pack_s, pack);
    EQ(t.kernel_s, kernel + pack);
    ck_assert_int_eq(t.launches, 2);
    /* N = 128 reads X in place: the in-place point's rate, no repack, one launch */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 128, 1, 64.0 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 * 128 / 100e9);
    EQ(t.pack_s, 0);
    ck_assert_int_eq(t.launches, 1);
    /* a pattern whose points all read X in place, at a shape where the rule repacks: their
     * rate, and the repack on top */
    sr_calib_point bp[] = {point("block:4x4", 0.9, 64, 64, 64, 50, 0)};
    sr_device_model dmb = dm;
    dmb.points = bp, dmb.n_points = 1;
    sr_pattern b = pat("block:4x4");
    ck_assert_int_eq(sr_device_model_time(&dmb, &c, &b, 0.9, 64, 64, 512, 1, 0.1 * 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 0.1 * 64 * 64 * 512 / 50e9 + pack);
    /* without the rule, rates include the repacking of the points around, as measured */
    dm.x_packed = NULL;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 1024, 1, 64.0 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, pts[2].time_s);
}
END_TEST

START_TEST(test_interpolation_between_two_shapes)
{
    /* N = 16 at 10 GFLOP/s and N = 256 at 160 GFLOP/s: at N = 64, halfway in log N, the
     * rate is the geometric mean, 40 GFLOP/s; beyond the grid it is clamped */
    sr_calib_point pts[] = {point("dense", 0, 64, 64, 16, 10, 0), point("dense", 0, 64, 64, 256, 160, 0)};
    sr_device_model dm = {.points = pts, .n_points = 2};
    sr_pattern d = pat("dense");
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 64, &g, &share, NULL), SR_OK);
    EQ(g, 40);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 4096, &g, &share, NULL), SR_OK);
    EQ(g, 160);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 1, &g, &share, NULL), SR_OK);
    EQ(g, 10);
    /* off the grid in M and K too: the grid has one value there, which holds everywhere */
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 1000, 3, 64, &g, &share, NULL), SR_OK);
    EQ(g, 40);
    /* sparsity is interpolated in log(1 - sparsity) between calibrated sparsities: halfway
     * between densities 0.5 and 0.1 is density sqrt(0.05) */
    sr_calib_point sp[] = {point("unstructured", 0.5, 64, 64, 64, 20, 0), point("unstructured", 0.9, 64, 64, 64, 60, 0)};
    sr_device_model dms = {.points = sp, .n_points = 2};
    sr_pattern u = pat("unstructured");
    ck_assert_int_eq(sr_device_model_rate(&dms, &u, 1 - sqrt(0.05), 64, 64, 64, &g, &share, NULL), SR_OK);
    EQ(g, sqrt(20.0 * 60.0));
    /* a pattern the calibration never ran is refused, not guessed */
    sr_pattern b = pat("block:8x8");
    ck_assert_int_eq(sr_device_model_rate(&dms, &b, 0.9, 64, 64, 64, &g, &share, NULL), SR_ERR_NOTFOUND);
    ck_assert(!sr_device_model_has(&dms, &b));
}
END_TEST

START_TEST(test_panels)
{
    /* kernels compute N in panels of 64 columns (whole vectors of 16 below a panel): N =
     * 65 costs what N = 128 costs, N = 5 what N = 16 costs */
    sr_calib_point pts[] = {point("dense", 0, 64, 64, 16, 20, 0), point("dense", 0, 64, 64, 128, 80, 0)};
    sr_device_model dm = {.points = pts, .n_points = 2, .vector = 16, .panel = 64};
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense");
    sr_device_time t65, t128, t5, t16;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 65, 1, 4096, &t65, NULL), SR_OK);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 128, 1, 4096, &t128, NULL), SR_OK);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 5, 1, 4096, &t5, NULL), SR_OK);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 16, 1, 4096, &t16, NULL), SR_OK);
    EQ(t65.kernel_s, t128.kernel_s);
    EQ(t128.kernel_s, 2.0 * 4096 * 128 / 80e9);
    EQ(t5.kernel_s, t16.kernel_s);
    /* with unaligned points in the grid, an N that is not whole vectors takes their rate */
    sr_calib_point both[] = {point("dense", 0, 64, 64, 64, 100, 0), point("dense", 0, 64, 64, 63, 50, 0)};
    sr_device_model dmb = {.points = both, .n_points = 2, .vector = 16, .panel = 64};
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dmb, &d, 0, 64, 64, 49, &g, &share, NULL), SR_OK);
    EQ(g, 50.0 * 64 / 63); /* over the 64 columns computed */
    ck_assert_int_eq(sr_device_model_rate(&dmb, &d, 0, 64, 64, 48, &g, &share, NULL), SR_OK);
    EQ(g, 100);
}
END_TEST

/* Kernels that pad rows to whole vectors (pad=1): N = 49 runs as 64 aligned columns and
 * takes the aligned point's rate, not the unaligned one's; N = 5 (narrower than a vector,
 * never padded) keeps the unaligned points. */
START_TEST(test_row_pad)
{
    sr_calib_point pts[] = {point("unstructured", 0.9, 64, 64, 64, 100, 0),
                            point("unstructured", 0.9, 64, 64, 63, 50, 0),
                            point("unstructured", 0.9, 64, 64, 15, 10, 0)};
    sr_device_model dm = {.points = pts, .n_points = 3, .vector = 16, .panel = 64};
    sr_pattern u = pat("unstructured");
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 49, &g, &share, NULL), SR_OK);
    EQ(g, 50.0 * 64 / 63); /* unpadded rows: the unaligned point */
    dm.row_pad = 1;
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 49, &g, &share, NULL), SR_OK);
    EQ(g, 100);
    sr_device_time t;
    const double nnz = 64 * 64 * 0.1;
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &u, 0.9, 64, 64, 49, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 64 / 100e9);
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 5, &g, &share, NULL), SR_OK);
    EQ(g, 10.0 * 16 / 15);
}
END_TEST

/* A pattern whose kernel runs wider panels than the device's default (its calibration's
 * parameters say so) pads N to its own panels: 2:4 in panels of 128 computes 256 columns
 * at N = 192, so a point that did 150 useful GFLOP/s there ran at 200 over what it
 * computed, and a layer of 128 columns (one whole panel) runs at 200 too. With the
 * device's panels of 64 the same point would count 192 columns: 150 GFLOP/s. */
START_TEST(test_pattern_panels)
{
    sr_calib_point pts[] = {point("2:4", 0.5, 64, 64, 192, 150, 0)};
    sr_device_model dm = {.points = pts, .n_points = 1, .vector = 16, .panel = 64,
                          .blocking = {{"2:4", 64, 128}}, .n_blocking = 1};
    sr_pattern nm = pat("2:4");
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &nm, 0.5, 64, 64, 128, &g, &share, NULL), SR_OK);
    EQ(g, 200);
    sr_device_time t;
    const double nnz = 64 * 64 * 0.5;
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &nm, 0.5, 64, 64, 128, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 128 / 200e9);
    /* N = 129 starts a second panel of 128: 256 columns computed */
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &nm, 0.5, 64, 64, 129, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 256 / 200e9);
    dm.n_blocking = 0;
    ck_assert_int_eq(sr_device_model_rate(&dm, &nm, 0.5, 64, 64, 128, &g, &share, NULL), SR_OK);
    EQ(g, 150);
}
END_TEST

/* A single column runs another kernel (dense: a GEMV): the grid's N = 1 points decide a
 * layer of one column, and no wider layer sees them. Dense at N = 1 at 5 GFLOP/s, at
 * N = 16 at 20 and N = 64 at 80 (aligned), N = 15 at 10 (unaligned), in vectors of 16. */
START_TEST(test_single_column)
{
    sr_calib_point pts[] = {point("dense", 0, 64, 64, 1, 5, 0), point("dense", 0, 256, 64, 1, 7, 0),
                            point("dense", 0, 64, 64, 16, 20, 0), point("dense", 0, 64, 64, 64, 80, 0),
                            point("dense", 0, 64, 64, 15, 10, 0),
                            point("unstructured", 0.5, 64, 64, 1, 2, 0), point("unstructured", 0.9, 64, 64, 1, 4, 0),
                            point("unstructured", 0.5, 64, 64, 16, 30, 0)};
    sr_device_model dm = {.points = pts, .n_points = 8, .vector = 16, .panel = 64};
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense"), u = pat("unstructured");
    sr_device_time t;
    /* a 64 x 64 layer of one column: 2 * 64 * 64 FLOPs at the N = 1 point's 5 GFLOP/s */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 1, 1, 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 / 5e9);
    /* between two N = 1 points in M (halfway in log M: 128 rows), their geometric mean */
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 128, 64, 1, &g, &share, NULL), SR_OK);
    EQ(g, 16 * sqrt(5.0 * 7.0)); /* over the columns counted computed: a whole vector */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 128, 64, 1, 1, 128 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 128 * 64 / (sqrt(5.0 * 7.0) * 1e9));
    /* wider layers never see them: N = 16 and 64 at their own rates, N = 32 between them,
     * N = 2 (unaligned, 16 columns computed) at the N = 15 point's rate */
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 16, &g, &share, NULL), SR_OK);
    EQ(g, 20);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 32, &g, &share, NULL), SR_OK);
    EQ(g, 40);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 2, &g, &share, NULL), SR_OK);
    EQ(g, 10.0 * 16 / 15);
    /* a sparse pattern's single column: its N = 1 points, interpolated in sparsity
     * (density sqrt(0.05), halfway between 0.5 and 0.1 in log) */
    const double s = 1 - sqrt(0.05), nnz = 64 * 64 * sqrt(0.05);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, s, 64, 64, 1, 1, nnz, &t, NULL), SR_OK);
    EQ(t.rate_s, 2.0 * nnz / (sqrt(2.0 * 4.0) * 1e9));
    /* without N = 1 points a single column takes the unaligned points' rate, as before */
    dm.points = pts + 2;
    dm.n_points = 3;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 1, 1, 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 * 16 / (10e9 * 16 / 15));
}
END_TEST

/* Dense along M (no panels of X) where 64-column panels would pad N by 15% or more: its
 * points (N = 40 and 100, at 30 and 60 GFLOP/s) decide those layers, over the columns they
 * really have; the panels' points (N = 64 and 128, 80 and 160 over whole panels) decide
 * the others, and no layer of one kind sees the other's. */
START_TEST(test_along_m)
{
    sr_calib_point pts[] = {point("dense", 0, 64, 64, 40, 30, 0), point("dense", 0, 64, 64, 100, 60, 0),
                            point("dense", 0, 64, 64, 64, 80, 0), point("dense", 0, 64, 64, 128, 160, 0)};
    sr_device_model dm = {.points = pts, .n_points = 4, .vector = 16, .panel = 64, .along_m_panel = 64,
                          .along_m_pct = 15};
    sr_ceilings c = fast_device();
    sr_pattern d = pat("dense");
    sr_device_time t;
    double g, share;
    /* N = 49 pads 64 by 23%: along M, its 49 columns at the N = 40 / 100 points' rate,
     * interpolated in log N */
    const double w = log(49.0 / 40) / log(100.0 / 40), rate = exp((1 - w) * log(30.0) + w * log(60.0));
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 49, &g, &share, NULL), SR_OK);
    EQ(g, rate);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 49, 1, 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 * 49 / (rate * 1e9));
    /* N = 96 pads 128 by 25%: along M, between N = 40 and 100 */
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 64, 64, 96, &g, &share, NULL), SR_OK);
    ck_assert(g > 30 && g < 60);
    /* N = 112 pads 128 by 12.5%: panels, 128 columns computed at the N = 128 point's rate */
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 112, 1, 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 * 128 / 160e9);
    /* a device whose kernels never run along M (no rule): N = 49 from the panels' points,
     * a whole panel of 64 columns computed at the N = 64 point's rate */
    dm.along_m_pct = 0;
    dm.points = pts + 2, dm.n_points = 2;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, 64, 64, 49, 1, 64 * 64, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2.0 * 64 * 64 * 64 / 80e9);
}
END_TEST

START_TEST(test_smoothed_surface)
{
    /* points whose log rate is exactly quadratic in log N (and flat in M, K): the fitted
     * surface goes through them, and gives the quadratic between them, where the
     * multilinear interpolation gives the chord */
    sr_calib_point pts[64];
    size_t n = 0;
    const double ms[] = {64, 256, 1024}, ks[] = {64, 512, 4096}, ns[] = {16, 64, 256, 1024, 4096, 16384};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 6; c++) {
                const double z = log(ns[c]);
                pts[n++] = point("dense", 0, ms[a], ks[b], ns[c], exp(1.0 + 0.5 * z - 0.03 * z * z), 0);
            }
    sr_device_model dm = {.points = pts, .n_points = n, .smooth = 1};
    sr_pattern d = pat("dense");
    double g, share;
    const double z = log(128.0);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 100, 100, 128, &g, &share, NULL), SR_OK);
    ck_assert_double_eq_tol(g, exp(1.0 + 0.5 * z - 0.03 * z * z), 1e-6 * g);
    /* beyond the grid: held at its edge, not extrapolated */
    const double ze = log(16384.0);
    ck_assert_int_eq(sr_device_model_rate(&dm, &d, 0, 100, 100, 1 << 20, &g, &share, NULL), SR_OK);
    ck_assert_double_eq_tol(g, exp(1.0 + 0.5 * ze - 0.03 * ze * ze), 1e-6 * g);
}
END_TEST

START_TEST(test_csr_rereads_decide)
{
    /* CSR at 100 GFLOP/s, but X's rows come again for every nonzero: 1000 nonzeros a
     * group x N = 64 values x 4 bytes = 256000 bytes from the level holding the panel
     * (K = 500 rows x 64 columns x 4 = 128 kB: the 1 GB/s "L2" of this device) take
     * 256 us, where the rate gives 2 * 1000 * 64 / 100e9 = 1.28 us */
    sr_calib_point pts[] = {point("unstructured", 0.9, 100, 500, 64, 100, 0)};
    sr_device_model dm = {.points = pts, .n_points = 1};
    const sr_bw_level lv[] = {{"L2", 1.0, 0, 1 << 20}, {"DRAM", 0.5, 1 << 20, UINT64_MAX}};
    const sr_ceilings c = level_device(lv, 2);
    sr_pattern u = pat("unstructured");
    sr_device_time t;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, 0.9, 100, 500, 64, 1, 1000, &t, NULL), SR_OK);
    EQ(t.rate_s, 2.0 * 1000 * 64 / 100e9);
    EQ(t.reread_s, 1000.0 * 64 * 4 / 1e9);
    EQ(t.kernel_s, t.reread_s);
    ck_assert_str_eq(t.term, "re-read L2");
    /* dense keeps its X tile in registers: no re-read term */
    sr_calib_point dp[] = {point("dense", 0, 100, 500, 64, 100, 0)};
    sr_device_model dmd = {.points = dp, .n_points = 1};
    sr_pattern d = pat("dense");
    ck_assert_int_eq(sr_device_model_time(&dmd, &c, &d, 0, 100, 500, 64, 1, 50000, &t, NULL), SR_OK);
    EQ(t.reread_s, 0);
    ck_assert_str_eq(t.term, "kernel");
}
END_TEST

START_TEST(test_reread_slice_of_the_kernel)
{
    /* the kernel blocks K: it sweeps 100 rows of a 64-column panel at a time (25.6 kB, in
     * this device's 32 kB L1 at 4 GB/s), so the 256000 bytes of re-reads of the layer
     * above come from L1 (64 us), not from the L2 that K = 500 rows of the panel (128 kB)
     * would need (256 us) */
    sr_calib_point pts[] = {point("unstructured", 0.9, 100, 500, 64, 100, 0)};
    sr_device_model dm = {.points = pts, .n_points = 1, .blocking = {{"unstructured", 100, 64}}, .n_blocking = 1};
    const sr_bw_level lv[] = {{"L1", 4.0, 0, 32 << 10}, {"L2", 1.0, 32 << 10, 1 << 20}, {"DRAM", 0.5, 1 << 20, UINT64_MAX}};
    const sr_ceilings c = level_device(lv, 3);
    sr_pattern u = pat("unstructured");
    sr_device_time t;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, 0.9, 100, 500, 64, 1, 1000, &t, NULL), SR_OK);
    EQ(t.reread_s, 1000.0 * 64 * 4 / 4e9);
    ck_assert_str_eq(t.term, "re-read L1");
    /* a kernel that keeps all of K (k_block 0) in a 32-column panel: 500 x 32 x 4 = 64 kB,
     * from L2; N = 16 narrows the slice to 500 x 16 x 4 = 32000 bytes: L1 again */
    dm.blocking[0].k_block = 0, dm.blocking[0].width = 32;
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, 0.9, 100, 500, 64, 1, 1000, &t, NULL), SR_OK);
    EQ(t.reread_s, 1000.0 * 64 * 4 / 1e9);
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, 0.9, 100, 500, 16, 1, 1000, &t, NULL), SR_OK);
    EQ(t.reread_s, 1000.0 * 16 * 4 / 4e9);
    /* another pattern's blocking is not this one's: the default slice (K x 64: L2) */
    snprintf(dm.blocking[0].pattern, sizeof dm.blocking[0].pattern, "2:4");
    ck_assert_int_eq(sr_device_model_time(&dm, &c, &u, 0.9, 100, 500, 64, 1, 1000, &t, NULL), SR_OK);
    EQ(t.reread_s, 1000.0 * 64 * 4 / 1e9);
}
END_TEST

START_TEST(test_network_off_the_grid)
{
    /* a network that shares no shape with the calibration grid: the prediction comes
     * from the grid by interpolation, every layer, and the speedup follows from it */
    sr_network *net;
    const char *csv = "name,kind,m,k,n,groups,prunable\n"
                      "a,linear,96,300,40,1,1\n"
                      "b,linear,200,700,90,1,1\n"
                      "c,linear,150,150,10,1,1\n";
    ck_assert_int_eq(sr_network_parse("off-grid", "off-grid.csv", csv, strlen(csv), &net, NULL), SR_OK);
    sr_calib_point pts[16];
    size_t n = 0;
    const double ms[] = {64, 256}, ks[] = {128, 1024}, ns[] = {8, 128};
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < 2; k++) {
                pts[n++] = point("dense", 0, ms[a], ks[b], ns[k], 50 + 10 * a + 20 * b + 40 * k, 0);
                pts[n++] = point("2:4", 0.5, ms[a], ks[b], ns[k], 60 + 10 * a + 20 * b + 40 * k, 0);
            }
    sr_device_model dm = {.points = pts, .n_points = n};
    sr_ceilings c = fast_device();
    sr_predict_opts o = {.batch = 1, .dtype = SR_DTYPE_FP32, .prune_all = 1, .dm = &dm};
    sr_pattern p = pat("2:4");
    sr_prediction *pr;
    ck_assert_int_eq(sr_predict(net, &c, &o, &p, 1, NULL, 0, &pr, NULL), SR_OK);
    double dense = 0, sparse = 0;
    for (size_t i = 0; i < 3; i++) {
        const sr_layer *l = sr_network_layer(net, i);
        sr_device_time td, ts;
        sr_pattern d = pat("dense");
        ck_assert_int_eq(sr_device_model_time(&dm, &c, &d, 0, l->m, l->k, l->n, 1, (double)(l->m * l->k), &td, NULL),
                         SR_OK);
        ck_assert_int_eq(sr_device_model_time(&dm, &c, &p, 0.5, l->m, l->k, l->n, 1,
                                              (double)(l->m * ((l->k + 3) / 4) * 2), &ts, NULL),
                         SR_OK);
        dense += td.time_s, sparse += ts.time_s;
        EQ(pr->results[0].layers[i].time_s, ts.time_s);
        EQ(pr->results[0].layers[i].dense_time_s, td.time_s);
    }
    EQ(pr->results[0].speedup, dense / sparse);
    sr_prediction_free(pr);
    sr_network_free(net);
}
END_TEST

/* The kernels' rule for the columns they compute, as a model builder gives it: panels of
 * 48 columns (none crowded). */
static void panels_of_48(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n,
                         sr_device_layout *out)
{
    (void)dm, (void)p, (void)m, (void)k;
    *out = (sr_device_layout){.cols = (double)((n + 47) / 48 * 48), .crowded = 0};
}

/* Columns computed by the kernels' rule: a point of 100 columns whose kernel computed 144
 * (three panels of 48) at 100 useful GFLOP/s ran at 144 over what it computed; a layer of
 * 97 columns computes 144 too (at 144 GFLOP/s: the time of 144 columns), one of 150
 * computes 192. Without the rule, N as it is: 100 GFLOP/s over 97 columns. */
START_TEST(test_columns_computed)
{
    sr_calib_point pts[] = {point("2:4", 0.5, 64, 64, 100, 100, 0)};
    pts[0].cols = 144;
    sr_device_model dm = {.points = pts, .n_points = 1, .layout = panels_of_48};
    sr_pattern nm = pat("2:4");
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &nm, 0.5, 64, 64, 97, &g, &share, NULL), SR_OK);
    EQ(g, 144);
    sr_device_time t;
    const double nnz = 64 * 64 * 0.5;
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &nm, 0.5, 64, 64, 97, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 144 / 144e9);
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &nm, 0.5, 64, 64, 150, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 192 / 144e9);
    dm.layout = NULL, pts[0].cols = 0;
    ck_assert_int_eq(sr_device_model_time(&dm, NULL, &nm, 0.5, 64, 64, 97, 1, nnz, &t, NULL), SR_OK);
    EQ(t.kernel_s, 2 * nnz * 97 / 100e9);
}
END_TEST

/* The kernels' rule for crowded strides, as a model builder gives it: 128 and 384 columns. */
static void crowded_at_128(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n,
                           sr_device_layout *out)
{
    (void)dm, (void)p, (void)m, (void)k;
    *out = (sr_device_layout){.cols = (double)n, .crowded = n == 128 || n == 384};
}

/* Crowded strides apart: CSR at 100 GFLOP/s at N = 64 and 256, 50 at the crowded N = 128.
 * A crowded layer takes the crowded points' rate (50 at 128, and clamped at 384); one of
 * 192 columns the others' (100), where interpolating across the crowded point would give
 * 50 * 2^(log2 1.5) = 75. A pattern without crowded points gives a crowded layer the rate
 * of its others. */
START_TEST(test_crowded_strides)
{
    sr_calib_point pts[] = {point("unstructured", 0.9, 64, 64, 64, 100, 0),
                            point("unstructured", 0.9, 64, 64, 128, 50, 0),
                            point("unstructured", 0.9, 64, 64, 256, 100, 0), point("block:4x4", 0.9, 64, 64, 64, 80, 0)};
    pts[1].crowded = 1;
    sr_device_model dm = {.points = pts, .n_points = 4, .layout = crowded_at_128};
    sr_pattern u = pat("unstructured"), b = pat("block:4x4");
    double g, share;
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 128, &g, &share, NULL), SR_OK);
    EQ(g, 50);
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 384, &g, &share, NULL), SR_OK);
    EQ(g, 50);
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 192, &g, &share, NULL), SR_OK);
    EQ(g, 100);
    ck_assert_int_eq(sr_device_model_rate(&dm, &b, 0.9, 64, 64, 128, &g, &share, NULL), SR_OK);
    EQ(g, 80);
    /* no points apart: the one set, interpolated across */
    pts[1].crowded = 0;
    ck_assert_int_eq(sr_device_model_rate(&dm, &u, 0.9, 64, 64, 192, &g, &share, NULL), SR_OK);
    EQ(g, 75);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device_model");
    TCase *tc = tcase_create("terms");
    tcase_add_test(tc, test_launch_only);
    tcase_add_test(tc, test_fixed_cost_only);
    tcase_add_test(tc, test_repack_by_the_rule);
    tcase_add_test(tc, test_interpolation_between_two_shapes);
    tcase_add_test(tc, test_panels);
    tcase_add_test(tc, test_pattern_panels);
    tcase_add_test(tc, test_columns_computed);
    tcase_add_test(tc, test_crowded_strides);
    tcase_add_test(tc, test_row_pad);
    tcase_add_test(tc, test_single_column);
    tcase_add_test(tc, test_along_m);
    tcase_add_test(tc, test_smoothed_surface);
    tcase_add_test(tc, test_csr_rereads_decide);
    tcase_add_test(tc, test_reread_slice_of_the_kernel);
    tcase_add_test(tc, test_network_off_the_grid);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
