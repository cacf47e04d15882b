/* Prepended by the runtime to every kernel source (OpenCL C 1.2 has no include path for
 * embedded sources): the vector-type macros and the edge-aware row store shared by the
 * matrix kernels. VW is the vector width, NV the vectors per row (TN = VW*NV). */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VEC CAT(float, VW)
#define VLOAD CAT(vload, VW)
#define VSTORE CAT(vstore, VW)

/* -DPOCL_CPU: the host passes it on PoCL's CPU device only, where clang compiles the
 * kernel straight for the host CPU and two of its builtins, which OpenCL C lacks, work.
 * Every other compiler (SPIR-V ones: rusticl, GPU drivers) rejects or drops them, so
 * they appear nowhere else (tests/test_kernels_portable.py checks). */

/* Y rows start on a vector boundary when N is a multiple of VW; the host then builds
 * with -DY_ALIGNED and whole vectors of Y move as single aligned accesses (a vstoreN to
 * an address of unknown alignment may be split: PoCL stores a float16 in three parts). */
/* With -DY_STREAM too (CPU devices, kernels that write each element of Y once and never
 * read it back), those stores are non-temporal on PoCL: Y's lines are neither read for
 * ownership nor kept in the caches that W and X need. */
#if defined(Y_ALIGNED) && defined(Y_STREAM) && defined(POCL_CPU)
#define VSTORE_Y(val, p) __builtin_nontemporal_store((val), (global VEC *)(p))
#define VLOAD_Y(p) (*(global const VEC *)(p))
#elif defined(Y_ALIGNED)
#define VSTORE_Y(val, p) (*(global VEC *)(p) = (val))
#define VLOAD_Y(p) (*(global const VEC *)(p))
#else
#define VSTORE_Y(val, p) VSTORE((val), 0, (p))
#define VLOAD_Y(p) VLOAD(0, (p))
#endif

/* X as the matrix kernels read it: packed in column panels Xp[Np/TN][Kp][TN] (pack.cl),
 * or with -DX_IN_PLACE X itself, Kp rows of N floats, where a panel's row is TN floats
 * at stride N (the host leaves TN floats of slack after X for the last panel's reach
 * past N, and zero rows up to Kp; what is read past N lands in columns never stored).
 * XS: floats from one row of a panel to the next (N must be in scope); X_PANEL: the
 * first row of panel p of X with kp rows. */
#if defined(X_IN_PLACE)
#define XS N
#define X_PANEL(X, p, kp) ((X) + (size_t)(p) * TN)
#else
#define XS TN
#define X_PANEL(X, p, kp) ((X) + (size_t)(p) * (size_t)(kp) * TN)
#endif

/* A prefetch of global memory into the L1 cache. OpenCL's prefetch() does nothing in
 * PoCL; there, where the address spaces are one, clang's builtin takes the address as a
 * plain pointer. Elsewhere the standard call (a hint the driver may ignore). */
/* Rows of X the dense kernels ask for ahead where each k reads a new row of X, N floats
 * on (gemm_dense.cl in place, gemm_dense_wt.cl): 16 ran as 8. */
#define X_ROWS_AHEAD 8
#if defined(POCL_CPU)
#define PREFETCH_GLOBAL(p) __builtin_prefetch((const void *)(size_t)(p), 0, 3)
#else
#define PREFETCH_GLOBAL(p) prefetch((p), 1)
#endif

/* Writes one row of NV accumulators at Yrow[col0...]: whole vectors inside N, element by
 * element at the right edge. Unrolled, so that accrow[] stays in registers. */
#define STORE_ROW(Yrow, col0, N, accrow)                                     \
    _Pragma("unroll") for (int v_ = 0; v_ < NV; v_++) {                                        \
        const int c_ = (col0) + v_ * VW;                                     \
        if (c_ + VW <= (N)) {                                                \
            VSTORE_Y((accrow)[v_], (Yrow) + c_);                             \
        } else {                                                             \
            float tmp_[VW];                                                  \
            VSTORE((accrow)[v_], 0, tmp_);                                   \
            for (int e_ = 0; e_ < VW && c_ + e_ < (N); e_++)                 \
                (Yrow)[c_ + e_] = tmp_[e_];                                  \
        }                                                                    \
    }

/* Reads one row of NV accumulators back from Yrow[col0...] (zeros past N). */
#define LOAD_ROW(Yrow, col0, N, accrow)                                      \
    _Pragma("unroll") for (int v_ = 0; v_ < NV; v_++) {                                        \
        const int c_ = (col0) + v_ * VW;                                     \
        if (c_ + VW <= (N)) {                                                \
            (accrow)[v_] = VLOAD_Y((Yrow) + c_);                             \
        } else {                                                             \
            float tmp_[VW];                                                  \
            for (int e_ = 0; e_ < VW; e_++)                                  \
                tmp_[e_] = c_ + e_ < (N) ? (Yrow)[c_ + e_] : 0.0f;           \
            (accrow)[v_] = VLOAD(0, tmp_);                                   \
        }                                                                    \
    }

#if defined(VW)
/* The sum of a vector's lanes (the GEMVs' rows, at their end). */
float hsum(VEC v)
{
    float t[VW];
    VSTORE(v, 0, t);
    float s = 0.0f;
    for (int i = 0; i < VW; i++)
        s += t[i];
    return s;
}
#endif

#if defined(VW) && defined(NV) && defined(RT)
/* A work-item that computes several tiles of RT rows keeps their partial sums in a
 * private tile[rows][NV] between K blocks; one tile at a time lives in the RT x NV
 * accumulators acc (registers). */
void tile_zero(VEC tile[][NV], int rows)
{
    for (int r = 0; r < rows; r++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            tile[r][v] = (VEC)(0.0f);
}

/* acc = the RT rows of the tile from `first` on, and back. */
void tile_get(VEC acc[RT][NV], VEC tile[][NV], int first)
{
#pragma unroll
    for (int r = 0; r < RT; r++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[r][v] = tile[first + r][v];
}

void tile_put(VEC tile[][NV], int first, VEC acc[RT][NV])
{
#pragma unroll
    for (int r = 0; r < RT; r++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            tile[first + r][v] = acc[r][v];
}

/* The rank-1 update of the dense and BSR kernels: acc[r] += a[r] * (the X row x), each
 * X vector loaded once for all RT rows. */
void rank1_update(VEC acc[RT][NV], global const float *x, const float a[RT])
{
#if RT == 1
    /* one row: each X vector feeds one FMA straight from memory (no copies in registers) */
#pragma unroll
    for (int v = 0; v < NV; v++)
        acc[0][v] = fma((VEC)(a[0]), VLOAD(v, x), acc[0][v]);
#else
    VEC xv[NV];
#pragma unroll
    for (int v = 0; v < NV; v++)
        xv[v] = VLOAD(v, x);
#pragma unroll
    for (int r = 0; r < RT; r++)
#pragma unroll
        for (int v = 0; v < NV; v++)
            acc[r][v] = fma((VEC)(a[r]), xv[v], acc[r][v]);
#endif
}

/* Writes rows of the tile to Y rows row0... (those below M), columns col0... */
void tile_store(global float *Y, int M, int N, int row0, int col0, VEC tile[][NV], int rows)
{
    for (int r = 0; r < rows && row0 + r < M; r++) {
        global float *yrow = Y + (size_t)(row0 + r) * N;
        STORE_ROW(yrow, col0, N, tile[r]);
    }
}
#endif
