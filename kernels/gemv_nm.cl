/* N:M GEMV y = W * x, the N = 1 case of spmm_nm.cl (a last linear layer at batch 1, or a
 * decoder's step). spmm_nm.cl would spread one column over a vector and waste its other
 * lanes; here the vectors run along each row's kept values instead: VW of them at a time
 * (vals and idx are contiguous per row), each multiplied by the element of x it selects
 * (group g = e / NN, column g * MM + idx), gathered lane by lane; two such steps in flight,
 * a horizontal sum per row at the end. A work-item computes RT*TILES rows.
 * Same arguments as spmm_nm (N, which is 1, unused; x read in place, zero past K).
 * Build options: -DNN -DMM -DRT -DTILES -DVW (-DKC, -DNV ignored).
 * Global: (ceil(M/(RT*TILES)) padded, 1). */
#if !defined(NN) || !defined(MM) || !defined(RT) || !defined(TILES) || !defined(VW)
#error "gemv_nm.cl needs -DNN -DMM -DRT -DTILES -DVW"
#endif
#define ROWS (RT * TILES)

/* The VW elements of x that kept values e0... of a row select. */
VEC gather_x(global const float *restrict x, global const uchar *restrict wi, int e0)
{
    float t[VW];
#pragma unroll
    for (int i = 0; i < VW; i++)
        t[i] = x[(e0 + i) / NN * MM + wi[e0 + i]];
    return VLOAD(0, t);
}

kernel void gemv_nm(const int M, const int N, const int G, global const uchar *restrict idx,
                    global const float *restrict vals, global const float *restrict X,
                    global float *restrict Y)
{
    const int first = get_global_id(0) * ROWS;
    const int stride = G * NN; /* kept values per row */
    (void)N;
    for (int t = 0; t < TILES; t++) {
        const int row0 = first + t * RT;
        if (row0 >= M)
            return;
        global const float *wv[RT];
        global const uchar *wi[RT];
#pragma unroll
        for (int r = 0; r < RT; r++) { /* rows past M read a valid row, unused */
            const size_t row = (size_t)min(row0 + r, M - 1);
            wv[r] = vals + row * stride;
            wi[r] = idx + row * stride;
        }
        VEC acc[RT][2];
#pragma unroll
        for (int r = 0; r < RT; r++)
            acc[r][0] = acc[r][1] = (VEC)(0.0f);
        int e = 0;
        for (; e + 2 * VW <= stride; e += 2 * VW) {
#pragma unroll
            for (int u = 0; u < 2; u++)
#pragma unroll
                for (int r = 0; r < RT; r++)
                    acc[r][u] = fma(VLOAD(0, wv[r] + e + u * VW), gather_x(X, wi[r], e + u * VW), acc[r][u]);
        }
        if (e + VW <= stride) {
#pragma unroll
            for (int r = 0; r < RT; r++)
                acc[r][0] = fma(VLOAD(0, wv[r] + e), gather_x(X, wi[r], e), acc[r][0]);
            e += VW;
        }
#pragma unroll
        for (int r = 0; r < RT; r++) {
            float s = hsum(acc[r][0] + acc[r][1]);
            for (int j = e; j < stride; j++)
                s = fma(wv[r][j], X[j / NN * MM + wi[r][j]], s);
            if (row0 + r < M)
                Y[row0 + r] = s;
        }
    }
}
