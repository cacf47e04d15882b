/* Bandwidth microbenchmarks for `sparseroof peaks`: a read kernel (a sum, written out so
 * that the reads cannot be optimised away) and a STREAM triad a = b + s*c, each sweeping
 * `passes` times over its working set so that a launch lasts long enough to time even
 * when the set fits in L1. Build options:
 *   VW      vector width of the float vectors read (1, 2, 4, 8, 16; default 16)
 *   NACC    independent accumulators of the read kernel (1, 2, 4, 8; default 4), so that
 *           the adds do not wait on each other's latency
 *   CONTIG  1: each work-item owns a contiguous chunk, which each accumulator of the read
 *           kernel walks as a stream of its own (CPUs: one work-item per core, so that a
 *           core's working set is its chunk, and several streams keep its prefetchers
 *           busy); 0: work-items interleave, neighbours reading neighbouring vectors
 *           (GPUs: coalesced)
 * Each work-item handles `per` vectors (a multiple of NACC). */
/* CAT comes from sr_common.cl, which the runtime puts before every kernel source */
#ifndef VW
#define VW 16
#endif
#ifndef NACC
#define NACC 4
#endif
#ifndef CONTIG
#define CONTIG 1
#endif

#if VW == 1
#define BWV float
#else
#define BWV CAT(float, VW)
#endif

/* Vector k of this work-item's `per` (BW_IDX), and vector k of its stream i of NACC, each
 * `sub` = per / NACC long (BW_SIDX). */
#if CONTIG
#define BW_IDX(k) (gid * per + (k))
#define BW_SIDX(i, k) (gid * per + (i) * sub + (k))
#else
#define BW_IDX(k) ((k) * gsz + gid)
#define BW_SIDX(i, k) BW_IDX((k) * NACC + (i))
#endif

#define BW_REP1(X) X(0)
#define BW_REP2(X) BW_REP1(X) X(1)
#define BW_REP4(X) BW_REP2(X) X(2) X(3)
#define BW_REP8(X) BW_REP4(X) X(4) X(5) X(6) X(7)
#define BW_REP CAT(BW_REP, NACC)

#define BW_DECL(i) BWV acc##i = (BWV)(0.0f);
#define BW_LOAD(i) acc##i += a[BW_SIDX(i, k)];
#define BW_SUM(i) acc0 = (i) ? acc0 + acc##i : acc0;

__kernel void peak_read(__global const BWV *a, uint per, uint passes, __global BWV *out)
{
    const uint gid = get_global_id(0), gsz = get_global_size(0), sub = per / NACC;
    (void)gsz;
    (void)sub;
    BW_REP(BW_DECL)
    for (uint p = 0; p < passes; p++)
        for (uint k = 0; k < sub; k++) {
            BW_REP(BW_LOAD)
        }
    BW_REP(BW_SUM)
    out[gid] = acc0;
}

__kernel void peak_triad(__global BWV *a, __global const BWV *b, __global const BWV *c, float s,
                         uint per, uint passes)
{
    const uint gid = get_global_id(0), gsz = get_global_size(0);
    (void)gsz;
    for (uint p = 0; p < passes; p++)
        for (uint k = 0; k < per; k++)
            a[BW_IDX(k)] = b[BW_IDX(k)] + s * c[BW_IDX(k)];
}

/* Writes v into every vector (one per work-item), so that the measured pages exist and
 * hold ordinary numbers before any timing. */
__kernel void peak_fill(__global BWV *a, float v)
{
    a[get_global_id(0)] = (BWV)(v);
}
