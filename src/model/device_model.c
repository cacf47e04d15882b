/* The device model: interpolation of calibrated rates, re-read traffic, launches. */
#include "model/device_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AXES 4     /* log m, log k, log n, sparsity */
#define MAX_VALS 32

typedef struct {
    double v[MAX_VALS];
    int n;
} axis;

/* The columns pattern `name`'s kernel computes for n: whole panels (its own width where
 * its calibration says, else the device's), or whole vectors below a panel. (2:4 runs
 * panels of 128 columns where dense runs 64: at N = 192 it computes 256, and counted as
 * 192 its rate came out 25% low, and every 2:4 layer of 128 columns that much slow.) */
/* Whether dense runs with vectors along M at n columns (the kernels' rule, in dm). */
static int along_m(const sr_device_model *dm, const char *name, double n)
{
    if (dm->along_m_pct <= 0 || dm->along_m_panel <= 0 || n <= 1 || strcmp(name, "dense") != 0)
        return 0;
    const double padded = ceil(n / dm->along_m_panel) * dm->along_m_panel;
    return (padded - n) * 100 >= dm->along_m_pct * padded;
}

static double padded_n(const sr_device_model *dm, const char *name, double n)
{
    if (along_m(dm, name, n)) /* tiles of a few columns: N as it is, within a few */
        return n;
    double panel = dm->panel;
    for (size_t i = 0; i < dm->n_blocking; i++)
        if (strcmp(dm->blocking[i].pattern, name) == 0 && dm->blocking[i].width > 0)
            panel = dm->blocking[i].width;
    if (panel <= 0 || dm->vector <= 0)
        return n;
    const double unit = n < panel ? dm->vector : panel;
    return ceil(n / unit) * unit;
}

/* The columns a calibration point's kernel computed: its own (the kernels' rule, where
 * the model's builder gave it), else N padded as above. */
static double point_cols(const sr_device_model *dm, const sr_calib_point *p)
{
    return p->cols > 0 ? p->cols : padded_n(dm, p->pattern, p->n);
}

static double density_coord(double sparsity) { return log(fmax(1.0 - sparsity, 1e-6)); }

static double coord(const sr_device_model *dm, const sr_calib_point *p, int a)
{
    switch (a) {
    case 0: return log(p->m);
    case 1: return log(p->k);
    case 2: return log(point_cols(dm, p));
    default: return density_coord(p->sparsity);
    }
}

static void axis_add(axis *ax, double v)
{
    for (int i = 0; i < ax->n; i++)
        if (fabs(ax->v[i] - v) < 1e-9)
            return;
    if (ax->n == MAX_VALS)
        return;
    int i = ax->n++;
    for (; i > 0 && ax->v[i - 1] > v; i--)
        ax->v[i] = ax->v[i - 1];
    ax->v[i] = v;
}

/* The grid values around x on an axis (clamped): lo, hi and the weight of hi. */
static void bracket(const axis *ax, double x, double *lo, double *hi, double *w)
{
    if (ax->n == 1 || x <= ax->v[0]) {
        *lo = *hi = ax->v[0];
        *w = 0;
        return;
    }
    if (x >= ax->v[ax->n - 1]) {
        *lo = *hi = ax->v[ax->n - 1];
        *w = 0;
        return;
    }
    int i = 1;
    while (ax->v[i] < x)
        i++;
    *lo = ax->v[i - 1];
    *hi = ax->v[i];
    *w = (x - *lo) / (*hi - *lo);
}

/* Whether the kernels store Y's rows as whole aligned vectors at this N (they do when N
 * is a whole number of vectors, or wider than one where they pad rows to whole vectors):
 * unaligned rows cost more, so the two kinds of point are interpolated apart. */
static int aligned_n(const sr_device_model *dm, double n)
{
    return dm->vector <= 0 || fmod(n, dm->vector) == 0 || (dm->row_pad && n > dm->vector);
}

/* The sets of points interpolated apart, by N: unaligned (0) and aligned (1) widths, and
 * a single column (2: dense runs a GEMV there, no GEMM's panels, and the sparse kernels
 * their narrowest vectors; a layer of one column takes its rate from those points alone,
 * and no other layer from them); dense along M (3: another kernel, where panels would
 * pad N much). ANY_WIDE: every point of more than one column; ANY: every point (the last
 * resort of a grid that lacks a layer's set). */
enum { SET_UNALIGNED = 0, SET_ALIGNED = 1, SET_SINGLE = 2, SET_ALONG_M = 3, SET_ANY_WIDE = -1, SET_ANY = -2 };

static int set_of(const sr_device_model *dm, const char *name, double n)
{
    return n == 1 ? SET_SINGLE : along_m(dm, name, n) ? SET_ALONG_M : aligned_n(dm, n);
}

/* The points interpolated for a layer: a set by N, and of them those that read X as the
 * layer does (packed: 1 repacked, 0 in place, -1 either; crowded: 1 in place at a row
 * stride reaching few cache sets, 0 not, -1 either). */
typedef struct {
    int set, packed, crowded;
} selection;

/* Whether a point belongs to the selection interpolated for pattern. */
static int in_set(const sr_device_model *dm, const sr_calib_point *p, const char *pattern, selection sel)
{
    if (strcmp(p->pattern, pattern) != 0 || (sel.packed >= 0 && (p->pack_s > 0) != sel.packed) ||
        (sel.crowded >= 0 && (p->crowded != 0) != sel.crowded))
        return 0;
    switch (sel.set) {
    case SET_ANY: return 1;
    case SET_ANY_WIDE: return p->n != 1;
    default: return set_of(dm, pattern, p->n) == sel.set;
    }
}

/* Whether rates count the kernel alone and the repacking of X comes apart (the model
 * knows the kernels' rule and their repacking speed). */
static int pack_apart(const sr_device_model *dm) { return dm->x_packed && dm->pack_gbps > 0; }

/* log of a point's rate over the columns its kernel computed (and, with the repacking
 * apart, over the kernel's own time). */
static double point_rate(const sr_device_model *dm, const sr_calib_point *p)
{
    double t = p->time_s;
    if (pack_apart(dm) && p->pack_s > 0 && p->pack_s < t)
        t -= p->pack_s;
    return log(p->flops * point_cols(dm, p) / p->n / t);
}

static const sr_calib_point *at(const sr_device_model *dm, const char *pattern, selection set, const double c[AXES])
{
    for (size_t i = 0; i < dm->n_points; i++) {
        const sr_calib_point *p = &dm->points[i];
        if (!in_set(dm, p, pattern, set) || !(p->time_s > 0) || !(p->flops > 0))
            continue;
        int same = 1;
        for (int a = 0; a < AXES && same; a++)
            same = fabs(coord(dm, p, a) - c[a]) < 1e-9;
        if (same)
            return p;
    }
    return NULL;
}

/* Bytes of X a repack writes: k rows of the columns the kernel computes. */
static double pack_bytes(double k, double cols) { return 4.0 * k * cols; }

/* How the kernels run a layer: the model builder's rule, else N padded by the model. */
static sr_device_layout layer_layout(const sr_device_model *dm, const sr_pattern *p, const char *name, double m,
                                     double k, double n)
{
    sr_device_layout lay = {0, 0};
    if (dm->layout)
        dm->layout(dm, p, (int64_t)m, (int64_t)k, (int64_t)n, &lay);
    if (!(lay.cols > 0))
        lay.cols = padded_n(dm, name, n);
    return lay;
}

int sr_device_model_pack_fit(const sr_device_model *dm, double *fixed_s, double *gbps)
{
    /* weighted least squares of pack_s = a + b * bytes, weights 1 / pack_s^2 */
    double sw = 0, sb = 0, st = 0, sbb = 0, sbt = 0;
    int count = 0;
    for (size_t i = 0; i < dm->n_points; i++) {
        const sr_calib_point *p = &dm->points[i];
        if (!(p->pack_s > 0))
            continue;
        const double b = pack_bytes(p->k, point_cols(dm, p)), w = 1 / (p->pack_s * p->pack_s);
        sw += w, sb += w * b, st += w * p->pack_s, sbb += w * b * b, sbt += w * b * p->pack_s;
        count++;
    }
    *fixed_s = *gbps = 0;
    const double det = sw * sbb - sb * sb;
    if (count < 2 || !(det > 0))
        return 0;
    const double slope = (sw * sbt - sb * st) / det, fixed = (st - slope * sb) / sw;
    if (!(slope > 0))
        return 0;
    *fixed_s = fmax(fixed, 0.0);
    *gbps = 1e-9 / slope;
    return 1;
}

int sr_device_model_has(const sr_device_model *dm, const sr_pattern *p)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    for (size_t i = 0; dm && i < dm->n_points; i++)
        if (strcmp(dm->points[i].pattern, name) == 0)
            return 1;
    return 0;
}

#define TERMS 10 /* 1, x, y, z, x^2, y^2, z^2, xy, xz, yz */

static void terms(double x, double y, double z, double t[TERMS])
{
    const double v[TERMS] = {1, x, y, z, x * x, y * y, z * z, x * y, x * z, y * z};
    memcpy(t, v, sizeof v);
}

/* Solves a (TERMS x TERMS, symmetric) a = b by Gaussian elimination with partial
 * pivoting; 0 when singular. */
static int solve(double a[TERMS][TERMS], double b[TERMS])
{
    double scale = 0;
    for (int c = 0; c < TERMS; c++)
        scale = fmax(scale, fabs(a[c][c]));
    for (int c = 0; c < TERMS; c++) {
        int piv = c;
        for (int r = c + 1; r < TERMS; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (fabs(a[piv][c]) < 1e-10 * scale) /* too few distinct values on an axis */
            return 0;
        for (int j = 0; j < TERMS; j++) {
            const double t = a[c][j];
            a[c][j] = a[piv][j], a[piv][j] = t;
        }
        const double t = b[c];
        b[c] = b[piv], b[piv] = t;
        for (int r = c + 1; r < TERMS; r++) {
            const double f = a[r][c] / a[c][c];
            for (int j = c; j < TERMS; j++)
                a[r][j] -= f * a[c][j];
            b[r] -= f * b[c];
        }
    }
    for (int c = TERMS - 1; c >= 0; c--) {
        for (int j = c + 1; j < TERMS; j++)
            b[c] -= a[c][j] * b[j];
        b[c] /= a[c][c];
    }
    return 1;
}

/* log(rate) of the points of one sparsity (density coordinate d), smoothed: a least-squares
 * quadratic in log M, log K, log N over them, evaluated at x clamped to their range. The
 * calibration's single points are noisy (a few microseconds of a short kernel move them);
 * the surface through all of them is not. 0 when the points are too few to fit. */
static int fitted(const sr_device_model *dm, const char *name, selection set, double d, const double x[3],
                  double *out)
{
    double a[TERMS][TERMS] = {{0}}, b[TERMS] = {0}, lo[3] = {INFINITY, INFINITY, INFINITY},
           hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    int count = 0;
    axis distinct[3] = {{{0}, 0}};
    for (size_t i = 0; i < dm->n_points; i++) {
        const sr_calib_point *p = &dm->points[i];
        if (!in_set(dm, p, name, set) || fabs(coord(dm, p, 3) - d) > 1e-9 || !(p->time_s > 0))
            continue;
        const double c[3] = {coord(dm, p, 0), coord(dm, p, 1), coord(dm, p, 2)};
        double t[TERMS];
        terms(c[0], c[1], c[2], t);
        const double y = point_rate(dm, p);
        for (int r = 0; r < TERMS; r++) {
            for (int j = 0; j < TERMS; j++)
                a[r][j] += t[r] * t[j];
            b[r] += t[r] * y;
        }
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], c[k]), hi[k] = fmax(hi[k], c[k]);
            axis_add(&distinct[k], c[k]);
        }
        count++;
    }
    /* a quadratic needs three values on each axis (with two, its square is a line of the
     * others and the system singular: rounding let such fits through as NaN) */
    if (count < 2 * TERMS || distinct[0].n < 3 || distinct[1].n < 3 || distinct[2].n < 3 || !solve(a, b))
        return 0;
    double t[TERMS], v = 0;
    terms(fmin(fmax(x[0], lo[0]), hi[0]), fmin(fmax(x[1], lo[1]), hi[1]), fmin(fmax(x[2], lo[2]), hi[2]), t);
    for (int r = 0; r < TERMS; r++)
        v += b[r] * t[r];
    *out = v;
    return 1;
}

/* How the kernels run a layer, asked of the builder's rules once per prediction: its
 * layout, and whether it repacks X (1, 0; -1: the repacking is not apart). */
typedef struct {
    sr_device_layout lay;
    int packed;
} layer_rules;

static layer_rules rules_of(const sr_device_model *dm, const sr_pattern *p, const char *name, double m, double k,
                            double n)
{
    layer_rules r = {layer_layout(dm, p, name, m, k, n), -1};
    if (pack_apart(dm))
        r.packed = dm->x_packed(dm, p, (int64_t)m, (int64_t)k, (int64_t)n);
    return r;
}

static sr_code rate_with(const sr_device_model *dm, const char *name, const layer_rules *rules, double sparsity,
                         double m, double k, double n, double *gflops, double *pack_share, sr_err *err)
{
    /* points of n's own set where the grid has them (a single column without its own:
     * the unaligned widths, as before such points were calibrated), else the widest set */
    const int sets[] = {set_of(dm, name, n), aligned_n(dm, n), SET_ANY_WIDE, SET_ANY};
    /* with the repacking apart, of those the points that read X as the layer does where
     * the grid has them: a kernel reading packed panels runs at another rate than in place;
     * and of those the points whose X rows crowd into few cache sets as the layer's do (or
     * do not), where the grid has such points */
    const int packed = rules->packed;
    const sr_device_layout lay = rules->lay;
    selection set = {SET_ANY, -1, -1};
    for (size_t c = 0, found = 0; c < 4 * sizeof sets / sizeof *sets && !found; c++) {
        const selection sel = {sets[c / 4], (c / 2) % 2 ? -1 : packed, c % 2 ? -1 : lay.crowded != 0};
        for (size_t i = 0; i < dm->n_points && !found; i++)
            if ((found = in_set(dm, &dm->points[i], name, sel)))
                set = sel;
    }
    axis ax[AXES] = {{{0}, 0}};
    for (size_t i = 0; i < dm->n_points; i++)
        if (in_set(dm, &dm->points[i], name, set))
            for (int a = 0; a < AXES; a++)
                axis_add(&ax[a], coord(dm, &dm->points[i], a));
    if (ax[0].n == 0)
        return sr_err_set(err, SR_ERR_NOTFOUND, "no calibration of %s on this device", name);
    const double x[AXES] = {log(m), log(k), log(lay.cols), density_coord(sparsity)};
    double lo[AXES], hi[AXES], w[AXES];
    for (int a = 0; a < AXES; a++)
        bracket(&ax[a], x[a], &lo[a], &hi[a], &w[a]);
    /* multilinear over the 16 corners, on log(rate); corners the grid lacks are left out
     * and the weights of the others renormalized */
    double sum = 0, share = 0, wsum = 0;
    for (int corner = 0; corner < 1 << AXES; corner++) {
        double c[AXES], wt = 1;
        for (int a = 0; a < AXES; a++) {
            const int up = (corner >> a) & 1;
            c[a] = up ? hi[a] : lo[a];
            wt *= up ? w[a] : 1 - w[a];
        }
        if (wt <= 0)
            continue;
        const sr_calib_point *pt = at(dm, name, set, c);
        if (!pt)
            continue;
        /* the rate over the columns computed */
        sum += wt * point_rate(dm, pt);
        share += wt * (pt->pack_s > 0 && !pack_apart(dm) ? pt->pack_s / pt->time_s : 0.0);
        wsum += wt;
    }
    /* smoothed where the grid is rich enough: the fitted surfaces of the two calibrated
     * sparsities around this one, interpolated between them (also where the corners around
     * the layer are missing: a set whose few points lie at other M, K or N) */
    double f_lo, f_hi;
    const double xs[3] = {x[0], x[1], x[2]};
    const int smoothed =
        dm->smooth && fitted(dm, name, set, lo[3], xs, &f_lo) && fitted(dm, name, set, hi[3], xs, &f_hi);
    if (wsum <= 0 && !smoothed)
        return sr_err_set(err, SR_ERR_NOTFOUND, "the calibration of %s has no point near m=%g k=%g n=%g", name, m, k,
                          n);
    *gflops = smoothed ? exp((1 - w[3]) * f_lo + w[3] * f_hi) * 1e-9 : exp(sum / wsum) * 1e-9;
    *pack_share = wsum > 0 ? share / wsum : 0.0;
    return SR_OK;
}

sr_code sr_device_model_rate(const sr_device_model *dm, const sr_pattern *p, double sparsity, double m, double k,
                             double n, double *gflops, double *pack_share, sr_err *err)
{
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    const layer_rules rules = rules_of(dm, p, name, m, k, n);
    return rate_with(dm, name, &rules, sparsity, m, k, n, gflops, pack_share, err);
}

/* Bytes of X a format reads again and again: a row of N values per CSR nonzero or N:M
 * value, bc rows per BSR block. Dense kernels keep their X tile in registers: none. */
static double reread_bytes(const sr_pattern *p, double nnz, double n)
{
    switch (p->kind) {
    case SR_PAT_UNSTRUCTURED: return nnz * n * 4.0;
    case SR_PAT_BLOCK: return nnz / p->br * n * 4.0; /* blocks * bc rows = nnz / br */
    case SR_PAT_NM: return nnz * n * 4.0;
    case SR_PAT_DENSE: break;
    }
    return 0.0;
}

/* Bytes of the slice of X a kernel re-reads from: the rows of one K block of one panel. */
static double reread_slice(const sr_device_model *dm, const char *name, double k, double n)
{
    for (size_t i = 0; i < dm->n_blocking; i++) {
        const sr_device_blocking *b = &dm->blocking[i];
        if (strcmp(b->pattern, name) == 0 && b->width > 0)
            return (b->k_block > 0 ? fmin(k, b->k_block) : k) * fmin(n, b->width) * 4.0;
    }
    return k * fmin(n, SR_DEVICE_PANEL) * 4.0;
}

sr_code sr_device_model_time(const sr_device_model *dm, const sr_ceilings *c, const sr_pattern *p, double sparsity,
                             int64_t m, int64_t k, int64_t n, int64_t groups, double nnz, sr_device_time *out,
                             sr_err *err)
{
    memset(out, 0, sizeof *out);
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    const layer_rules rules = rules_of(dm, p, name, (double)m, (double)k, (double)n);
    double gflops, share;
    sr_code rc = rate_with(dm, name, &rules, sparsity, (double)m, (double)k, (double)n, &gflops, &share, err);
    if (rc != SR_OK)
        return rc;
    const double cols = rules.lay.cols;
    const double g = (double)groups, flops = 2.0 * nnz * cols;
    out->gflops = gflops;
    out->rate_s = g * flops / (gflops * 1e9);
    /* the level whose working set holds the slice of X the kernel re-reads */
    const double xb = reread_slice(dm, name, (double)k, (double)n);
    const sr_bw_level *lv = c ? sr_ceilings_level(c, xb >= 1.8e19 ? UINT64_MAX : (uint64_t)xb) : NULL;
    const double rb = reread_bytes(p, nnz, (double)n);
    out->reread_s = lv && lv->gbps > 0 ? g * rb / (lv->gbps * 1e9) : 0.0;
    out->kernel_s = out->rate_s > out->reread_s ? out->rate_s : out->reread_s;
    out->pack_s = share * out->rate_s;
    if (rules.packed > 0) { /* X's panels: k rows of the columns computed */
        out->pack_s = g * (dm->pack_fixed_s + pack_bytes((double)k, cols) / (dm->pack_gbps * 1e9));
        out->kernel_s += out->pack_s;
    }
    out->launches = (int)(g * (out->pack_s > 0 ? 2 : 1));
    out->launch_s = dm->launch_s * out->launches;
    out->time_s = out->kernel_s + out->launch_s;
    if (out->launch_s > out->kernel_s)
        snprintf(out->term, sizeof out->term, "launch");
    else if (out->reread_s > out->rate_s)
        snprintf(out->term, sizeof out->term, "re-read %.48s", lv->level);
    else if (out->pack_s > 0.5 * out->kernel_s)
        snprintf(out->term, sizeof out->term, "repack");
    else
        snprintf(out->term, sizeof out->term, "kernel");
    return SR_OK;
}
