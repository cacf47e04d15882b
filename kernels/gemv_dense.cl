/* Dense GEMV y = W * x, the N = 1 case of gemm_dense.cl (a network's last linear layer at
 * batch 1). The GEMM kernel would spread one column over a vector and waste all other
 * lanes; here the vectors run along K instead: per step one vector of x and one of each
 * of RT rows of W, RT fma(), two such steps in flight (2*RT independent chains hide the
 * FMA latency), and a horizontal sum per row at the end. W streams from memory once:
 * the kernel is bound by W's bytes. A work-item computes ROWS = RT*TILES rows, a tile of
 * RT at a time. Same arguments as gemm_dense (N, which is 1, unused; x read in place).
 * Build options: -DRT -DTILES -DVW (-DKC, -DNV ignored). Global: (ceil(M/ROWS) padded, 1). */
#if !defined(RT) || !defined(TILES) || !defined(VW)
#error "gemv_dense.cl needs -DRT -DTILES -DVW"
#endif
#define ROWS (RT * TILES)

kernel void gemv_dense(const int M, const int N, const int K, global const float *restrict W,
                       global const float *restrict X, global float *restrict Y)
{
    const int first = get_global_id(0) * ROWS;
    (void)N;
    for (int t = 0; t < TILES; t++) {
        const int row0 = first + t * RT;
        if (row0 >= M)
            return;
        global const float *w[RT];
#pragma unroll
        for (int r = 0; r < RT; r++) /* rows past M read a valid row, unused */
            w[r] = W + (size_t)min(row0 + r, M - 1) * K;
        VEC acc[RT][2];
#pragma unroll
        for (int r = 0; r < RT; r++)
            acc[r][0] = acc[r][1] = (VEC)(0.0f);
        int k = 0;
        for (; k + 2 * VW <= K; k += 2 * VW) {
#pragma unroll
            for (int u = 0; u < 2; u++) {
                const VEC xv = VLOAD(0, X + k + u * VW);
#pragma unroll
                for (int r = 0; r < RT; r++)
                    acc[r][u] = fma(VLOAD(0, w[r] + k + u * VW), xv, acc[r][u]);
            }
        }
        if (k + VW <= K) {
            const VEC xv = VLOAD(0, X + k);
#pragma unroll
            for (int r = 0; r < RT; r++)
                acc[r][0] = fma(VLOAD(0, w[r] + k), xv, acc[r][0]);
            k += VW;
        }
#pragma unroll
        for (int r = 0; r < RT; r++) {
            float s = hsum(acc[r][0] + acc[r][1]);
            for (int j = k; j < K; j++)
                s = fma(w[r][j], X[j], s);
            if (row0 + r < M)
                Y[row0 + r] = s;
        }
    }
}
