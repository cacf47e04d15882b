/* Compute microbenchmark for `sparseroof peaks`: NCH independent chains of fma() on
 * vectors of VW elements per work-item, `iters` steps each, so that neither the latency
 * of one FMA nor the issue width of a vector unit limits the count. x <- x*b + c with
 * b < 1 converges to c/(1-b), so values stay near 1 (no overflow, no denormals). The sum
 * of the chains is written out so that none of it is dead code. Build options:
 *   VW    vector width (1, 2, 4, 8, 16; default 16)
 *   NCH   independent chains (1, 2, 4, 8, 16, 32; default 16)
 *   SR_FP64 / SR_FP16  double or half instead of float (needs cl_khr_fp64 / cl_khr_fp16)
 * FLOPs of a launch: global size * iters * NCH * VW * 2. */
/* CAT comes from sr_common.cl, which the runtime puts before every kernel source */
#ifndef VW
#define VW 16
#endif
#ifndef NCH
#define NCH 16
#endif

#if defined(SR_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define FT double
#elif defined(SR_FP16)
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#define FT half
#else
#define FT float
#endif

#if VW == 1
#define FV FT
#else
#define FV CAT(FT, VW)
#endif

#define FMA_REP1(X) X(0)
#define FMA_REP2(X) FMA_REP1(X) X(1)
#define FMA_REP4(X) FMA_REP2(X) X(2) X(3)
#define FMA_REP8(X) FMA_REP4(X) X(4) X(5) X(6) X(7)
#define FMA_REP16(X) FMA_REP8(X) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define FMA_REP32(X) FMA_REP16(X) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) \
    X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)
#define FMA_REP CAT(FMA_REP, NCH)

#define FMA_DECL(i) FV x##i = (FV)((FT)(seed + 1e-3f * (float)(i)));
#define FMA_STEP(i) x##i = fma(x##i, b, c);
#define FMA_SUM(i) x0 = (i) ? x0 + x##i : x0;

__kernel void peak_fma(__global FV *out, uint iters, float seed_base)
{
    const uint gid = get_global_id(0);
    const float seed = seed_base + 1e-6f * (float)(gid & 1023u);
    const FV b = (FV)((FT)0.999f), c = (FV)((FT)0.001f);
    FMA_REP(FMA_DECL)
    for (uint it = 0; it < iters; it++) {
        FMA_REP(FMA_STEP)
    }
    FMA_REP(FMA_SUM)
    out[gid] = x0;
}
