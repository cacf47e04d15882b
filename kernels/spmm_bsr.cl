/* BSR SpMM Y = W * X, W in BR x BC blocks, X packed in panels Xp[Np/TN][Kp][TN] with Kp a
 * multiple of BC (zero rows past K). A work-item computes ROWS = RT*TILES rows of one
 * block row (ROWS divides BR) x TN columns in tiles of RT rows; inside a tile each X
 * vector serves RT rows from registers, as in the dense kernel. It walks the block row
 * in runs of KC/BC blocks (KC = 0: the whole row) and runs every tile over a run before
 * the next, so the run's X slices come from L2 once and then serve all tiles from L1;
 * partial sums wait in a private tile between runs.
 * Build options: -DBR -DBC -DRT -DTILES -DKC -DVW -DNV.
 * Global: (ceil(M/BR)*(BR/ROWS) padded, Np/TN). */
#if !defined(BR) || !defined(BC) || !defined(RT) || !defined(TILES) || !defined(KC) || \
    !defined(VW) || !defined(NV)
#error "spmm_bsr.cl needs -DBR -DBC -DRT -DTILES -DKC -DVW -DNV"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)
#define PARTS (BR / ROWS) /* work-items per block row */
#define RUN (KC >= BC ? KC / BC : 0) /* blocks per run; 0: all */

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
    global const float *xp = Xp + (size_t)panel * Kp * TN;
    VEC tile[ROWS][NV];
    tile_zero(tile, ROWS);
    const int start = rowptr[brow], end = rowptr[brow + 1];
    const int run = RUN > 0 ? RUN : max(end - start, 1);
    for (int b0 = start; b0 < end; b0 += run) {
        const int b1 = min(b0 + run, end);
        for (int t = 0; t < TILES; t++) {
            VEC acc[RT][NV];
            tile_get(acc, tile, t * RT);
            for (int b = b0; b < b1; b++) {
                /* this tile's RT rows of the block (row-major) and the block's X slice */
                global const float *blk = vals + (size_t)b * (BR * BC) + (part * ROWS + t * RT) * BC;
                global const float *xb = xp + (size_t)colidx[b] * BC * TN;
#pragma unroll
                for (int c = 0; c < BC; c++) {
                    float a[RT];
#pragma unroll
                    for (int r = 0; r < RT; r++)
                        a[r] = blk[r * BC + c];
                    rank1_update(acc, xb + c * TN, a);
                }
            }
            tile_put(tile, t * RT, acc);
        }
    }
    tile_store(Y, M, N, brow * BR + part * ROWS, panel * TN, tile, ROWS);
}
