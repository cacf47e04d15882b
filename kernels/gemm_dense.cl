/* Dense GEMM Y = W * X. W is M x K row-major; X comes packed in panels
 * Xp[Np/TN][K][TN] (pack.cl). A work-item computes a TM x TN tile of Y over the whole K
 * in TM*NV vector accumulators: per k, NV vector loads of X, TM broadcasts of W, TM*NV
 * fma(). Rows run along dimension 0 so neighbouring work-groups share one X panel.
 * Build options: -DTM (rows per item) -DVW (vector width: 2,4,8,16) -DNV (vectors per
 * row; TN = VW*NV). Global size: (ceil(M/TM) rounded to the local size, Np/TN). */
#if !defined(TM) || !defined(VW) || !defined(NV)
#error "gemm_dense.cl needs -DTM -DVW -DNV"
#endif
#define TN (VW * NV)

kernel void gemm_dense(const int M, const int N, const int K,
                       global const float *restrict W, global const float *restrict Xp,
                       global float *restrict Y)
{
    const int row0 = get_global_id(0) * TM;
    const int panel = get_global_id(1);
    if (row0 >= M)
        return;
    global const float *xp = Xp + (size_t)panel * K * TN;
    global const float *w[TM];
    VEC acc[TM][NV];
#pragma unroll
    for (int r = 0; r < TM; r++) {
        w[r] = W + (size_t)min(row0 + r, M - 1) * K; /* rows past M read a valid row, unused */
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[r][v] = (VEC)(0.0f);
    }
    for (int k = 0; k < K; k++) {
        VEC x[NV];
#pragma unroll
        for (int v = 0; v < NV; v++)
            x[v] = VLOAD(v, xp + (size_t)k * TN);
#pragma unroll
        for (int r = 0; r < TM; r++) {
            const VEC a = (VEC)(w[r][k]);
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[r][v] = fma(a, x[v], acc[r][v]);
        }
    }
    const int col0 = panel * TN;
#pragma unroll
    for (int r = 0; r < TM; r++) {
        if (row0 + r < M) {
            global float *yrow = Y + (size_t)(row0 + r) * N;
            STORE_ROW(yrow, col0, N, acc[r]);
        }
    }
}
