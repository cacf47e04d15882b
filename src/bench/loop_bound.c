/* The loop bound of each SpMM kernel (see loop_bound.h), following the loops of
 * the kernels/ sources: change one with the other. The largest work-item counts: for CSR the
 * group of rows with the most nonzeros, for BSR the block row with the most blocks. */
#include "bench/loop_bound.h"

#define L(trip) ((double)(trip) + 1.0) /* one entry of a loop of `trip` iterations */

typedef struct {
    double rt, nv, vw, tiles;
} shape;

/* sr_common.cl's helpers */
static double tile_zero(const shape *s, double rows) { return L(rows) + rows * L(s->nv); }
static double tile_get_put(const shape *s) { return 2 * (L(s->rt) + s->rt * L(s->nv)); }
static double rank1(const shape *s)
{
    return s->rt == 1 ? L(s->nv) : L(s->nv) + L(s->rt) + s->rt * L(s->nv);
}
static double row_store(const shape *s) { return L(s->nv) + s->nv * L(s->vw); } /* STORE_ROW, LOAD_ROW */
static double tile_store(const shape *s, double rows) { return L(rows) + rows * row_store(s); }

static double dense(const shape *s, int k, int kc)
{
    const int kb = kc > 0 && kc < k ? kc : k;
    const double blocks = kb > 0 ? (k + kb - 1) / kb : 0;
    return tile_zero(s, s->rt * s->tiles) + L(blocks) +
           blocks * (L(s->tiles) + s->tiles * (L(s->rt) + tile_get_put(s))) +
           s->tiles * (k + blocks) + s->tiles * k * (L(s->rt) + rank1(s)) + tile_store(s, s->rt * s->tiles);
}

static double csr(const sr_sparse *w, const shape *s, int kc)
{
    const int rows = (int)s->rt, blocks = kc > 0 && kc < w->k ? (w->k + kc - 1) / kc : 1;
    const double us = s->nv >= 8 ? 1 : s->nv >= 4 ? 2 : 4;
    /* a segment: zeroing, loop exits, the reduction, Y read back and stored; a nonzero:
     * at most a share of the unrolled loop's step or a step of the tail loop */
    const double per_seg = L(us) + us * L(s->nv) + 2 + L(s->nv) + s->nv * L(us - 1) + 2 * row_store(s) + L(s->nv);
    const double per_nnz = 1 + L(s->nv) + L(us) / us;
    double most = 0;
    for (int g = 0; g < w->m; g += rows) {
        const int end = g + rows < w->m ? g + rows : w->m;
        const double nnz = (double)(w->rowptr[end] - w->rowptr[g]);
        const double v = L(blocks) + blocks * (L(end - g) + (end - g) * per_seg) + nnz * per_nnz;
        most = v > most ? v : most;
    }
    return most;
}

static double bsr(const sr_sparse *w, const shape *s, int kc)
{
    const sr_pattern *p = &w->pattern;
    const int run = kc >= p->bc ? kc / p->bc : 0;
    int most = 0;
    for (int b = 0; b < w->mp / p->br; b++)
        most = w->rowptr[b + 1] - w->rowptr[b] > most ? w->rowptr[b + 1] - w->rowptr[b] : most;
    const double nb = most, bc = p->bc;
    const double block = L(bc) + bc * (L(s->nv) + L(s->rt) + rank1(s)); /* BLOCK_UPDATE */
    if (run == 0)
        return L(s->tiles) +
               s->tiles * (L(s->rt) + s->rt * L(s->nv) + L(nb) + nb * block + L(s->rt) + s->rt * row_store(s));
    const double runs = (double)((most + run - 1) / run);
    return tile_zero(s, s->rt * s->tiles) + L(runs) + runs * (L(s->tiles) + s->tiles * tile_get_put(s)) +
           s->tiles * (nb + runs) + s->tiles * nb * block + tile_store(s, s->rt * s->tiles);
}

static double nm(const sr_sparse *w, const shape *s, int kc)
{
    const sr_pattern *p = &w->pattern;
    const int kg = kc >= p->m && kc / p->m < w->groups ? kc / p->m : w->groups;
    const double g = w->groups, blocks = kg > 0 ? (w->groups + kg - 1) / kg : 0;
    const double group = L(p->n) + p->n * (L(s->rt) + s->rt * L(s->nv));
    return tile_zero(s, s->rt * s->tiles) + L(blocks) +
           blocks * (L(s->tiles) + s->tiles * (L(s->rt) + tile_get_put(s))) + s->tiles * (g + blocks) +
           s->tiles * g * group + tile_store(s, s->rt * s->tiles);
}

double sr_spmm_loop_bound(const sr_sparse *w, const sr_kernel_params *kp)
{
    const shape s = {kp->rows, kp->nv, kp->vw, kp->tiles};
    switch (w->pattern.kind) {
    case SR_PAT_DENSE:
        return dense(&s, w->k, kp->kc);
    case SR_PAT_UNSTRUCTURED:
        return csr(w, &s, kp->kc);
    case SR_PAT_BLOCK:
        return bsr(w, &s, kp->kc);
    case SR_PAT_NM:
        return nm(w, &s, kp->kc);
    }
    return 0;
}
