/* Device ceilings: plateau detection on synthetic sweeps (bench/plateau.c), virtual
 * devices (bench/ceilings_define.c), their JSON form (bench/ceilings_json.c), and `peaks`
 * (--define, --import, a tiny measurement) through the binary. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "test_quick.h"
#include "bench/ceilings_json.h"
#include "bench/ceilings_define.h"
#include "bench/peaks.h"
#include "bench/peaks_check.h"
#include "bench/plateau.h"
#include "common/host.h"
#include "device_probe.h"
#include "run_cli.h"
#include "store/store.h"

#include <json-c/json.h>

#define KIB 1024.0
#define MIB (1024.0 * 1024.0)

/* A synthetic sweep from 16 KiB, `per_oct` points per octave, over `octaves`. */
typedef struct {
    double ws[256], bw[256];
    size_t n;
} series;

/* Bandwidth of a hierarchy: level k holds up to size[k] bytes, then falls to the next over
 * about half an octave (a smooth step in log2(ws)). */
static double hier_bw(double ws, const double *gbps, const double *size, int levels)
{
    double x = log2(ws), v = log(gbps[levels - 1]);
    for (int k = levels - 2; k >= 0; k--) {
        double w = 1.0 / (1.0 + exp((x - log2(size[k]) - 0.25) * 8.0));
        v = w * log(gbps[k]) + (1 - w) * v;
    }
    return exp(v);
}

static uint64_t rng_state;
static double noise(double amp) /* uniform in [-amp, amp] (splitmix64) */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return amp * (2.0 * (double)(z >> 11) / 9007199254740992.0 - 1.0);
}

static void make_series(series *s, int per_oct, int octaves, const double *gbps,
                        const double *size, int levels, double amp)
{
    s->n = (size_t)(per_oct * octaves + 1);
    for (size_t i = 0; i < s->n; i++) {
        s->ws[i] = 16 * KIB * pow(2.0, (double)i / per_oct);
        s->bw[i] = hier_bw(s->ws[i], gbps, size, levels) * (1 + noise(amp));
    }
}

static size_t find(const series *s, sr_plateau *p, size_t max)
{
    size_t n = 0;
    sr_err e;
    sr_code rc = sr_plateaus_find(s->ws, s->bw, s->n, NULL, p, max, &n, &e);
    ck_assert_msg(rc == SR_OK, "%s", e.msg);
    return n;
}

static void assert_near(double got, double want, double rel, const char *what)
{
    ck_assert_msg(fabs(got - want) <= rel * want, "%s: %g, want %g within %g%%", what, got, want,
                  100 * rel);
}

/* Boundaries are contiguous, increasing, and the last is unbounded. */
static void assert_ranges(const series *s, const sr_plateau *p, size_t n)
{
    ck_assert_uint_eq(p[0].ws_min_bytes, (uint64_t)s->ws[0]);
    for (size_t k = 0; k < n; k++) {
        ck_assert(p[k].ws_min_bytes <= p[k].ws_max_bytes);
        if (k > 0)
            ck_assert_uint_eq(p[k].ws_min_bytes, p[k - 1].ws_max_bytes + 1);
    }
    ck_assert_uint_eq(p[n - 1].ws_max_bytes, UINT64_MAX);
    ck_assert_str_eq(p[n - 1].level, "DRAM");
}

START_TEST(test_one_level)
{
    series s;
    double g[] = {30}, sz[] = {0};
    rng_state = 1;
    make_series(&s, 4, 12, g, sz, 1, 0.03);
    sr_plateau p[8];
    size_t n = find(&s, p, 8);
    ck_assert_uint_eq(n, 1);
    assert_near(p[0].gbps, 30, 0.03, "the level");
    ck_assert_uint_eq(p[0].n_points, s.n);
    assert_ranges(&s, p, n);
}
END_TEST

/* A clean sweep over L1 (200 GB/s up to 96 KiB), L2 (80 up to 4 MiB) and DRAM (25). */
static const double three_gbps[] = {200, 80, 25}, three_size[] = {96 * KIB, 4 * MIB};

static size_t three_levels(series *s, sr_plateau *p)
{
    make_series(s, 4, 14, three_gbps, three_size, 3, 0);
    size_t n = find(s, p, 8);
    ck_assert_uint_eq(n, 3);
    return n;
}

START_TEST(test_three_levels)
{
    series s;
    const double *g = three_gbps, *sz = three_size;
    sr_plateau p[8];
    size_t n = three_levels(&s, p);
    const char *names[] = {"L1", "L2", "DRAM"};
    for (size_t k = 0; k < 3; k++) {
        assert_near(p[k].gbps, g[k], 0.01, names[k]);
        ck_assert_str_eq(p[k].level, names[k]);
    }
    assert_ranges(&s, p, n);
    /* each boundary lies within an octave of the cache size */
    for (size_t k = 0; k < 2; k++)
        ck_assert_msg(fabs(log2((double)p[k].ws_max_bytes / sz[k])) <= 1.0,
                      "boundary %zu at %llu bytes, cache %g", k,
                      (unsigned long long)p[k].ws_max_bytes, sz[k]);
}
END_TEST

START_TEST(test_noisy_four_levels)
{
    double g[] = {240, 110, 55, 28}, sz[] = {96 * KIB, 4 * MIB, 64 * MIB};
    for (unsigned seed = 1; seed <= 50; seed++) {
        series s;
        rng_state = seed;
        make_series(&s, 4, 16, g, sz, 4, 0.06);
        /* a shared machine: a few points far below (another process ran), one or two in a
         * row, inside levels and at their edges */
        s.bw[5] *= 0.5;
        s.bw[20] *= 0.6;
        s.bw[21] *= 0.6;
        s.bw[31] *= 0.6;
        s.bw[47] *= 0.6;
        s.bw[s.n - 3] *= 0.7;
        sr_plateau p[8];
        size_t n = find(&s, p, 8);
        ck_assert_msg(n == 4, "seed %u: %zu levels", seed, n);
        for (size_t k = 0; k < 4; k++) {
            assert_near(p[k].gbps, g[k], 0.06, p[k].level);
            if (k < 3)
                ck_assert_msg(fabs(log2((double)p[k].ws_max_bytes / sz[k])) <= 1.0,
                              "seed %u: boundary %zu at %llu bytes, cache %g", seed, k,
                              (unsigned long long)p[k].ws_max_bytes, sz[k]);
        }
        assert_ranges(&s, p, n);
    }
}
END_TEST

START_TEST(test_noisy_dram_is_one_level)
{
    /* a busy machine: other processes slow DRAM figures by up to 30% (L3 at 30 GB/s, DRAM
     * 15); its capability is what the level should say */
    for (unsigned seed = 1; seed <= 50; seed++) {
        series s;
        rng_state = seed;
        s.n = 68;
        for (size_t i = 0; i < s.n; i++) {
            s.ws[i] = 16 * KIB * pow(2.0, i / 4.0);
            double x = log2(s.ws[i]);
            double v = x < 17 ? 300 : x < 22 ? 170 : x < 27 ? 30 : 15;
            s.bw[i] = v * (x < 27 ? 1 + noise(0.05) : 1 - fabs(noise(0.3)));
        }
        sr_plateau p[8];
        size_t n = find(&s, p, 8);
        ck_assert_msg(n == 4, "seed %u: %zu levels", seed, n);
        assert_near(p[2].gbps, 30, 0.05, "L3");
        assert_near(p[3].gbps, 15, 0.2, "DRAM"); /* the upper quartile of ~16 points */
        ck_assert_msg(fabs(log2((double)p[3].ws_min_bytes / (128 * MIB))) <= 1.0,
                      "seed %u: DRAM from %llu bytes", seed, (unsigned long long)p[3].ws_min_bytes);
    }
}
END_TEST

START_TEST(test_gentle_slope_is_one_level)
{
    series s;
    s.n = 40;
    for (size_t i = 0; i < s.n; i++) {
        s.ws[i] = 16 * KIB * pow(2.0, i / 4.0);
        /* 120 GB/s, then from point 12 a slope from 60 to 46 over 20 points, then 30 */
        s.bw[i] = i < 10 ? 120 : i < 12 ? 90 : i < 32 ? 60 - 14.0 * (i - 12) / 19 : 30;
    }
    sr_plateau p[8];
    size_t n = find(&s, p, 8);
    ck_assert_uint_eq(n, 3);
    assert_near(p[1].gbps, 53, 0.1, "the sloped level");
}
END_TEST

START_TEST(test_small_start_is_not_a_level)
{
    /* a device not filled by small working sets: rising, then 100, then DRAM 30 */
    series s;
    double v[] = {10, 20, 20, 21, 40, 70, 100, 101, 99, 100, 100, 60, 31, 30, 30, 29, 30};
    s.n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < s.n; i++) {
        s.ws[i] = 16 * KIB * pow(2.0, (double)i);
        s.bw[i] = v[i];
    }
    sr_plateau p[8];
    size_t n = find(&s, p, 8);
    ck_assert_uint_eq(n, 2);
    assert_near(p[0].gbps, 100, 0.02, "the cache level");
    assert_near(p[1].gbps, 30, 0.02, "DRAM");
    assert_ranges(&s, p, n);
}
END_TEST

START_TEST(test_few_points)
{
    series s = {.ws = {16 * KIB, 1 * MIB, 64 * MIB, 256 * MIB}, .bw = {100, 98, 31, 30}, .n = 4};
    sr_plateau p[8];
    size_t n = find(&s, p, 8);
    ck_assert_uint_eq(n, 2);
    ck_assert(p[0].gbps > p[1].gbps);
    s.n = 1;
    n = find(&s, p, 8);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(p[0].level, "DRAM");
}
END_TEST

START_TEST(test_max_out_merges)
{
    series s;
    double g[] = {240, 110, 55, 28}, sz[] = {96 * KIB, 4 * MIB, 64 * MIB};
    make_series(&s, 4, 16, g, sz, 4, 0);
    sr_plateau p[2];
    size_t n = find(&s, p, 2);
    ck_assert_uint_eq(n, 2);
    ck_assert(p[0].gbps > p[1].gbps);
    assert_ranges(&s, p, n);
}
END_TEST

START_TEST(test_labels_from_cache_sizes)
{
    /* plateaus at the L1 and L2 sizes and DRAM; a shared L3 that shows no plateau */
    series s;
    sr_plateau p[8];
    size_t n = three_levels(&s, p);
    uint64_t caches[] = {96 * 1024, 4 << 20, 480u << 20};
    sr_plateaus_label(p, n, caches, 3);
    ck_assert_str_eq(p[0].level, "L1");
    ck_assert_str_eq(p[1].level, "L2");
    ck_assert_str_eq(p[2].level, "DRAM");
    /* the first plateau ends near the L2 size: it is named L2 */
    uint64_t big[] = {16 * 1024, 96 * 1024, 4 << 20};
    sr_plateaus_label(p, n, big, 3);
    ck_assert_str_eq(p[0].level, "L2");
    ck_assert_str_eq(p[1].level, "L3");
    /* sizes that fit nothing: names in order */
    uint64_t none[] = {1 << 30};
    sr_plateaus_label(p, n, none, 1);
    ck_assert_str_eq(p[0].level, "L1");
    ck_assert_str_eq(p[1].level, "L2");

    sr_ceilings c;
    memset(&c, 0, sizeof c);
    sr_plateaus_to_levels(p, n, &c);
    ck_assert_uint_eq(c.n_levels, 3);
    ck_assert_str_eq(c.levels[2].level, "DRAM");
    ck_assert_uint_eq(c.levels[2].ws_max_bytes, UINT64_MAX);
    ck_assert_double_eq(c.levels[1].gbps, p[1].gbps);
}
END_TEST

/* The OS's cache sizes (Linux /sys): levels in order, each at least as large for more
 * CPUs, and nothing past the slots given. */
START_TEST(test_host_cache_sizes)
{
    uint64_t one[4], two[4], l1only[1];
    const size_t n1 = sr_host_cache_sizes(1, one, 4), n2 = sr_host_cache_sizes(2, two, 4);
    ck_assert_uint_eq(n1, n2);
    if (access("/sys/devices/system/cpu/cpu0/cache/index0/size", R_OK) != 0) {
        ck_assert_uint_eq(n1, 0); /* no /sys: nothing found, nothing invented */
        return;
    }
    ck_assert_uint_ge(n1, 1);
    for (size_t i = 0; i < n1; i++) {
        ck_assert(one[i] == 0 || two[i] >= one[i]);
        ck_assert(two[i] <= 2 * one[i]);
    }
    ck_assert_uint_gt(one[0], 0);
    ck_assert_uint_eq(sr_host_cache_sizes(1, l1only, 1), 1);
    ck_assert_uint_eq(l1only[0], one[0]);
}
END_TEST

START_TEST(test_bad_series)
{
    double ws[] = {1024, 2048, 4096}, bw[] = {10, 10, 10};
    sr_plateau p[8];
    size_t n;
    sr_err e;
    ck_assert_int_eq(sr_plateaus_find(ws, bw, 0, NULL, p, 8, &n, &e), SR_ERR_ARG);
    double ws_bad[] = {1024, 1024, 4096};
    ck_assert_int_eq(sr_plateaus_find(ws_bad, bw, 3, NULL, p, 8, &n, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "increasing"));
    double bw_bad[] = {10, -1, 10};
    ck_assert_int_eq(sr_plateaus_find(ws, bw_bad, 3, NULL, p, 8, &n, &e), SR_ERR_ARG);
    bw_bad[1] = NAN;
    ck_assert_int_eq(sr_plateaus_find(ws, bw_bad, 3, NULL, p, 8, &n, &e), SR_ERR_ARG);
    bw_bad[1] = INFINITY;
    ck_assert_int_eq(sr_plateaus_find(ws, bw_bad, 3, NULL, p, 8, &n, &e), SR_ERR_ARG);
}
END_TEST

/* ---- plausibility of measured ceilings (bench/peaks_check.c) ---- */

/* A measured result from a series (read and triad alike), its levels found as peaks finds
 * them, an fp32 peak of 400 GFLOP/s and no dense product. Free with sr_peaks_result_free. */
static void result_of(const series *s, sr_peaks_result *r)
{
    memset(r, 0, sizeof *r);
    r->n_points = s->n;
    r->read = calloc(s->n, sizeof *r->read);
    r->triad = calloc(s->n, sizeof *r->triad);
    ck_assert(r->read && r->triad);
    for (size_t i = 0; i < s->n; i++)
        r->read[i] = r->triad[i] = (sr_bw_point){s->ws[i], s->bw[i], s->bw[i], 0};
    sr_err e;
    ck_assert_msg(sr_plateaus_find(s->ws, s->bw, s->n, NULL, r->levels, SR_MAX_LEVELS, &r->n_levels,
                                   &e) == SR_OK, "%s", e.msg);
    sr_plateaus_to_levels(r->levels, r->n_levels, &r->ceilings);
    r->ceilings.compute[SR_DTYPE_FP32] = (sr_compute_ceiling){SR_DTYPE_FP32, 1, 400};
}

static void assert_refused(const sr_peaks_result *r, const char *why)
{
    sr_err e = {0};
    ck_assert_int_eq(sr_peaks_plausible(r, &e), SR_ERR_UNSUPPORTED);
    ck_assert_msg(strstr(e.msg, "implausible") && strstr(e.msg, why), "'%s' lacks '%s'", e.msg, why);
}

START_TEST(test_plausible_hierarchy)
{
    series s;
    rng_state = 3;
    make_series(&s, 4, 14, three_gbps, three_size, 3, 0.05);
    sr_peaks_result r;
    result_of(&s, &r);
    sr_err e = {0};
    ck_assert_msg(sr_peaks_plausible(&r, &e) == SR_OK, "%s", e.msg);
    r.gemm_gflops = 150; /* a dense product at a good part of the peak */
    ck_assert_msg(sr_peaks_plausible(&r, &e) == SR_OK, "%s", e.msg);
    r.gemm_gflops = 5; /* a poor one, on a GPU: still within reach */
    ck_assert_msg(sr_peaks_plausible(&r, &e) == SR_OK, "%s", e.msg);
    sr_peaks_result_free(&r);
}
END_TEST

/* What a driver whose loops end early gave (issue 16, llvmpipe): every launch did the same
 * few iterations whatever the working set, so the "bandwidth" grew with the set: the triad
 * measured there, 12 KiB to 4 MiB (one level, from 102 to 1135 TB/s over its last 4
 * octaves), and the same growth without noise (one level, the sweep's last octave, all
 * smaller sets slower); and an fp32 peak of 1862 GFLOP/s where a dense product did 0.4. */
START_TEST(test_implausible_refused)
{
    static const double measured[] = {
        3839, 7299, 10755, 13940, 17499, 20977, 27738, 30910, 37646, 44907,
        51059, 60639, 70708, 85281, 102110, 122264, 144477, 173721, 203602, 248593,
        292970, 347614, 407819, 483789, 569841, 681543, 808154, 959125, 1134546};
    series s;
    s.n = sizeof measured / sizeof *measured;
    for (size_t i = 0; i < s.n; i++) {
        s.ws[i] = 12 * KIB * pow(2.0, (double)i / 4);
        s.bw[i] = measured[i];
    }
    sr_peaks_result r;
    result_of(&s, &r);
    assert_refused(&r, "rises with the working set");
    sr_peaks_result_free(&r);
    for (size_t i = 0; i < s.n; i++)
        s.bw[i] = 3.5e-2 * s.ws[i];
    result_of(&s, &r);
    assert_refused(&r, "sweep rises with the working set");
    sr_peaks_result_free(&r);

    rng_state = 4;
    make_series(&s, 4, 14, three_gbps, three_size, 3, 0.02);
    result_of(&s, &r);
    r.levels[1].spread = 37.6; /* points scattered far beyond any noise */
    assert_refused(&r, "not flat");
    r.levels[1].spread = 0.1;
    r.levels[2].gbps = 1.2 * r.levels[1].gbps; /* more data, faster */
    assert_refused(&r, "faster than L2");
    r.levels[2].gbps = 25;
    r.ceilings.compute[SR_DTYPE_FP32].gflops = 1862;
    r.gemm_gflops = 0.4;
    assert_refused(&r, "fp32 peak");
    r.gemm_gflops = 0; /* no dense product ran: nothing to check it against */
    sr_err e = {0};
    ck_assert_msg(sr_peaks_plausible(&r, &e) == SR_OK, "%s", e.msg);
    sr_peaks_result_free(&r);
}
END_TEST

/* --define */

static sr_code define(const char *bw, const char *cp, const char *launch, sr_ceilings *c,
                      sr_err *e)
{
    sr_define_spec s = {.name = "future-npu", .bandwidth = bw, .compute = cp, .launch = launch};
    sr_err_clear(e);
    return sr_ceilings_define(&s, c, e);
}

START_TEST(test_define_good)
{
    sr_ceilings c;
    sr_err e;
    ck_assert_int_eq(define("30", "fp32=230", NULL, &c, &e), SR_OK);
    ck_assert(c.is_virtual);
    ck_assert_str_eq(c.device, "future-npu");
    ck_assert_uint_eq(c.n_levels, 1);
    ck_assert_str_eq(c.levels[0].level, "DRAM");
    ck_assert_double_eq(c.levels[0].gbps, 30);
    ck_assert_uint_eq(c.levels[0].ws_max_bytes, UINT64_MAX);
    ck_assert(c.compute[SR_DTYPE_FP32].supported);
    ck_assert_double_eq(c.compute[SR_DTYPE_FP32].gflops, 230);
    ck_assert(!c.compute[SR_DTYPE_FP16].supported);
    ck_assert_double_eq(c.launch_overhead_s, 0);

    ck_assert_int_eq(define("1.5e3,L2=4000@4M,l1=9000@64KiB,L3=2500@32MB", "fp16=2e3,fp32=1000,fp64=50",
                            "5e-6", &c, &e), SR_OK);
    ck_assert_uint_eq(c.n_levels, 4);
    const char *names[] = {"L1", "L2", "L3", "DRAM"};
    double gb[] = {9000, 4000, 2500, 1500};
    for (int k = 0; k < 4; k++) {
        ck_assert_str_eq(c.levels[k].level, names[k]);
        ck_assert_double_eq(c.levels[k].gbps, gb[k]);
    }
    ck_assert_uint_eq(c.levels[0].ws_min_bytes, 1);
    ck_assert_uint_eq(c.levels[0].ws_max_bytes, 64 * 1024);
    ck_assert_uint_eq(c.levels[1].ws_min_bytes, 64 * 1024 + 1);
    ck_assert_uint_eq(c.levels[1].ws_max_bytes, 4 << 20);
    ck_assert_uint_eq(c.levels[2].ws_max_bytes, 32 << 20);
    ck_assert_uint_eq(c.levels[3].ws_min_bytes, (32 << 20) + 1);
    ck_assert_double_eq(c.compute[SR_DTYPE_FP16].gflops, 2000);
    ck_assert_double_eq(c.compute[SR_DTYPE_FP64].gflops, 50);
    ck_assert_double_eq(c.launch_overhead_s, 5e-6);

    sr_define_spec s = {.name = "np", .bandwidth = "DRAM=100", .compute = "fp32=10",
                        .pattern_compute = "2:4=20,block:4x4=15",
                        .pattern_metadata_bits = "2:4=2,unstructured=0"};
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_OK);
    ck_assert_uint_eq(c.n_patterns, 3);
    ck_assert_str_eq(c.patterns[0].pattern, "2:4");
    ck_assert_double_eq(c.patterns[0].gflops, 20);
    ck_assert_double_eq(c.patterns[0].metadata_bits, 2);
    ck_assert_str_eq(c.patterns[1].pattern, "block:4x4");
    ck_assert(c.patterns[1].metadata_bits < 0);
    ck_assert_str_eq(c.patterns[2].pattern, "unstructured");
    ck_assert_double_eq(c.patterns[2].gflops, 0);
    ck_assert_double_eq(c.patterns[2].metadata_bits, 0);
}
END_TEST

START_TEST(test_define_refuses)
{
    static const struct {
        const char *bw, *cp, *launch, *needle;
    } bad[] = {
        {"-30", "fp32=1", NULL, "-30"},
        {"0", "fp32=1", NULL, "'0'"},
        {"abc", "fp32=1", NULL, "abc"},
        {"inf", "fp32=1", NULL, "inf"},
        {"nan", "fp32=1", NULL, "nan"},
        {"1e999", "fp32=1", NULL, "1e999"},
        {"30GB", "fp32=1", NULL, "30GB"},
        {"", "fp32=1", NULL, "--bandwidth"},
        {NULL, "fp32=1", NULL, "--bandwidth"},
        {"30,L2=-1", "fp32=1", NULL, "L2"},
        {"30,L2=0@4M", "fp32=1", NULL, "L2"},
        {"30,L2=10@-4M", "fp32=1", NULL, "-4M"},
        {"30,L2=10@4Q", "fp32=1", NULL, "4Q"},
        {"30,L2=10@4M,L3=5@1M", "fp32=1", NULL, "L3"},
        {"30,X=10", "fp32=1", NULL, "'X'"},
        {"30,L2=400", "fp32=1", NULL, "L2=400@"},
        {"30,DRAM=20@4M", "fp32=1", NULL, "no size"},
        {"30,DRAM=20", "fp32=1", NULL, "twice"},
        {"30,", "fp32=1", NULL, "comma"},
        {",30", "fp32=1", NULL, "empty"},
        {"L2=40", "fp32=1", NULL, "DRAM"},
        {"30", "fp32=-5", NULL, "-5"},
        {"30", "fp32=0", NULL, "fp32"},
        {"30", "fp32=infinity", NULL, "infinity"},
        {"30", "fp32=ten", NULL, "ten"},
        {"30", "fp16=10", NULL, "fp32"},
        {"30", "fp32", NULL, "fp32"},
        {"30", "fp8=1,fp32=1", NULL, "fp8"},
        {"30", NULL, NULL, "--compute"},
        {"30", "fp32=1,fp32=2", NULL, "twice"},
        {"30", "fp32=1", "-1e-6", "--launch"},
        {"30", "fp32=1", "0", "--launch"},
        {"30", "fp32=1", "inf", "--launch"},
        {"30", "fp32=1", "soon", "soon"},
        {"30", "fp32=1", "", "--launch"},
        /* beyond any device: times and speedups would overflow or vanish */
        {"1e300", "fp32=1", NULL, "1e+300"},
        {"30", "fp32=1e300", NULL, "1e+300"},
        {"1e-9", "fp32=1", NULL, "1e-09"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_ceilings c;
        sr_err e;
        sr_code rc = define(bad[i].bw, bad[i].cp, bad[i].launch, &c, &e);
        ck_assert_msg(rc == SR_ERR_ARG, "case %zu (%s / %s / %s) was accepted", i,
                      bad[i].bw ? bad[i].bw : "-", bad[i].cp ? bad[i].cp : "-",
                      bad[i].launch ? bad[i].launch : "-");
        ck_assert_msg(strstr(e.msg, bad[i].needle) != NULL, "case %zu: message '%s' lacks '%s'", i,
                      e.msg, bad[i].needle);
    }
    sr_ceilings c;
    sr_err e;
    sr_define_spec s = {.name = "", .bandwidth = "30", .compute = "fp32=1"};
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    s.name = "x";
    s.pattern_compute = "2:4=-3";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "--pattern-compute"));
    s.pattern_compute = "3:3=10";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "3:3"));
    /* a pattern given twice is refused as a repeated --compute entry is, under any spelling */
    static const char *twice[] = {"2:4=5,2:4=6", "unstructured=5,csr=6", "2:4=5,2:4=1e20"};
    for (size_t i = 0; i < sizeof twice / sizeof twice[0]; i++) {
        s.pattern_compute = twice[i];
        ck_assert_msg(sr_ceilings_define(&s, &c, &e) == SR_ERR_ARG, "'%s' accepted", twice[i]);
        ck_assert_msg(strstr(e.msg, "--pattern-compute") &&
                      (strstr(e.msg, "twice") || strstr(e.msg, "1e20")), "%s", e.msg);
    }
    s.pattern_compute = "2:4=5";
    s.pattern_metadata_bits = "2:4=2,2:4=3";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "twice"));
    s.pattern_metadata_bits = "2:4=2"; /* both fields of one pattern: one entry */
    ck_assert_msg(sr_ceilings_define(&s, &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(c.n_patterns, 1);
    s.pattern_compute = NULL;
    s.pattern_metadata_bits = "2:4=-1";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    s.pattern_metadata_bits = "2:4=nan";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    s.pattern_metadata_bits = "2:4=65";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
    s.pattern_metadata_bits = "2:4";
    ck_assert_int_eq(sr_ceilings_define(&s, &c, &e), SR_ERR_ARG);
}
END_TEST

/* The JSON form of ceilings, through files */

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sr_peaks_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static void fill_measured(sr_ceilings *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->device, sizeof c->device, "pthread-Intel(R) Xeon(R) / \"odd\" name");
    c->n_levels = 3;
    c->levels[0] = (sr_bw_level){"L1", 233.5, 16384, 131071};
    c->levels[1] = (sr_bw_level){"L2", 101.25, 131072, 6000000};
    c->levels[2] = (sr_bw_level){"DRAM", 29.875, 6000001, UINT64_MAX};
    c->n_compute = 3;
    c->compute[0] = (sr_compute_ceiling){SR_DTYPE_FP32, 1, 229.7};
    c->compute[1] = (sr_compute_ceiling){SR_DTYPE_FP16, 0, 0};
    c->compute[2] = (sr_compute_ceiling){SR_DTYPE_FP64, 1, 114.8};
    c->launch_overhead_s = 1.25e-5;
}

/* A virtual device with cache levels and pattern ceilings. */
static void fill_virtual(sr_ceilings *c)
{
    sr_define_spec s = {.name = "future npu", .bandwidth = "900,L2=4000@8M", .compute = "fp32=5e4",
                        .launch = "2e-6", .pattern_compute = "2:4=9e4,block:4x4=7e4",
                        .pattern_metadata_bits = "2:4=2"};
    sr_err e;
    ck_assert_int_eq(sr_ceilings_define(&s, c, &e), SR_OK);
}

/* Every field of d equals c's (the name too unless name is given). */
static void assert_same(const sr_ceilings *d, const sr_ceilings *c, const char *name)
{
    ck_assert_str_eq(d->device, name ? name : c->device);
    ck_assert_uint_eq(d->n_levels, c->n_levels);
    for (size_t k = 0; k < c->n_levels; k++) {
        ck_assert_str_eq(d->levels[k].level, c->levels[k].level);
        ck_assert_double_eq(d->levels[k].gbps, c->levels[k].gbps);
        ck_assert_uint_eq(d->levels[k].ws_min_bytes, c->levels[k].ws_min_bytes);
        ck_assert_uint_eq(d->levels[k].ws_max_bytes, c->levels[k].ws_max_bytes);
    }
    ck_assert_uint_eq(d->n_compute, c->n_compute);
    for (size_t k = 0; k < c->n_compute; k++) {
        ck_assert_int_eq(d->compute[k].dtype, c->compute[k].dtype);
        ck_assert_int_eq(d->compute[k].supported, c->compute[k].supported);
        ck_assert_double_eq(d->compute[k].gflops, c->compute[k].gflops);
    }
    ck_assert_double_eq(d->launch_overhead_s, c->launch_overhead_s);
    ck_assert_uint_eq(d->n_patterns, c->n_patterns);
    for (size_t k = 0; k < c->n_patterns; k++) {
        ck_assert_str_eq(d->patterns[k].pattern, c->patterns[k].pattern);
        ck_assert_double_eq(d->patterns[k].gflops, c->patterns[k].gflops);
        ck_assert_double_eq(d->patterns[k].metadata_bits, c->patterns[k].metadata_bits);
    }
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(fputs(text, f), 0);
    ck_assert_int_eq(fclose(f), 0);
}

/* c's JSON object, with the extra keys `peaks --json` adds, written to path. */
static void write_ceilings(const char *path, const sr_ceilings *c)
{
    json_object *o = sr_ceilings_to_json(c), *bw;
    ck_assert_ptr_nonnull(o);
    json_object_object_add(o, "run_uuid", json_object_new_string("0123-4567"));
    json_object_object_add(o, "sweep", json_object_new_array());
    ck_assert(json_object_object_get_ex(o, "bandwidth", &bw));
    json_object *l = json_object_array_get_idx(bw, 0);
    json_object_object_add(l, "spread", json_object_new_double(0.04));
    json_object_object_add(l, "read_gbps", json_object_new_double(200));
    write_text(path, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
    json_object_put(o);
}

START_TEST(test_json_file_round_trip)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/ceilings.json", tmpdir);
    sr_ceilings c, d;
    sr_err e;
    fill_measured(&c);
    write_ceilings(path, &c);
    memset(&d, 0xff, sizeof d);
    ck_assert_msg(sr_ceilings_read_file(path, &d, &e) == SR_OK, "%s", e.msg);
    assert_same(&d, &c, NULL);
    ck_assert_int_eq(d.is_virtual, 0);

    fill_virtual(&c);
    ck_assert_uint_eq(c.n_patterns, 2);
    write_ceilings(path, &c);
    ck_assert_msg(sr_ceilings_read_file(path, &d, &e) == SR_OK, "%s", e.msg);
    assert_same(&d, &c, NULL);
    ck_assert(d.is_virtual);
    ck_assert(d.patterns[1].metadata_bits < 0); /* not given: the format's own */

    /* a UTF-8 byte-order mark, as some editors write, is accepted */
    json_object *o = sr_ceilings_to_json(&c);
    char text[8192];
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", json_object_to_json_string(o));
    json_object_put(o);
    write_text(path, text);
    ck_assert_msg(sr_ceilings_read_file(path, &d, &e) == SR_OK, "%s", e.msg);
    assert_same(&d, &c, NULL);
    remove_tmpdir();
}
END_TEST

/* Damaged ceilings files, each with what its message must name besides the file. */
static const struct {
    const char *text, *needle;
} damaged[] = {
    {"{ not json", "not valid JSON"},
    {"", "not valid JSON"},
    {"{\"device\": \"x\"} {}", "not valid JSON"},
    {"[1, 2]", "not a JSON object"},
    {"{\"bandwidth\": [], \"compute\": []}", "'device'"},
    {"{\"device\": \"x\", \"compute\": []}", "'bandwidth'"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}]}", "'compute'"},
    {"{\"device\": \"x\", \"bandwidth\": [], \"compute\": []}", "bandwidth levels"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": -3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 1}], \"compute\": []}", "'gbps'"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 9, \"ws_max_bytes\": 1}], \"compute\": []}", "ws_min_bytes"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 1}], \"compute\": [{\"dtype\": \"fp7\", "
     "\"gflops\": 1}]}", "fp7"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": \"fast\", "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 1}], \"compute\": []}", "'gbps'"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 1}], \"compute\": []}", "DRAM"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp32\"}]}", "'gflops'"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp32\", \"gflops\": 1}], \"patterns\": [{\"pattern\": \"3:3\"}]}", "3:3"},
    /* what --define refuses, --import refuses too (issue 15, defects 4 and 5) */
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"L2\", \"gbps\": 9, "
     "\"ws_min_bytes\": 1, \"ws_max_bytes\": 18446744073709551614}, {\"level\": \"DRAM\", "
     "\"gbps\": 3, \"ws_min_bytes\": 18446744073709551615, \"ws_max_bytes\": "
     "18446744073709551615}], \"compute\": [{\"dtype\": \"fp32\", \"gflops\": 1}]}",
     "ws_max_bytes 18446744073709551614"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": []}", "fp32"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp16\", \"gflops\": 1}]}", "fp32"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp32\", \"gflops\": 1}, {\"dtype\": \"fp32\", \"gflops\": 2}]}", "twice"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp32\", \"gflops\": 1}], \"patterns\": [{\"pattern\": \"2:4\", "
     "\"gflops\": 5}, {\"pattern\": \"2:4\", \"gflops\": 6}]}", "twice"},
    {"{\"device\": \"x\", \"bandwidth\": [{\"level\": \"DRAM\", \"gbps\": 3, "
     "\"ws_min_bytes\": 0, \"ws_max_bytes\": 18446744073709551615}], \"compute\": "
     "[{\"dtype\": \"fp32\", \"gflops\": 1e300}]}", "1e+300"},
};

START_TEST(test_json_file_damaged)
{
    make_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/damaged.json", tmpdir);
    sr_ceilings d, untouched;
    sr_err e;
    memset(&d, 0x5a, sizeof d);
    untouched = d;
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        write_text(path, damaged[i].text);
        sr_code rc = sr_ceilings_read_file(path, &d, &e);
        ck_assert_msg(rc == SR_ERR_FORMAT, "damaged file %zu: %d (%s)", i, rc, e.msg);
        ck_assert_msg(strstr(e.msg, path) != NULL, "damaged file %zu: message lacks the path: %s",
                      i, e.msg);
        ck_assert_msg(strstr(e.msg, damaged[i].needle) != NULL,
                      "damaged file %zu: message lacks '%s': %s", i, damaged[i].needle, e.msg);
        ck_assert_msg(memcmp(&d, &untouched, sizeof d) == 0, "damaged file %zu: out was changed",
                      i);
    }
    snprintf(path, sizeof path, "%s/nothing-here.json", tmpdir);
    ck_assert_int_eq(sr_ceilings_read_file(path, &d, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, path));
    ck_assert_int_ne(sr_ceilings_read_file(tmpdir, &d, &e), SR_OK); /* a directory */
    ck_assert_ptr_nonnull(strstr(e.msg, tmpdir));
    remove_tmpdir();
}
END_TEST

/* On the device (opened inside the forked test, never in the parent): a tiny sweep. */

static void tiny_opts(sr_peaks_opts *o)
{
    sr_peaks_opts_default(o, 0);
    o->max_ws_bytes = sr_test_quick() ? 512 * KIB : 2 * MIB;
    o->points_per_octave = 1;
    o->reps = 2;
    o->min_time_s = 1e-3;
    o->compute_time_s = 5e-3;
    o->launch_reps = 20;
}

static int progress_calls;
static void count_progress(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx;
    ck_assert_ptr_nonnull(stage);
    ck_assert_ptr_nonnull(detail);
    ck_assert(done >= 1 && done <= total);
    progress_calls++;
}

static sr_cl *open_first(sr_device_info **list)
{
    size_t n = 0;
    sr_err e = {0};
    sr_cl *cl = NULL;
    ck_assert_int_eq(sr_device_list(list, &n, &e), SR_OK);
    ck_assert_uint_gt(n, 0);
    ck_assert_msg(sr_cl_open(&(*list)[0], &cl, &e) == SR_OK, "%s", e.msg);
    return cl;
}

START_TEST(test_measure_tiny)
{
    sr_device_info *list = NULL;
    sr_cl *cl = open_first(&list);
    sr_peaks_opts o;
    tiny_opts(&o);
    o.progress = count_progress;
    sr_peaks_result r;
    sr_err e = {0};
    sr_code rc = sr_peaks_measure(cl, &o, &r, &e);
    ck_assert_msg(rc == SR_OK, "%s", e.msg);
    ck_assert_str_eq(r.ceilings.device, list[0].name);
    ck_assert_int_gt(progress_calls, 0);

    /* the sweep: increasing working sets up to the asked end, positive figures */
    ck_assert_uint_ge(r.n_points, 5);
    for (size_t i = 0; i < r.n_points; i++) {
        ck_assert(r.read[i].ws_bytes == r.triad[i].ws_bytes);
        if (i > 0)
            ck_assert(r.read[i].ws_bytes > r.read[i - 1].ws_bytes);
        ck_assert(r.read[i].gbps > 0 && isfinite(r.read[i].gbps));
        ck_assert(r.triad[i].gbps > 0 && isfinite(r.triad[i].gbps));
        ck_assert(r.read[i].gbps_worst <= r.read[i].gbps);
    }
    ck_assert(r.read[r.n_points - 1].ws_bytes <= 2 * MIB * 1.2);

    /* the levels: positive, ordered, contiguous, DRAM last and slowest */
    const sr_ceilings *c = &r.ceilings;
    ck_assert_uint_ge(c->n_levels, 1);
    ck_assert_str_eq(c->levels[c->n_levels - 1].level, "DRAM");
    ck_assert_uint_eq(c->levels[c->n_levels - 1].ws_max_bytes, UINT64_MAX);
    for (size_t k = 0; k < c->n_levels; k++) {
        ck_assert(c->levels[k].gbps > 0 && isfinite(c->levels[k].gbps));
        ck_assert_msg(c->levels[k].gbps >= c->levels[c->n_levels - 1].gbps,
                      "%s (%g GB/s) below DRAM", c->levels[k].level, c->levels[k].gbps);
        if (k > 0) {
            ck_assert(c->levels[k].gbps <= c->levels[k - 1].gbps);
            ck_assert_uint_eq(c->levels[k].ws_min_bytes, c->levels[k - 1].ws_max_bytes + 1);
        }
    }

    /* compute: fp32 always, the others exactly where the device has them */
    ck_assert_uint_eq(c->n_compute, 3);
    ck_assert(c->compute[SR_DTYPE_FP32].supported);
    ck_assert(c->compute[SR_DTYPE_FP32].gflops > 0 && isfinite(c->compute[SR_DTYPE_FP32].gflops));
    ck_assert_int_eq(c->compute[SR_DTYPE_FP64].supported, list[0].fp64 != 0);
    ck_assert_int_eq(c->compute[SR_DTYPE_FP16].supported, list[0].fp16 != 0);
    for (int d = 0; d < 3; d++) {
        ck_assert_int_eq(c->compute[d].dtype, d);
        if (c->compute[d].supported)
            ck_assert(c->compute[d].gflops > 0);
        else
            ck_assert(c->compute[d].gflops == 0);
    }

    ck_assert(c->launch_overhead_s > 0 && c->launch_overhead_s < 1);
    ck_assert(r.launch.min_s <= r.launch.median_s && r.launch.median_s <= r.launch.max_s);
    ck_assert(r.elapsed_s > 0);
    sr_peaks_result_free(&r);
    sr_peaks_result_free(&r); /* twice is harmless */
    sr_cl_close(cl);
    free(list);
}
END_TEST

/* Which timer a repetition's figures come from, decided from the figures alone: events
 * where they can be right next to the wall clock, else the wall clock with the reason. */
START_TEST(test_timing_decision)
{
    static const struct {
        sr_rep_time reps[3];
        const char *why; /* NULL: the events are used */
        int alone;       /* the repetition that shows it alone; -1: none does */
    } cases[] = {
        {{{1e-3, 1.1e-3}, {1.2e-3, 1.3e-3}, {1e-3, 1.2e-3}}, NULL, 0},
        {{{0, 1e-3}, {0, 1.1e-3}, {0, 1.2e-3}}, "zero", 0},
        {{{1e-3, 1e-3}, {5e-3, 1e-3}, {1e-3, 1e-3}}, "exceeded", 1},
        {{{1e-5, 10e-3}, {1e-5, 10e-3}, {1e-5, 10e-3}}, "far below", 0},
        {{{1e-3, 1e-3}, {1e-3, 1.5e-3}, {1e-3, 2e-3}}, "constant", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sr_time_stats st;
        sr_time_stats_compute(cases[i].reps, 3, &st);
        ck_assert_msg(st.wallclock == (cases[i].why != NULL), "case %zu: wall clock %d", i, st.wallclock);
        const double want = cases[i].why ? cases[i].reps[0].wall_s : cases[i].reps[0].event_s;
        ck_assert_msg(st.min_s <= want && want <= st.max_s && st.min_s > 0, "case %zu: %g to %g", i,
                      st.min_s, st.max_s);
        if (cases[i].why)
            ck_assert_msg(strstr(st.note, "wall clock") && strstr(st.note, cases[i].why),
                          "case %zu: '%s'", i, st.note);
        if (cases[i].alone < 0)
            continue;
        const sr_rep_time *one = &cases[i].reps[cases[i].alone];
        int wall;
        double s = sr_rep_seconds(one, &wall);
        ck_assert_msg(wall == st.wallclock && s == (wall ? one->wall_s : one->event_s),
                      "case %zu: one repetition %g, wall clock %d", i, s, wall);
    }
}
END_TEST

/* A stand-in for a driver whose profiling stamps lie: every event lasts nothing (rusticl's
 * stamps are all zero). */
static double zero_events(cl_event ev)
{
    (void)ev;
    return 0.0;
}

static int within(double got, double lo, double hi, double rel)
{
    return got >= lo / (1 + rel) && got <= hi * (1 + rel);
}

/* The decision a lying timer must bring about, whatever the machine's load: the run says
 * it timed by the wall clock and why, and every figure it gives was timed so, finite
 * (trusting the zero events would give infinite ones). */
static void assert_wallclock_used(const sr_peaks_result *r, sr_code rc)
{
    ck_assert_msg(r->wallclock, "a lying timer went unnoticed");
    ck_assert_ptr_nonnull(strstr(r->timing_note, "wall clock"));
    if (rc != SR_OK)
        return;
    const sr_fma_result *f = &r->compute[SR_DTYPE_FP32];
    ck_assert_msg(f->wallclock && isfinite(f->gflops) && f->gflops > 0, "fp32 %g GFLOP/s, %s",
                  f->gflops, f->wallclock ? "by the wall clock" : "by the events");
    for (size_t i = 0; i < r->n_points; i++)
        ck_assert_msg(r->read[i].wallclock && r->triad[i].wallclock && isfinite(r->read[i].gbps) &&
                      isfinite(r->triad[i].gbps), "point %zu: %g and %g GB/s, wall clock %d and %d",
                      i, r->read[i].gbps, r->triad[i].gbps, r->read[i].wallclock, r->triad[i].wallclock);
}

/* The figures a lying run is compared on: the fp32 peak and the fastest level, those the
 * same small sweep finds every time. */
typedef struct {
    double gflops, gbps;
} figures;

static figures figures_of(const sr_peaks_result *r)
{
    return (figures){r->ceilings.compute[SR_DTYPE_FP32].gflops, r->ceilings.levels[0].gbps};
}

#define LYING_TRIES 4

/* The true timer's figures so far, and the lying runs'. */
typedef struct {
    figures lo, hi; /* the range of the truth */
    int truths;
    figures lied[LYING_TRIES];
    int n_lied;
} lying_record;

/* Measures with the true timer into rec: fine, or (a busy machine) refused as implausible. */
static void measure_truth(sr_cl *cl, const sr_peaks_opts *o, lying_record *rec)
{
    sr_peaks_result r;
    sr_err e = {0};
    sr_code rc = sr_peaks_measure(cl, o, &r, &e);
    ck_assert_msg(rc == SR_OK || (rc == SR_ERR_UNSUPPORTED && strstr(e.msg, "implausible")), "%s", e.msg);
    if (rc == SR_OK) {
        figures f = figures_of(&r);
        rec->lo = rec->truths ? (figures){fmin(rec->lo.gflops, f.gflops), fmin(rec->lo.gbps, f.gbps)} : f;
        rec->hi = rec->truths ? (figures){fmax(rec->hi.gflops, f.gflops), fmax(rec->hi.gbps, f.gbps)} : f;
        rec->truths++;
    }
    sr_peaks_result_free(&r);
}

/* Whether some lying run's figures are both within 25% of the range the truth took. */
static int near_truth(const lying_record *rec)
{
    for (int i = 0; i < rec->n_lied && rec->truths > 0; i++)
        if (within(rec->lied[i].gflops, rec->lo.gflops, rec->hi.gflops, 0.25) &&
            within(rec->lied[i].gbps, rec->lo.gbps, rec->hi.gbps, 0.25))
            return 1;
    return 0;
}

/* With a timer that lies, peaks times by the wall clock, says so, and gives ceilings near
 * the truth, or refuses them as implausible. Timing loop-limited or overhead-bound launches
 * by the wall clock would give figures far off. Which timer was used is asserted on every
 * try. The figures are timing-sensitive on a shared machine: they are compared with the
 * range the truth took, measured before and after each lying run, and a try that load
 * upset is made again, a few times at most; the more the load moves the truth, the wider
 * its range, while a fault in the wall-clock timing is off every time. Where load kept the
 * truth from being measured at all, only the decision was checked. */
START_TEST(test_lying_timer)
{
    sr_device_info *list = NULL;
    sr_cl *cl = open_first(&list);
    sr_peaks_opts o;
    tiny_opts(&o);
    o.max_ws_bytes = sr_test_quick() ? 128 * KIB : 512 * KIB;
    o.reps = 5; /* the best of more: a busy machine slows a few */
    lying_record rec = {0};
    int refused = 0, tries = 0;
    for (; !refused && !near_truth(&rec) && tries < LYING_TRIES; tries++) {
        sr_peaks_result lied;
        sr_err e = {0};
        measure_truth(cl, &o, &rec);
        sr_cl_set_event_timer(cl, zero_events);
        sr_code rc = sr_peaks_measure(cl, &o, &lied, &e);
        sr_cl_set_event_timer(cl, NULL);
        assert_wallclock_used(&lied, rc);
        if (rc == SR_OK) {
            rec.lied[rec.n_lied++] = figures_of(&lied);
            measure_truth(cl, &o, &rec);
        } else { /* refused, not stored: as good */
            ck_assert_msg(rc == SR_ERR_UNSUPPORTED && strstr(e.msg, "implausible"), "%s", e.msg);
            refused = 1;
        }
        sr_peaks_result_free(&lied);
    }
    char lied[256] = "";
    for (int i = 0; i < rec.n_lied; i++)
        snprintf(lied + strlen(lied), sizeof lied - strlen(lied), " %g GFLOP/s %g GB/s;", rec.lied[i].gflops,
                 rec.lied[i].gbps);
    if (!refused && !rec.truths)
        fprintf(stderr, "test_lying_timer: the truth was refused as implausible on every try (a busy "
                "machine): the figures were not compared\n");
    ck_assert_msg(refused || !rec.truths || near_truth(&rec), "%d tries by a lying timer:%s off by more "
                  "than 25%% from the truth's %g to %g GFLOP/s and %g to %g GB/s", tries, lied, rec.lo.gflops,
                  rec.hi.gflops, rec.lo.gbps, rec.hi.gbps);
    sr_cl_close(cl);
    free(list);
}
END_TEST

static int stop_now(void)
{
    return 1;
}

START_TEST(test_measure_interrupted)
{
    sr_device_info *list = NULL;
    sr_cl *cl = open_first(&list);
    sr_peaks_opts o;
    tiny_opts(&o);
    o.stop = stop_now;
    sr_peaks_result r;
    sr_err e = {0};
    ck_assert_int_eq(sr_peaks_measure(cl, &o, &r, &e), SR_ERR_INTERRUPTED);
    ck_assert_ptr_nonnull(strstr(e.msg, "interrupted"));
    sr_peaks_result_free(&r);
    sr_cl_close(cl);
    free(list);
}
END_TEST

START_TEST(test_sweep_sizes)
{
    double *v;
    size_t n;
    sr_err e;
    ck_assert_int_eq(sr_peaks_sweep_sizes(16 * KIB, 1024 * MIB, 4, &v, &n, &e), SR_OK);
    ck_assert_uint_eq(n, 16 * 4 + 1); /* 16 octaves */
    ck_assert_double_eq(v[0], 16 * KIB);
    ck_assert_double_eq_tol(v[n - 1], 1024 * MIB, 1);
    for (size_t i = 1; i < n; i++)
        ck_assert_double_eq_tol(v[i] / v[i - 1], exp2(0.25), 1e-9);
    free(v);
    ck_assert_int_eq(sr_peaks_sweep_sizes(16 * KIB, 100 * KIB, 1, &v, &n, &e), SR_OK);
    ck_assert_double_eq(v[n - 1], 100 * KIB); /* the end is always measured */
    free(v);
    ck_assert_int_eq(sr_peaks_sweep_sizes(0, 100, 1, &v, &n, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_peaks_sweep_sizes(100, 10, 1, &v, &n, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_peaks_sweep_sizes(10, 100, 0, &v, &n, &e), SR_ERR_ARG);
}
END_TEST

/* The command line: `peaks --define` and a tiny measurement, through the binary. */

/* A database of the test's own in the temporary directory, and an empty cache directory
 * to show that nothing is written there. */
static void use_tmp_db(char *db, size_t size)
{
    char xdg[512];
    snprintf(db, size, "%s/sparseroof.db", tmpdir);
    setenv("SPARSEROOF_DB", db, 1);
    snprintf(xdg, sizeof xdg, "%s/xdg-cache", tmpdir);
    ck_assert_int_eq(mkdir(xdg, 0700), 0);
    setenv("XDG_CACHE_HOME", xdg, 1);
}

/* Nothing of sparseroof's under $XDG_CACHE_HOME; with `empty`, nothing at all (a
 * measurement may leave PoCL's kernel cache there). */
static void assert_nothing_cached(int empty)
{
    char cmd[1024];
    const char *xdg = getenv("XDG_CACHE_HOME");
    snprintf(cmd, sizeof cmd, "test ! -e '%s/sparseroof'", xdg);
    ck_assert_msg(system(cmd) == 0, "%s/sparseroof was written", xdg);
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", xdg);
    ck_assert_msg(!empty || system(cmd) == 0, "%s is not empty", xdg);
}

/* The whole of a file (at most size - 1 bytes) into buf; its length. */
static size_t read_bytes(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, size - 1, f);
    ck_assert(feof(f));
    fclose(f);
    return n;
}

/* The ceilings the database holds for device (name or UUID). */
static void stored_ceilings(const char *db, const char *device, sr_ceilings *c)
{
    sr_store *st = NULL;
    sr_err e = {0};
    ck_assert_msg(sr_store_open(db, SR_STORE_READONLY, &st, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_get_ceilings(st, device, c, &e) == SR_OK, "%s", e.msg);
    sr_store_close(st);
}

START_TEST(test_cli_define)
{
    char db[512];
    make_tmpdir();
    use_tmp_db(db, sizeof db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"peaks", "--define", "npu", "--bandwidth", "900,L2=4000@8M",
                                "--compute", "fp32=5e4", "--launch", "2e-6", "--json", NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out);
    ck_assert_ptr_nonnull(j);
    sr_ceilings c;
    sr_err e;
    ck_assert_msg(sr_ceilings_from_json(j, "output", &c, &e) == SR_OK, "%s", e.msg);
    json_object_put(j);
    ck_assert_str_eq(c.device, "npu");
    ck_assert_uint_eq(c.n_levels, 2);
    ck_assert_str_eq(c.levels[1].level, "DRAM");
    stored_ceilings(db, "npu", &c);
    ck_assert(c.is_virtual);
    ck_assert_double_eq(c.levels[0].gbps, 4000);
    ck_assert_double_eq(c.compute[SR_DTYPE_FP32].gflops, 5e4);

    static const struct {
        const char *args[10];
        const char *expect;
    } bad[] = {
        {{"peaks", "--define", "x", "--bandwidth", "-30", "--compute", "fp32=1", NULL}, "-30"},
        {{"peaks", "--define", "x", "--bandwidth", "0", "--compute", "fp32=1", NULL}, "'0'"},
        {{"peaks", "--define", "x", "--bandwidth", "fast", "--compute", "fp32=1", NULL}, "fast"},
        {{"peaks", "--define", "x", "--bandwidth", "inf", "--compute", "fp32=1", NULL}, "inf"},
        {{"peaks", "--define", "x", "--bandwidth", "30", "--compute", "fp32=-1", NULL}, "fp32"},
        {{"peaks", "--define", "x", "--bandwidth", "30", "--compute", "fp32=1", "--launch", "0",
          NULL}, "--launch"},
        {{"peaks", "--define", "x", "--bandwidth", "30", NULL}, "--compute"},
        {{"peaks", "--bandwidth", "30", NULL}, "--define"},
        {{"peaks", "--define", "x", "--bandwidth", "30", "--compute", "fp32=1", "--thorough",
          NULL}, "--thorough"},
        {{"peaks", "--max-ws", "lots", NULL}, "lots"},
        {{"peaks", "--reps", "0", NULL}, "--reps"},
        {{"peaks", "extra", NULL}, "extra"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_run_cli(bad[i].args, &r);
        ck_assert_msg(r.status == 2, "case %zu: exit %d", i, r.status);
        ck_assert_msg(strstr(r.err, bad[i].expect) != NULL, "case %zu: '%s' lacks '%s'", i, r.err,
                      bad[i].expect);
    }
    /* the text form says where it went */
    sr_run_cli((const char *[]){"peaks", "--define", "npu2", "--bandwidth", "30", "--compute",
                                "fp32=1", NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    char stored[600];
    snprintf(stored, sizeof stored, "Stored in %s (run ", db);
    ck_assert_msg(strstr(r.out, stored) != NULL, "%s", r.out);
    sr_run_cli((const char *[]){"peaks", "--help", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "--define"));
    ck_assert_ptr_nonnull(strstr(r.out, "--import"));
    assert_nothing_cached(1);
    remove_tmpdir();
}
END_TEST

/* `peaks --json` output recorded elsewhere with --import; damaged files change nothing. */
START_TEST(test_cli_import)
{
    char db[512], file[600], other[600], bad[600];
    make_tmpdir();
    use_tmp_db(db, sizeof db);
    snprintf(file, sizeof file, "%s/npu.json", tmpdir);
    snprintf(other, sizeof other, "%s/measured.json", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.json", tmpdir);
    sr_cli_result r;
    sr_run_cli((const char *[]){"peaks", "--define", "npu", "--bandwidth", "900,L2=4000@8M",
                                "--compute", "fp32=5e4,fp16=1e5", "--launch", "2e-6",
                                "--pattern-compute", "2:4=9e4", "--pattern-metadata-bits",
                                "2:4=2,unstructured=0", "--json", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    write_text(file, r.out);
    sr_ceilings npu, got;
    stored_ceilings(db, "npu", &npu);

    sr_run_cli((const char *[]){"peaks", "--import", file, "--name", "other", "--json", "--db", db,
                                NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out), *v;
    ck_assert_ptr_nonnull(j);
    ck_assert(json_object_object_get_ex(j, "device", &v));
    ck_assert_str_eq(json_object_get_string(v), "other");
    ck_assert(json_object_object_get_ex(j, "virtual", &v) && json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(j, "device_uuid", &v) && v);
    ck_assert(json_object_object_get_ex(j, "run_uuid", &v) && v);
    json_object_put(j);
    stored_ceilings(db, "other", &got);
    ck_assert(got.is_virtual);
    assert_same(&got, &npu, "other");
    stored_ceilings(db, "npu", &got); /* the original is still itself */
    assert_same(&got, &npu, NULL);
    /* predict finds it by the new name */
    sr_run_cli((const char *[]){"predict", "--network", "resnet18", "--device", "other",
                                "--patterns", "dense", "--json", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    j = json_tokener_parse(r.out);
    ck_assert_ptr_nonnull(j);
    ck_assert(json_object_object_get_ex(j, "device", &v));
    ck_assert_str_eq(json_object_get_string(v), "other");
    json_object_put(j);

    /* a measured device's file, under its own name, becomes a virtual device */
    sr_ceilings m;
    fill_measured(&m);
    write_ceilings(other, &m);
    sr_run_cli((const char *[]){"peaks", "--import", other, "--db", db, NULL}, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, other));
    ck_assert_ptr_nonnull(strstr(r.out, "Stored in"));
    stored_ceilings(db, m.device, &got);
    ck_assert(got.is_virtual);
    assert_same(&got, &m, NULL);

    /* damaged or missing files: exit 2 naming the file, the database unchanged */
    static char before[1 << 20], after[1 << 20];
    size_t n_before = read_bytes(db, before, sizeof before);
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        write_text(bad, damaged[i].text);
        sr_run_cli((const char *[]){"peaks", "--import", bad, "--name", "broken", "--db", db,
                                    NULL},
                   &r);
        ck_assert_msg(r.status == 2, "damaged file %zu: exit %d", i, r.status);
        ck_assert_msg(strstr(r.err, bad) != NULL, "damaged file %zu: '%s' lacks the file", i,
                      r.err);
    }
    sr_run_cli((const char *[]){"peaks", "--import", "/nonexistent/c.json", "--db", db, NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/c.json"));
    size_t n_after = read_bytes(db, after, sizeof after);
    ck_assert_msg(n_after == n_before && memcmp(before, after, n_before) == 0,
                  "a refused import changed the database");
    sr_store *st = NULL;
    sr_err e = {0};
    ck_assert_int_eq(sr_store_open(db, SR_STORE_READONLY, &st, &e), SR_OK);
    ck_assert_int_eq(sr_store_get_ceilings(st, "broken", &got, &e), SR_ERR_NOTFOUND);
    sr_store_close(st);

    static const struct {
        const char *args[10];
        const char *expect;
    } usage[] = {
        {{"peaks", "--import", "x.json", "--define", "y", NULL}, "--define"},
        {{"peaks", "--import", "x.json", "--bandwidth", "30", NULL}, "--bandwidth"},
        {{"peaks", "--import", "x.json", "--thorough", NULL}, "--thorough"},
        {{"peaks", "--import", "x.json", "--device", "0", NULL}, "--device"},
        {{"peaks", "--name", "x", NULL}, "--import"},
        {{"peaks", "--import", "", NULL}, "--import"},
        {{"peaks", "--import", "x.json", "--name", "", NULL}, "--name"},
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        sr_run_cli(usage[i].args, &r);
        ck_assert_msg(r.status == 2, "case %zu: exit %d", i, r.status);
        ck_assert_msg(strstr(r.err, usage[i].expect) != NULL, "case %zu: '%s' lacks '%s'", i,
                      r.err, usage[i].expect);
    }
    assert_nothing_cached(1);
    remove_tmpdir();
}
END_TEST

START_TEST(test_cli_measure)
{
    char db[512];
    make_tmpdir();
    use_tmp_db(db, sizeof db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"peaks", "--max-ws", sr_test_quick() ? "64K" : "512K", "--reps", "2", "--json",
                                NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *j = json_tokener_parse(r.out), *v;
    ck_assert_ptr_nonnull(j);
    sr_ceilings c;
    sr_err e;
    ck_assert_msg(sr_ceilings_from_json(j, "output", &c, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(c.levels[c.n_levels - 1].level, "DRAM");
    ck_assert(c.compute[SR_DTYPE_FP32].supported && c.compute[SR_DTYPE_FP32].gflops > 0);
    ck_assert(c.launch_overhead_s > 0);
    ck_assert(json_object_object_get_ex(j, "sweep", &v) && json_object_array_length(v) >= 5);
    ck_assert(json_object_object_get_ex(j, "timing", &v));
    ck_assert(json_object_object_get_ex(j, "run_uuid", &v) && v);
    ck_assert(!json_object_object_get_ex(j, "cache_file", &v));
    json_object_put(j);
    sr_ceilings kept;
    stored_ceilings(db, c.device, &kept);
    ck_assert_uint_eq(kept.n_levels, c.n_levels);
    ck_assert_double_eq_tol(kept.levels[0].gbps, c.levels[0].gbps, 1e-9 * c.levels[0].gbps);

    /* kernel now adds the roofline prediction from them */
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense", "--m", "64", "--k", "64", "--n",
                                "32", "--reps", "2", "--json", NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    j = json_tokener_parse(r.out);
    ck_assert_ptr_nonnull(j);
    ck_assert(json_object_object_get_ex(j, "predicted_time_s", &v) && v &&
              json_object_get_double(v) > 0);
    ck_assert(json_object_object_get_ex(j, "bound", &v) && v);
    json_object_put(j);

    /* a sweep beyond the device's memory is refused at once, naming the size, no run
     * begun */
    sr_run_cli((const char *[]){"peaks", "--max-ws", "2T", NULL}, &r);
    ck_assert_msg(r.status == 2 && strstr(r.err, "2 TiB is beyond"), "exit %d: %s", r.status,
                  r.err);
    sr_run_cli((const char *[]){"runs", NULL}, &r);
    ck_assert_msg(r.status == 0 && !strstr(r.out, "failed") && !strstr(r.out, "--max-ws 2T"),
                  "%s", r.out);
    assert_nothing_cached(0);
    remove_tmpdir();
}
END_TEST

/* The options against a device, before anything runs (no OpenCL: a description). */
START_TEST(test_check_opts)
{
    sr_device_info dev;
    memset(&dev, 0, sizeof dev);
    snprintf(dev.name, sizeof dev.name, "test device");
    dev.max_alloc_bytes = (uint64_t)2 << 30;
    dev.global_mem_bytes = (uint64_t)5 << 30;
    sr_peaks_opts o;
    sr_peaks_opts_default(&o, 0);
    sr_err e;
    ck_assert_msg(sr_peaks_check(&o, &dev, &e) == SR_OK, "%s", e.msg); /* automatic end */
    o.max_ws_bytes = 2.0 * 1024 * 1024 * MIB;
    ck_assert_int_eq(sr_peaks_check(&o, &dev, &e), SR_ERR_ARG);
    /* at most 90% of the largest allocation: room for rounding sizes up */
    ck_assert_msg(strstr(e.msg, "2 TiB") && strstr(e.msg, "test device") &&
                  strstr(e.msg, "1.8 GiB"), "%s", e.msg);
    dev.global_mem_bytes = (uint64_t)3 << 30; /* half of it is below the largest allocation */
    o.max_ws_bytes = 1.6 * 1024 * MIB;
    ck_assert_int_eq(sr_peaks_check(&o, &dev, &e), SR_ERR_ARG);
    ck_assert_msg(strstr(e.msg, "1.5 GiB"), "%s", e.msg);
    o.max_ws_bytes = 1024 * MIB;
    ck_assert_msg(sr_peaks_check(&o, &dev, &e) == SR_OK, "%s", e.msg);
    o.reps = 0;
    ck_assert_int_eq(sr_peaks_check(&o, &dev, &e), SR_ERR_ARG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("peaks");
    TCase *tp = tcase_create("plateau");
    tcase_add_test(tp, test_one_level);
    tcase_add_test(tp, test_three_levels);
    tcase_add_test(tp, test_noisy_four_levels);
    tcase_add_test(tp, test_noisy_dram_is_one_level);
    tcase_add_test(tp, test_gentle_slope_is_one_level);
    tcase_add_test(tp, test_small_start_is_not_a_level);
    tcase_add_test(tp, test_few_points);
    tcase_add_test(tp, test_max_out_merges);
    tcase_add_test(tp, test_labels_from_cache_sizes);
    tcase_add_test(tp, test_host_cache_sizes);
    tcase_add_test(tp, test_bad_series);
    tcase_add_test(tp, test_sweep_sizes);
    tcase_add_test(tp, test_check_opts);
    tcase_add_test(tp, test_plausible_hierarchy);
    tcase_add_test(tp, test_implausible_refused);
    tcase_add_test(tp, test_timing_decision);
    suite_add_tcase(s, tp);
    TCase *td = tcase_create("define");
    tcase_add_test(td, test_define_good);
    tcase_add_test(td, test_define_refuses);
    suite_add_tcase(s, td);
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, test_json_file_round_trip);
    tcase_add_test(tc, test_json_file_damaged);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("cli");
    tcase_add_test(tl, test_cli_define);
    tcase_add_test(tl, test_cli_import);
    suite_add_tcase(s, tl);
    if (sr_test_have_device()) {
        TCase *tm = tcase_create("measure");
        tcase_set_timeout(tm, 180); /* cold PoCL builds: about 0.5 s per program */
        tcase_add_test(tm, test_measure_tiny);
        tcase_add_test(tm, test_measure_interrupted);
        tcase_add_test(tm, test_lying_timer);
        tcase_add_test(tm, test_cli_measure);
        suite_add_tcase(s, tm);
    } else {
        fprintf(stderr, "no OpenCL device: measurement tests skipped\n");
    }
    return sr_check_run(s);
}
