/* BSR SpMM Y = W * X, W in BR x BC blocks, X packed in panels Xp[Np/TN][Kp][TN] with Kp a
 * multiple of BC (zero rows past K). A work-item computes ROWS = RT*TILES rows of one
 * block row (ROWS divides BR) x TN columns, one tile of RT rows at a time: each X vector
 * serves RT rows from registers, as in the dense tile, and the X slices the block row
 * selects (its blocks x BC rows x TN) are fetched from L2 by the first tile and found in
 * L1 by the others.
 * Build options: -DBR -DBC -DRT -DTILES -DVW -DNV.
 * Global: (ceil(M/BR)*(BR/ROWS) padded, Np/TN). */
#if !defined(BR) || !defined(BC) || !defined(RT) || !defined(TILES) || !defined(VW) || !defined(NV)
#error "spmm_bsr.cl needs -DBR -DBC -DRT -DTILES -DVW -DNV"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)
#define PARTS (BR / ROWS) /* work-items per block row */

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
    const int start = rowptr[brow], end = rowptr[brow + 1];
    const int col0 = panel * TN;
    for (int t = 0; t < TILES; t++) {
        const int sub = part * ROWS + t * RT; /* first row of the tile inside the block */
        VEC acc[RT][NV];
#pragma unroll
        for (int r = 0; r < RT; r++)
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[r][v] = (VEC)(0.0f);
        for (int b = start; b < end; b++) {
            global const float *blk = vals + (size_t)b * (BR * BC) + sub * BC;
            global const float *xb = xp + (size_t)colidx[b] * BC * TN;
#pragma unroll
            for (int c = 0; c < BC; c++) {
                VEC x[NV];
#pragma unroll
                for (int v = 0; v < NV; v++)
                    x[v] = VLOAD(v, xb + c * TN);
#pragma unroll
                for (int r = 0; r < RT; r++) {
                    const VEC a = (VEC)(blk[r * BC + c]);
#pragma unroll
                    for (int v = 0; v < NV; v++)
                        acc[r][v] = fma(a, x[v], acc[r][v]);
                }
            }
        }
        const int row0 = brow * BR + sub;
#pragma unroll
        for (int r = 0; r < RT; r++) {
            if (row0 + r < M) {
                global float *yrow = Y + (size_t)(row0 + r) * N;
                STORE_ROW(yrow, col0, N, acc[r]);
            }
        }
    }
}
