/* CSR SpMM Y = W * X, W unstructured sparse (CSR), X packed in panels Xp[Np/TN][K][TN].
 * A work-item computes RM rows x TN columns: for every nonzero one broadcast of its value
 * and NV vector loads of the X row it selects. With random sparsity each FMA needs its own
 * X load, so the panel width keeps that X row in L1/L2.
 * Build options: -DVW -DNV -DRM (rows per item). Global: (ceil(M/RM) padded, Np/TN). */
#if !defined(VW) || !defined(NV) || !defined(RM)
#error "spmm_csr.cl needs -DVW -DNV -DRM"
#endif
#define TN (VW * NV)

kernel void spmm_csr(const int M, const int N, const int K,
                     global const int *restrict rowptr, global const int *restrict colidx,
                     global const float *restrict vals, global const float *restrict Xp,
                     global float *restrict Y)
{
    const int row0 = get_global_id(0) * RM;
    const int panel = get_global_id(1);
    global const float *xp = Xp + (size_t)panel * K * TN;
    const int col0 = panel * TN;
    for (int r = 0; r < RM; r++) {
        const int row = row0 + r;
        if (row >= M)
            return;
        VEC acc[NV];
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[v] = (VEC)(0.0f);
        const int end = rowptr[row + 1];
        int j = rowptr[row];
        for (; j + 1 < end; j += 2) { /* two nonzeros at a time: two independent loads */
            const VEC a0 = (VEC)(vals[j]), a1 = (VEC)(vals[j + 1]);
            global const float *x0 = xp + (size_t)colidx[j] * TN;
            global const float *x1 = xp + (size_t)colidx[j + 1] * TN;
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[v] = fma(a1, VLOAD(v, x1), fma(a0, VLOAD(v, x0), acc[v]));
        }
        if (j < end) {
            const VEC a0 = (VEC)(vals[j]);
            global const float *x0 = xp + (size_t)colidx[j] * TN;
#pragma unroll
            for (int v = 0; v < NV; v++)
                acc[v] = fma(a0, VLOAD(v, x0), acc[v]);
        }
        global float *yrow = Y + (size_t)row * N;
        STORE_ROW(yrow, col0, N, acc);
    }
}
