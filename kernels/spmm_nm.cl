/* N:M SpMM Y = W * X: every group of MM consecutive weights along K keeps NN, stored as
 * vals[M][G*NN] with their positions idx[M][G*NN] (uchar, 0..MM-1). X comes packed in
 * panels Xp[Np/TN][G*MM][TN]. A work-item computes RT rows x TN columns; every kept value
 * selects its own X row, so the loads, not the FMAs, set the pace on a CPU.
 * Build options: -DNN -DMM -DRT -DVW -DNV. Global: (ceil(M/RT) padded, Np/TN). */
#if !defined(NN) || !defined(MM) || !defined(RT) || !defined(VW) || !defined(NV)
#error "spmm_nm.cl needs -DNN -DMM -DRT -DVW -DNV"
#endif
#define TN (VW * NV)

kernel void spmm_nm(const int M, const int N, const int G,
                    global const uchar *restrict idx, global const float *restrict vals,
                    global const float *restrict Xp, global float *restrict Y)
{
    const int row0 = get_global_id(0) * RT;
    const int panel = get_global_id(1);
    if (row0 >= M)
        return;
    const int Kp = G * MM;
    const size_t stride = (size_t)G * NN; /* stored values per row */
    global const float *xp = Xp + (size_t)panel * Kp * TN;
    global const float *wv[RT];
    global const uchar *wi[RT];
    VEC acc[RT][NV];
#pragma unroll
    for (int r = 0; r < RT; r++) {
        const size_t row = (size_t)min(row0 + r, M - 1); /* rows past M: valid, unused */
        wv[r] = vals + row * stride;
        wi[r] = idx + row * stride;
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[r][v] = (VEC)(0.0f);
    }
    for (int g = 0; g < G; g++) {
        global const float *xg = xp + (size_t)g * MM * TN;
#pragma unroll
        for (int t = 0; t < NN; t++) {
#pragma unroll
            for (int r = 0; r < RT; r++) {
                const int e = g * NN + t;
                const VEC a = (VEC)(wv[r][e]);
                global const float *x = xg + wi[r][e] * TN;
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[r][v] = fma(a, VLOAD(v, x), acc[r][v]);
            }
        }
    }
    const int col0 = panel * TN;
#pragma unroll
    for (int r = 0; r < RT; r++) {
        if (row0 + r < M) {
            global float *yrow = Y + (size_t)(row0 + r) * N;
            STORE_ROW(yrow, col0, N, acc[r]);
        }
    }
}
