/* A fixture for tests/test_kernels_portable.py --self-test: a kernel that calls one of
 * clang's builtins (-DUSE_PREFETCH, -DUSE_NONTEMPORAL), which OpenCL C does not have, and
 * the portable form without them. The SPIR-V check must reject the first two. */
kernel void copy_ahead(global const float4 *restrict x, global float4 *restrict y, const int n)
{
    const int i = get_global_id(0);
    if (i + 1 < n)
#ifdef USE_PREFETCH
        __builtin_prefetch((const void *)(size_t)(x + i + 1), 0, 3);
#else
        prefetch(x + i + 1, 1);
#endif
#ifdef USE_NONTEMPORAL
    __builtin_nontemporal_store(x[i], y + i);
#else
    y[i] = x[i];
#endif
}
