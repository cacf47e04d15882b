/* Dense GEMM Y = W * X. W is M x K row-major; X comes packed in panels Xp[Np/TN][K][TN]
 * (pack.cl) or, with -DX_IN_PLACE, as it is (X_PANEL, XS in sr_common.cl). A work-item
 * computes ROWS = RT*TILES rows x TN columns in tiles of RT x TN,
 * each held in RT*NV vector accumulators: per k, NV vector loads of X, RT broadcasts of
 * W, RT*NV fma(). With TILES > 1 it walks K in blocks of KC (KC = 0: all of K at once)
 * and runs every tile over a block before the next, so the block's KC x TN slice of X
 * stays in L1 for all of them; partial sums wait in a private tile between blocks.
 * Rows run along dimension 0 so neighbouring work-groups share one X panel in L2.
 * Build options: -DRT -DTILES -DKC -DVW -DNV [-DX_IN_PLACE] [-DPOCL_CPU].
 * Global: (ceil(M/ROWS) padded, Np/TN). */
#if !defined(RT) || !defined(TILES) || !defined(KC) || !defined(VW) || !defined(NV)
#error "gemm_dense.cl needs -DRT -DTILES -DKC -DVW -DNV"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)

kernel void gemm_dense(const int M, const int N, const int K,
                       global const float *restrict W, global const float *restrict Xp,
                       global float *restrict Y)
{
    const int row0 = get_global_id(0) * ROWS;
    const int panel = get_global_id(1);
    if (row0 >= M)
        return;
    global const float *xp = X_PANEL(Xp, panel, K);
    VEC tile[ROWS][NV];
    tile_zero(tile, ROWS);
    const int kc = KC > 0 ? KC : K;
    for (int k0 = 0; k0 < K; k0 += kc) {
        const int k1 = min(k0 + kc, K);
        for (int t = 0; t < TILES; t++) {
            global const float *w[RT];
#pragma unroll
            for (int r = 0; r < RT; r++) /* rows past M read a valid row, unused */
                w[r] = W + (size_t)min(row0 + t * RT + r, M - 1) * K;
            VEC acc[RT][NV];
            tile_get(acc, tile, t * RT);
            for (int k = k0; k < k1; k++) {
#if defined(X_IN_PLACE) && defined(POCL_CPU)
                /* X in place: a panel's rows lie N floats apart (at ResNet-50's widths of
                 * 784 to 12544, one or none to a page), where the hardware prefetcher does
                 * not follow, and the first work-item on a panel waited on memory row by
                 * row. Side by side on ResNet-50's in-place shapes (then M <= 128) 1.10x to
                 * 1.16x faster; a packed panel, contiguous, lost up to 5% (512x128x784). */
#pragma unroll
                for (int v = 0; v < NV; v++) /* past K: a hint, never a fault */
                    PREFETCH_GLOBAL(xp + (size_t)(k + X_ROWS_AHEAD) * XS + v * VW);
#endif
                float a[RT];
#pragma unroll
                for (int r = 0; r < RT; r++)
                    a[r] = w[r][k];
                rank1_update(acc, xp + (size_t)k * XS, a);
            }
            tile_put(tile, t * RT, acc);
        }
    }
    tile_store(Y, M, N, row0, panel * TN, tile, ROWS);
}
