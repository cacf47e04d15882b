/* The roofline formulas (see roofline.h for each pattern's counts). */
#include "model/roofline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double ceil_div(double a, double b)
{
    return ceil(a / b);
}

/* Weights kept (padding included) of one group at a sparsity, by the table above. */
static sr_code kept_of(double M, double K, const sr_pattern *p, double sparsity, double *nnz, sr_err *err)
{
    const int fixed = p->kind == SR_PAT_DENSE || p->kind == SR_PAT_NM;
    if (!fixed && !(sparsity >= 0.0 && sparsity <= 1.0))
        return sr_err_set(err, SR_ERR_ARG, "sparsity %g must be between 0 and 1", sparsity);
    switch (p->kind) {
    case SR_PAT_DENSE: *nnz = M * K; break;
    case SR_PAT_UNSTRUCTURED: *nnz = round((1.0 - sparsity) * M * K); break;
    case SR_PAT_BLOCK:
        *nnz = round((1.0 - sparsity) * ceil_div(M, p->br) * ceil_div(K, p->bc)) * p->br * p->bc;
        break;
    case SR_PAT_NM: *nnz = M * ceil_div(K, p->m) * p->n; break;
    }
    return SR_OK;
}

/* The expected share of X's rows a block pattern reads: a block column of X (bc rows) is
 * read only where one of the R block rows keeps a block in it. Pruning keeps B of the
 * T = R*C blocks, any B alike (the largest of a random matrix), so a column is missed with
 * probability C(T-R, B) / C(T, B) (about (1-d)^R at density d). Few block rows at high
 * sparsity leave much of X unread (64 rows of 16x16 blocks at 0.9: 64% of X), and a
 * roofline that counted all of X was beaten by 1.45x there. */
static double x_share_read(double R, double C, double B)
{
    const double T = R * C;
    if (B <= 0)
        return 0.0;
    if (B > T - R) /* too many blocks for any column to be empty */
        return 1.0;
    return 1.0 - exp(lgamma(T - R + 1) + lgamma(T - B + 1) - lgamma(T - R - B + 1) - lgamma(T + 1));
}

sr_code sr_gemm_cost_from_nnz(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                              double nnz, sr_dtype dtype, double metadata_bits, sr_gemm_cost *out,
                              sr_err *err)
{
    memset(out, 0, sizeof *out);
    if (m < 1 || k < 1 || n < 1 || groups < 1)
        return sr_err_set(err, SR_ERR_ARG, "GEMM shape m=%lld k=%lld n=%lld groups=%lld: every "
                          "dimension must be at least 1", (long long)m, (long long)k,
                          (long long)n, (long long)groups);
    double v = (double)sr_dtype_bytes(dtype), i = SR_INDEX_BYTES;
    if (v == 0)
        return sr_err_set(err, SR_ERR_ARG, "unknown data type %d", (int)dtype);
    if (p->kind == SR_PAT_NM && (p->n < 1 || p->m <= p->n))
        return sr_err_set(err, SR_ERR_ARG, "pattern %d:%d: need 1 <= N < M", p->n, p->m);
    double M = (double)m, K = (double)k, meta = 0, rowptr = 0, x_share = 1;
    switch (p->kind) {
    case SR_PAT_DENSE: break;
    case SR_PAT_UNSTRUCTURED:
        meta = nnz * i;
        rowptr = (M + 1) * i;
        break;
    case SR_PAT_BLOCK:
        meta = nnz / (p->br * p->bc) * i;
        rowptr = (ceil_div(M, p->br) + 1) * i;
        x_share = x_share_read(ceil_div(M, p->br), ceil_div(K, p->bc), nnz / (p->br * p->bc));
        break;
    case SR_PAT_NM: meta = ceil(nnz * ceil(log2((double)p->m)) / 8.0); break;
    }
    if (metadata_bits >= 0 && p->kind != SR_PAT_DENSE)
        meta = ceil(nnz * metadata_bits / 8.0);
    const double g = (double)groups, N = (double)n;
    out->nnz = g * nnz;
    out->weight_bytes = g * (nnz * v + meta + rowptr);
    out->flops = g * 2.0 * nnz * N;
    out->bytes = out->weight_bytes + g * (K * x_share * N + M * N) * v;
    out->ai = out->flops / out->bytes;
    return SR_OK;
}

sr_code sr_gemm_cost_of(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                        double sparsity, sr_dtype dtype, double metadata_bits, sr_gemm_cost *out,
                        sr_err *err)
{
    memset(out, 0, sizeof *out);
    double nnz = 0;
    sr_code rc = kept_of((double)m, (double)k, p, sparsity, &nnz, err);
    return rc != SR_OK ? rc : sr_gemm_cost_from_nnz(m, k, n, groups, p, nnz, dtype, metadata_bits, out, err);
}

/* The compute ceiling for pattern p: its own if the device gives one, else the type's. */
static sr_code compute_ceiling(const sr_ceilings *c, const sr_pattern *p, sr_dtype dtype,
                               double *gflops, double *metadata_bits, sr_err *err)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    const sr_pattern_ceiling *pc = sr_ceilings_pattern(c, name);
    *metadata_bits = pc ? pc->metadata_bits : -1.0;
    if (pc && pc->gflops > 0) {
        *gflops = pc->gflops;
        return SR_OK;
    }
    const sr_compute_ceiling *cc = sr_ceilings_compute(c, dtype);
    if (!cc)
        return sr_err_set(err, SR_ERR_UNSUPPORTED, "device %s has no %s compute ceiling%s",
                          c->device, sr_dtype_name(dtype),
                          c->is_virtual ? "" : " (measure it with peaks, or pick another --dtype)");
    *gflops = cc->gflops;
    return SR_OK;
}

sr_code sr_roofline_point_of(const sr_gemm_cost *cost, const sr_pattern *p, sr_dtype dtype,
                             const sr_ceilings *c, sr_roofline_point *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    double metadata_bits;
    sr_code rc = compute_ceiling(c, p, dtype, &out->gflops, &metadata_bits, err);
    if (rc != SR_OK)
        return rc;
    out->cost = *cost;
    uint64_t ws = cost->bytes >= ldexp(1.0, 64) ? UINT64_MAX : (uint64_t)cost->bytes;
    const sr_bw_level *level = sr_ceilings_level(c, ws);
    if (!level || !(level->gbps > 0))
        return sr_err_set(err, SR_ERR_ARG, "device %s has no bandwidth ceiling", c->device);
    out->gbps = level->gbps;
    double t_compute = cost->flops / (out->gflops * 1e9);
    double t_memory = cost->bytes / (out->gbps * 1e9);
    snprintf(out->bound, sizeof out->bound, "%s", t_compute >= t_memory ? "compute" : level->level);
    out->time_s = t_compute >= t_memory ? t_compute : t_memory;
    return SR_OK;
}

sr_code sr_roofline_gemm(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p,
                         double sparsity, sr_dtype dtype, const sr_ceilings *c,
                         sr_roofline_point *out, sr_err *err)
{
    double gflops, metadata_bits;
    sr_gemm_cost cost;
    sr_code rc = compute_ceiling(c, p, dtype, &gflops, &metadata_bits, err);
    if (rc == SR_OK)
        rc = sr_gemm_cost_of(m, k, n, groups, p, sparsity, dtype, metadata_bits, &cost, err);
    if (rc == SR_OK)
        rc = sr_roofline_point_of(&cost, p, dtype, c, out, err);
    return rc;
}

sr_code sr_roofline_nnz(int64_t m, int64_t k, int64_t n, int64_t groups, const sr_pattern *p, double nnz,
                        sr_dtype dtype, const sr_ceilings *c, sr_roofline_point *out, sr_err *err)
{
    double gflops, metadata_bits;
    sr_gemm_cost cost;
    sr_code rc = compute_ceiling(c, p, dtype, &gflops, &metadata_bits, err);
    if (rc == SR_OK)
        rc = sr_gemm_cost_from_nnz(m, k, n, groups, p, nnz, dtype, metadata_bits, &cost, err);
    if (rc == SR_OK)
        rc = sr_roofline_point_of(&cost, p, dtype, c, out, err);
    return rc;
}

void sr_layer_batched(const sr_layer *l, int64_t batch, int64_t *m, int64_t *k, int64_t *n,
                      int64_t *groups)
{
    *m = l->m;
    *k = l->k;
    *n = l->kind == SR_LAYER_MATMUL ? l->n : l->n * batch;
    *groups = l->kind == SR_LAYER_MATMUL ? l->groups * batch : l->groups;
}

sr_code sr_roofline_layer(const sr_layer *l, int64_t batch, const sr_pattern *p,
                          double sparsity, sr_dtype dtype, const sr_ceilings *c,
                          sr_roofline_point *out, sr_err *err)
{
    if (batch < 1 || batch > SR_DIM_MAX)
        return sr_err_set(err, SR_ERR_ARG, "batch %lld must be 1 to %lld", (long long)batch,
                          (long long)SR_DIM_MAX);
    int64_t m, k, n, groups;
    sr_layer_batched(l, batch, &m, &k, &n, &groups);
    sr_code rc = sr_roofline_gemm(m, k, n, groups, p, sparsity, dtype, c, out, err);
    if (rc != SR_OK)
        return sr_err_prefix(err, "layer %s", l->name);
    const sr_bw_level *dram = sr_ceilings_dram(c);
    out->extra_bytes = l->extra_bytes * (double)batch * (double)sr_dtype_bytes(dtype) / 4.0;
    out->time_s += out->extra_bytes / (dram->gbps * 1e9);
    return SR_OK;
}
