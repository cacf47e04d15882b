/* BSR SpMM Y = W * X, W in BR x BC blocks, X packed in panels Xp[Np/TN][Kp][TN] (or in
 * place: X_PANEL) with Kp a multiple of BC (zero rows past K). A work-item computes ROWS
 * = RT*TILES rows of one block row (ROWS divides BR) x TN columns in tiles of RT rows;
 * inside a tile each X vector serves RT rows from registers, as in the dense kernel. It
 * walks the block row in runs of KC/BC blocks (KC = 0: the whole row) and runs every tile
 * over a run before the next, so the run's X slices come from L2 once and then serve all
 * tiles from L1; partial sums wait in a private tile between runs (one run: none, each
 * tile's sums go from registers to Y). While the first tile works on a block it
 * prefetches the next block's X slice (blocks 4 or more wide; PREFETCH_GLOBAL in
 * sr_common.cl): the slices lie at scattered block columns, where the hardware
 * prefetchers do not follow; the other tiles find them in L1 and run a copy of the loop
 * without prefetches.
 * Build options: -DBR -DBC -DRT -DTILES -DKC -DVW -DNV [-DY_ALIGNED -DY_STREAM -DPOCL_CPU
 * -DX_IN_PLACE]. Global: (ceil(M/BR)*(BR/ROWS) padded, Np/TN). */
#if !defined(BR) || !defined(BC) || !defined(RT) || !defined(TILES) || !defined(KC) || \
    !defined(VW) || !defined(NV)
#error "spmm_bsr.cl needs -DBR -DBC -DRT -DTILES -DKC -DVW -DNV"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)
#define PARTS (BR / ROWS) /* work-items per block row */
#define RUN (KC >= BC ? KC / BC : 0) /* blocks per run; 0: all */

/* acc += the tile's RT rows of block blk (row-major, BC wide) times its X slice xb;
 * PF(address) is applied to the next block's X slice xn, a row per column: PREFETCH_SLICE
 * (a prefetch where blocks are 4 or more wide; narrower ones have too few FMAs per X row
 * to pay for it: 2x1 lost 14%) or NO_PREFETCH. A macro: PoCL does not inline a function
 * this large, and acc[] must stay in registers. */
#if BC >= 4
#define PREFETCH_SLICE(p) PREFETCH_GLOBAL(p)
#else
#define PREFETCH_SLICE(p)
#endif
#define NO_PREFETCH(p)
#define BLOCK_UPDATE(acc, blk, xb, xn, PF)                                               \
    _Pragma("unroll") for (int c_ = 0; c_ < BC; c_++) {                                  \
        _Pragma("unroll") for (int v_ = 0; v_ < NV; v_++)                                \
            PF((xn) + c_ * XS + v_ * VW);                                                \
        float a_[RT];                                                                    \
        _Pragma("unroll") for (int r_ = 0; r_ < RT; r_++)                                \
            a_[r_] = (blk)[r_ * BC + c_];                                                \
        rank1_update((acc), (xb) + c_ * XS, a_);                                         \
    }

kernel void spmm_bsr(const int M, const int N, const int Kp, const int Mb,
                     global const int *restrict rowptr, global const int *restrict colidx,
                     global const float *restrict vals, global const float *restrict Xp,
                     global float *restrict Y)
{
    const int brow = get_global_id(0) / PARTS;
    const int part = get_global_id(0) % PARTS;
    const int panel = get_global_id(1);
    if (brow >= Mb)
        return;
    global const float *xp = X_PANEL(Xp, panel, Kp);
    const int start = rowptr[brow], end = rowptr[brow + 1];
#define BLOCK(b) (vals + (size_t)(b) * (BR * BC) + (part * ROWS + t * RT) * BC)
#define SLICE(b) (xp + (size_t)colidx[b] * BC * XS)
/* tile t over blocks b0 .. b1-1; only the first tile prefetches */
#define BLOCKS(b0, b1)                                                                   \
    if (t == 0) {                                                                        \
        for (int b = (b0); b < (b1); b++)                                                \
            BLOCK_UPDATE(acc, BLOCK(b), SLICE(b), SLICE(min(b + 1, (b1) - 1)),           \
                         PREFETCH_SLICE);                                                \
    } else {                                                                             \
        for (int b = (b0); b < (b1); b++)                                                \
            BLOCK_UPDATE(acc, BLOCK(b), SLICE(b), xp, NO_PREFETCH);                      \
    }
#if RUN == 0
    for (int t = 0; t < TILES; t++) {
        VEC acc[RT][NV];
#pragma unroll
        for (int r = 0; r < RT; r++)
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[r][v] = (VEC)(0.0f);
        BLOCKS(start, end);
        const int row0 = brow * BR + part * ROWS + t * RT;
#pragma unroll
        for (int r = 0; r < RT; r++)
            if (row0 + r < M) {
                global float *yrow = Y + (size_t)(row0 + r) * N;
                STORE_ROW(yrow, panel * TN, N, acc[r]);
            }
    }
#else
    VEC tile[ROWS][NV];
    tile_zero(tile, ROWS);
    for (int b0 = start; b0 < end; b0 += RUN) {
        const int b1 = min(b0 + RUN, end);
        for (int t = 0; t < TILES; t++) {
            VEC acc[RT][NV];
            tile_get(acc, tile, t * RT);
            BLOCKS(b0, b1);
            tile_put(tile, t * RT, acc);
        }
    }
    tile_store(Y, M, N, brow * BR + part * ROWS, panel * TN, tile, ROWS);
#endif
}
