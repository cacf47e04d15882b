/* Repacks X (K x N, row-major) into column panels Xp[N/TN][Kp][TN], zero-padded past K
 * and N, so that a work-item's panel is contiguous and neighbours share it in cache (a
 * row stride of a large power of two would otherwise alias in the cache). A work-item
 * copies one row of one panel; the panels run along dimension 0 so that consecutive
 * work-items read X row by row, in order.
 * Build options: -DTN=<panel width>. Global size: (Np/TN, Kp). */
#ifndef TN
#error "pack.cl needs -DTN"
#endif

kernel void pack_panels(const int K, const int N, const int Kp,
                        global const float *restrict X, global float *restrict Xp)
{
    const int p = get_global_id(0);
    const int k = get_global_id(1);
    if (k >= Kp)
        return;
    global float *dst = Xp + ((size_t)p * Kp + k) * TN;
    const int col0 = p * TN;
    if (k < K && col0 + TN <= N) {
        global const float *src = X + (size_t)k * N + col0;
#if TN % 16 == 0
        for (int j = 0; j < TN / 16; j++)
            vstore16(vload16(j, src), j, dst);
#else
        for (int j = 0; j < TN; j++)
            dst[j] = src[j];
#endif
    } else {
        for (int j = 0; j < TN; j++)
            dst[j] = (k < K && col0 + j < N) ? X[(size_t)k * N + col0 + j] : 0.0f;
    }
}
