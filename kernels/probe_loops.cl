/* Counts the iterations of one loop run to its end, for sr_cl_loop_limit: a driver that
 * ends loops early (Mesa's llvmpipe stops a kernel's loops after 65535 iterations in all)
 * returns fewer than n. Each step adds a value read from memory (step[0] = 1), so that no
 * compiler can replace the loop by its result. One work-item. */
kernel void probe_loops(global uint *restrict count, global const uint *restrict step, const uint n)
{
    uint c = 0;
    for (uint i = 0; i < n; i++)
        c += step[i & 1u];
    count[0] = c;
}
