/* CSR SpMM Y = W * X, W unstructured sparse cut into K-block segments
 * (sparse/csr_segments.h), X packed in panels Xp[Np/TN][K][TN] (or in place: X_PANEL in
 * sr_common.cl). A work-item owns ROWS rows x TN columns and runs all its rows over one K
 * block before the next: the block's slice of X comes from L2 once and then serves every
 * row from L1 (with random sparsity each loaded X row serves one nonzero, so these loads,
 * not the FMAs, set the pace). Partial sums wait in Y between blocks; a segment starts
 * from zero and adds them at its end, so that their load (often an L1 miss) holds up no
 * FMA chain. Per nonzero: one broadcast of its value and NV vector loads of the X row it
 * selects, whose column index comes from the host already multiplied by XS (an offset
 * into the panel: no scaling in the loop); consecutive nonzeros go to US independent
 * accumulator sets so that the FMAs never wait on each other's latency. Segments come
 * shortest first within a group, so the nonzero loop's exit is predictable.
 * Build options: -DVW -DNV -DROWS [-DX_IN_PLACE]. Global: (ceil(M/ROWS) padded, Np/TN). */
#if !defined(VW) || !defined(NV) || !defined(ROWS)
#error "spmm_csr.cl needs -DVW -DNV -DROWS"
#endif
#define TN (VW * NV)
#define US (NV >= 8 ? 1 : NV >= 4 ? 2 : 4) /* accumulator sets: 8 or more FMA chains */

kernel void spmm_csr(const int M, const int N, const int K, const int NB,
                     global const int *restrict seg_row, global const int *restrict seg_ptr,
                     global const int *restrict coloff, global const float *restrict vals,
                     global const float *restrict Xp, global float *restrict Y)
{
    const int g0 = get_global_id(0) * ROWS;
    const int panel = get_global_id(1);
    if (g0 >= M)
        return;
    global const float *xp = X_PANEL(Xp, panel, K);
    const int col0 = panel * TN;
    const int nrows = min(ROWS, M - g0);
    for (int b = 0; b < NB; b++) {
        const int s0 = b * M + g0;
        for (int s = s0; s < s0 + nrows; s++) {
            global float *yrow = Y + (size_t)seg_row[s] * N;
            VEC acc[US][NV];
#pragma unroll
            for (int u = 0; u < US; u++)
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[u][v] = (VEC)(0.0f);
            const int end = seg_ptr[s + 1];
            int j = seg_ptr[s];
            for (; j + US <= end; j += US) {
#pragma unroll
                for (int u = 0; u < US; u++) {
                    const VEC a = (VEC)(vals[j + u]);
                    global const float *x = xp + coloff[j + u];
#pragma unroll
                    for (int v = 0; v < NV; v++)
                        acc[u][v] = fma(a, VLOAD(v, x), acc[u][v]);
                }
            }
            for (; j < end; j++) {
                const VEC a = (VEC)(vals[j]);
                global const float *x = xp + coloff[j];
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[0][v] = fma(a, VLOAD(v, x), acc[0][v]);
            }
#pragma unroll
            for (int v = 0; v < NV; v++)
#pragma unroll
                for (int u = 1; u < US; u++)
                    acc[0][v] += acc[u][v];
            if (b > 0) {
                VEC part[NV];
                LOAD_ROW(yrow, col0, N, part);
#pragma unroll
                for (int v = 0; v < NV; v++)
                    acc[0][v] += part[v];
            }
            STORE_ROW(yrow, col0, N, acc[0]);
        }
    }
}
