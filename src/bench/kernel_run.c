/* One kernel run: checks, pruning group by group, the verified and timed product, the
 * model's count of its work and the prediction. */
#include "bench/kernel_run.h"

#include <stdlib.h>
#include <string.h>

#include "common/host.h"

sr_code sr_kernel_check(const sr_device_info *dev, int m, int k, int n, int groups, const sr_kernel_spec *spec,
                        sr_err *err)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(&spec->pattern, name, sizeof name);
    sr_code c = sr_kernel_params_check(&spec->params, &spec->pattern, err);
    if (c == SR_OK)
        c = sr_spmm_check_limits(dev, &spec->pattern, m, k, n, spec->sparsity, &spec->params, err);
    if (c != SR_OK)
        return sr_err_prefix(err, "%s", name);
    /* every group's weights stay on the host at once: random, pruned and encoded; then X
     * and one Y */
    size_t wl = 0, wt = 0;
    sr_sparse_estimate(&spec->pattern, m, k, spec->sparsity, &wl, &wt);
    const double g = groups, host = g * ((double)m * k * 8.0 + (double)wt) + g * (double)k * n * 4.0 +
                                    (double)m * n * 4.0;
    /* (this runs before every kernel of a sweep: the memory alone, not all of sr_host_read) */
    const uint64_t mem = sr_host_memory_bytes();
    if (mem && host > 0.8 * (double)mem)
        return sr_err_set(err, SR_ERR_ARG,
                          "%s: %d x %d x %d%s needs about %.3g GB of host memory, more than this machine's "
                          "%.3g GB allow; reduce --m, --k or --n",
                          name, m, k, n, groups > 1 ? " in groups" : "", host * 1e-9,
                          (double)mem * 1e-9);
    if (dev->global_mem_bytes && groups > 1 && host > (double)dev->global_mem_bytes)
        return sr_err_set(err, SR_ERR_ARG, "%s: %d groups of %d x %d x %d exceed %s's global memory", name, groups,
                          m, k, n, dev->name);
    return SR_OK;
}

/* Every row_step-th row is checked, so that the reference spends about check_macs. */
static int row_step_for(const sr_kernel_spec *spec, const sr_problem *prob, size_t nnz_per_group)
{
    const double macs = (double)nnz_per_group * prob->n * prob->groups;
    if (spec->check_macs <= 0 || macs <= spec->check_macs)
        return 1;
    const double step = macs / spec->check_macs;
    return step >= prob->m ? prob->m : (int)step + 1;
}

static size_t count_zeros(const float *w, size_t n)
{
    size_t z = 0;
    for (size_t i = 0; i < n; i++)
        z += w[i] == 0.0f;
    return z;
}

/* Work counts (model and layout) and the prediction of a finished run. */
static sr_code count_work(const sr_problem *prob, const sr_kernel_spec *spec, double nnz_per_group,
                          double layout_weight_bytes, const sr_ceilings *ceil, sr_kernel_outcome *out, sr_err *err)
{
    const int m = prob->m, k = prob->k, n = prob->n, g = prob->groups;
    sr_gemm_cost cost;
    sr_code c = sr_gemm_cost_from_nnz(m, k, n, g, &spec->pattern, nnz_per_group, SR_DTYPE_FP32, -1.0, &cost,
                                      err);
    if (c != SR_OK)
        return c;
    out->flops = cost.flops;
    out->bytes = cost.bytes;
    /* X and Y as the model counts them (blocks read only some of X, whatever the layout) */
    out->layout_bytes = layout_weight_bytes + (cost.bytes - cost.weight_bytes);
    /* the prediction counts what the model counts, with the device's metadata bits */
    if (ceil)
        out->predicted = sr_roofline_nnz(m, k, n, g, &spec->pattern, nnz_per_group, SR_DTYPE_FP32, ceil,
                                         &out->pt, NULL) == SR_OK;
    return SR_OK;
}

static sr_code stage(const sr_kernel_hooks *h, const char *what, sr_err *err)
{
    if (h && h->stop && h->stop())
        return sr_err_set(err, SR_ERR_INTERRUPTED, "interrupted");
    if (h && h->progress)
        h->progress(h->ctx, what);
    return SR_OK;
}

sr_code sr_kernel_run(sr_cl *cl, const sr_problem *prob, const sr_kernel_spec *spec, const sr_ceilings *ceil,
                      const sr_kernel_hooks *hooks, sr_kernel_outcome *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    const int g = prob->groups;
    char name[SR_NAME_MAX];
    sr_pattern_name(&spec->pattern, name, sizeof name);
    sr_code c = sr_kernel_check(sr_cl_info(cl), prob->m, prob->k, prob->n, g, spec, err);
    if (c != SR_OK)
        return c;
    sr_problem_weights *pw = calloc((size_t)g, sizeof *pw);
    sr_spmm_operand *ops = calloc((size_t)g, sizeof *ops);
    if (!pw || !ops) {
        free(pw);
        free(ops);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d groups", g);
    }
    size_t zeros = 0, layout = 0;
    c = stage(hooks, "pruning and encoding", err);
    const double t0 = sr_wall_seconds();
    for (int i = 0; i < g && c == SR_OK; i++) {
        c = sr_problem_group_weights(prob, i, &spec->pattern, spec->sparsity, &pw[i], err);
        if (c != SR_OK)
            break;
        ops[i] = (sr_spmm_operand){pw[i].w, pw[i].pruned, prob->x + (size_t)i * prob->k * prob->n};
        out->nnz += pw[i].w->nnz;
        zeros += count_zeros(pw[i].pruned, (size_t)prob->m * prob->k);
        layout += sr_sparse_weight_bytes(pw[i].w);
    }
    out->prune_s = sr_wall_seconds() - t0;
    if (c == SR_OK)
        c = stage(hooks, "verifying and timing", err);
    if (c == SR_OK) {
        c = sr_spmm_run_groups(cl, ops, g, prob->n, &spec->params, spec->reps, row_step_for(spec, prob, pw[0].w->nnz),
                               spec->min_time_s, &out->res, err);
    }
    if (c == SR_OK) {
        out->rows = (size_t)prob->m * g;
        out->achieved = (double)zeros / ((double)prob->m * prob->k * g);
        c = count_work(prob, spec, (double)out->nnz / g, (double)layout, ceil, out, err);
    }
    for (int i = 0; i < g; i++)
        sr_problem_weights_free(&pw[i]);
    free(pw);
    free(ops);
    return c == SR_OK ? c : sr_err_prefix(err, "%s", name);
}
