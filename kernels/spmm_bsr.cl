/* BSR SpMM Y = W * X, W in BR x BC blocks, X packed in panels Xp[Np/TN][Kp][TN] with Kp a
 * multiple of BC (zero rows past K). A work-item computes RT rows of one block row (RT
 * divides BR) x TN columns, reusing each X vector for RT rows as the dense tile does.
 * Build options: -DBR -DBC -DRT -DVW -DNV. Global: (ceil(M/BR)*(BR/RT) padded, Np/TN). */
#if !defined(BR) || !defined(BC) || !defined(RT) || !defined(VW) || !defined(NV)
#error "spmm_bsr.cl needs -DBR -DBC -DRT -DVW -DNV"
#endif
#define TN (VW * NV)
#define SUBS (BR / RT)

kernel void spmm_bsr(const int M, const int N, const int Kp, const int Mb,
                     global const int *restrict rowptr, global const int *restrict colidx,
                     global const float *restrict vals, global const float *restrict Xp,
                     global float *restrict Y)
{
    const int brow = get_global_id(0) / SUBS;
    const int sub = get_global_id(0) % SUBS;
    const int panel = get_global_id(1);
    if (brow >= Mb)
        return;
    global const float *xp = Xp + (size_t)panel * Kp * TN;
    VEC acc[RT][NV];
#pragma unroll
    for (int r = 0; r < RT; r++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[r][v] = (VEC)(0.0f);
    const int end = rowptr[brow + 1];
    for (int b = rowptr[brow]; b < end; b++) {
        global const float *blk = vals + (size_t)b * (BR * BC) + sub * RT * BC;
        global const float *xb = xp + (size_t)colidx[b] * BC * TN;
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
    const int row0 = brow * BR + sub * RT, col0 = panel * TN;
#pragma unroll
    for (int r = 0; r < RT; r++) {
        if (row0 + r < M) {
            global float *yrow = Y + (size_t)(row0 + r) * N;
            STORE_ROW(yrow, col0, N, acc[r]);
        }
    }
}
