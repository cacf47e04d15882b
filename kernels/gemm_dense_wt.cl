/* Dense GEMM Y = W * X with the vectors along M instead of N: W comes laid out once in
 * row panels Wp[Mp/TM][K][TM] (for each k, TM consecutive rows of column k: a weight's
 * layout, prepared like the sparse formats), X is read in place (K rows of N floats) and
 * each element of X is broadcast. A work-item computes TM = VW*NV rows by CT columns of
 * Y in NV*CT vector accumulators: per k, NV vector loads of W, CT broadcasts of X, NV*CT
 * fma(). Columns come in tiles of CT, whatever N is: N = 49 computes 49 columns (7 x 7)
 * where gemm_dense.cl's vectors along N compute 64, and no X is repacked. A work-item
 * computes TILES such tiles side by side (COLS columns) over K blocks of KC (0: all of
 * K), every tile over a block before the next, so that the block's slice of W stays in
 * L1 for all of them; partial sums wait in a private tile between blocks.
 * Column groups run along dimension 0, so that the work-items of one work-group share
 * a W panel in cache. Build options: -DVW -DNV -DCT -DTILES -DKC [-DPOCL_CPU]. Global:
 * (ceil(N/COLS) padded, ceil(M/TM)). */
#if !defined(VW) || !defined(NV) || !defined(CT) || !defined(TILES) || !defined(KC)
#error "gemm_dense_wt.cl needs -DVW -DNV -DCT -DTILES -DKC"
#endif
#define TM (VW * NV)
#define COLS (CT * TILES)

kernel void gemm_dense_wt(const int M, const int N, const int K, global const float *restrict Wp,
                          global const float *restrict X, global float *restrict Y)
{
    const int col0 = get_global_id(0) * COLS;
    const int row0 = get_global_id(1) * TM;
    if (col0 >= N)
        return;
    global const VEC *wp = (global const VEC *)(Wp + (size_t)get_global_id(1) * K * TM);
    /* the last tile's columns past N read the next row's first floats (the host leaves
     * slack after X for the last row): valid, never stored. One pointer and constant
     * offsets: per-column pointers spilled to the stack and doubled the loads. */
    global const float *x = X + col0;
    VEC tile[COLS][NV];
    for (int c = 0; c < COLS; c++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            tile[c][v] = (VEC)(0.0f);
    const int kc = KC > 0 ? KC : K;
    for (int k0 = 0; k0 < K; k0 += kc) {
        const int k1 = min(k0 + kc, K);
        /* every tile of columns over the block: its slice of W stays in L1 for all */
        for (int t = 0; t < TILES && col0 + t * CT < N; t++) {
            VEC acc[CT][NV];
#pragma unroll
            for (int c = 0; c < CT; c++)
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[c][v] = tile[t * CT + c][v];
            for (int k = k0; k < k1; k++) {
                VEC wv[NV];
#pragma unroll
                for (int v = 0; v < NV; v++)
                    wv[v] = wp[(size_t)k * NV + v];
                global const float *xk = x + (size_t)k * N + t * CT;
#if defined(POCL_CPU) /* as gemm_dense.cl: each k reads a new row of X, N floats on (side
                       * by side: 256x2304x196 1.16x faster, ResNet-50's other shapes
                       * along M 1.0x to 1.06x) */
                PREFETCH_GLOBAL(xk + X_ROWS_AHEAD * (size_t)N);
                PREFETCH_GLOBAL(xk + X_ROWS_AHEAD * (size_t)N + CT - 1);
#endif
#pragma unroll
                for (int c = 0; c < CT; c++) {
                    const VEC xb = (VEC)(xk[c]);
#pragma unroll
                    for (int v = 0; v < NV; v++)
                        acc[c][v] = fma(wv[v], xb, acc[c][v]);
                }
            }
#pragma unroll
            for (int c = 0; c < CT; c++)
#pragma unroll
                for (int v = 0; v < NV; v++)
                    tile[t * CT + c][v] = acc[c][v];
        }
    }
    /* Y's elements of one accumulator lie N floats apart: stored one by one */
    for (int c = 0; c < COLS && col0 + c < N; c++) {
#pragma unroll
        for (int v = 0; v < NV; v++) {
            float t[VW];
            VSTORE(tile[c][v], 0, t);
            const int r0 = row0 + v * VW;
            for (int e = 0; e < VW && r0 + e < M; e++)
                Y[(size_t)(r0 + e) * N + col0 + c] = t[e];
        }
    }
}
