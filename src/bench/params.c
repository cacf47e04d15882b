/* Default kernel parameters, and their text form. */
#include "bench/params.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long round_up_long(long v, long step) { return (v + step - 1) / step * step; }

/* The CPU defaults serve every device type but "GPU" (PoCL's "CPU", and unknown ones). */
static int on_cpu(const char *device_type) { return device_type && strcmp(device_type, "GPU") != 0; }

void sr_kernel_params_default(const sr_pattern *p, const char *device_type, sr_kernel_params *out)
{
    if (on_cpu(device_type)) {
        /* CPU (PoCL): wide vectors and coarse work-items. Dense: a 6 x 64 tile in 24
         * float16 accumulators over all of K (X streams from L2 in order; 10 loads per 24
         * FMAs). BSR: 16 accumulators of up to 8 rows (8 x 32 for blocks 8 high or more),
         * a height that divides the block's, two such tiles per item (a 16-row block row
         * whole: the second tile finds the row's X slices in L1). CSR: a row at a time,
         * 32 rows per item run over K blocks of 256 (a 64 KiB slice of a 64-wide panel:
         * mostly L1 hits, 25 nonzeros per row and block at 90% sparsity), two
         * accumulator sets. N:M: its X loads must hit L1, so 2 x 128 tiles, 16 of them
         * per item, over K blocks of 64 (a 32 KiB slice of X). */
        *out = (sr_kernel_params){.vw = 16, .nv = 4, .rows = 6, .wg = 8, .tiles = 1, .kc = 0, .pad = 1};
        if (p->kind == SR_PAT_BLOCK) {
            /* blocks under 4 high: a 64-wide panel (wider ones ran at half speed here) */
            const int rows = p->br < 8 ? p->br : 8, nv = rows < 4 ? 4 : 16 / rows;
            *out = (sr_kernel_params){.vw = 16, .nv = nv, .rows = rows, .wg = 8, .tiles = 2, .kc = 0, .pad = 1};
        } else if (p->kind == SR_PAT_UNSTRUCTURED) {
            *out = (sr_kernel_params){.vw = 16, .nv = 4, .rows = 2, .wg = 2, .tiles = 16, .kc = 256, .pad = 1};
        } else if (p->kind == SR_PAT_NM) {
            *out = (sr_kernel_params){.vw = 16, .nv = 8, .rows = 2, .wg = 1, .tiles = 16, .kc = 64, .pad = 1};
        }
    } else {
        *out = (sr_kernel_params){.vw = 4, .nv = 1, .rows = 2, .wg = 64, .tiles = 1, .kc = 0, .pad = 1};
        if (p->kind == SR_PAT_UNSTRUCTURED)
            out->rows = 1;
        /* block heights are powers of two: a smaller power of two divides them */
        if (p->kind == SR_PAT_BLOCK && out->rows > p->br)
            out->rows = p->br;
    }
}

/* Dense on a CPU with vectors along M: 32 rows by ct columns (ct=0: those that pad N
 * least, 7 at N = 49, 14 at 196), 7 tiles per item over K blocks of 128 (16 KiB of W in L1
 * for all of them). */
static int along_m(const sr_pattern *p, const char *device_type, int n, sr_kernel_params *out)
{
    if (!on_cpu(device_type) || p->kind != SR_PAT_DENSE || n <= 1)
        return 0;
    *out = (sr_kernel_params){.vw = 16, .nv = 2, .rows = 6, .wg = 1, .tiles = 7, .kc = 128, .mv = 1, .ct = 0};
    return 1;
}

/* Whether the 64-column panels of dense's default pad N by 15% or more. There, on this
 * Xeon (2048x512, 512x2048, 256x2304, 128x1152; side by side), vectors along M ran 1.2x
 * to 2.6x faster below 64 columns and 0.98x to 1.38x at 100 and 196; at 300 and 784,
 * padded 6%, 0.47x to 0.94x. */
static int pads_much(int n)
{
    const int panel = SR_ALONG_M_PANEL, padded = (n + panel - 1) / panel * panel;
    return n > 1 && (padded - n) * 100 >= SR_ALONG_M_PAD_PCT * padded;
}

int sr_kernel_params_fit_nv(const sr_kernel_params *kp, const sr_pattern *p, int n, int lo, int hi)
{
    const int ld = sr_kernel_params_row_floats(kp, p, n);
    int best = kp->nv;
    long best_cols = round_up_long(ld, (long)kp->vw * best);
    for (int nv = hi; nv >= lo; nv--) { /* of equal covers, the widest (fewest panels) */
        const long cols = round_up_long(ld, (long)kp->vw * nv);
        if (cols < best_cols)
            best = nv, best_cols = cols;
    }
    return best;
}

/* The sparse kernels' panel fitted to the padded row, on a CPU (measured side by side on
 * this Xeon, ResNet-50's shapes; the dense kernel fits N its own way, along M).
 * - N:M: the panel width (vw * nv, nv from 4 to 13: 2 x 13 accumulators fit the 32
 *   registers) that covers the row with the fewest columns. 196 (208 padded: 13 x 16) ran
 *   in one panel of 13 vectors instead of two of 8 (1.12x to 1.17x), 784 in 7 of 7
 *   instead of 7 of 8 (1.10x, 1.17x). The K block shrinks with a wider panel so that its
 *   slice of X stays in L1 (40 KiB at most).
 * - BSR: nv from half the default's to the default's, the fewest columns. At 196 four
 *   64-wide panels compute 256 columns, seven 32-wide ones 224: 4x4 ran 1.2x to 1.3x
 *   faster, 16x16 with nv=1 (13 of 16) 1.1x; at 784 (52 vectors or 49) 4x4 1.0x to
 *   1.3x, 16x16 1.0x to 1.2x; 8x8 and 2x2 1.05x to 1.45x at both.
 * - CSR: the whole row in one panel up to 8 vectors (BERT's 128 columns: 1.07x to 1.4x
 *   faster than two panels of 4, at 768x768, 3072x768 and 768x3072); past that, nv from
 *   2 to 4, only where the default's panels pad the row by more than an eighth: at 196
 *   14 vectors instead of 16 ran 1.1x to 1.6x faster; at 784 (50 instead of 52) 1.0x to
 *   0.88x, so there it keeps 4. 8 vectors at 196 to 3136 ran 1.1x to 1.9x slower. */
static void fit_panel(const sr_pattern *p, const char *device_type, int n, sr_kernel_params *kp)
{
    if (!on_cpu(device_type) || p->kind == SR_PAT_DENSE)
        return;
    const long ld = sr_kernel_params_row_floats(kp, p, n);
    if (p->kind == SR_PAT_NM) {
        if (ld <= 4 * kp->vw)
            return;
        kp->nv = sr_kernel_params_fit_nv(kp, p, n, 4, 13);
        const long slice_max = 40 * 1024, row_bytes = (long)kp->vw * kp->nv * (long)sizeof(float);
        if (kp->kc > 0 && kp->kc * row_bytes > slice_max)
            kp->kc = (int)(slice_max / row_bytes / 16 * 16);
    } else if (p->kind == SR_PAT_BLOCK) {
        kp->nv = sr_kernel_params_fit_nv(kp, p, n, kp->nv > 1 ? kp->nv / 2 : 1, kp->nv);
    } else {
        const int row_vectors = (int)((ld + kp->vw - 1) / kp->vw);
        if (row_vectors <= 8) { /* one panel, the whole row: each nonzero's value and index */
            kp->nv = row_vectors; /* serve all of it, and X is read in place */
            return;
        }
        const int nv = sr_kernel_params_fit_nv(kp, p, n, 2, kp->nv);
        const long cols = round_up_long(ld, (long)kp->vw * kp->nv);
        if ((cols - ld) * 8 > cols)
            kp->nv = nv;
    }
}

/* Dense along N on a CPU up to SR_DENSE_IN_PLACE_ROWS rows of whole vectors, where it reads
 * X in place (sr_kernel_params_x_in_place; the rule here does not take K, so it also
 * holds where that packs crowded strides: N a multiple of 256 with a long K, as
 * 96x768x2048 below): 8 rows x 3 vectors (24 accumulators, as
 * 6 x 4) load a quarter less of X per FMA, and X, not W, is the costly stream there. Side
 * by side on this Xeon: ResNet-50's such shapes (64 to 256 rows, N = 784 to 12544) 1.03x
 * to 1.13x faster, 256 x 64 x 3136 0.98x; unseen 192x384x1568, 256x1152x784 and
 * 128x2304x3136 1.06x, 96x768x2048 0.97x. Where 48-column panels pad N more (N = 128,
 * 256, 1024: 12% and 3%), and at 1024 rows or more (X packed), 6 x 4 stays (8 x 3 ran
 * 0.85x to 0.97x). */
static void dense_in_place_tile(const sr_pattern *p, const char *device_type, int m, int n, sr_kernel_params *kp)
{
    if (!on_cpu(device_type) || p->kind != SR_PAT_DENSE || kp->mv || m > SR_DENSE_IN_PLACE_ROWS || n % kp->vw != 0)
        return;
    const long p48 = round_up_long(n, 48), p64 = round_up_long(n, 64);
    if (p48 * 50 <= p64 * 51) /* no more than 2% more columns */
        kp->rows = 8, kp->nv = 3;
}

void sr_kernel_params_default_for(const sr_pattern *p, const char *device_type, int m, int n,
                                  sr_kernel_params *out)
{
    if (!(pads_much(n) && along_m(p, device_type, n, out))) {
        sr_kernel_params_default(p, device_type, out);
        fit_panel(p, device_type, n, out);
        dense_in_place_tile(p, device_type, m, n, out);
    }
}

int sr_kernel_params_alternative(const sr_pattern *p, const char *device_type, int n, sr_kernel_params *out)
{
    if (!along_m(p, device_type, n, out))
        return 0;
    if (pads_much(n)) /* the default runs along M: the other start is along N */
        sr_kernel_params_default(p, device_type, out);
    return 1;
}

/* The keys of the text form, with their field and largest value. */
static const struct {
    const char *key;
    size_t offset;
    long max;
} keys[] = {
    {"vw", offsetof(sr_kernel_params, vw), 1024},       {"nv", offsetof(sr_kernel_params, nv), 1024},
    {"rows", offsetof(sr_kernel_params, rows), 1024},   {"wg", offsetof(sr_kernel_params, wg), 1024},
    {"tiles", offsetof(sr_kernel_params, tiles), 1024}, {"kc", offsetof(sr_kernel_params, kc), 1 << 20},
    {"x", offsetof(sr_kernel_params, x), SR_X_IN_PLACE},  {"mv", offsetof(sr_kernel_params, mv), 1},
    {"ct", offsetof(sr_kernel_params, ct), 16},         {"pad", offsetof(sr_kernel_params, pad), 1},
};
#define NKEYS (sizeof keys / sizeof *keys)

sr_code sr_kernel_params_parse(const char *text, sr_kernel_params *out, sr_err *err)
{
    sr_kernel_params kp = *out;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end = NULL;
        if (!eq)
            return sr_err_set(err, SR_ERR_ARG, "kernel parameters '%s': '%s' is not key=value", text, tok);
        *eq = '\0';
        size_t i = 0;
        while (i < NKEYS && strcmp(tok, keys[i].key) != 0)
            i++;
        if (i == NKEYS)
            return sr_err_set(err, SR_ERR_ARG,
                              "kernel parameters '%s': unknown key '%s' (vw, nv, rows, wg, tiles, kc, x, mv, ct, pad)",
                              text, tok);
        long v = strtol(eq + 1, &end, 10);
        if (!*(eq + 1) || *end || v < 0 || v > keys[i].max)
            return sr_err_set(err, SR_ERR_ARG, "kernel parameters '%s': bad value for %s", text, tok);
        *(int *)((char *)&kp + keys[i].offset) = (int)v;
    }
    *out = kp;
    return SR_OK;
}

void sr_kernel_params_format(const sr_kernel_params *kp, char *buf, size_t size)
{
    const int used = snprintf(buf, size, "vw=%d,nv=%d,rows=%d,wg=%d,tiles=%d,kc=%d", kp->vw, kp->nv, kp->rows,
                              kp->wg, kp->tiles, kp->kc);
    int more = used;
    if (kp->x != SR_X_AUTO && more > 0 && (size_t)more < size)
        more += snprintf(buf + more, size - (size_t)more, ",x=%d", kp->x);
    if (kp->mv && more > 0 && (size_t)more < size)
        more += snprintf(buf + more, size - (size_t)more, ",mv=1,ct=%d", kp->ct);
    if (kp->pad && more > 0 && (size_t)more < size)
        snprintf(buf + more, size - (size_t)more, ",pad=1");
}

sr_code sr_kernel_params_check(const sr_kernel_params *kp, const sr_pattern *p, sr_err *err)
{
    if (kp->vw != 2 && kp->vw != 4 && kp->vw != 8 && kp->vw != 16)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter vw=%d: must be 2, 4, 8 or 16", kp->vw);
    if (kp->nv < 1 || kp->nv > 16)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter nv=%d: must be 1 to 16", kp->nv);
    if (kp->rows < 1 || kp->rows > 32)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter rows=%d: must be 1 to 32", kp->rows);
    if (p->kind == SR_PAT_BLOCK && p->br % kp->rows != 0)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter rows=%d must divide the block height %d",
                          kp->rows, p->br);
    if (kp->wg > 1024)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter wg=%d: at most 1024", kp->wg);
    if (kp->tiles < 1 || kp->tiles > 64)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter tiles=%d: must be 1 to 64", kp->tiles);
    /* dense, BSR and N:M keep a work-item's partial sums in private memory (the stack of a
     * CPU driver's thread: PoCL's overflows near 1 MiB) */
    const long tile_bytes = (long)kp->rows * kp->tiles * kp->vw * kp->nv * (long)sizeof(float);
    if (p->kind != SR_PAT_UNSTRUCTURED && tile_bytes > SR_MAX_TILE_BYTES)
        return sr_err_set(err, SR_ERR_ARG,
                          "kernel parameters rows=%d, tiles=%d, vw=%d, nv=%d: a work-item's partial sums "
                          "(%ld KiB) exceed %d KiB of private memory",
                          kp->rows, kp->tiles, kp->vw, kp->nv, tile_bytes / 1024, SR_MAX_TILE_BYTES / 1024);
    if (kp->kc < 0)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter kc=%d: must be 0 (all of K) or positive", kp->kc);
    if (kp->mv && p->kind != SR_PAT_DENSE)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter mv=1 (vectors along M): dense only");
    if (kp->mv && kp->ct > 16)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter ct=%d: must be 0 (chosen by N) to 16", kp->ct);
    return SR_OK;
}

/* ct=0 with mv=1: the columns per tile, from 4 up to what keeps the nv*ct accumulators
 * within 28 vector registers (of AVX-512's 32: the rest hold W and a broadcast), that pad
 * N the least (the widest of equals): with nv=2, N = 49 takes 7, 196 takes 14, 64 takes
 * 8. (196 in tiles of 14 ran 1.05x to 1.15x faster than in tiles of 7 on ResNet-50's
 * five such shapes, side by side: fewer broadcasts of X per FMA.) */
static int auto_columns(int n, int nv)
{
    int hi = 28 / (nv > 0 ? nv : 1), best = 4;
    if (hi > 14)
        hi = 14;
    for (int ct = 4; ct <= hi; ct++)
        if ((n + ct - 1) / ct * ct <= (n + best - 1) / best * best)
            best = ct;
    return best;
}

void sr_kernel_params_effective(const sr_kernel_params *kp, const sr_pattern *p, int n, sr_kernel_params *out)
{
    *out = *kp;
    if (p->kind == SR_PAT_DENSE && n == 1) /* gemv_dense.cl, whatever the layout asked */
        out->mv = 0, out->ct = 0;
    if (out->mv) { /* vectors along M: N sets only the columns of a tile */
        if (out->ct == 0)
            out->ct = auto_columns(n, kp->nv);
        if (out->ct > n)
            out->ct = n > 0 ? n : 1;
        out->rows = 1, out->x = SR_X_AUTO, out->pad = 0; /* unused there: candidates differing in them are one */
        return;
    }
    /* a vector no wider than N needs, down to 4: at N = 1 a float16 computed one useful
     * lane in 16 (tune chose vw=4 for every pattern there, 1.4x to 2.4x) */
    while (out->vw > 4 && out->vw / 2 >= n)
        out->vw /= 2;
    const int nv_max = (n + out->vw - 1) / out->vw;
    if (out->nv > nv_max)
        out->nv = nv_max > 0 ? nv_max : 1;
    if (p->kind == SR_PAT_UNSTRUCTURED) { /* CSR runs its rows one at a time over each K block */
        out->rows = kp->rows * kp->tiles;
        out->tiles = 1;
    }
    if (p->kind == SR_PAT_BLOCK && kp->rows > 0) {
        const int per_block = p->br / kp->rows;
        if (out->tiles > per_block)
            out->tiles = per_block;
        while (out->tiles > 1 && per_block % out->tiles != 0)
            out->tiles--;
    }
}

/* The bytes of a 1 MiB, 16-way L2 (64 KiB a way: the x86 CPUs measured here; elsewhere a
 * heuristic) that a panel of X read in place can occupy: rows n floats apart fall on
 * way_starts(n) positions of a way, each covering the lines of TN floats. */
#define L2_WAY (64 * 1024L)
#define L2_LINE 64L

static long way_starts(int n)
{
    long a = (long)n * (long)sizeof(float) % L2_WAY, g = L2_WAY;
    while (a) {
        const long t = g % a;
        g = a;
        a = t;
    }
    return L2_WAY / g;
}

static long l2_room(int n, long tn)
{
    long sets = way_starts(n) * ((tn * (long)sizeof(float) + L2_LINE - 1) / L2_LINE);
    if (sets > L2_WAY / L2_LINE)
        sets = L2_WAY / L2_LINE;
    return sets * L2_LINE * 16;
}

int sr_kernel_params_x_crowded(const sr_kernel_params *eff, const sr_pattern *p, int n)
{
    /* CSR and dense along N load X's panel row by row, and bear it: BSR and N:M keep each
     * X vector in registers for a tile of rows (N:M in place at 768 x 3072 x 128: 1.09x
     * faster than repacked, crowded or not) */
    if (eff->mv || (p->kind != SR_PAT_UNSTRUCTURED && p->kind != SR_PAT_DENSE))
        return 0;
    /* a panel narrower than the row, whose rows start on fewer than a quarter of a way's
     * line positions (a stride of a multiple of 512 B): a panel of 64 floats (4 lines a
     * row) then reaches half the sets or fewer */
    return (long)eff->vw * eff->nv < n && way_starts(n) < L2_WAY / L2_LINE / 4;
}

int sr_kernel_params_gemv(const sr_pattern *p, int n)
{
    if (n != 1)
        return 0;
    /* N:M: its GEMV finds a kept value's group with a shift where N is a power of two;
     * 1000x2048: 2:4 0.24 -> 0.15 ms, 1:4 0.14 -> 0.08, but 3:7 0.20 -> 0.33 */
    return p->kind == SR_PAT_DENSE || (p->kind == SR_PAT_NM && (p->n & (p->n - 1)) == 0);
}

int sr_kernel_params_row_floats(const sr_kernel_params *eff, const sr_pattern *p, int n)
{
    if (!eff->pad || eff->mv || sr_kernel_params_gemv(p, n) || n <= eff->vw || n % eff->vw == 0)
        return n;
    /* ResNet-50's widths 49 and 196, CSR and BSR at 0.9: padded to 64 and 208 they ran
     * 1.1x to 1.4x faster than at 49 and 196 (unaligned stores of Y split in parts, a
     * tail element by element, X repacked or read across cache lines) */
    return (n + eff->vw - 1) / eff->vw * eff->vw;
}

int sr_kernel_params_run_width(const sr_kernel_params *kp, const sr_pattern *p, int n, sr_kernel_params *eff)
{
    sr_kernel_params_effective(kp, p, n, eff);
    const int ld = sr_kernel_params_row_floats(eff, p, n);
    if (ld != n)
        sr_kernel_params_effective(kp, p, ld, eff);
    return ld;
}

int sr_kernel_params_x_in_place(const sr_kernel_params *eff, const sr_pattern *p, int m, int k, int n)
{
    /* the GEMVs (gemv_dense.cl, gemv_nm.cl) and gemm_dense_wt.cl: no panels of X,
     * whatever x says */
    if (sr_kernel_params_gemv(p, n) || (p->kind == SR_PAT_DENSE && eff->mv))
        return 1;
    if (eff->x != SR_X_AUTO)
        return eff->x == SR_X_IN_PLACE;
    const long tn = (long)eff->vw * eff->nv;
    /* a row stride of a multiple of 1 KiB maps a panel's rows onto a quarter of the
     * cache sets or fewer: a long panel (2048 rows of 256 floats) then thrashed L2 (3x
     * slower dense, 1.6x BSR); short ones (147 rows of 12544) did not */
    if (n % 256 == 0 && (long)k * tn * (long)sizeof(float) > 128 * 1024)
        return 0;
    /* rows of X on vector boundaries (or X narrower than a vector): whole-vector loads */
    const int aligned = n % eff->vw == 0 || n < eff->vw;
    switch (p->kind) {
    case SR_PAT_BLOCK: /* each X vector serves a tile of rows from registers: 1.3x to 2.7x
                        * faster in place from 49 to 12544 columns, aligned or not */
        return 1;
    case SR_PAT_DENSE:
        /* the repack costs as much as a few rows of W and the packed panel streams in
         * order: in place gained with one panel or few rows (M <= 128: 1.1x to 2x; 256
         * once gemm_dense.cl prefetched X's rows: 256 x 64 x 3136 and 256 x 512 x 784
         * 1.05x to 1.08x, where 512 and 1024 rows were even); at 49 columns, which split
         * vectors across cache lines, 2048 rows lost 10-20% */
        return aligned && (tn >= n || m <= SR_DENSE_IN_PLACE_ROWS);
    case SR_PAT_UNSTRUCTURED:
        /* CSR loads a row of X per nonzero, so loads set its pace: unaligned rows split
         * them (49 and 196 columns: 1.1x to 1.4x slower than repacked), and its panel
         * must keep to half the cache its rows map to (768 x 3072 x 128: 1.3x slower in
         * place, a 768 KiB panel on 512 KiB of L2). Where one panel is the whole row,
         * its layout is X's own, and X in place, read by both cores, stays in both their
         * caches, while a packed copy is written by one: 512 x 4608 x 49, 1024 x 2304 x 49
         * (64 padded) and 256 x 2304 x 64 ran 1.4x to 2.2x faster in place */
        return aligned && (tn >= n || (long)k * tn * (long)sizeof(float) <= l2_room(n, tn) / 2);
    default:
        /* N:M: unaligned rows 1.1x to 2x slower in place; aligned ones 1.04x to 1.3x
         * faster, crowded sets or not (768 x 3072 x 128: 1.09x) */
        return aligned;
    }
}
