/* Seeded generation of dense weight matrices: the same seed gives the same matrix on
 * every machine (integer generator, values built exactly, no libm). */
#include "sparse/format.h"

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, full period, good mixing. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void sr_dense_random(float *w, int m, int k, uint64_t seed)
{
    if (!w || m <= 0 || k <= 0)
        return;
    uint64_t state = seed;
    size_t n = (size_t)m * (size_t)k;
    for (size_t i = 0; i < n; i++) {
        /* 24 random bits scaled by 2^-23 and shifted: exact in fp32, uniform in [-1, 1). */
        uint32_t u = (uint32_t)(splitmix64(&state) >> 40);
        w[i] = (float)u * 0x1p-23f - 1.0f;
    }
}
