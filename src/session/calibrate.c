/* The calibration grid, run and stored. */
#include "session/calibrate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/kernel_run.h"
#include "session/params.h"

void sr_calibrate_opts_default(sr_calibrate_opts *o, int quick)
{
    memset(o, 0, sizeof *o);
    static const char *pats[] = {"dense", "unstructured", "block:4x4", "block:16x16", "2:4"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        sr_pattern_parse(pats[i], &o->patterns[o->n_patterns++], NULL);
    /* M to 4096: at high sparsity a kernel's rate still grows with its rows (more
     * work-items to share out) well past 1024; held at 1024 it was up to 1.8x slow */
    static const double m[] = {64, 256, 1024, 4096}, k[] = {64, 512, 4096};
    /* N whole panels (the model pads a layer's N the way the kernels do), and no N a
     * multiple of 256 beyond 64: there a row stride of whole KiB crowds X's panel into
     * few cache sets and the kernels repack X (sr_kernel_params_x_in_place), while layers
     * (49 to 12544 columns) mostly read it in place; calibrated on powers of two, the
     * model took the repacking path's rates for theirs (ResNet-50: 12% median speedup
     * error). The quick grid keeps every sparsity (a rate falls steeply from 0.9 to 0.95:
     * interpolated from 0.5 and 0.95 alone, ResNet-50's speedups were 13% off, against 8%
     * with them all) and thins M and N instead.
     * N = 1 apart: dense runs another kernel there (a GEMV), which no wider point covers
     * (ResNet-50's fc layer was predicted at 1.66x its time), and the model gives a layer of
     * one column the rate of these points alone.
     * N = 128 and 4224: rows of X whose stride (512 B, 16.5 KiB) starts on few cache sets, which
     * kernels reading X in place run slower (sr_kernel_params_x_crowded); the model gives
     * such layers (BERT's 128 tokens, 2304 or 12544 columns) the rates of these points. */
    static const double n_full[] = {1, 16, 64, 128, 192, 960, 4032, 4224, 16320};
    static const double n_quick[] = {1, 16, 128, 192, 4032, 4224};
    static const double m_quick[] = {64, 1024, 4096};
    static const double s_full[] = {0.5, 0.75, 0.9, 0.95};
    memcpy(o->k, k, sizeof k), o->n_k = 3;
    memcpy(o->sparsity, s_full, sizeof s_full), o->n_sparsity = 4;
    if (quick) {
        memcpy(o->m, m_quick, sizeof m_quick), o->n_m = 3;
        memcpy(o->n, n_quick, sizeof n_quick), o->n_n = sizeof n_quick / sizeof *n_quick;
    } else {
        memcpy(o->m, m, sizeof m), o->n_m = 4;
        memcpy(o->n, n_full, sizeof n_full), o->n_n = sizeof n_full / sizeof *n_full;
    }
    /* dense runs with vectors along M where panels would pad N by 15% or more, which only
     * 15 and 16 of the grid's widths do; 40, 100 and 200 (and one less) span the layers
     * it runs so (2 to 217 columns, in stretches) */
    static const double n_dense[] = {40, 100, 200};
    memcpy(o->n_dense, n_dense, sizeof n_dense), o->n_n_dense = 3;
    o->m_dense[0] = 128, o->n_m_dense = 1;
    o->max_flops = 8e9;
    o->unaligned = 1;
    o->reps = quick ? 5 : 10;
    o->min_time_s = 0.01;
    o->check_macs = 4e6;
}

/* Calls fn for every grid point (pattern, sparsity, m, k, n) in order; stops when fn
 * returns nonzero. */
static int each_point(const sr_calibrate_opts *o, int (*fn)(void *, const sr_pattern *, double, int, int, int),
                      void *ctx)
{
    for (size_t p = 0; p < o->n_patterns; p++) {
        double fixed = 0;
        const int is_fixed = sr_pattern_fixed_sparsity(&o->patterns[p], &fixed);
        const int dense = o->patterns[p].kind == SR_PAT_DENSE;
        const size_t n_n = o->n_n + (dense ? o->n_n_dense : 0), n_m = o->n_m + (dense ? o->n_m_dense : 0);
        for (size_t si = 0; si < (is_fixed ? 1 : o->n_sparsity); si++)
            for (size_t a = 0; a < n_m; a++)
                for (size_t b = 0; b < o->n_k; b++)
                    for (size_t c = 0; c < n_n; c++)
                        for (int u = 0; u <= o->unaligned; u++) {
                            /* u: one column less, the same panels with unaligned rows of Y;
                             * dense only, where it runs along M at those widths (elsewhere
                             * the kernels pad rows to whole vectors: the aligned point again) */
                            if (u && o->patterns[p].kind != SR_PAT_DENSE)
                                continue;
                            const int n = (int)(c < o->n_n ? o->n[c] : o->n_dense[c - o->n_n]) - u;
                            const double m = a < o->n_m ? o->m[a] : o->m_dense[a - o->n_m];
                            if (2.0 * m * o->k[b] * n > o->max_flops || n < 1)
                                continue;
                            const int r = fn(ctx, &o->patterns[p], is_fixed ? fixed : o->sparsity[si],
                                             (int)m, (int)o->k[b], n);
                            if (r)
                                return r;
                        }
    }
    return 0;
}

static int count_one(void *ctx, const sr_pattern *p, double s, int m, int k, int n)
{
    (void)p, (void)s, (void)m, (void)k, (void)n;
    ++*(size_t *)ctx;
    return 0;
}

size_t sr_calibrate_count(const sr_calibrate_opts *o)
{
    size_t n = 0;
    each_point(o, count_one, &n);
    return n;
}

typedef struct {
    sr_session *s;
    const sr_calibrate_opts *o;
    sr_calibrate_progress progress;
    void *ctx;
    sr_calib_point *pts;
    char (*params)[96];
    size_t n, total;
    sr_code rc;
    sr_err *err;
} run_state;

static int run_one(void *ctx, const sr_pattern *p, double s, int m, int k, int n)
{
    run_state *st = ctx;
    if (st->s->interrupted && st->s->interrupted()) {
        st->rc = sr_err_set(st->err, SR_ERR_INTERRUPTED, "interrupted");
        return 1;
    }
    sr_kernel_spec spec = {.pattern = *p, .sparsity = s, .reps = st->o->reps, .min_time_s = st->o->min_time_s,
                           .check_macs = st->o->check_macs};
    sr_params_source src;
    sr_problem prob = {0};
    sr_kernel_outcome out;
    char note[256]; /* a point whose tuned parameters exceed a device limit runs the defaults, as a layer does */
    st->rc = sr_session_params_fit(st->s, &spec, m, k, n, 1, NULL, &src, note, sizeof note, st->err);
    if (st->rc == SR_OK)
        st->rc = sr_problem_make(m, k, n, 0x5eed ^ ((uint64_t)m << 40) ^ ((uint64_t)k << 20) ^ (uint64_t)n, &prob,
                                 st->err);
    if (st->rc == SR_OK)
        st->rc = sr_kernel_run(st->s->cl, &prob, &spec, NULL, &(sr_kernel_hooks){.stop = st->s->interrupted}, &out,
                               st->err);
    sr_problem_free(&prob);
    if (st->rc != SR_OK)
        return 1;
    sr_calib_point *pt = &st->pts[st->n];
    memset(pt, 0, sizeof *pt);
    sr_pattern_name(p, pt->pattern, sizeof pt->pattern);
    pt->sparsity = s;
    pt->m = m, pt->k = k, pt->n = n;
    pt->flops = out.flops;
    pt->time_s = out.res.time.median_s;
    pt->pack_s = out.res.pack_s;
    snprintf(st->params[st->n], sizeof st->params[0], "%s", out.res.params);
    st->n++;
    if (st->progress)
        st->progress(st->ctx, st->n, st->total, pt);
    return 0;
}

sr_code sr_session_calibrate(sr_session *s, const sr_calibrate_opts *o, sr_calibrate_progress progress, void *ctx,
                             sr_calib_point **pts, size_t *n, sr_err *err)
{
    const size_t total = sr_calibrate_count(o);
    run_state st = {.s = s, .o = o, .progress = progress, .ctx = ctx, .total = total, .err = err};
    st.pts = calloc(total ? total : 1, sizeof *st.pts);
    st.params = calloc(total ? total : 1, sizeof *st.params);
    const char **pp = calloc(total ? total : 1, sizeof *pp);
    if (!st.pts || !st.params || !pp)
        st.rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory for %zu calibration points", total);
    else
        each_point(o, run_one, &st);
    for (size_t i = 0; st.rc == SR_OK && i < st.n; i++)
        pp[i] = st.params[i];
    /* what decided the speeds, so that a later binary with other kernels sees it stale */
    char hash[SR_KERNELS_HASH_LEN];
    if (st.rc == SR_OK)
        st.rc = sr_calibration_hash(s->store, s->device_uuid, s->dev ? s->dev->type : NULL, st.pts, st.n, hash, err);
    if (st.rc == SR_OK)
        st.rc = sr_store_put_calibration(s->store, s->device_uuid, st.pts, st.n, pp, hash, err);
    free(pp);
    free(st.params);
    if (st.rc != SR_OK) {
        free(st.pts);
        st.pts = NULL;
        st.n = 0;
    }
    *pts = st.pts;
    *n = st.n;
    return st.rc;
}

/* The kernels' layout of a run (bench/params.h): the columns it computes (rows of ld floats
 * in whole panels of vw*nv, or along M whole tiles of ct) and whether X, read in place,
 * crowds into few cache sets. */
static sr_device_layout run_layout(const sr_kernel_params *kp, const sr_pattern *p, int m, int k, int n)
{
    sr_kernel_params eff;
    const int ld = sr_kernel_params_run_width(kp, p, n, &eff);
    sr_device_layout lay = {0, 0};
    if (eff.mv) {
        lay.cols = (double)((n + eff.ct - 1) / eff.ct * eff.ct);
        return lay;
    }
    const int tn = sr_kernel_params_gemv(p, n) ? 1 : eff.vw * eff.nv;
    lay.cols = (double)((ld + tn - 1) / tn) * tn;
    lay.crowded = sr_kernel_params_x_in_place(&eff, p, m, k, ld) && sr_kernel_params_x_crowded(&eff, p, ld);
    return lay;
}

/* The parameters the session would run pattern p with at that shape (tuned, else the
 * defaults); 0 where there are none. */
static int layer_params(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n,
                        sr_kernel_params *kp)
{
    sr_device_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.type, sizeof info.type, "%s", dm->rules_type[0] ? dm->rules_type : "CPU");
    sr_session s;
    sr_session_init(&s, 0, NULL, NULL);
    s.store = (sr_store *)dm->rules_ctx;
    s.dev = &info;
    snprintf(s.device_uuid, sizeof s.device_uuid, "%s", dm->rules_device);
    sr_params_source src;
    return n <= INT32_MAX && k <= INT32_MAX && m <= INT32_MAX &&
           sr_session_params(&s, p, (int)m, (int)k, (int)n, NULL, kp, &src, NULL) == SR_OK;
}

/* The kernels' rule for repacking X as a run of the layer applies it. */
static int x_packed(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n)
{
    sr_kernel_params kp, eff;
    if (!layer_params(dm, p, m, k, n, &kp))
        return 0;
    const int ld = sr_kernel_params_run_width(&kp, p, (int)n, &eff);
    return !sr_kernel_params_x_in_place(&eff, p, (int)m, (int)k, ld);
}

/* The kernels' layout of a run of the layer. */
static void layer_layout(const sr_device_model *dm, const sr_pattern *p, int64_t m, int64_t k, int64_t n,
                         sr_device_layout *out)
{
    sr_kernel_params kp;
    *out = (sr_device_layout){0, 0};
    if (layer_params(dm, p, m, k, n, &kp))
        *out = run_layout(&kp, p, (int)m, (int)k, (int)n);
}

sr_code sr_session_device_model(sr_store *store, const char *device_uuid, double launch_s, sr_device_model *dm,
                                sr_calib_point **pts, sr_err *err)
{
    size_t n = 0;
    memset(dm, 0, sizeof *dm);
    sr_code c = sr_store_get_calibration(store, device_uuid, pts, &n, err);
    if (c != SR_OK)
        return c;
    dm->points = *pts;
    dm->n_points = n;
    dm->launch_s = launch_s;
    dm->smooth = 1; /* side by side on one machine: network speedup error 10% against 15% unsmoothed */
    /* the panels of the widest dense grid point's kernel: how the kernels cover N */
    const sr_calib_point *widest = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp((*pts)[i].pattern, "dense") == 0 && (*pts)[i].params[0] && (!widest || (*pts)[i].n > widest->n))
            widest = &(*pts)[i];
    sr_kernel_params kp = {0};
    if (widest && sr_kernel_params_parse(widest->params, &kp, NULL) == SR_OK && kp.vw > 0 && kp.nv > 0) {
        dm->vector = kp.vw;
        dm->panel = kp.vw * kp.nv;
    }
    /* how each pattern's kernel sweeps X (its re-reads come from the level holding a slice) */
    for (size_t i = 0; i < n; i++) {
        const sr_calib_point *p = &(*pts)[i];
        size_t b = 0;
        while (b < dm->n_blocking && strcmp(dm->blocking[b].pattern, p->pattern) != 0)
            b++;
        sr_kernel_params q = {0};
        sr_pattern pat;
        if (!p->params[0] || sr_kernel_params_parse(p->params, &q, NULL) != SR_OK || q.vw <= 0 || q.nv <= 0 ||
            sr_pattern_parse(p->pattern, &pat, NULL) != SR_OK)
            continue;
        /* the columns its kernel computed and the crowding of X's rows, by the kernels' rules */
        const sr_device_layout lay = run_layout(&q, &pat, (int)p->m, (int)p->k, (int)p->n);
        (*pts)[i].cols = lay.cols;
        (*pts)[i].crowded = p->pack_s > 0 ? 0 : lay.crowded;
        if (q.pad) /* rows padded to whole vectors: as the points ran, so will the layers */
            dm->row_pad = 1;
        if (q.mv) { /* dense along M: no panels of X; its points say the kernels' rule holds */
            dm->along_m_panel = SR_ALONG_M_PANEL, dm->along_m_pct = SR_ALONG_M_PAD_PCT;
            continue;
        }
        if (b < dm->n_blocking || b == SR_DEVICE_MAX_BLOCKING)
            continue;
        snprintf(dm->blocking[b].pattern, sizeof dm->blocking[b].pattern, "%s", p->pattern);
        dm->blocking[b].k_block = q.kc;
        dm->blocking[b].width = q.vw * q.nv;
        dm->n_blocking++;
    }
    /* X's repacking apart, where the kernels' rule says a layer repacks, at the speed the
     * points that repacked ran it */
    dm->x_packed = x_packed;
    dm->layout = layer_layout;
    dm->rules_ctx = store;
    snprintf(dm->rules_device, sizeof dm->rules_device, "%s", device_uuid);
    if (sr_store_device_type(store, device_uuid, dm->rules_type, NULL) != SR_OK)
        dm->rules_type[0] = '\0';
    sr_device_model_pack_fit(dm, &dm->pack_fixed_s, &dm->pack_gbps);
    return SR_OK;
}
