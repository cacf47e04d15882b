/* Whether the driver runs a kernel's loops to their end. Mesa's llvmpipe (the CPU device
 * of rusticl, Mesa 22 and 23) counts the iterations of all the loops of a kernel
 * invocation together and, past 65535 (gallivm's LP_MAX_TGSI_LOOP_ITERATIONS, a guard
 * against hung graphics shaders), silently leaves every loop: an OpenCL kernel that loops
 * longer gives wrong results. One small kernel finds the limit, once per opened device. */
#include <stdio.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/runtime_internal.h"

#define PROBE_ITERATIONS (1u << 22) /* far above any limit known; a few ms on a CPU */

static sr_code probe(sr_cl *cl, uint64_t *limit, sr_err *err)
{
    const cl_uint step[2] = {1, 1}, n = PROBE_ITERATIONS;
    cl_uint count = 0;
    cl_kernel k = NULL;
    cl_mem out = NULL, steps = NULL;
    const size_t one = 1;
    sr_code c = sr_cl_kernel(cl, "probe_loops.cl", "probe_loops", "", &k, NULL, err);
    if (c == SR_OK)
        c = sr_cl_buffer(cl, CL_MEM_WRITE_ONLY, sizeof count, NULL, "loop probe count", &out, err);
    if (c == SR_OK)
        c = sr_cl_buffer(cl, CL_MEM_READ_ONLY, sizeof step, step, "loop probe steps", &steps, err);
    if (c == SR_OK && (c = sr_cl_arg(k, 0, sizeof out, &out, "probe_loops", err)) == SR_OK &&
        (c = sr_cl_arg(k, 1, sizeof steps, &steps, "probe_loops", err)) == SR_OK &&
        (c = sr_cl_arg(k, 2, sizeof n, &n, "probe_loops", err)) == SR_OK &&
        (c = sr_cl_launch(cl, k, 1, &one, &one, "probe_loops", NULL, err)) == SR_OK)
        c = sr_cl_read(cl, out, sizeof count, &count, "loop probe count", err);
    if (c == SR_OK)
        *limit = count < n ? count : 0;
    if (out)
        clReleaseMemObject(out);
    if (steps)
        clReleaseMemObject(steps);
    if (k)
        clReleaseKernel(k);
    return c;
}

sr_code sr_cl_loop_limit(sr_cl *cl, uint64_t *limit, sr_err *err)
{
    if (!cl->loop_probed) {
        sr_code c = probe(cl, &cl->loop_limit, err);
        if (c != SR_OK)
            return sr_err_prefix(err, "probing how long %s runs a loop", cl->info.name);
        cl->loop_probed = 1;
    }
    *limit = cl->loop_limit;
    return SR_OK;
}

sr_code sr_cl_loop_check(sr_cl *cl, double iterations, const char *what, sr_err *err)
{
    uint64_t limit = 0;
    if (iterations <= SR_LOOP_LIMIT_LOWEST)
        return SR_OK;
    sr_code c = sr_cl_loop_limit(cl, &limit, err);
    if (c != SR_OK || limit == 0 || iterations <= (double)limit)
        return c;
    const int llvmpipe = strncmp(cl->info.name, "llvmpipe", 8) == 0;
    return sr_err_set(err, SR_ERR_UNSUPPORTED,
                      "refused: %s cannot run right on %s (%s), which ends a kernel's loops after %llu "
                      "iterations in all, silently (%s): at this shape and with these parameters a "
                      "work-item may loop up to %.0f times, and its result was wrong. Reduce K or the "
                      "parameters rows and tiles, or use another OpenCL implementation (README: OpenCL "
                      "implementations)",
                      what, cl->info.name, cl->info.platform_name, (unsigned long long)limit,
                      llvmpipe ? "a defect of Mesa's llvmpipe: gallivm's loop limiter, "
                                 "LP_MAX_TGSI_LOOP_ITERATIONS"
                               : "a driver defect",
                      iterations);
}
