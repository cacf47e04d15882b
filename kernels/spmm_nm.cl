/* N:M SpMM Y = W * X: every group of MM consecutive weights along K keeps NN, stored as
 * vals[M][G*NN] with their positions idx[M][G*NN] (uchar, 0..MM-1). X comes packed in
 * panels Xp[Np/TN][G*MM][TN] (or in place: X_PANEL in sr_common.cl). Every kept value
 * selects its own X row, so each FMA needs an X load of its own: they must come from L1.
 * A work-item therefore computes ROWS = RT*TILES rows x TN columns, walking K in blocks
 * of KC columns (a multiple of MM; KC = 0: all of K at once) and, inside a block, every
 * tile of RT rows, so the block's KC x TN slice of X stays in L1 while all the tiles use
 * it; partial sums wait in a private tile between blocks.
 * Build options: -DNN -DMM -DRT -DTILES -DKC -DVW -DNV [-DX_IN_PLACE]. Global:
 * (ceil(M/ROWS) padded, Np/TN). */
#if !defined(NN) || !defined(MM) || !defined(RT) || !defined(TILES) || !defined(KC) || \
    !defined(VW) || !defined(NV)
#error "spmm_nm.cl needs -DNN -DMM -DRT -DTILES -DKC -DVW -DNV"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)
#define KG (KC >= MM ? KC / MM : 0) /* groups per K block; 0: all */

kernel void spmm_nm(const int M, const int N, const int G,
                    global const uchar *restrict idx, global const float *restrict vals,
                    global const float *restrict Xp, global float *restrict Y)
{
    const int row0 = get_global_id(0) * ROWS;
    const int panel = get_global_id(1);
    if (row0 >= M)
        return;
    const size_t stride = (size_t)G * NN; /* stored values per row */
    global const float *xp = X_PANEL(Xp, panel, G * MM);
    VEC tile[ROWS][NV];
    tile_zero(tile, ROWS);
    const int kg = KG > 0 ? KG : G;
    for (int g0 = 0; g0 < G; g0 += kg) {
        const int g1 = min(g0 + kg, G);
        for (int t = 0; t < TILES; t++) {
            global const float *wv[RT];
            global const uchar *wi[RT];
#pragma unroll
            for (int r = 0; r < RT; r++) {
                const size_t row = (size_t)min(row0 + t * RT + r, M - 1); /* past M: unused */
                wv[r] = vals + row * stride;
                wi[r] = idx + row * stride;
            }
            VEC acc[RT][NV];
            tile_get(acc, tile, t * RT);
            for (int g = g0; g < g1; g++) {
                global const float *xg = xp + (size_t)g * MM * XS;
#pragma unroll
                for (int n = 0; n < NN; n++) {
                    const int e = g * NN + n;
#pragma unroll
                    for (int r = 0; r < RT; r++) {
                        const VEC a = (VEC)(wv[r][e]);
                        global const float *x = xg + wi[r][e] * XS;
#pragma unroll
                        for (int v = 0; v < NV; v++)
                            acc[r][v] = fma(a, VLOAD(v, x), acc[r][v]);
                    }
                }
            }
            tile_put(tile, t * RT, acc);
        }
    }
    tile_store(Y, M, N, row0, panel * TN, tile, ROWS);
}
