/* Measuring a device's ceilings (see peaks.h). On a CPU, one work-item per compute unit
 * walks its own contiguous chunk, so that the working set of a core is its share of the
 * sweep point (more work-items would each repeat a smaller chunk and measure a smaller
 * cache); on other devices work-items interleave, coalesced. Each launch repeats its sweep
 * `passes` times (compute: `iters` steps), calibrated so that it lasts long enough to time;
 * PoCL compiles each kernel again for a new work-group size, so the warm-up uses the same
 * sizes as the timed launches. */
#include "bench/peaks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/peaks_check.h"
#include "runtime/keep_awake.h"

#define KIB 1024.0
#define MIB (1024.0 * 1024.0)
#define BW_NACC 8 /* read streams (CPU) or accumulators: enough for the prefetchers */
#define MAX_BATCH 1024   /* launches a timing may batch */
#define WALL_LAUNCHES 50 /* timed by the wall clock, a launch lasts this many empty ones */
#define LOOP_MARGIN 16   /* iterations left below a driver's loop limit */

void sr_peaks_opts_default(sr_peaks_opts *o, int thorough)
{
    memset(o, 0, sizeof *o);
    o->min_ws_bytes = 16 * KIB;
    o->max_ws_bytes = 0;
    o->points_per_octave = thorough ? 8 : 4;
    o->reps = thorough ? 10 : 5;
    o->min_time_s = thorough ? 5e-3 : 2e-3;
    o->compute_time_s = thorough ? 50e-3 : 20e-3;
    o->launch_reps = thorough ? 1000 : 200;
    o->thorough = thorough;
}

void sr_peaks_result_free(sr_peaks_result *r)
{
    if (!r)
        return;
    free(r->read);
    free(r->triad);
    r->read = r->triad = NULL;
    r->n_points = 0;
}

sr_code sr_peaks_sweep_sizes(double lo, double hi, int ppo, double **out, size_t *n, sr_err *err)
{
    *out = NULL;
    *n = 0;
    if (!(lo > 0) || !(hi >= lo) || !isfinite(hi) || ppo < 1 || ppo > 64)
        return sr_err_set(err, SR_ERR_ARG, "sweep from %g to %g bytes at %d points an octave: "
                          "need 0 < from <= to and 1 to 64 points", lo, hi, ppo);
    size_t cap = (size_t)(ceil(log2(hi / lo) * ppo)) + 2;
    double *v = malloc(cap * sizeof *v);
    if (!v)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu sweep points", cap);
    size_t k = 0;
    for (size_t i = 0; k < cap; i++) {
        double x = lo * exp2((double)i / ppo);
        if (x > hi * (1 + 1e-9))
            break;
        v[k++] = x;
    }
    /* end on hi itself unless the last point is within half a step of it */
    if (k < cap && v[k - 1] < hi * exp2(-0.5 / ppo))
        v[k++] = hi;
    *out = v;
    *n = k;
    return SR_OK;
}

/* What one measurement run shares. */
typedef struct {
    sr_cl *cl;
    const sr_peaks_opts *o;
    sr_peaks_result *r;
    const sr_device_info *dev;
    int cpu;           /* contiguous chunks, one work-item per compute unit */
    size_t local;      /* work-group size */
    size_t items_max;  /* work-items of a launch at most */
    int bw_vw;         /* floats a vector in the bandwidth kernels */
    uint64_t loop_limit; /* iterations after which the driver ends a kernel's loops; 0: none */
    double wall_target;  /* the shortest launch worth timing by the wall clock */
} peaks_ctx;

static void progress(peaks_ctx *p, const char *stage, int done, int total, const char *detail)
{
    if (p->o->progress)
        p->o->progress(p->o->progress_ctx, stage, done, total, detail);
}

static sr_code check_stop(peaks_ctx *p, sr_err *err)
{
    if (p->o->stop && p->o->stop())
        return sr_err_set(err, SR_ERR_INTERRUPTED, "peaks: interrupted");
    return SR_OK;
}

/* Once events were implausible, every later launch of the run is timed by the wall clock:
 * a driver that lied once may lie again with figures that look plausible. */
static void distrust_events(peaks_ctx *p, const char *note)
{
    if (!p->r->wallclock) {
        p->r->wallclock = 1;
        snprintf(p->r->timing_note, sizeof p->r->timing_note, "%s", note);
    }
}

static void note_timing(peaks_ctx *p, const sr_time_stats *st)
{
    if (st->wallclock)
        distrust_events(p, st->note);
}

static sr_code kernel(peaks_ctx *p, const char *file, const char *name, const char *options,
                      cl_kernel *k, sr_err *err)
{
    double build = 0;
    sr_code c = sr_cl_kernel(p->cl, file, name, options, k, &build, err);
    p->r->build_s += build;
    return c;
}

/* batch launches enqueued back to back and waited for once: their summed event time
 * (0 when a stamp was missing) and the wall clock of the whole. Several launches make up
 * the time when a driver's loop limit keeps one launch too short for the wall clock. */
static sr_code launch_batch(peaks_ctx *p, cl_kernel k, size_t global, size_t local, int batch,
                            const char *what, sr_rep_time *t, sr_err *err)
{
    cl_event *ev = calloc((size_t)batch, sizeof *ev);
    if (!ev)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d launches", batch);
    double t0 = sr_wall_seconds(), sum = 0;
    sr_code c = SR_OK;
    for (int b = 0; b < batch && c == SR_OK; b++)
        c = sr_cl_launch(p->cl, k, 1, &global, local ? &local : NULL, what, &ev[b], err);
    if (c == SR_OK)
        c = sr_cl_finish(p->cl, what, err);
    t->wall_s = sr_wall_seconds() - t0;
    for (int b = 0; b < batch && ev[b]; b++) {
        double s = c == SR_OK ? sr_cl_event_time(p->cl, ev[b]) : -1;
        sum = s > 0 && sum >= 0 ? sum + s : -1;
        clReleaseEvent(ev[b]);
    }
    t->event_s = sum > 0 && !p->r->wallclock ? sum : 0;
    free(ev);
    return c;
}

static sr_code launch_once(peaks_ctx *p, cl_kernel k, size_t global, size_t local,
                           const char *what, sr_rep_time *t, sr_err *err)
{
    return launch_batch(p, k, global, local, 1, what, t, err);
}

/* reps timed batches of `batch` launches after one warm-up; the figures are per launch. */
static sr_code time_launches(peaks_ctx *p, cl_kernel k, size_t global, size_t local, int batch,
                             int reps, const char *what, sr_time_stats *st, sr_err *err)
{
    sr_rep_time warm, *t = malloc((size_t)reps * sizeof *t);
    if (!t)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d repetitions", reps);
    sr_code c = launch_once(p, k, global, local, what, &warm, err);
    for (int i = 0; i < reps && c == SR_OK; i++) {
        c = launch_batch(p, k, global, local, batch, what, &t[i], err);
        t[i].event_s /= batch;
        t[i].wall_s /= batch;
    }
    if (c == SR_OK) {
        sr_time_stats_compute(t, reps, st);
        note_timing(p, st);
    }
    free(t);
    return c;
}

/* Where a calibration ended: the repeat count, the launches a timing takes, and how many
 * times longer the work must be to last its target (<= 1: long enough). */
typedef struct {
    cl_uint count;
    int batch;
    double short_by;
} calibration;

/* Finds the repeat count (kernel argument `arg`, at most max_count: a driver's loop limit
 * may set it) that makes a launch last target_s; timed by the wall clock (the events are
 * implausible), at least p->wall_target, so that the launch overhead and the clock's
 * resolution do not count. When max_count is too few, `batch` launches back to back make
 * up the time where batching is allowed. A kernel not yet launched with this work-group
 * size (compiled = 0) is launched once first. */
static sr_code calibrate(peaks_ctx *p, cl_kernel k, cl_uint arg, size_t global, size_t local,
                         int compiled, double target_s, cl_uint max_count, int batching,
                         const char *what, calibration *cal, sr_err *err)
{
    cl_uint n = 1;
    int b = 1;
    double short_by = 1;
    sr_rep_time t;
    sr_code c = SR_OK;
    for (int round = compiled ? 1 : 0; round < 8 && c == SR_OK; round++) {
        if ((c = sr_cl_arg(k, arg, sizeof n, &n, what, err)) != SR_OK ||
            (c = launch_batch(p, k, global, local, b, what, &t, err)) != SR_OK)
            break;
        if (round == 0) /* the first launch also compiles for this work-group size */
            continue;
        int wall;
        double s = sr_rep_seconds(&t, &wall), goal = wall ? fmax(target_s, p->wall_target) : target_s;
        if (wall)
            distrust_events(p, "timed by wall clock: profiling events were implausible");
        short_by = s > 0 ? goal / s : INFINITY;
        if (short_by <= 1)
            break;
        double grow = fmin(1.2 * short_by, 1e6);
        if (n < max_count)
            n = (cl_uint)fmin((double)max_count, fmax(n + 1.0, ceil(n * grow)));
        else if (batching && b < MAX_BATCH)
            b = (int)fmin(MAX_BATCH, fmax(b + 1.0, ceil(b * grow)));
        else
            break;
    }
    *cal = (calibration){n, b, short_by};
    if (c == SR_OK)
        c = sr_cl_arg(k, arg, sizeof n, &n, what, err);
    return c;
}

/* The most iterations a loop nest of `inner` iterations an outer one may repeat, under the
 * device's loop limit (llvmpipe ends a kernel's loops after 65535 iterations in all;
 * counted with their exits, and a margin) or `most`. 0: not even one. */
static cl_uint loop_cap(const peaks_ctx *p, double inner, cl_uint most)
{
    if (!p->loop_limit)
        return most;
    double room = ((double)p->loop_limit - LOOP_MARGIN) / (inner + 1);
    return room < 1 ? 0 : (cl_uint)fmin(room, (double)most);
}

/* ---- bandwidth ---- */

typedef struct {
    double ws;    /* bytes of the three triad arrays, and of the read array */
    size_t items; /* work-items */
    cl_uint k;    /* the read kernel walks 3*k*NACC vectors a work-item, the triad k*NACC */
} sweep_point;

/* Geometry of each sweep point: both kernels touch exactly ws bytes. Returns 1 when the
 * device's loop limit ended the sweep before its last point. */
static int plan_sweep(const peaks_ctx *p, const double *target, size_t n, sweep_point *pt,
                       size_t *np)
{
    const double unit = 3.0 * BW_NACC * p->bw_vw * sizeof(float);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double units = fmax(1.0, round(target[i] / unit));
        size_t items = p->items_max;
        if (!p->cpu) {
            size_t fit = (size_t)(units / (double)p->local) * p->local;
            items = fit < p->local ? p->local : fit < items ? fit : items;
        }
        double k = fmax(1.0, round(units / (double)items));
        double ws = k * (double)items * unit;
        if (m > 0 && ws <= pt[m - 1].ws)
            continue;
        if (loop_cap(p, k * BW_NACC, 1) == 0) { /* the triad's pass (the longer) must fit */
            *np = m;
            return 1;
        }
        pt[m++] = (sweep_point){ws, items, (cl_uint)k};
    }
    *np = m;
    return 0;
}

void sr_format_bytes(double b, char *buf, size_t size)
{
    if (b >= 1024 * 1024 * MIB)
        snprintf(buf, size, "%.3g TiB", b / (1024 * 1024 * MIB));
    else if (b >= 1024 * MIB)
        snprintf(buf, size, "%.3g GiB", b / (1024 * MIB));
    else if (b >= MIB)
        snprintf(buf, size, "%.3g MiB", b / MIB);
    else if (b >= KIB)
        snprintf(buf, size, "%.3g KiB", b / KIB);
    else
        snprintf(buf, size, "%.0f bytes", b);
}

/* Fills `bytes` of buf with v through the fill kernel. */
static sr_code fill(peaks_ctx *p, cl_kernel kf, cl_mem buf, size_t bytes, float v, sr_err *err)
{
    size_t global = bytes / ((size_t)p->bw_vw * sizeof(float));
    sr_rep_time t;
    sr_code c;
    if ((c = sr_cl_arg(kf, 0, sizeof buf, &buf, "peak_fill", err)) != SR_OK ||
        (c = sr_cl_arg(kf, 1, sizeof v, &v, "peak_fill", err)) != SR_OK)
        return c;
    return launch_once(p, kf, global, 0, "peak_fill", &t, err);
}

/* Sweeps one kernel ("read" or "triad") over the points into out. */
static sr_code sweep(peaks_ctx *p, int triad, const sweep_point *pt, size_t n,
                     const char *options, sr_bw_point *out, sr_err *err)
{
    const char *name = triad ? "peak_triad" : "peak_read", *stage = triad ? "triad" : "read";
    const size_t vbytes = (size_t)p->bw_vw * sizeof(float);
    const double max_ws = pt[n - 1].ws;
    cl_kernel k = NULL, kf = NULL;
    cl_mem buf[3] = {NULL, NULL, NULL}, res = NULL;
    const int nbuf = triad ? 3 : 1;
    const size_t bytes = (size_t)(triad ? max_ws / 3 : max_ws);
    sr_code c;
    if ((c = kernel(p, "peak_bw.cl", name, options, &k, err)) != SR_OK ||
        (c = kernel(p, "peak_bw.cl", "peak_fill", options, &kf, err)) != SR_OK)
        goto done;
    for (int b = 0; b < nbuf && c == SR_OK; b++) {
        static const char *what[] = {"bandwidth array a", "bandwidth array b",
                                     "bandwidth array c"};
        if ((c = sr_cl_buffer(p->cl, CL_MEM_READ_WRITE, bytes, NULL, what[b], &buf[b], err)) ==
            SR_OK)
            c = fill(p, kf, buf[b], bytes, 1.0f + (float)b, err);
    }
    if (c == SR_OK && !triad)
        c = sr_cl_buffer(p->cl, CL_MEM_WRITE_ONLY, p->items_max * vbytes, NULL, "read sums",
                         &res, err);
    if (c != SR_OK)
        goto done;
    const float s = 3.0f;
    if (triad)
        for (cl_uint a = 0; a < 3 && c == SR_OK; a++)
            c = sr_cl_arg(k, a, sizeof(cl_mem), &buf[a], name, err);
    if (triad && c == SR_OK)
        c = sr_cl_arg(k, 3, sizeof s, &s, name, err);
    if (!triad && (c = sr_cl_arg(k, 0, sizeof(cl_mem), &buf[0], name, err)) == SR_OK)
        c = sr_cl_arg(k, 3, sizeof(cl_mem), &res, name, err);
    const cl_uint per_arg = triad ? 4 : 1, passes_arg = triad ? 5 : 2;
    for (size_t i = 0; i < n && c == SR_OK; i++) {
        if ((c = check_stop(p, err)) != SR_OK)
            break;
        cl_uint per = (triad ? 1 : 3) * pt[i].k * BW_NACC;
        const double inner = triad ? per : per / BW_NACC; /* the loop in each pass */
        calibration cal;
        sr_time_stats st;
        if ((c = sr_cl_arg(k, per_arg, sizeof per, &per, name, err)) != SR_OK ||
            (c = calibrate(p, k, passes_arg, pt[i].items, p->local, i > 0, p->o->min_time_s,
                           loop_cap(p, inner, 1u << 24), 1, name, &cal, err)) != SR_OK ||
            (c = time_launches(p, k, pt[i].items, p->local, cal.batch, p->o->reps, name, &st,
                               err)) != SR_OK)
            break;
        double moved = pt[i].ws * cal.count;
        out[i] = (sr_bw_point){pt[i].ws, moved / st.min_s * 1e-9, moved / st.max_s * 1e-9,
                               st.wallclock};
        char detail[96], ws[32];
        sr_format_bytes(pt[i].ws, ws, sizeof ws);
        snprintf(detail, sizeof detail, "%s: %.1f GB/s", ws, out[i].gbps);
        progress(p, stage, (int)i + 1, (int)n, detail);
    }
done:
    for (int b = 0; b < 3; b++)
        if (buf[b])
            clReleaseMemObject(buf[b]);
    if (res)
        clReleaseMemObject(res);
    if (k)
        clReleaseKernel(k);
    if (kf)
        clReleaseKernel(kf);
    if (c != SR_OK)
        sr_err_prefix(err, "measuring %s bandwidth", stage);
    return c;
}

/* Plateaus of a series, named with the OS cache sizes. */
static sr_code plateaus(peaks_ctx *p, const double *ws, const double *gbps, size_t n,
                        sr_plateau *out, size_t *n_out, sr_err *err)
{
    sr_code c = sr_plateaus_find(ws, gbps, n, NULL, out, SR_MAX_LEVELS, n_out, err);
    if (c == SR_OK)
        sr_plateaus_label(out, *n_out, p->o->cache_bytes, p->o->n_cache);
    return c;
}

/* The largest working set the device can hold: half its memory, and one allocation less
 * room for rounding each size up to whole work-items. */
static double ws_limit(const sr_device_info *dev)
{
    double limit = INFINITY;
    if (dev->global_mem_bytes)
        limit = 0.5 * (double)dev->global_mem_bytes;
    if (dev->max_alloc_bytes)
        limit = fmin(limit, 0.9 * (double)dev->max_alloc_bytes);
    return limit;
}

static double sweep_top(const peaks_ctx *p)
{
    if (p->o->max_ws_bytes > 0)
        return p->o->max_ws_bytes;
    /* 4x the last-level cache as the device or the OS tells it (64 MiB if neither does),
     * within what the device can hold */
    double llc = (double)p->dev->global_cache_bytes;
    for (size_t i = 0; i < p->o->n_cache; i++)
        llc = fmax(llc, (double)p->o->cache_bytes[i]);
    if (llc <= 0)
        llc = 64 * MIB;
    return fmin(4 * llc, ws_limit(p->dev));
}

static sr_code measure_bandwidth(peaks_ctx *p, sr_err *err)
{
    sr_peaks_result *r = p->r;
    double *target = NULL, *ws = NULL, *best = NULL, *rd = NULL, *tr = NULL;
    sweep_point *pt = NULL;
    size_t n = 0, np = 0;
    double top = fmax(sweep_top(p), p->o->min_ws_bytes);
    sr_code c = sr_peaks_sweep_sizes(p->o->min_ws_bytes, top, p->o->points_per_octave, &target,
                                     &n, err);
    if (c != SR_OK)
        return c;
    pt = malloc(n * sizeof *pt);
    r->read = calloc(n, sizeof *r->read);
    r->triad = calloc(n, sizeof *r->triad);
    ws = malloc(n * sizeof *ws);
    best = malloc(n * sizeof *best);
    rd = malloc(n * sizeof *rd);
    tr = malloc(n * sizeof *tr);
    if (!pt || !r->read || !r->triad || !ws || !best || !rd || !tr) {
        c = sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu sweep points", n);
        goto done;
    }
    if (plan_sweep(p, target, n, pt, &np)) {
        char end[32];
        sr_format_bytes(np ? pt[np - 1].ws : 0, end, sizeof end);
        snprintf(r->sweep_note, sizeof r->sweep_note, "the sweep ends at %s: %.60s ends a kernel's "
                 "loops after %llu iterations, and one pass over a larger working set loops longer",
                 end, p->dev->name, (unsigned long long)p->loop_limit);
        if (np == 0) {
            c = sr_err_set(err, SR_ERR_UNSUPPORTED, "measuring bandwidth: %s", r->sweep_note);
            goto done;
        }
    }
    char options[96];
    snprintf(options, sizeof options, "-DVW=%d -DNACC=%d -DCONTIG=%d", p->bw_vw, BW_NACC, p->cpu);
    if ((c = sweep(p, 0, pt, np, options, r->read, err)) != SR_OK ||
        (c = sweep(p, 1, pt, np, options, r->triad, err)) != SR_OK)
        goto done;
    r->n_points = np;
    for (size_t i = 0; i < np; i++) {
        ws[i] = pt[i].ws;
        rd[i] = r->read[i].gbps;
        tr[i] = r->triad[i].gbps;
        best[i] = fmax(rd[i], tr[i]);
    }
    if ((c = plateaus(p, ws, best, np, r->levels, &r->n_levels, err)) != SR_OK ||
        (c = plateaus(p, ws, rd, np, r->read_levels, &r->n_read_levels, err)) != SR_OK ||
        (c = plateaus(p, ws, tr, np, r->triad_levels, &r->n_triad_levels, err)) != SR_OK)
        goto done;
    sr_plateaus_to_levels(r->levels, r->n_levels, &r->ceilings);
done:
    free(target);
    free(pt);
    free(ws);
    free(best);
    free(rd);
    free(tr);
    return c;
}

/* ---- compute ---- */

/* The FMA kernel's output buffer of `bytes` (replacing *buf), its argument 0. */
static sr_code fma_output(peaks_ctx *p, cl_kernel k, size_t bytes, cl_mem *buf, sr_err *err)
{
    if (*buf)
        clReleaseMemObject(*buf);
    *buf = NULL;
    sr_code c = sr_cl_buffer(p->cl, CL_MEM_WRITE_ONLY, bytes, NULL, "FMA results", buf, err);
    return c == SR_OK ? sr_cl_arg(k, 0, sizeof *buf, buf, "peak_fma", err) : c;
}

/* One configuration: best GFLOP/s of reps launches. */
static sr_code fma_run(peaks_ctx *p, sr_dtype d, int vw, int chains, sr_fma_result *out,
                       sr_err *err)
{
    char options[96];
    snprintf(options, sizeof options, "-DVW=%d -DNCH=%d%s", vw, chains,
             d == SR_DTYPE_FP64 ? " -DSR_FP64" : d == SR_DTYPE_FP16 ? " -DSR_FP16" : "");
    /* CPU: a few work-groups per core, so that a core slowed by another process does not
     * hold up the launch, of 8 work-items: drivers that vectorise across work-items
     * (llvmpipe: 8 to a 256-bit register) leave lanes idle in a group of one, 10 times
     * slower there; GPU: enough work-groups to fill every compute unit */
    size_t local = p->cpu ? (p->dev->max_work_group_size >= 8 ? 8 : 1) : p->local;
    size_t global = p->cpu ? p->dev->compute_units * 4 * local : p->items_max;
    size_t esize = d == SR_DTYPE_FP64 ? 8 : d == SR_DTYPE_FP16 ? 2 : 4;
    cl_kernel k = NULL;
    cl_mem out_buf = NULL;
    float seed = 0.5f;
    calibration cal;
    sr_time_stats st;
    sr_code c;
    if ((c = kernel(p, "peak_fma.cl", "peak_fma", options, &k, err)) != SR_OK ||
        (c = fma_output(p, k, global * (size_t)vw * esize, &out_buf, err)) != SR_OK ||
        (c = sr_cl_arg(k, 2, sizeof seed, &seed, "peak_fma", err)) != SR_OK ||
        (c = calibrate(p, k, 1, global, local, 0, p->o->compute_time_s,
                       loop_cap(p, 0, 1u << 30), 0, "peak_fma", &cal, err)) != SR_OK)
        goto done;
    if (cal.short_by > 1) { /* iterations capped by a loop limit: more work-items instead */
        global *= (size_t)fmin(ceil(1.2 * cal.short_by), 1024);
        c = fma_output(p, k, global * (size_t)vw * esize, &out_buf, err);
    }
    if (c != SR_OK ||
        (c = time_launches(p, k, global, local, 1, p->o->reps, "peak_fma", &st, err)) != SR_OK)
        goto done;
    double flops = 2.0 * (double)global * cal.count * chains * vw;
    *out = (sr_fma_result){d, 1, flops / st.min_s * 1e-9, flops / st.max_s * 1e-9, vw, chains,
                           st.wallclock};
done:
    if (out_buf)
        clReleaseMemObject(out_buf);
    if (k)
        clReleaseKernel(k);
    return c;
}

static sr_code measure_compute(peaks_ctx *p, sr_err *err)
{
    static const sr_dtype order[] = {SR_DTYPE_FP32, SR_DTYPE_FP16, SR_DTYPE_FP64};
    static const char *names[] = {"fp32", "fp16", "fp64"};
    /* CPUs want whole SIMD registers and many chains; GPUs many work-items, few registers */
    static const int cpu_vw[] = {4, 8, 16}, gpu_vw[] = {1, 2, 4};
    static const int chains_quick[] = {16}, chains_cpu_thorough[] = {8, 16, 32}, chains_gpu[] = {8};
    const int *vws = p->cpu ? cpu_vw : gpu_vw;
    const int *chains = !p->cpu ? chains_gpu : p->o->thorough ? chains_cpu_thorough : chains_quick;
    const int n_vw = 3, n_ch = !p->cpu ? 1 : p->o->thorough ? 3 : 1;
    sr_peaks_result *r = p->r;
    r->n_compute = 3;
    r->ceilings.n_compute = 3;
    for (int i = 0; i < 3; i++) {
        sr_dtype d = order[i];
        sr_fma_result *best = &r->compute[d];
        *best = (sr_fma_result){.dtype = d};
        r->ceilings.compute[d] = (sr_compute_ceiling){.dtype = d};
        int supported = d == SR_DTYPE_FP32 || (d == SR_DTYPE_FP64 && p->dev->fp64) ||
                        (d == SR_DTYPE_FP16 && p->dev->fp16);
        char stage[32];
        snprintf(stage, sizeof stage, "compute %s", names[i]);
        if (!supported) {
            progress(p, stage, 1, 1, "unsupported");
            continue;
        }
        int done = 0, total = n_vw * n_ch;
        for (int v = 0; v < n_vw; v++)
            for (int ch = 0; ch < n_ch; ch++) {
                sr_fma_result one;
                sr_code c = check_stop(p, err);
                if (c == SR_OK)
                    c = fma_run(p, d, vws[v], chains[ch], &one, err);
                if (c != SR_OK)
                    return sr_err_prefix(err, "measuring %s FMA throughput", names[i]);
                if (one.gflops > best->gflops)
                    *best = one;
                char detail[96];
                snprintf(detail, sizeof detail, "vector %d, %d chains: %.1f GFLOP/s", vws[v],
                         chains[ch], one.gflops);
                progress(p, stage, ++done, total, detail);
            }
        r->ceilings.compute[d] = (sr_compute_ceiling){d, 1, best->gflops};
    }
    return SR_OK;
}

/* The best configuration of each data type once more, keeping the better figure: on a
 * shared machine another process may have held a core the first time. */
static sr_code recheck_compute(peaks_ctx *p, sr_err *err)
{
    sr_peaks_result *r = p->r;
    for (size_t d = 0; d < r->n_compute; d++) {
        sr_fma_result *best = &r->compute[d], again;
        if (!best->supported)
            continue;
        sr_code c = check_stop(p, err);
        if (c == SR_OK)
            c = fma_run(p, best->dtype, best->vw, best->chains, &again, err);
        if (c != SR_OK)
            return sr_err_prefix(err, "measuring FMA throughput again");
        if (again.gflops > best->gflops) {
            *best = again;
            r->ceilings.compute[d].gflops = again.gflops;
        }
        progress(p, "compute again", (int)d + 1, (int)r->n_compute, "");
    }
    return SR_OK;
}

/* ---- a dense product, what the FMA peak must be plausible against ---- */

static sr_code measure_gemm(peaks_ctx *p, sr_err *err)
{
    sr_code c = check_stop(p, err);
    if (c != SR_OK)
        return c;
    sr_err why = {0};
    c = sr_peaks_gemm(p->cl, &p->r->gemm_gflops, &why);
    /* a product this device gets wrong or refuses checks nothing; other failures stop */
    if (c == SR_ERR_VERIFY || c == SR_ERR_UNSUPPORTED) {
        progress(p, "dense product", 1, 1, "skipped: it did not verify");
        return SR_OK;
    }
    if (c != SR_OK) {
        if (err) {
            *err = why;
            sr_err_prefix(err, "running a dense product");
        }
        return c;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%.1f GFLOP/s", p->r->gemm_gflops);
    progress(p, "dense product", 1, 1, detail);
    return SR_OK;
}

/* ---- launch overhead ---- */

static sr_code measure_launch(peaks_ctx *p, sr_err *err)
{
    cl_kernel k = NULL;
    int n = p->o->launch_reps;
    sr_rep_time *t = malloc((size_t)n * sizeof *t);
    if (!t)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory for %d launches", n);
    sr_code c = kernel(p, "peak_empty.cl", "peak_empty", "", &k, err);
    sr_rep_time warm;
    for (int i = 0; i < 5 && c == SR_OK; i++)
        c = launch_once(p, k, 1, 1, "peak_empty", &warm, err);
    for (int i = 0; i < n && c == SR_OK; i++) {
        c = launch_once(p, k, 1, 1, "peak_empty", &t[i], err);
        /* the overhead is what the host waits: enqueue to finish, by the wall clock */
        t[i].event_s = t[i].wall_s;
        if (c == SR_OK && (i + 1) % 50 == 0 && (c = check_stop(p, err)) == SR_OK)
            progress(p, "launch", i + 1, n, "");
    }
    if (c == SR_OK) {
        sr_time_stats_compute(t, n, &p->r->launch);
        p->r->launch.wallclock = 1;
        snprintf(p->r->launch.note, sizeof p->r->launch.note,
                 "wall clock from enqueue to finish");
        p->r->ceilings.launch_overhead_s = p->r->launch.median_s;
    }
    if (k)
        clReleaseKernel(k);
    free(t);
    if (c != SR_OK)
        sr_err_prefix(err, "measuring the launch overhead");
    return c;
}

sr_code sr_peaks_check(const sr_peaks_opts *o, const sr_device_info *dev, sr_err *err)
{
    if (o->reps < 1 || o->launch_reps < 1 || !(o->min_time_s > 0) || !(o->compute_time_s > 0))
        return sr_err_set(err, SR_ERR_ARG, "peaks: repetitions and launch times must be positive");
    if (!(o->max_ws_bytes >= 0) || !isfinite(o->max_ws_bytes))
        return sr_err_set(err, SR_ERR_ARG, "the largest working set must be a size");
    /* the read sweep holds its largest working set in one buffer */
    double limit = ws_limit(dev);
    if (o->max_ws_bytes > limit) {
        char want[32], most[32];
        sr_format_bytes(o->max_ws_bytes, want, sizeof want);
        sr_format_bytes(limit, most, sizeof most);
        return sr_err_set(err, SR_ERR_ARG, "a largest working set of %s is beyond what %s "
                          "can hold: at most %s (half its memory, and one allocation less a margin)", want,
                          dev->name, most);
    }
    return SR_OK;
}

sr_code sr_peaks_measure(sr_cl *cl, const sr_peaks_opts *o, sr_peaks_result *r, sr_err *err)
{
    memset(r, 0, sizeof *r);
    const double t0 = sr_wall_seconds();
    sr_code check = sr_peaks_check(o, sr_cl_info(cl), err);
    if (check != SR_OK)
        return check;
    peaks_ctx p = {.cl = cl, .o = o, .r = r, .dev = sr_cl_info(cl)};
    p.cpu = strcmp(p.dev->type, "CPU") == 0;
    size_t cus = p.dev->compute_units ? p.dev->compute_units : 1;
    if (p.cpu) {
        p.local = 1;
        p.items_max = cus;
        p.bw_vw = 16;
    } else {
        p.local = p.dev->max_work_group_size < 256 ? p.dev->max_work_group_size : 256;
        p.local = p.local ? p.local : 1;
        p.items_max = cus * 8 * p.local;
        p.bw_vw = 4;
    }
    snprintf(r->ceilings.device, sizeof r->ceilings.device, "%s", p.dev->name);
    sr_code c = sr_cl_loop_limit(cl, &p.loop_limit, err);
    /* every ceiling, the launch's included, under the conditions the kernels are timed in */
    sr_keep_awake *awake = sr_keep_awake_start(p.dev->type);
    r->awake_cpus = sr_keep_awake_cpus(awake);
    if (c == SR_OK && (c = measure_launch(&p, err)) == SR_OK) {
        p.wall_target = WALL_LAUNCHES * r->launch.median_s;
        if ((c = measure_compute(&p, err)) == SR_OK && (c = measure_gemm(&p, err)) == SR_OK &&
            (c = measure_bandwidth(&p, err)) == SR_OK && (c = recheck_compute(&p, err)) == SR_OK)
            c = sr_peaks_plausible(r, err);
    }
    sr_keep_awake_stop(awake);
    r->elapsed_s = sr_wall_seconds() - t0;
    return c;
}
