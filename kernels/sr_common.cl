/* Prepended by the runtime to every kernel source (OpenCL C 1.2 has no include path for
 * embedded sources): the vector-type macros and the edge-aware row store shared by the
 * matrix kernels. VW is the vector width, NV the vectors per row (TN = VW*NV). */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VEC CAT(float, VW)
#define VLOAD CAT(vload, VW)
#define VSTORE CAT(vstore, VW)

/* Writes one row of NV accumulators at Yrow[col0...]: whole vectors inside N, element by
 * element at the right edge. */
#define STORE_ROW(Yrow, col0, N, accrow)                                     \
    for (int v_ = 0; v_ < NV; v_++) {                                        \
        const int c_ = (col0) + v_ * VW;                                     \
        if (c_ + VW <= (N)) {                                                \
            VSTORE((accrow)[v_], 0, (Yrow) + c_);                            \
        } else {                                                             \
            float tmp_[VW];                                                  \
            VSTORE((accrow)[v_], 0, tmp_);                                   \
            for (int e_ = 0; e_ < VW && c_ + e_ < (N); e_++)                 \
                (Yrow)[c_ + e_] = tmp_[e_];                                  \
        }                                                                    \
    }
