/* Verified, timed SpMM runs: buffers, the pack + kernel pair, reference check, timing. */
#include "bench/spmm.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/loop_bound.h"
#include "runtime/keep_awake.h"
#include "sparse/csr_segments.h"

#define MAX_BUFS 7
#define WARM_S 2e-3 /* untimed repetitions between the reference check and the timing */
#define MAX_EXTRA_REPS 1000 /* repetitions a minimum time may add up to */

typedef struct {
    sr_cl *cl;
    cl_mem bufs[MAX_BUFS];
    int nbufs;
    cl_kernel pack, kernel;
    const char *name;     /* kernel name, for messages */
    sr_csr_segments segs; /* CSR only: W cut into K-block segments */
    size_t pack_global[2], global[2], local[2];
    int use_local;
    cl_mem ybuf;
} spmm_job;

static int round_up(int v, int to) { return (v + to - 1) / to * to; }

static sr_code add_buf(spmm_job *job, cl_mem_flags flags, size_t bytes, const void *host,
                       const char *what, cl_mem *out, sr_err *err)
{
    sr_code c = sr_cl_buffer(job->cl, flags, bytes, host, what, out, err);
    if (c == SR_OK)
        job->bufs[job->nbufs++] = *out;
    return c;
}

static void job_release(spmm_job *job)
{
    sr_csr_segments_free(&job->segs);
    for (int i = 0; i < job->nbufs; i++)
        clReleaseMemObject(job->bufs[i]);
    if (job->pack)
        clReleaseKernel(job->pack);
    if (job->kernel)
        clReleaseKernel(job->kernel);
}

/* Kp: rows of the packed X (K padded to the block or group). */
static int packed_k(const sr_sparse *w)
{
    return (w->pattern.kind == SR_PAT_BLOCK || w->pattern.kind == SR_PAT_NM) ? w->kp : w->k;
}

static void kernel_options(const sr_sparse *w, const sr_kernel_params *kp, int n, int in_place,
                           const sr_device_info *dev, char *buf, size_t size, const char **file, const char **name)
{
    const sr_pattern *p = &w->pattern;
    /* every row of Y starts on a vector boundary (N whole vectors, and buffers start at
     * least that aligned): whole vectors of Y move as aligned accesses */
    const int aligned = n % kp->vw == 0 && dev->base_align_bytes >= (unsigned)kp->vw * sizeof(float);
    /* on a CPU: non-temporal stores of Y where the kernel writes Y once (CSR reads its
     * rows back between K blocks); on PoCL's CPU device, whose clang compiles for the
     * host CPU, they and the software prefetches use clang builtins (sr_common.cl) */
    const int cpu = strcmp(dev->type, "CPU") == 0;
    const int stream = aligned && cpu && p->kind != SR_PAT_UNSTRUCTURED;
    const int pocl_cpu = cpu && strstr(dev->platform_name, "Portable Computing Language") != NULL;
    const size_t used = snprintf(buf, size, "%s%s%s%s", aligned ? "-DY_ALIGNED " : "", stream ? "-DY_STREAM " : "",
                                 pocl_cpu ? "-DPOCL_CPU " : "", in_place ? "-DX_IN_PLACE " : "");
    buf += used, size -= used;
    switch (p->kind) {
    case SR_PAT_DENSE: /* one column: vectors along K instead (gemv_dense.cl, same arguments) */
        if (n > 1 && kp->mv) {
            *file = "gemm_dense_wt.cl", *name = "gemm_dense_wt";
            snprintf(buf, size, "-DVW=%d -DNV=%d -DCT=%d -DTILES=%d -DKC=%d", kp->vw, kp->nv, kp->ct, kp->tiles,
                     kp->kc);
            break;
        }
        *file = n == 1 ? "gemv_dense.cl" : "gemm_dense.cl", *name = n == 1 ? "gemv_dense" : "gemm_dense";
        snprintf(buf, size, "-DRT=%d -DTILES=%d -DKC=%d -DVW=%d -DNV=%d", kp->rows, kp->tiles, kp->kc, kp->vw,
                 kp->nv);
        break;
    case SR_PAT_UNSTRUCTURED:
        *file = "spmm_csr.cl", *name = "spmm_csr";
        snprintf(buf, size, "-DROWS=%d -DVW=%d -DNV=%d", kp->rows, kp->vw, kp->nv);
        break;
    case SR_PAT_BLOCK:
        *file = "spmm_bsr.cl", *name = "spmm_bsr";
        snprintf(buf, size, "-DBR=%d -DBC=%d -DRT=%d -DTILES=%d -DKC=%d -DVW=%d -DNV=%d", p->br, p->bc, kp->rows,
                 kp->tiles, kp->kc, kp->vw, kp->nv);
        break;
    case SR_PAT_NM: { /* one column: vectors along the kept values instead (gemv_nm.cl) */
        const int gemv = sr_kernel_params_gemv(p, n);
        *file = gemv ? "gemv_nm.cl" : "spmm_nm.cl", *name = gemv ? "gemv_nm" : "spmm_nm";
        snprintf(buf, size, "-DNN=%d -DMM=%d -DRT=%d -DTILES=%d -DKC=%d -DVW=%d -DNV=%d", p->n, p->m, kp->rows,
                 kp->tiles, kp->kc, kp->vw, kp->nv);
        break;
    }
    }
}

/* The pack kernel that lays X out in panels Xp[Np/TN][Kp][TN]. */
static sr_code pack_setup(spmm_job *job, int k, int n, int kpk, int tn, cl_mem xb, cl_mem xpb, double *build_s,
                          sr_err *err)
{
    char popts[64];
    snprintf(popts, sizeof popts, "-DTN=%d", tn);
    cl_kernel pk = NULL;
    sr_code c = sr_cl_kernel(job->cl, "pack.cl", "pack_panels", popts, &job->pack, build_s, err);
    if (c == SR_OK)
        pk = job->pack;
    if (c != SR_OK || (c = sr_cl_arg(pk, 0, sizeof(int), &k, "pack_panels", err)) ||
        (c = sr_cl_arg(pk, 1, sizeof(int), &n, "pack_panels", err)) ||
        (c = sr_cl_arg(pk, 2, sizeof(int), &kpk, "pack_panels", err)) ||
        (c = sr_cl_arg(pk, 3, sizeof(cl_mem), &xb, "pack_panels", err)) ||
        (c = sr_cl_arg(pk, 4, sizeof(cl_mem), &xpb, "pack_panels", err)))
        return c;
    job->pack_global[0] = (size_t)((n + tn - 1) / tn);
    job->pack_global[1] = (size_t)kpk;
    return SR_OK;
}

/* X for a kernel that reads it in place: kpk rows of n (zero rows past k, up to the
 * block or group padding) and tn floats of zeros after them, where the last panel's rows
 * reach past n (a producer of X would allocate the same slack). As X's upload, untimed. */
static sr_code x_in_place_buf(spmm_job *job, const float *x, int k, int kpk, int n, int tn, cl_mem *out, sr_err *err)
{
    const size_t have = (size_t)k * n, size = (size_t)kpk * n + (size_t)tn;
    float *xz = calloc(size, sizeof *xz);
    if (!xz)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for a %d x %d X", kpk, n);
    memcpy(xz, x, have * sizeof *xz);
    sr_code c = add_buf(job, CL_MEM_READ_ONLY, size * sizeof *xz, xz, "X", out, err);
    free(xz);
    return c;
}

/* W laid out for gemm_dense_wt.cl: row panels Wp[Mp/tm][K][tm], zeros past M. Like the
 * sparse formats' encoding, done once per weight and not part of the time. */
static sr_code w_row_panels_buf(spmm_job *job, const float *w, int m, int k, int tm, cl_mem *out, sr_err *err)
{
    const size_t panels = (size_t)(m + tm - 1) / (size_t)tm, size = panels * (size_t)k * (size_t)tm;
    float *wp = calloc(size, sizeof *wp);
    if (!wp)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for a %d x %d W in panels of %d rows", m, k, tm);
    for (int r = 0; r < m; r++) {
        float *dst = wp + (size_t)(r / tm) * k * tm + (size_t)(r % tm);
        const float *src = w + (size_t)r * k;
        for (int j = 0; j < k; j++)
            dst[(size_t)j * tm] = src[j];
    }
    sr_code c = add_buf(job, CL_MEM_READ_ONLY, size * sizeof *wp, wp, "W in row panels", out, err);
    free(wp);
    return c;
}

/* Creates buffers and kernels and sets every argument. */
static sr_code job_setup(spmm_job *job, const sr_sparse *w, const float *x, int n,
                         const sr_kernel_params *kp, cl_mem *ybuf, double *build_s, sr_err *err)
{
    const int m = w->m, k = w->k, tn = kp->vw * kp->nv, kpk = packed_k(w);
    const int np = round_up(n, tn);
    /* X read in place: no pack kernel */
    const int in_place = sr_kernel_params_x_in_place(kp, &w->pattern, m, k, n);
    /* gemm_dense_wt.cl: vectors along M, tn of them rows of a W panel */
    const int wt = w->pattern.kind == SR_PAT_DENSE && n > 1 && kp->mv;
    char opts[256];
    const char *file = NULL, *name = NULL;
    double b1 = 0, b2 = 0;
    kernel_options(w, kp, n, in_place, sr_cl_info(job->cl), opts, sizeof opts, &file, &name);
    job->name = name;
    sr_code c = sr_cl_kernel(job->cl, file, name, opts, &job->kernel, &b2, err);
    if (c != SR_OK)
        return c;

    cl_mem xb, xpb, yb, a0 = NULL, a1 = NULL, a2 = NULL;
    const cl_mem_flags ro = CL_MEM_READ_ONLY;
    c = in_place ? x_in_place_buf(job, x, k, kpk, n, tn, &xb, err)
                 : add_buf(job, ro, (size_t)k * n * sizeof(float), x, "X", &xb, err);
    xpb = xb;
    if (c == SR_OK && !in_place)
        c = add_buf(job, CL_MEM_READ_WRITE, (size_t)np * kpk * sizeof(float), NULL, "packed X", &xpb, err);
    if (c == SR_OK)
        c = add_buf(job, CL_MEM_READ_WRITE, (size_t)m * n * sizeof(float), NULL, "Y", &yb, err);
    if (c == SR_OK && !in_place)
        c = pack_setup(job, k, n, kpk, tn, xb, xpb, &b1, err);
    *build_s = b1 + b2;
    if (c != SR_OK)
        return c;
    *ybuf = yb;

    const sr_pattern *p = &w->pattern;
    cl_kernel kk = job->kernel;
    int items0 = 0, ai = 0;
#define ARG(size, ptr) \
    if ((c = sr_cl_arg(kk, (cl_uint)ai++, size, ptr, name, err)) != SR_OK) return c
    switch (p->kind) {
    case SR_PAT_DENSE:
        if ((c = wt ? w_row_panels_buf(job, w->vals, m, k, tn, &a0, err)
                    : add_buf(job, ro, (size_t)m * k * sizeof(float), w->vals, "W", &a0, err)))
            return c;
        ARG(sizeof(int), &m); ARG(sizeof(int), &n); ARG(sizeof(int), &k);
        ARG(sizeof(cl_mem), &a0);
        items0 = (m + kp->rows * kp->tiles - 1) / (kp->rows * kp->tiles);
        break;
    case SR_PAT_UNSTRUCTURED: {
        /* W is prepared once, as BSR and N:M are: not part of the time */
        sr_csr_segments *sg = &job->segs;
        if ((c = sr_csr_segments_build(w, kp->kc, kp->rows, sg, err)) != SR_OK)
            return c;
        /* the kernel takes column indices as offsets into its panel (row * XS floats:
         * the panel width, or N in place), so that its loop adds them without scaling */
        const int xs = in_place ? n : tn;
        if ((long long)k * xs > INT32_MAX)
            return sr_err_set(err, SR_ERR_ARG,
                              "CSR: K = %d times a row of %d floats of X exceeds a 32-bit offset; reduce --k, "
                              "--n or the kernel parameters vw, nv", k, xs);
        for (size_t j = 0; j < sg->nnz; j++)
            sg->colidx[j] *= xs;
        const size_t nseg = (size_t)sg->nblocks * (size_t)m;
        cl_mem a3 = NULL;
        if ((c = add_buf(job, ro, nseg * sizeof(int32_t), sg->seg_row, "CSR segment rows", &a0, err)) ||
            (c = add_buf(job, ro, (nseg + 1) * sizeof(int32_t), sg->seg_ptr, "CSR segment starts", &a1, err)) ||
            (c = add_buf(job, ro, sg->nnz * sizeof(int32_t), sg->colidx, "CSR column offsets", &a2, err)) ||
            (c = add_buf(job, ro, sg->nnz * sizeof(float), sg->vals, "CSR values", &a3, err)))
            return c;
        ARG(sizeof(int), &m); ARG(sizeof(int), &n); ARG(sizeof(int), &k); ARG(sizeof(int), &sg->nblocks);
        ARG(sizeof(cl_mem), &a0); ARG(sizeof(cl_mem), &a1); ARG(sizeof(cl_mem), &a2); ARG(sizeof(cl_mem), &a3);
        items0 = (m + kp->rows - 1) / kp->rows;
        break;
    }
    case SR_PAT_BLOCK: {
        const int mb = w->mp / p->br;
        if ((c = add_buf(job, ro, (size_t)(mb + 1) * sizeof(int32_t), w->rowptr, "BSR row pointers", &a0, err)) ||
            (c = add_buf(job, ro, w->nblocks * sizeof(int32_t), w->colidx, "BSR block columns", &a1, err)) ||
            (c = add_buf(job, ro, w->nnz * sizeof(float), w->vals, "BSR values", &a2, err)))
            return c;
        ARG(sizeof(int), &m); ARG(sizeof(int), &n); ARG(sizeof(int), &kpk); ARG(sizeof(int), &mb);
        ARG(sizeof(cl_mem), &a0); ARG(sizeof(cl_mem), &a1); ARG(sizeof(cl_mem), &a2);
        items0 = mb * (p->br / (kp->rows * kp->tiles));
        break;
    }
    case SR_PAT_NM:
        if ((c = add_buf(job, ro, w->nnz, w->idx, "N:M indices", &a0, err)) ||
            (c = add_buf(job, ro, w->nnz * sizeof(float), w->vals, "N:M values", &a1, err)))
            return c;
        ARG(sizeof(int), &m); ARG(sizeof(int), &n); ARG(sizeof(int), &w->groups);
        ARG(sizeof(cl_mem), &a0); ARG(sizeof(cl_mem), &a1);
        items0 = (m + kp->rows * kp->tiles - 1) / (kp->rows * kp->tiles);
        break;
    }
    ARG(sizeof(cl_mem), &xpb);
    ARG(sizeof(cl_mem), &yb);
#undef ARG
    job->use_local = kp->wg > 0;
    job->local[0] = (size_t)(kp->wg > 0 ? kp->wg : 1);
    job->local[1] = 1;
    job->global[0] = (size_t)round_up(items0, (int)job->local[0]);
    job->global[1] = (size_t)(np / tn);
    if (wt) { /* column tiles along dimension 0, row panels along 1 */
        job->global[0] = (size_t)round_up((n + kp->ct * kp->tiles - 1) / (kp->ct * kp->tiles), (int)job->local[0]);
        job->global[1] = (size_t)((m + tn - 1) / tn);
    }
    return SR_OK;
}

/* One repetition: for every group, pack (unless X needs none) then kernel; waited for
 * once at the end; the summed event times and the wall clock of the whole. */
static sr_code jobs_rep(spmm_job *jobs, int groups, sr_rep_time *t, double *pack_s, sr_err *err)
{
    sr_code c = SR_OK;
    double ev = 0.0, pk = 0.0;
    const double t0 = sr_wall_seconds();
    cl_event *evs = calloc(2 * (size_t)groups, sizeof *evs);
    if (!evs)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d groups' events", groups);
    for (int g = 0; g < groups && c == SR_OK; g++) {
        spmm_job *job = &jobs[g];
        if (job->pack)
            c = sr_cl_launch(job->cl, job->pack, 2, job->pack_global, NULL, "pack_panels", &evs[2 * g], err);
        if (c == SR_OK)
            c = sr_cl_launch(job->cl, job->kernel, 2, job->global, job->use_local ? job->local : NULL, job->name,
                             &evs[2 * g + 1], err);
    }
    if (c == SR_OK)
        c = sr_cl_finish(jobs[0].cl, jobs[0].name, err);
    t->wall_s = sr_wall_seconds() - t0;
    for (int g = 0; g < groups && c == SR_OK; g++) {
        const double s1 = evs[2 * g] ? sr_cl_event_seconds(evs[2 * g]) : 0.0,
                     s2 = sr_cl_event_seconds(evs[2 * g + 1]);
        ev = (ev < 0 || s1 < 0 || s2 < 0) ? -1.0 : ev + s1 + s2;
        pk += s1 > 0 ? s1 : 0.0;
    }
    t->event_s = ev;
    *pack_s = pk;
    for (int i = 0; i < 2 * groups; i++)
        if (evs[i])
            clReleaseEvent(evs[i]);
    free(evs);
    return c;
}

/* Reads each group's Y (rows of ld floats) and checks its n columns against the reference
 * (every row_step-th row). */
static sr_code jobs_verify(spmm_job *jobs, const sr_spmm_operand *ops, int groups, int n, int ld, int row_step,
                           const sr_kernel_params *kp, sr_spmm_result *res, sr_err *err)
{
    const sr_sparse *w0 = ops[0].w;
    float *y = malloc((size_t)w0->m * ld * sizeof *y);
    if (!y)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for a %d x %d result", w0->m, ld);
    sr_code c = SR_OK;
    res->verified = 1;
    memset(&res->verify, 0, sizeof res->verify);
    for (int g = 0; g < groups && c == SR_OK && res->verified; g++) {
        const sr_sparse *w = ops[g].w;
        if ((c = sr_cl_read(jobs[g].cl, jobs[g].ybuf, (size_t)w->m * ld * sizeof *y, y, "Y", err)) != SR_OK)
            break;
        for (int r = 1; ld != n && r < w->m; r++) /* the n columns of each row, packed */
            memmove(y + (size_t)r * n, y + (size_t)r * ld, (size_t)n * sizeof *y);
        sr_verify_result v;
        res->verified = sr_verify_spmm_rows(ops[g].w_dense, ops[g].x, y, w->m, w->k, n, row_step, &v);
        /* a driver that ends loops early (llvmpipe) explains a wrong result: refused there */
        if (!res->verified && (c = sr_cl_loop_check(jobs[g].cl, sr_spmm_loop_bound(w, kp), jobs[g].name, err)) != SR_OK)
            break;
        const size_t checked = res->verify.checked + v.checked;
        if (v.max_err_ratio >= res->verify.max_err_ratio || !res->verified)
            res->verify = v;
        res->verify.checked = checked;
        if (!res->verified)
            c = sr_err_set(err, SR_ERR_VERIFY,
                           "%s result disagrees with the CPU reference%s: %zu of %zu elements outside the fp32 "
                           "bound (worst at row %zu, column %zu: %.3g times the bound)",
                           jobs[g].name, groups > 1 ? " in a group" : "", v.failed, v.checked, v.worst_row,
                           v.worst_col, v.max_err_ratio);
    }
    res->rows_checked = res->verify.checked / (size_t)n;
    free(y);
    return c;
}

sr_code sr_spmm_run_groups(sr_cl *cl, const sr_spmm_operand *ops, int groups, int n, const sr_kernel_params *kp,
                           int reps, int row_step, double min_time_s, sr_spmm_result *res, sr_err *err)
{
    memset(res, 0, sizeof *res);
    sr_kernel_params_format(kp, res->params, sizeof res->params);
    if (groups < 1)
        return sr_err_set(err, SR_ERR_ARG, "groups must be at least 1 (got %d)", groups);
    const sr_pattern *p = &ops[0].w->pattern;
    sr_code c = sr_kernel_params_check(kp, p, err);
    if (c != SR_OK)
        return c;
    /* rows padded to whole vectors: the kernels run on ld columns of an X whose padding is
     * zeros, laid out so before the timing, as the layer before would have written it */
    sr_kernel_params eff;
    const int ld = sr_kernel_params_run_width(kp, p, n, &eff);
    kp = &eff;
    res->row_floats = ld;
    if (reps < 1)
        return sr_err_set(err, SR_ERR_ARG, "repetitions must be at least 1 (got %d)", reps);
    spmm_job *jobs = calloc((size_t)groups, sizeof *jobs);
    const size_t kx = (size_t)ops[0].w->k;
    float *xpad = ld != n ? calloc((size_t)groups * kx * (size_t)ld, sizeof *xpad) : NULL;
    for (int g = 0; xpad && g < groups; g++)
        for (size_t r = 0; r < kx; r++)
            memcpy(xpad + ((size_t)g * kx + r) * (size_t)ld, ops[g].x + r * (size_t)n, (size_t)n * sizeof *xpad);
    const int reps_max = min_time_s > 0 ? (reps > MAX_EXTRA_REPS ? reps : MAX_EXTRA_REPS) : reps;
    sr_rep_time *times = calloc((size_t)reps_max, sizeof *times);
    double *pack_s = calloc((size_t)reps_max, sizeof *pack_s), warm_pack = 0;
    int set_up = 0;
    sr_keep_awake *awake = NULL;
    if (!jobs || !times || !pack_s || (ld != n && !xpad)) {
        c = sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d groups of %d repetitions", groups, reps);
        goto done;
    }
    double t = sr_wall_seconds();
    for (; set_up < groups && c == SR_OK; set_up++) {
        double b = 0.0;
        jobs[set_up].cl = cl;
        const float *x = xpad ? xpad + (size_t)set_up * kx * (size_t)ld : ops[set_up].x;
        c = job_setup(&jobs[set_up], ops[set_up].w, x, ld, kp, &jobs[set_up].ybuf, &b, err);
        res->build_s += b;
    }
    res->setup_s = sr_wall_seconds() - t - res->build_s;
    if (c != SR_OK)
        goto done;
    /* Warm-up: the first launch compiles for its local size; its result is verified. */
    sr_rep_time warm;
    if ((c = jobs_rep(jobs, groups, &warm, &warm_pack, err)) != SR_OK)
        goto done;
    res->first_s = warm.wall_s;
    t = sr_wall_seconds();
    c = jobs_verify(jobs, ops, groups, n, ld, row_step, kp, res, err);
    res->verify_s = sr_wall_seconds() - t;
    if (c != SR_OK)
        goto done;
    /* untimed again, for at least WARM_S: the reference just swept the caches and ran on
     * one core while the others idled, and the first repetitions after it ran 10-15%
     * slower than the steady state (a single one of 0.7 ms was not enough) */
    awake = sr_keep_awake_start(sr_cl_info(cl)->type);
    res->awake_cpus = sr_keep_awake_cpus(awake);
    for (const double t_warm = sr_wall_seconds() + WARM_S;;) {
        if ((c = jobs_rep(jobs, groups, &warm, &warm_pack, err)) != SR_OK)
            goto done;
        res->device_s += warm.wall_s;
        if (sr_wall_seconds() >= t_warm)
            break;
    }
    /* reps repetitions, and more (up to reps_max) until min_time_s of them have run */
    const double t_min = sr_wall_seconds() + min_time_s;
    int done_reps = 0;
    for (; done_reps < reps || (done_reps < reps_max && sr_wall_seconds() < t_min); done_reps++) {
        if ((c = jobs_rep(jobs, groups, &times[done_reps], &pack_s[done_reps], err)) != SR_OK)
            goto done;
        res->device_s += times[done_reps].wall_s;
    }
    sr_time_stats_compute(times, done_reps, &res->time);
    res->pack_s = res->time.wallclock ? 0.0 : sr_median(pack_s, done_reps);
    res->launches = 0;
    for (int g = 0; g < groups; g++)
        res->launches += jobs[g].pack ? 2 : 1;
done:
    sr_keep_awake_stop(awake);
    for (int g = 0; g < set_up; g++)
        job_release(&jobs[g]);
    free(jobs);
    free(xpad);
    free(pack_s);
    free(times);
    return c;
}

sr_code sr_spmm_run(sr_cl *cl, const sr_sparse *w, const float *w_dense, const float *x, int n,
                    const sr_kernel_params *kp, int reps, sr_spmm_result *res, sr_err *err)
{
    const sr_spmm_operand op = {w, w_dense, x};
    return sr_spmm_run_groups(cl, &op, 1, n, kp, reps, 1, 0.0, res, err);
}

sr_code sr_spmm_check_limits(const sr_device_info *dev, const sr_pattern *p, int m, int k, int n,
                             double sparsity, const sr_kernel_params *kp, sr_err *err)
{
    sr_kernel_params eff;
    n = sr_kernel_params_run_width(kp, p, n, &eff); /* the buffers hold rows of that many floats */
    size_t wl = 0, wt = 0;
    sr_sparse_estimate(p, m, k, sparsity, &wl, &wt);
    const size_t tn = (size_t)kp->vw * kp->nv, np = ((size_t)n + tn - 1) / tn * tn;
    const size_t kpad = (size_t)k + 32 + (size_t)SR_NM_MAX_M; /* covers padding to any block/group */
    const size_t xb = (size_t)k * n * 4, xpb = np * kpad * 4, yb = (size_t)m * n * 4;
    /* CSR's segment index: a row and a start per (K block, row) */
    const size_t kblocks = kp->kc > 0 && kp->kc < k ? ((size_t)k + (size_t)kp->kc - 1) / (size_t)kp->kc : 1;
    const size_t segb = p->kind == SR_PAT_UNSTRUCTURED ? (kblocks * (size_t)m + 1) * 4 : 0;
    size_t largest = wl;
    const size_t sizes[] = {xb, xpb, yb, segb};
    for (int i = 0; i < 4; i++)
        largest = sizes[i] > largest ? sizes[i] : largest;
    const double total = (double)wt + (double)xb + (double)xpb + (double)yb + 2.0 * (double)segb;
    if (dev->max_alloc_bytes && largest > dev->max_alloc_bytes)
        return sr_err_set(err, SR_ERR_ARG,
                          "matrix too large for %s: a %zu-byte buffer exceeds its largest allocation "
                          "(CL_DEVICE_MAX_MEM_ALLOC_SIZE = %llu bytes); reduce --m, --k or --n",
                          dev->name, largest, (unsigned long long)dev->max_alloc_bytes);
    if (dev->global_mem_bytes && total > (double)dev->global_mem_bytes)
        return sr_err_set(err, SR_ERR_ARG,
                          "matrix too large for %s: %.0f bytes of buffers exceed its global memory "
                          "(%llu bytes); reduce --m, --k or --n",
                          dev->name, total, (unsigned long long)dev->global_mem_bytes);
    return SR_OK;
}

double sr_spmm_flops(const sr_sparse *w, int n) { return 2.0 * (double)w->nnz * n; }
