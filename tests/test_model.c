/* The analytic model (src/model): the roofline formulas against hand-computed cases for
 * every pattern, network tables (built-in totals against published figures, the CSV
 * reader and its refusals), batch scaling and network predictions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "common/embedded.h"
#include "model/ceilings.h"
#include "model/network.h"
#include "model/predict.h"
#include "model/roofline.h"

extern const struct sr_embedded sr_network_sources[];

static sr_pattern pat(const char *s)
{
    sr_pattern p;
    sr_err e;
    ck_assert_msg(sr_pattern_parse(s, &p, &e) == SR_OK, "%s", e.msg);
    return p;
}

static sr_gemm_cost cost(int64_t m, int64_t k, int64_t n, int64_t g, const char *p, double s,
                         sr_dtype d, double bits)
{
    sr_gemm_cost c;
    sr_err e;
    sr_pattern pp = pat(p);
    ck_assert_msg(sr_gemm_cost_of(m, k, n, g, &pp, s, d, bits, &c, &e) == SR_OK, "%s", e.msg);
    return c;
}

#define EQ(a, b) ck_assert_double_eq_tol((a), (b), 1e-9 * fabs((double)(b)) + 1e-30)

/* A virtual device: one DRAM level of gbps, gflops for every type. */
static sr_ceilings device(double gbps, double gflops)
{
    sr_ceilings c;
    sr_err e;
    ck_assert_msg(sr_ceilings_simple(&c, "test", gbps, gflops, &e) == SR_OK, "%s", e.msg);
    return c;
}

/* ---- formulas, by hand ---------------------------------------------------------------- */

START_TEST(test_dense)
{
    /* m=4 k=6 n=5 fp32: nnz = 24, W = 24*4 = 96, X = 6*5*4 = 120, Y = 4*5*4 = 80,
     * bytes = 296, flops = 2*24*5 = 240 */
    sr_gemm_cost c = cost(4, 6, 5, 1, "dense", 0.7 /* ignored */, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 24);
    EQ(c.weight_bytes, 96);
    EQ(c.bytes, 296);
    EQ(c.flops, 240);
    EQ(c.ai, 240.0 / 296.0);
    /* fp16: W = 48, X = 60, Y = 40 -> 148; a metadata override does not apply to dense */
    c = cost(4, 6, 5, 1, "dense", 0, SR_DTYPE_FP16, 8);
    EQ(c.bytes, 148);
    /* groups: m=2 k=9 n=4 x3: nnz = 3*18 = 54, W = 54*4 = 216, X = 3*9*4*4 = 432,
     * Y = 3*2*4*4 = 96 -> 744; flops = 3*2*18*4 = 432 */
    c = cost(2, 9, 4, 3, "dense", 0, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 54);
    EQ(c.bytes, 744);
    EQ(c.flops, 432);
}
END_TEST

START_TEST(test_unstructured)
{
    /* m=4 k=6 n=5 s=0.5 fp32: nnz = round(0.5*24) = 12; CSR W = 12*4 (values) + 12*4
     * (column indices) + (4+1)*4 (row pointers) = 116; bytes = 116 + 120 + 80 = 316;
     * flops = 2*12*5 = 120 */
    sr_gemm_cost c = cost(4, 6, 5, 1, "unstructured", 0.5, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 12);
    EQ(c.weight_bytes, 116);
    EQ(c.bytes, 316);
    EQ(c.flops, 120);
    /* s=0.7: nnz = round(0.3*24 = 7.2) = 7; W = 7*8 + 20 = 76; bytes = 276; flops = 70 */
    c = cost(4, 6, 5, 1, "unstructured", 0.7, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 7);
    EQ(c.bytes, 276);
    EQ(c.flops, 70);
    /* fp16, s=0.5: W = 12*2 + 12*4 + 20 = 92, X = 60, Y = 40 -> 192 */
    c = cost(4, 6, 5, 1, "unstructured", 0.5, SR_DTYPE_FP16, -1);
    EQ(c.bytes, 192);
    /* 16-bit column indices (override): W = 48 + ceil(12*16/8) = 24 + 20 = 92 */
    c = cost(4, 6, 5, 1, "unstructured", 0.5, SR_DTYPE_FP32, 16);
    EQ(c.weight_bytes, 92);
}
END_TEST

START_TEST(test_block_padding)
{
    /* block 2x4 on m=5 k=6 (neither a multiple): mb = ceil(5/2) = 3, kb = ceil(6/4) = 2,
     * 6 blocks; s=0.5 keeps round(3) = 3 blocks, nnz = 3*8 = 24 (padding counts);
     * BSR W = 24*4 + 3*4 (block column indices) + (3+1)*4 (block row pointers) = 124;
     * X = 6*3*4 = 72 of which a block column is left unread only when all 3 kept blocks
     * lie in the other one: C(3,3)/C(6,3) = 1/20, so 0.95*72 = 68.4 read; Y = 5*3*4 = 60
     * (n=3) -> bytes 252.4; flops = 2*24*3 = 144 */
    sr_gemm_cost c = cost(5, 6, 3, 1, "block:2x4", 0.5, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 24);
    EQ(c.weight_bytes, 124);
    EQ(c.bytes, 252.4);
    EQ(c.flops, 144);
    /* s=0: all 6 blocks, nnz = 48 > m*k = 30: the padded zeros are stored and multiplied;
     * W = 48*4 + 6*4 + 16 = 232; every block column read: bytes 232 + 72 + 60 */
    c = cost(5, 6, 3, 1, "block:2x4", 0.0, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 48);
    EQ(c.weight_bytes, 232);
    EQ(c.bytes, 364);
    /* 1 bit of metadata per nonzero instead of the block indices: 96 + ceil(24/8) + 16 */
    c = cost(5, 6, 3, 1, "block:2x4", 0.5, SR_DTYPE_FP32, 1);
    EQ(c.weight_bytes, 115);
}
END_TEST

/* A layer of few block rows at high sparsity reads a fraction of X: 64 x 147 x 12544 in
 * 16x16 blocks at 0.9 (bench-kernels' layer that ran at 1.45x a roofline counting all of
 * X). R = 4 block rows, C = ceil(147/16) = 10 block columns, T = 40 blocks, round(0.1*40)
 * = 4 kept: a block column is unread with probability C(36,4)/C(40,4) = 58905/91390.
 * W = 4*256*4 + 4*4 + 5*4 = 4132; X = 147*12544*4 = 7375872 of which 32485/91390 is read;
 * Y = 64*12544*4 = 3211264. Unstructured (CSR) and N:M still count all of X. */
START_TEST(test_block_x_rows_read)
{
    sr_gemm_cost c = cost(64, 147, 12544, 1, "block:16x16", 0.9, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 1024);
    EQ(c.weight_bytes, 4132);
    EQ(c.bytes, 4132 + 7375872.0 * 32485 / 91390 + 3211264);
    EQ(c.ai, 2.0 * 1024 * 12544 / c.bytes);
    /* the same on 4096 rows (256 block rows): (1 - 0.1)^256 of X unread, none to speak of */
    c = cost(4096, 147, 12544, 1, "block:16x16", 0.9, SR_DTYPE_FP32, -1);
    ck_assert(c.bytes > c.weight_bytes + (7375872.0 * (1 - 1e-9) + 4096 * 12544 * 4.0));
    c = cost(64, 147, 12544, 1, "unstructured", 0.9, SR_DTYPE_FP32, -1);
    EQ(c.bytes, c.weight_bytes + 7375872.0 + 3211264);
}
END_TEST

START_TEST(test_nm)
{
    /* 2:4 on m=3 k=10: k pads to 12, 3 groups a row, nnz = 3*3*2 = 18 (sparsity asked
     * for is ignored); values 18*4 = 72, metadata ceil(18*2 bits/8) = ceil(4.5) = 5 ->
     * W = 77; X = 10*2*4 = 80, Y = 3*2*4 = 24 (n=2) -> bytes 181; flops = 2*18*2 = 72 */
    sr_gemm_cost c = cost(3, 10, 2, 1, "2:4", 0.9, SR_DTYPE_FP32, -1);
    EQ(c.nnz, 18);
    EQ(c.weight_bytes, 77);
    EQ(c.bytes, 181);
    EQ(c.flops, 72);
    /* 4 bits per nonzero (override): metadata ceil(18*4/8) = 9 -> W = 81 */
    c = cost(3, 10, 2, 1, "2:4", 0, SR_DTYPE_FP32, 4);
    EQ(c.weight_bytes, 81);
    /* 1:8 on m=2 k=16 n=1: 2 groups a row, nnz = 4, metadata ceil(4*3/8) = 2 (log2 8 = 3
     * bits), W = 16 + 2 = 18, X = 64, Y = 8 -> 90; flops = 8 */
    c = cost(2, 16, 1, 1, "1:8", 0, SR_DTYPE_FP32, -1);
    EQ(c.weight_bytes, 18);
    EQ(c.bytes, 90);
    EQ(c.flops, 8);
    /* 2:3 (not a power of two): ceil(log2 3) = 2 bits; m=1 k=3 n=1: nnz = 2,
     * W = 8 + ceil(4/8) = 9 */
    c = cost(1, 3, 1, 1, "2:3", 0, SR_DTYPE_FP32, -1);
    EQ(c.weight_bytes, 9);
}
END_TEST

START_TEST(test_cost_refusals)
{
    sr_gemm_cost c;
    sr_err e;
    sr_pattern u = pat("unstructured");
    ck_assert_int_eq(sr_gemm_cost_of(0, 4, 4, 1, &u, 0.5, SR_DTYPE_FP32, -1, &c, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_gemm_cost_of(4, 4, 4, 1, &u, 1.5, SR_DTYPE_FP32, -1, &c, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "1.5"));
    ck_assert_int_eq(sr_gemm_cost_of(4, 4, 4, 1, &u, NAN, SR_DTYPE_FP32, -1, &c, &e), SR_ERR_ARG);
}
END_TEST

START_TEST(test_roofline_time)
{
    /* 100 GB/s, 1000 GFLOP/s. Dense m=4 k=6 n=5: 240 FLOPs take 0.24 ns, 296 bytes 2.96 ns:
     * memory-bound at DRAM, t = 2.96e-9 s */
    sr_ceilings c = device(100, 1000);
    sr_pattern d = pat("dense");
    sr_roofline_point pt;
    sr_err e;
    ck_assert_int_eq(sr_roofline_gemm(4, 6, 5, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "DRAM");
    EQ(pt.time_s, 2.96e-9);
    /* hierarchical: an L1 of 1000 GB/s for working sets up to 1 KiB holds these 296 bytes:
     * t_mem = 0.296 ns > t_comp = 0.24 ns -> bound L1, t = 2.96e-10 s */
    c.n_levels = 2;
    c.levels[1] = c.levels[0];
    c.levels[1].ws_min_bytes = 1025;
    snprintf(c.levels[0].level, sizeof c.levels[0].level, "L1");
    c.levels[0].gbps = 1000;
    c.levels[0].ws_max_bytes = 1024;
    ck_assert_int_eq(sr_ceilings_validate(&c, &e), SR_OK);
    ck_assert_int_eq(sr_roofline_gemm(4, 6, 5, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "L1");
    EQ(pt.time_s, 2.96e-10);
    /* m=4 k=60 n=5: 2400 FLOPs, bytes 960 + 1200 + 80 = 2240 > 1 KiB: DRAM, 22.4 ns */
    ck_assert_int_eq(sr_roofline_gemm(4, 60, 5, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "DRAM");
    EQ(pt.time_s, 2.24e-8);
    /* 100 GFLOP/s: 240 FLOPs take 2.4 ns > 0.296 ns in L1: compute-bound */
    c.compute[0].gflops = 100;
    ck_assert_int_eq(sr_roofline_gemm(4, 6, 5, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "compute");
    EQ(pt.time_s, 2.4e-9);
}
END_TEST

START_TEST(test_pattern_ceiling)
{
    /* A compute-bound GEMM: m=k=n=256 fp32 on 1000 GB/s, 100 GFLOP/s.
     * dense: 2*256^3 = 33554432 FLOPs -> 3.3554432e-4 s.
     * 2:4 on the device's ceiling: half the FLOPs -> 1.6777216e-4 s.
     * 2:4 with its own 400 GFLOP/s: 16777216 / 4e11 = 4.194304e-5 s. */
    sr_ceilings c = device(1000, 100);
    sr_pattern d = pat("dense"), nm = pat("2:4");
    sr_roofline_point pt;
    sr_err e;
    ck_assert_int_eq(sr_roofline_gemm(256, 256, 256, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "compute");
    EQ(pt.time_s, 3.3554432e-4);
    ck_assert_int_eq(sr_roofline_gemm(256, 256, 256, 1, &nm, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    EQ(pt.time_s, 1.6777216e-4);
    ck_assert_int_eq(sr_ceilings_pattern_arg(&c, "2:4=400", SR_PATTERN_GFLOPS, &e), SR_OK);
    ck_assert_int_eq(sr_ceilings_pattern_arg(&c, "2:4=4", SR_PATTERN_METADATA_BITS, &e), SR_OK);
    ck_assert_int_eq(c.n_patterns, 1);
    ck_assert_int_eq(sr_roofline_gemm(256, 256, 256, 1, &nm, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    EQ(pt.gflops, 400);
    EQ(pt.time_s, 4.194304e-5);
    /* its metadata: 32768 nonzeros * 4 bits = 16384 bytes on top of 131072 of values */
    EQ(pt.cost.weight_bytes, 131072 + 16384);
    /* the dense ceiling is untouched */
    ck_assert_int_eq(sr_roofline_gemm(256, 256, 256, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    EQ(pt.gflops, 100);
}
END_TEST

START_TEST(test_memory_to_compute)
{
    /* linear 1024x1024, n=1 per image, fp32, 100 GB/s and 1000 GFLOP/s (ridge at AI 10).
     * batch 1: 2097152 FLOPs, 4194304 + 4096 + 4096 = 4202496 bytes, AI 0.499: DRAM,
     *   t = 4202496 / 1e11 = 4.202496e-5 s.
     * batch 256: 536870912 FLOPs, 4194304 + 2*1048576 = 6291456 bytes, AI 85.3: compute,
     *   t = 536870912 / 1e12 = 5.36870912e-4 s. */
    sr_ceilings c = device(100, 1000);
    sr_layer l = {.name = "fc", .kind = SR_LAYER_LINEAR, .m = 1024, .k = 1024, .n = 1, .groups = 1,
                  .prunable = 1};
    sr_pattern d = pat("dense");
    sr_roofline_point pt;
    sr_err e;
    ck_assert_int_eq(sr_roofline_layer(&l, 1, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "DRAM");
    EQ(pt.cost.bytes, 4202496);
    EQ(pt.time_s, 4.202496e-5);
    ck_assert_int_eq(sr_roofline_layer(&l, 256, &d, 0, SR_DTYPE_FP32, &c, &pt, &e), SR_OK);
    ck_assert_str_eq(pt.bound, "compute");
    EQ(pt.cost.bytes, 6291456);
    EQ(pt.time_s, 5.36870912e-4);
}
END_TEST

START_TEST(test_batch_scaling)
{
    /* conv and linear scale n, matmul scales groups; extra bytes scale with the batch and
     * the data type (fp16: half of the fp32 count) */
    sr_layer conv = {.name = "c", .kind = SR_LAYER_CONV, .m = 64, .k = 576, .n = 3136,
                     .groups = 1, .prunable = 1, .extra_bytes = 1000};
    sr_layer mm = {.name = "qk", .kind = SR_LAYER_MATMUL, .m = 197, .k = 64, .n = 197,
                   .groups = 12};
    int64_t m, k, n, g;
    sr_layer_batched(&conv, 8, &m, &k, &n, &g);
    ck_assert(m == 64 && k == 576 && n == 8 * 3136 && g == 1);
    sr_layer_batched(&mm, 8, &m, &k, &n, &g);
    ck_assert(m == 197 && k == 64 && n == 197 && g == 96);
    sr_ceilings c = device(100, 1000);
    sr_pattern d = pat("dense");
    sr_roofline_point p1, p8;
    sr_err e;
    ck_assert_int_eq(sr_roofline_layer(&mm, 1, &d, 0, SR_DTYPE_FP32, &c, &p1, &e), SR_OK);
    ck_assert_int_eq(sr_roofline_layer(&mm, 8, &d, 0, SR_DTYPE_FP32, &c, &p8, &e), SR_OK);
    EQ(p8.cost.flops, 8 * p1.cost.flops);
    EQ(p8.cost.bytes, 8 * p1.cost.bytes); /* nothing shared across images */
    ck_assert_int_eq(sr_roofline_layer(&conv, 1, &d, 0, SR_DTYPE_FP32, &c, &p1, &e), SR_OK);
    ck_assert_int_eq(sr_roofline_layer(&conv, 8, &d, 0, SR_DTYPE_FP16, &c, &p8, &e), SR_OK);
    EQ(p8.cost.flops, 8 * p1.cost.flops);
    EQ(p1.extra_bytes, 1000);
    EQ(p8.extra_bytes, 4000);
    ck_assert(p8.cost.bytes < 8 * p1.cost.bytes); /* the weights are read once */

    /* a whole network: FLOPs of every layer scale exactly with the batch */
    sr_network *net;
    ck_assert_int_eq(sr_network_builtin("vit_b_16", &net, &e), SR_OK);
    sr_predict_opts o1 = {.batch = 1, .dtype = SR_DTYPE_FP32}, o4 = {.batch = 4, .dtype = SR_DTYPE_FP32};
    sr_prediction *a, *b;
    ck_assert_int_eq(sr_predict(net, &c, &o1, &d, 1, NULL, 0, &a, &e), SR_OK);
    ck_assert_int_eq(sr_predict(net, &c, &o4, &d, 1, NULL, 0, &b, &e), SR_OK);
    double fa = 0, fb = 0;
    for (size_t i = 0; i < a->results[0].n_layers; i++) {
        fa += a->results[0].layers[i].flops;
        fb += b->results[0].layers[i].flops;
    }
    EQ(fa, 2 * sr_network_macs(net));
    EQ(fb, 4 * fa);
    ck_assert(b->results[0].dense_time_s > a->results[0].dense_time_s);
    sr_prediction_free(a);
    sr_prediction_free(b);
    sr_network_free(net);
}
END_TEST

/* ---- networks ------------------------------------------------------------------------- */

START_TEST(test_builtin_published)
{
    /* Published dense multiply-accumulates per image (GMACs). The vision figures are
     * torchvision's Weights metadata ("_ops", counted with one MAC per multiply-add over
     * convolutions, linear layers and matmuls, classifier and patch embedding included);
     * BERT-base's is 22.5 GFLOPs at sequence 128 (TinyBERT, Table 1), i.e. 11.25 GMACs.
     * Counters differ by what else they count (norms, bias adds, embeddings): 2%. */
    static const struct { const char *name; double gmacs; size_t layers; } pub[] = {
        {"resnet18", 1.814, 21}, {"resnet50", 4.089, 54}, {"mobilenet_v2", 0.301, 53},
        {"convnext_tiny", 4.456, 59}, {"vit_b_16", 17.564, 74}, {"swin_t", 4.491, 77},
        {"bert_base", 11.25, 97},
    };
    ck_assert_int_eq(sr_network_builtin_count(), sizeof pub / sizeof pub[0]);
    for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++) {
        sr_network *net;
        sr_err e;
        ck_assert_msg(sr_network_builtin(pub[i].name, &net, &e) == SR_OK, "%s", e.msg);
        double g = sr_network_macs(net) / 1e9;
        ck_assert_msg(fabs(g - pub[i].gmacs) <= 0.02 * pub[i].gmacs, "%s: %.3f GMACs, published %.3f",
                      pub[i].name, g, pub[i].gmacs);
        ck_assert_int_eq(sr_network_n_layers(net), pub[i].layers);
        ck_assert_str_eq(sr_network_name(net), pub[i].name);
        ck_assert(strlen(sr_network_description(net)) > 0);
        sr_network_free(net);
    }
}
END_TEST

START_TEST(test_builtin_table)
{
    /* the list of names and the embedded files agree both ways */
    size_t n = 0;
    for (const struct sr_embedded *x = sr_network_sources; x->name; x++, n++) {
        int found = 0;
        for (size_t i = 0; i < sr_network_builtin_count(); i++) {
            char file[128];
            snprintf(file, sizeof file, "%s.csv", sr_network_builtin_name(i));
            found |= strcmp(file, x->name) == 0;
        }
        ck_assert_msg(found, "%s is embedded but not listed", x->name);
    }
    ck_assert_int_eq(n, sr_network_builtin_count());
    ck_assert_ptr_null(sr_network_builtin_name(n));
    sr_network *net;
    sr_err e;
    ck_assert_int_eq(sr_network_builtin("resnet51", &net, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "resnet51"));
    ck_assert_ptr_nonnull(strstr(e.msg, "resnet50"));
    /* attention products are never prunable; the rest of ViT is */
    ck_assert_int_eq(sr_network_open("vit_b_16", &net, &e), SR_OK);
    for (size_t i = 0; i < sr_network_n_layers(net); i++) {
        const sr_layer *l = sr_network_layer(net, i);
        ck_assert_int_eq(l->prunable, l->kind != SR_LAYER_MATMUL);
    }
    const sr_layer *qk = sr_network_layer(net, (size_t)sr_network_find(net, "encoder.layers.encoder_layer_0.self_attention.qk"));
    ck_assert(qk->m == 197 && qk->k == 64 && qk->n == 197 && qk->groups == 12);
    sr_network_free(net);
}
END_TEST

static sr_code parse(const char *text, sr_network **net, sr_err *e)
{
    sr_err_clear(e);
    return sr_network_parse("t", "t.csv", text, strlen(text), net, e);
}

START_TEST(test_csv_good)
{
    /* comments, a description, columns in another order, quotes, CRLF, empty defaults */
    const char *text = "# Tiny test net\r\n# more\r\n\r\n"
                       "kind,name,m,k,n,prunable,groups,extra_bytes\r\n"
                       "conv,\"stem, first\",8,27,100,,,12.5\r\n"
                       "linear,fc,10,8,1,false,2,\r\n"
                       "matmul,qk,4,2,4,,3,\r\n";
    sr_network *net;
    sr_err e;
    ck_assert_msg(parse(text, &net, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(sr_network_description(net), "Tiny test net");
    ck_assert_int_eq(sr_network_n_layers(net), 3);
    const sr_layer *l = sr_network_layer(net, 0);
    ck_assert_str_eq(l->name, "stem, first");
    ck_assert(l->kind == SR_LAYER_CONV && l->m == 8 && l->k == 27 && l->n == 100 && l->groups == 1);
    ck_assert_int_eq(l->prunable, 1);
    EQ(l->extra_bytes, 12.5);
    l = sr_network_layer(net, 1);
    ck_assert(l->kind == SR_LAYER_LINEAR && l->groups == 2 && !l->prunable && l->extra_bytes == 0);
    l = sr_network_layer(net, 2);
    ck_assert(l->kind == SR_LAYER_MATMUL && !l->prunable && l->groups == 3);
    /* 8*27*100 + 10*8*2 + 4*2*4*3 = 21600 + 160 + 96 */
    EQ(sr_network_macs(net), 21856);
    ck_assert_int_eq(sr_network_find(net, "fc"), 1);
    ck_assert_int_eq(sr_network_find(net, "nope"), -1);
    sr_network_free(net);
    /* the minimal header of the issue */
    ck_assert_int_eq(parse("name,kind,m,k,n,groups,prunable\na,linear,1,2,3,,\n", &net, &e), SR_OK);
    sr_network_free(net);
    /* a UTF-8 byte-order mark, as spreadsheets write, is no part of the first column */
    ck_assert_msg(parse("\xEF\xBB\xBFname,kind,m,k,n\na,linear,1,2,3\n", &net, &e) == SR_OK,
                  "%s", e.msg);
    ck_assert_str_eq(sr_network_layer(net, 0)->name, "a");
    sr_network_free(net);
}
END_TEST

/* A network may have SR_NETWORK_MAX_LAYERS layers, not one more. */
START_TEST(test_csv_layer_limit)
{
    size_t cap = (size_t)(SR_NETWORK_MAX_LAYERS + 1) * 32 + 64, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text, cap, "name,kind,m,k,n\n");
    for (int i = 0; i < SR_NETWORK_MAX_LAYERS; i++)
        len += (size_t)snprintf(text + len, cap - len, "l%d,linear,1,1,1\n", i);
    sr_network *net;
    sr_err e;
    ck_assert_msg(sr_network_parse("t", "t.csv", text, len, &net, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(sr_network_n_layers(net), SR_NETWORK_MAX_LAYERS);
    sr_network_free(net);
    len += (size_t)snprintf(text + len, cap - len, "one-more,linear,1,1,1\n");
    ck_assert_int_eq(sr_network_parse("t", "t.csv", text, len, &net, &e), SR_ERR_FORMAT);
    ck_assert_msg(strstr(e.msg, "t.csv:100002:") && strstr(e.msg, "more than 100000 layers"), "%s",
                  e.msg);
    free(text);
}
END_TEST

START_TEST(test_csv_bad)
{
    static const struct { const char *text, *where, *why; } bad[] = {
        {"name,kind,m,k\na,conv,1,2\n", "t.csv:1:", "missing column 'n'"},
        {"name,kind,m,k,n,flavour\n", "t.csv:1:", "unknown column 'flavour'"},
        {"name,kind,m,k,n,m\n", "t.csv:1:", "'m' appears twice"},
        {"name,kind,m,k,n\na,conv,1,2,3\nb,conv,1,x2,3\n", "t.csv:3:", "k 'x2' is not a whole number"},
        {"name,kind,m,k,n\na,conv,1,2,-3\n", "t.csv:2:", "'-3' is not a whole number"},
        {"name,kind,m,k,n\na,conv,1,2.5,3\n", "t.csv:2:", "'2.5' is not a whole number"},
        {"# c\nname,kind,m,k,n\na,conv,0,2,3\n", "t.csv:3:", "m is 0"},
        {"name,kind,m,k,n\na,conv,1,2,\n", "t.csv:2:", "n is empty"},
        {"name,kind,m,k,n,groups\na,conv,1,2,3,0\n", "t.csv:2:", "groups is 0"},
        {"name,kind,m,k,n\na,conv,1,2,99999999999\n", "t.csv:2:", "must be 1 to"},
        {"name,kind,m,k,n\na,pool,1,2,3\n", "t.csv:2:", "unknown kind 'pool'"},
        {"name,kind,m,k,n\na,conv,1,2,3\nb,conv,1,2,3\n\na,linear,1,2,3\n", "t.csv:5:",
         "duplicate layer name 'a' (first on line 2)"},
        {"name,kind,m,k,n\na,conv,1,2\n", "t.csv:2:", "4 fields, the header has 5"},
        {"name,kind,m,k,n,prunable\na,conv,1,2,3,maybe\n", "t.csv:2:", "prunable 'maybe'"},
        {"name,kind,m,k,n,prunable\na,matmul,1,2,3,true\n", "t.csv:2:", "cannot be prunable"},
        {"name,kind,m,k,n,extra_bytes\na,conv,1,2,3,-1\n", "t.csv:2:", "extra_bytes '-1'"},
        {"name,kind,m,k,n\n,conv,1,2,3\n", "t.csv:2:", "empty layer name"},
        {"name,kind,m,k,n\n\"a,conv,1,2,3\n", "t.csv:2:", "unterminated quoted field"},
        {"# only a comment\n", "t.csv:", "no header line"},
        {"name,kind,m,k,n\n", "t.csv:", "no layers"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_network *net = (sr_network *)1;
        sr_err e;
        ck_assert_msg(parse(bad[i].text, &net, &e) == SR_ERR_FORMAT, "case %zu accepted", i);
        ck_assert_ptr_null(net);
        ck_assert_msg(strncmp(e.msg, bad[i].where, strlen(bad[i].where)) == 0,
                      "case %zu: '%s' does not start with %s", i, e.msg, bad[i].where);
        ck_assert_msg(strstr(e.msg, bad[i].why), "case %zu: '%s' does not say %s", i, e.msg,
                      bad[i].why);
    }
}
END_TEST

START_TEST(test_csv_file)
{
    char dir[] = "/tmp/sr_model_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/my-net.csv", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("name,kind,m,k,n\nfc1,linear,16,8,4\nfc2,linear,8,16,4\nfc2,linear,8,16,4\n", f);
    fclose(f);
    sr_network *net;
    sr_err e;
    /* the file name and line in the message */
    ck_assert_int_eq(sr_network_open(path, &net, &e), SR_ERR_FORMAT);
    char want[300];
    snprintf(want, sizeof want, "%s:4: duplicate layer name 'fc2'", path);
    ck_assert_msg(strstr(e.msg, want), "%s", e.msg);
    f = fopen(path, "w");
    fputs("name,kind,m,k,n\nfc1,linear,16,8,4\nfc2,linear,8,16,4\n", f);
    fclose(f);
    ck_assert_int_eq(sr_network_open(path, &net, &e), SR_OK);
    ck_assert_str_eq(sr_network_name(net), "my-net");
    ck_assert_int_eq(sr_network_n_layers(net), 2);
    sr_network_free(net);
    /* a file beyond the stated size is refused, not read into memory whole */
    f = fopen(path, "w");
    fputs("name,kind,m,k,n\n", f);
    for (long i = 0; ftell(f) <= (long)SR_NETWORK_MAX_BYTES; i++)
        fprintf(f, "# padding %ld: comment lines cost memory too\n", i);
    fclose(f);
    ck_assert_int_eq(sr_network_open(path, &net, &e), SR_ERR_FORMAT);
    ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, "larger than 32 MiB"), "%s", e.msg);
    unlink(path);
    ck_assert_int_eq(sr_network_open(path, &net, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, path));
    /* a directory is a usage error */
    ck_assert_int_eq(sr_network_open(dir, &net, &e), SR_ERR_ARG);
    ck_assert_msg(strstr(e.msg, dir) && strstr(e.msg, "is a directory"), "%s", e.msg);
    rmdir(dir);
}
END_TEST

/* ---- predictions ---------------------------------------------------------------------- */

START_TEST(test_predict_by_hand)
{
    /* three linear layers 8x8, n=4; 100 GB/s, 1000 GFLOP/s, fp32.
     * dense, each: 512 FLOPs (0.512 ns), 256 + 128 + 128 = 512 bytes (5.12 ns) -> 5.12 ns;
     *   b also moves 400 extra bytes at DRAM: + 4 ns -> 9.12 ns. Total 19.36 ns.
     * unstructured 0.75: only b is pruned (a and c are the first and last prunable):
     *   nnz = round(0.25*64) = 16, W = 16*8 + 9*4 = 164, bytes = 420 -> 4.2 ns + 4 ns
     *   = 8.2 ns; total 5.12 + 8.2 + 5.12 = 18.44 ns; speedup 19.36 / 18.44. */
    const char *text = "name,kind,m,k,n,groups,prunable,extra_bytes\n"
                       "a,linear,8,8,4,,,\nb,linear,8,8,4,,,400\nc,linear,8,8,4,,,\n";
    sr_network *net;
    sr_err e;
    ck_assert_int_eq(parse(text, &net, &e), SR_OK);
    sr_ceilings c = device(100, 1000);
    sr_predict_opts o = {.batch = 1, .dtype = SR_DTYPE_FP32};
    sr_pattern u = pat("unstructured");
    double s = 0.75;
    sr_prediction *p;
    ck_assert_int_eq(sr_predict(net, &c, &o, &u, 1, &s, 1, &p, &e), SR_OK);
    ck_assert_int_eq(p->n_results, 1);
    sr_network_prediction *r = &p->results[0];
    EQ(r->dense_time_s, 19.36e-9);
    EQ(r->time_s, 18.44e-9);
    EQ(r->speedup, 19.36 / 18.44);
    ck_assert_int_eq(r->n_pruned, 1);
    ck_assert(!r->layers[0].pruned && r->layers[1].pruned && !r->layers[2].pruned);
    EQ(r->layers[1].bytes, 420);
    EQ(r->layers[1].sparsity, 0.75);
    EQ(r->layers[1].dense_time_s, 9.12e-9);
    ck_assert_str_eq(r->layers[1].bound, "DRAM");
    sr_prediction_free(p);
    /* --prune-all: a and c too, each 4.2 ns: 4.2 + 8.2 + 4.2 = 16.6 ns */
    o.prune_all = 1;
    ck_assert_int_eq(sr_predict(net, &c, &o, &u, 1, &s, 1, &p, &e), SR_OK);
    ck_assert_int_eq(p->results[0].n_pruned, 3);
    EQ(p->results[0].time_s, 16.6e-9);
    sr_prediction_free(p);
    sr_network_free(net);
}
END_TEST

START_TEST(test_predict_patterns)
{
    sr_network *net;
    sr_err e;
    ck_assert_int_eq(sr_network_builtin("resnet18", &net, &e), SR_OK);
    sr_ceilings c = device(50, 2000);
    sr_predict_opts o = {.batch = 2, .dtype = SR_DTYPE_FP16};
    sr_pattern ps[] = {pat("dense"), pat("2:4"), pat("unstructured"), pat("block:4x4")};
    double sp[] = {0.5, 0.9};
    sr_prediction *p;
    ck_assert_int_eq(sr_predict(net, &c, &o, ps, 4, sp, 2, &p, &e), SR_OK);
    /* dense and 2:4 fix their sparsity: 1 + 1 + 2 + 2 results */
    ck_assert_int_eq(p->n_results, 6);
    ck_assert_str_eq(p->results[0].pattern_name, "dense");
    EQ(p->results[0].speedup, 1.0);
    ck_assert_int_eq(p->results[0].n_pruned, 0);
    ck_assert_str_eq(p->results[1].pattern_name, "2:4");
    EQ(p->results[1].sparsity, 0.5);
    ck_assert_str_eq(p->results[3].pattern_name, "unstructured");
    EQ(p->results[3].sparsity, 0.9);
    size_t n = sr_network_n_layers(net);
    for (size_t r = 1; r < p->n_results; r++) {
        sr_network_prediction *res = &p->results[r];
        /* first (conv1) and last (fc) stay dense; every other layer of ResNet is pruned */
        ck_assert(!res->layers[0].pruned && !res->layers[n - 1].pruned);
        ck_assert_int_eq(res->n_pruned, n - 2);
        ck_assert(res->speedup > 1.0);
        double sum = 0, dense = 0;
        for (size_t i = 0; i < n; i++) {
            sum += res->layers[i].time_s;
            dense += res->layers[i].dense_time_s;
        }
        EQ(res->time_s, sum);
        EQ(res->dense_time_s, dense);
        EQ(res->dense_time_s, p->results[0].time_s);
    }
    /* more sparsity, more speed */
    ck_assert(p->results[3].speedup > p->results[2].speedup);
    ck_assert_str_eq(p->device, "test");
    ck_assert_str_eq(p->network, "resnet18");
    ck_assert_int_eq(p->results[2].layers[1].n, 2 * 3136);
    sr_prediction_free(p);

    /* refusals: no sparsity for unstructured, a sparsity out of range, a bad device */
    ck_assert_int_eq(sr_predict(net, &c, &o, &ps[2], 1, NULL, 0, &p, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "unstructured"));
    double bad = 1.2;
    ck_assert_int_eq(sr_predict(net, &c, &o, &ps[2], 1, &bad, 1, &p, &e), SR_ERR_ARG);
    o.batch = 0;
    ck_assert_int_eq(sr_predict(net, &c, &o, ps, 1, NULL, 0, &p, &e), SR_ERR_ARG);
    o.batch = 1;
    c.levels[0].gbps = -1;
    ck_assert_int_eq(sr_predict(net, &c, &o, ps, 1, NULL, 0, &p, &e), SR_ERR_ARG);
    ck_assert_ptr_null(p);
    c = device(50, 2000);
    c.compute[1].supported = 0; /* no fp16 */
    ck_assert_int_eq(sr_predict(net, &c, &o, ps, 1, NULL, 0, &p, &e), SR_ERR_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(e.msg, "fp16"));
    ck_assert_int_eq(sr_predict_layer_pruned(net, 0, 0), 0);
    ck_assert_int_eq(sr_predict_layer_pruned(net, 0, 1), 1);
    ck_assert_int_eq(sr_predict_layer_pruned(net, 1, 0), 1);
    sr_network_free(net);
}
END_TEST

/* ---- ceilings ------------------------------------------------------------------------- */

START_TEST(test_ceilings)
{
    sr_dtype d;
    ck_assert(sr_dtype_parse("fp16", &d) && d == SR_DTYPE_FP16);
    ck_assert(sr_dtype_parse("FP32", &d) && d == SR_DTYPE_FP32);
    ck_assert(!sr_dtype_parse("int8", &d));
    ck_assert_str_eq(sr_dtype_name(SR_DTYPE_FP64), "fp64");
    ck_assert_int_eq(sr_dtype_bytes(SR_DTYPE_FP16), 2);
    ck_assert_int_eq(sr_dtype_bytes(SR_DTYPE_FP32), 4);
    ck_assert_int_eq(sr_dtype_bytes(SR_DTYPE_FP64), 8);

    sr_ceilings c;
    sr_err e;
    ck_assert_int_eq(sr_ceilings_simple(&c, "v", 0, 10, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_ceilings_simple(&c, "v", INFINITY, 10, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_ceilings_simple(&c, "v", 10, NAN, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "compute ceiling"));
    c = device(10, 10);
    c.levels[0].ws_max_bytes = 1 << 20; /* DRAM must be open-ended */
    ck_assert_int_eq(sr_ceilings_validate(&c, &e), SR_ERR_ARG);
    c = device(10, 10);
    c.launch_overhead_s = -1;
    ck_assert_int_eq(sr_ceilings_validate(&c, &e), SR_ERR_ARG);

    c = device(10, 10);
    static const char *bad[] = {"2:4", "=5", "2:4=", "2:4=abc", "2:4=-1", "2:4=inf", "4:4=10",
                                "sparse=10", NULL};
    for (int i = 0; bad[i]; i++)
        ck_assert_msg(sr_ceilings_pattern_arg(&c, bad[i], SR_PATTERN_GFLOPS, &e) == SR_ERR_ARG,
                      "'%s' accepted", bad[i]);
    ck_assert_int_eq(sr_ceilings_pattern_arg(&c, "2:4=65", SR_PATTERN_METADATA_BITS, &e), SR_ERR_ARG);
    ck_assert_int_eq(c.n_patterns, 0);
    ck_assert_int_eq(sr_ceilings_pattern_arg(&c, "block:4X4=0", SR_PATTERN_METADATA_BITS, &e), SR_OK);
    ck_assert_int_eq(sr_ceilings_pattern_arg(&c, "csr=20", SR_PATTERN_GFLOPS, &e), SR_OK);
    ck_assert_ptr_nonnull(sr_ceilings_pattern(&c, "block:4x4"));
    const sr_pattern_ceiling *u = sr_ceilings_pattern(&c, "unstructured");
    ck_assert_ptr_nonnull(u);
    EQ(u->gflops, 20);
    ck_assert(u->metadata_bits < 0);
    ck_assert_int_eq(sr_ceilings_validate(&c, &e), SR_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("formulas");
    tcase_add_test(tc, test_dense);
    tcase_add_test(tc, test_unstructured);
    tcase_add_test(tc, test_block_padding);
    tcase_add_test(tc, test_block_x_rows_read);
    tcase_add_test(tc, test_nm);
    tcase_add_test(tc, test_cost_refusals);
    tcase_add_test(tc, test_roofline_time);
    tcase_add_test(tc, test_pattern_ceiling);
    tcase_add_test(tc, test_memory_to_compute);
    tcase_add_test(tc, test_batch_scaling);
    suite_add_tcase(s, tc);
    tc = tcase_create("networks");
    tcase_add_test(tc, test_builtin_published);
    tcase_add_test(tc, test_builtin_table);
    tcase_add_test(tc, test_csv_good);
    tcase_add_test(tc, test_csv_bad);
    tcase_add_test(tc, test_csv_file);
    tcase_add_test(tc, test_csv_layer_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("predict");
    tcase_add_test(tc, test_predict_by_hand);
    tcase_add_test(tc, test_predict_patterns);
    tcase_add_test(tc, test_ceilings);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
