/* CSR SpMM Y = W * X, W unstructured sparse (CSR), X packed in panels Xp[Np/TN][K][TN].
 * A work-item computes ROWS = RT*TILES rows x TN columns, one row at a time: per nonzero
 * one broadcast of its value and NV vector loads of the X row it selects. With random
 * sparsity a loaded X row serves one row of W only, so the loads (from the L2-resident
 * panel) and not the FMAs set the pace; consecutive nonzeros go to US independent
 * accumulator sets so that the FMAs at least never wait on each other's latency.
 * (Blocking K to keep X in L1 was tried: the few nonzeros per row and block cost more in
 * loop exits and partial-sum traffic than the L1 hits saved.)
 * Build options: -DVW -DNV -DRT -DTILES. Global: (ceil(M/ROWS) padded, Np/TN). */
#if !defined(VW) || !defined(NV) || !defined(RT) || !defined(TILES)
#error "spmm_csr.cl needs -DVW -DNV -DRT -DTILES"
#endif
#define TN (VW * NV)
#define ROWS (RT * TILES)
#define US (NV >= 8 ? 1 : NV >= 4 ? 2 : 4) /* accumulator sets: 8 or more FMA chains */

kernel void spmm_csr(const int M, const int N, const int K,
                     global const int *restrict rowptr, global const int *restrict colidx,
                     global const float *restrict vals, global const float *restrict Xp,
                     global float *restrict Y)
{
    const int row0 = get_global_id(0) * ROWS;
    const int panel = get_global_id(1);
    global const float *xp = Xp + (size_t)panel * K * TN;
    const int col0 = panel * TN;
    for (int row = row0; row < min(row0 + ROWS, M); row++) {
        VEC acc[US][NV];
#pragma unroll
        for (int u = 0; u < US; u++)
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[u][v] = (VEC)(0.0f);
        const int end = rowptr[row + 1];
        int j = rowptr[row];
        for (; j + US <= end; j += US) {
#pragma unroll
            for (int u = 0; u < US; u++) {
                const VEC a = (VEC)(vals[j + u]);
                global const float *x = xp + (size_t)colidx[j + u] * TN;
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[u][v] = fma(a, VLOAD(v, x), acc[u][v]);
            }
        }
        for (; j < end; j++) {
            const VEC a = (VEC)(vals[j]);
            global const float *x = xp + (size_t)colidx[j] * TN;
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[0][v] = fma(a, VLOAD(v, x), acc[0][v]);
        }
#pragma unroll
        for (int v = 0; v < NV; v++)
#pragma unroll
            for (int u = 1; u < US; u++)
                acc[0][v] += acc[u][v];
        global float *yrow = Y + (size_t)row * N;
        STORE_ROW(yrow, col0, N, acc[0]);
    }
}
