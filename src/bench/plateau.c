/* Plateau detection (see plateau.h). The series is segmented in log(bandwidth) into the
 * fewest runs that each stay within the tolerance band (dynamic programming; ties go to
 * the least squared error, which puts the boundaries where the level changes). Runs that
 * span min_octaves of working sets are plateaus, narrower ones transitions or outliers. Walking back
 * from DRAM, plateaus within merge_ratio of the level after them join it, and plateaus
 * lower than it are dropped: a bigger working set is never faster. Noisy points after the
 * last plateau that lie clearly below it still make the last level. */
#include "bench/plateau.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sr_plateau_opts_default(sr_plateau_opts *o)
{
    o->tol = 0.25;
    o->min_octaves = 1.0;
    o->merge_ratio = 1.25;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median3(double a, double b, double c)
{
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

static sr_code check_series(const double *ws, const double *v, size_t n, const sr_plateau_opts *o,
                            sr_err *err)
{
    if (n == 0)
        return sr_err_set(err, SR_ERR_ARG, "bandwidth series: no points");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(ws[i]) || ws[i] <= 0)
            return sr_err_set(err, SR_ERR_ARG, "bandwidth series: working set %g at point %zu "
                              "is not a positive size", ws[i], i);
        if (i > 0 && ws[i] <= ws[i - 1])
            return sr_err_set(err, SR_ERR_ARG, "bandwidth series: working sets not increasing "
                              "at point %zu (%g after %g)", i, ws[i], ws[i - 1]);
        if (!isfinite(v[i]) || v[i] <= 0)
            return sr_err_set(err, SR_ERR_ARG, "bandwidth series: %g GB/s at point %zu is not "
                              "a positive figure", v[i], i);
    }
    if (!(o->tol > 0) || !(o->min_octaves >= 0) || !(o->merge_ratio >= 1))
        return sr_err_set(err, SR_ERR_ARG, "plateau options: tol %g, min_octaves %g, merge_ratio "
                          "%g (need tol > 0, min_octaves >= 0, merge_ratio >= 1)",
                          o->tol, o->min_octaves, o->merge_ratio);
    return SR_OK;
}

/* Fewest runs within the band, least squared error among those: seg_start[j] is where the
 * last run of the best segmentation of s[0..j) begins. */
static void segment(const double *s, size_t n, double band, size_t *seg_start, size_t *count,
                    double *sse)
{
    count[0] = 0;
    sse[0] = 0;
    for (size_t j = 1; j <= n; j++) {
        double sum = 0, sum2 = 0, lo = s[j - 1], hi = s[j - 1];
        count[j] = (size_t)-1;
        for (size_t i = j; i-- > 0;) {
            lo = fmin(lo, s[i]);
            hi = fmax(hi, s[i]);
            if (hi - lo > band)
                break;
            sum += s[i];
            sum2 += s[i] * s[i];
            double len = (double)(j - i), e = fmax(0.0, sum2 - sum * sum / len);
            size_t c = count[i] + 1;
            double t = sse[i] + e;
            if (c < count[j] || (c == count[j] && t < sse[j] - 1e-15)) {
                count[j] = c;
                sse[j] = t;
                seg_start[j] = i;
            }
        }
    }
}

/* Median and spread of v over the points flagged in mark[first..last]. */
static void level_of(const double *v, const unsigned char *mark, size_t first, size_t last,
                     double *tmp, double *median, double *spread, size_t *n_points)
{
    size_t k = 0;
    for (size_t i = first; i <= last; i++)
        if (mark[i])
            tmp[k++] = v[i];
    qsort(tmp, k, sizeof *tmp, cmp_double);
    *median = k % 2 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
    *spread = (tmp[k - 1] - tmp[0]) / *median;
    *n_points = k;
}

/* Octaves of working set a run of len points from first spans. */
static double span(const double *ws, size_t first, size_t len)
{
    return log2(ws[first + len - 1] / ws[first]);
}

/* How far apart two levels must be to be told apart in noisy data: 5 standard errors of the
 * difference of their medians, the noise estimated from the successive differences of
 * log(v) over [first, last] (robustly: a step or two between levels barely moves it). */
static double noise_gap(const double *v, size_t first, size_t last, size_t n_a, size_t n_b,
                        double *tmp)
{
    size_t k = 0;
    for (size_t i = first + 1; i <= last; i++)
        tmp[k++] = fabs(log(v[i] / v[i - 1]));
    if (k < 2 || n_a == 0 || n_b == 0)
        return 0;
    qsort(tmp, k, sizeof *tmp, cmp_double);
    double mad = k % 2 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
    double sigma = 1.4826 * mad / sqrt(2.0);
    return 5.0 * 1.25 * sigma * sqrt(1.0 / (double)n_a + 1.0 / (double)n_b);
}

typedef struct {
    size_t first, last; /* point range of the group (plateaus and what lies between) */
} group;

/* The points between two levels (transitions, and points too noisy to form plateaus) go
 * to the upper level up to the split that fits them best (least log distance), the rest to
 * the lower one; that places the boundaries. The last level, DRAM, also takes its share
 * of them and all points after it into its figure: every point there measures DRAM, and on
 * a busy machine they scatter too widely to form plateaus. */
static void split_gaps(const double *v, size_t n, unsigned char *mark, group *g, size_t n_g,
                       double *tmp)
{
    for (size_t k = 0; k + 1 < n_g; k++) {
        double up, lo, sp;
        size_t np, a = g[k].last + 1, b = g[k + 1].first; /* the gap is [a, b) */
        level_of(v, mark, g[k].first, g[k].last, tmp, &up, &sp, &np);
        level_of(v, mark, g[k + 1].first, g[k + 1].last, tmp, &lo, &sp, &np);
        /* cost of the split at s: points [a, s) with the upper level, [s, b) the lower */
        double cost = 0, best_cost;
        for (size_t i = a; i < b; i++)
            cost += fabs(log(v[i] / lo));
        best_cost = cost;
        size_t best = a;
        for (size_t s = a + 1; s <= b; s++) {
            cost += fabs(log(v[s - 1] / up)) - fabs(log(v[s - 1] / lo));
            if (cost < best_cost) {
                best_cost = cost;
                best = s;
            }
        }
        if (best > a)
            g[k].last = best - 1;
        g[k + 1].first = best;
        if (k + 2 == n_g)
            for (size_t i = best; i < b; i++)
                mark[i] = 1;
    }
    for (size_t i = g[n_g - 1].last + 1; i < n; i++)
        mark[i] = 1;
    g[n_g - 1].last = n - 1;
}

/* The state of one detection: the series, the segments found in it, the points that make
 * a level (mark) and the levels (groups) built from them. */
typedef struct {
    const double *ws, *v;
    size_t n;
    sr_plateau_opts o;
    double *s, *tmp, *sse;       /* smoothed log(v); scratch; segmentation cost */
    size_t *seg_start, *count;   /* segmentation (see segment) */
    size_t *seg_first, *seg_len; /* the segments, from the last back to the first */
    size_t n_seg;
    double min_span;             /* octaves a segment must span to be a plateau */
    unsigned char *mark;
    group *g;
    size_t n_g;
    double anchor;               /* the level of the group last made */
} finder;

static void finder_free(finder *f)
{
    free(f->s);
    free(f->tmp);
    free(f->seg_start);
    free(f->count);
    free(f->sse);
    free(f->seg_len);
    free(f->seg_first);
    free(f->mark);
    free(f->g);
}

static sr_code finder_alloc(finder *f, sr_err *err)
{
    size_t n = f->n;
    f->s = malloc(n * sizeof *f->s);
    f->tmp = malloc(n * sizeof *f->tmp);
    f->seg_start = malloc((n + 1) * sizeof *f->seg_start);
    f->count = malloc((n + 1) * sizeof *f->count);
    f->sse = malloc((n + 1) * sizeof *f->sse);
    f->seg_len = malloc(n * sizeof *f->seg_len);
    f->seg_first = malloc(n * sizeof *f->seg_first);
    f->mark = calloc(n, 1);
    f->g = malloc(n * sizeof *f->g);
    if (!f->s || !f->tmp || !f->seg_start || !f->seg_len || !f->seg_first || !f->mark ||
        !f->g || !f->count || !f->sse)
        return sr_err_set(err, SR_ERR_NOMEM, "plateau detection: out of memory for %zu points",
                          n);
    return SR_OK;
}

/* log(v), with a running median of 3 that removes lone outliers but keeps steps sharp. */
static void smooth(finder *f)
{
    const double *v = f->v;
    for (size_t i = 0; i < f->n; i++)
        f->s[i] = log(v[i]);
    for (size_t i = 1; i + 1 < f->n; i++)
        f->tmp[i] = median3(log(v[i - 1]), log(v[i]), log(v[i + 1]));
    for (size_t i = 1; i + 1 < f->n; i++)
        f->s[i] = f->tmp[i];
}

/* Segments the smoothed series into runs within the band, listed from the last back to
 * the first. When no run is wide enough to be a plateau (a short sweep), the widest count. */
static void find_segments(finder *f)
{
    segment(f->s, f->n, log1p(f->o.tol), f->seg_start, f->count, f->sse);
    f->n_seg = 0;
    for (size_t j = f->n; j > 0; j = f->seg_start[j]) {
        f->seg_first[f->n_seg] = f->seg_start[j];
        f->seg_len[f->n_seg++] = j - f->seg_start[j];
    }
    double widest = 0;
    for (size_t k = 0; k < f->n_seg; k++)
        widest = fmax(widest, span(f->ws, f->seg_first[k], f->seg_len[k]));
    f->min_span = fmin(f->o.min_octaves, widest);
}

static int is_plateau(const finder *f, size_t k)
{
    return span(f->ws, f->seg_first[k], f->seg_len[k]) >= f->min_span;
}

/* The points after the last plateau that lie clearly below it (most of them, over half
 * the width of a plateau) are the last level even when too noisy to form a plateau of
 * their own: a busy machine's DRAM. Makes them the first group when so. */
static void noisy_last_level(finder *f)
{
    size_t k0 = 0, n = f->n;
    while (k0 < f->n_seg && !is_plateau(f, k0))
        k0++;
    if (k0 == 0 || k0 == f->n_seg)
        return;
    size_t first = f->seg_first[k0], l = first + f->seg_len[k0] - 1, first_below = n, below = 0;
    double lev, spread;
    size_t np;
    for (size_t i = first; i <= l; i++)
        f->mark[i] = 1;
    level_of(f->v, f->mark, first, l, f->tmp, &lev, &spread, &np);
    memset(f->mark, 0, n);
    for (size_t i = l + 1; i < n; i++)
        if (f->v[i] * f->o.merge_ratio < lev) {
            first_below = first_below == n ? i : first_below;
            below++;
        }
    if (below >= 2 && 2 * below > n - first_below &&
        span(f->ws, first_below, n - first_below) >= 0.5 * f->min_span) {
        for (size_t i = first_below; i < n; i++)
            f->mark[i] = 1;
        f->g[0] = (group){first_below, n - 1};
        f->n_g = 1;
        level_of(f->v, f->mark, first_below, n - 1, f->tmp, &f->anchor, &spread, &np);
    }
}

/* Adds plateau k to the levels: joins the level after it when within the noise or
 * merge_ratio of it, is dropped when slower than it, else starts a level of its own. */
static void add_plateau(finder *f, size_t k)
{
    size_t first = f->seg_first[k], l = first + f->seg_len[k] - 1;
    group *last = f->n_g > 0 ? &f->g[f->n_g - 1] : NULL;
    double lev, spread;
    size_t np;
    for (size_t i = first; i <= l; i++)
        f->mark[i] = 1;
    level_of(f->v, f->mark, first, l, f->tmp, &lev, &spread, &np);
    if (last) {
        double a_lev, a_spread;
        size_t a_np;
        level_of(f->v, f->mark, last->first, last->last, f->tmp, &a_lev, &a_spread, &a_np);
        if (fabs(log(lev / f->anchor)) < noise_gap(f->v, first, last->last, np, a_np, f->tmp)) {
            for (size_t i = first; i <= last->last; i++) /* all between is noise about it */
                f->mark[i] = 1;
            last->first = first;
            return;
        }
        if (lev < f->anchor * f->o.merge_ratio) {
            if (lev * f->o.merge_ratio < f->anchor)
                for (size_t i = first; i <= l; i++) /* slower than a bigger working set */
                    f->mark[i] = 0;
            else
                last->first = first;
            return;
        }
    }
    f->g[f->n_g++] = (group){first, l};
    f->anchor = lev;
}

/* Walks back from the largest working set, grouping plateaus into levels; the groups then
 * run from the smallest working set. */
static void group_levels(finder *f)
{
    for (size_t k = 0; k < f->n_seg; k++)
        if (is_plateau(f, k))
            add_plateau(f, k);
    for (size_t a = 0, b = f->n_g - 1; a < b; a++, b--) {
        group t = f->g[a];
        f->g[a] = f->g[b];
        f->g[b] = t;
    }
}

/* Too many levels: merges the closest neighbours until they fit. */
static void merge_closest(finder *f, size_t max_out)
{
    group *g = f->g;
    while (f->n_g > max_out) {
        size_t best = 0;
        double best_r = INFINITY;
        for (size_t k = 0; k + 1 < f->n_g; k++) {
            double a, b, sp;
            size_t np;
            level_of(f->v, f->mark, g[k].first, g[k].last, f->tmp, &a, &sp, &np);
            level_of(f->v, f->mark, g[k + 1].first, g[k + 1].last, f->tmp, &b, &sp, &np);
            double r = fabs(log(a / b));
            if (r < best_r) {
                best_r = r;
                best = k;
            }
        }
        g[best].last = g[best + 1].last;
        memmove(g + best + 1, g + best + 2, (f->n_g - best - 2) * sizeof *g);
        f->n_g--;
    }
}

/* The plateaus of the groups: figures, and working-set ranges that meet midway. */
static void fill_plateaus(finder *f, sr_plateau *out)
{
    const group *g = f->g;
    for (size_t k = 0; k < f->n_g; k++) {
        sr_plateau *p = &out[k];
        memset(p, 0, sizeof *p);
        p->first = g[k].first;
        p->last = g[k].last;
        double median;
        level_of(f->v, f->mark, p->first, p->last, f->tmp, &median, &p->spread, &p->n_points);
        /* tmp holds the level's points, sorted: the upper quartile is the best sustained
         * figure (another process only ever slows a point down) */
        p->gbps = f->tmp[(3 * (p->n_points - 1) + 2) / 4];
        p->ws_min_bytes = k == 0 ? (uint64_t)f->ws[0] : out[k - 1].ws_max_bytes + 1;
        if (k + 1 == f->n_g)
            p->ws_max_bytes = UINT64_MAX;
        else
            p->ws_max_bytes = (uint64_t)sqrt(f->ws[g[k].last] * f->ws[g[k + 1].first]);
    }
}

sr_code sr_plateaus_find(const double *ws, const double *v, size_t n, const sr_plateau_opts *opts,
                         sr_plateau *out, size_t max_out, size_t *n_out, sr_err *err)
{
    finder f = {.ws = ws, .v = v, .n = n};
    if (opts)
        f.o = *opts;
    else
        sr_plateau_opts_default(&f.o);
    *n_out = 0;
    sr_code rc = check_series(ws, v, n, &f.o, err);
    if (rc != SR_OK)
        return rc;
    if (max_out == 0)
        return sr_err_set(err, SR_ERR_ARG, "plateau detection: no room for a plateau");
    if ((rc = finder_alloc(&f, err)) == SR_OK) {
        smooth(&f);
        find_segments(&f);
        noisy_last_level(&f);
        group_levels(&f);
        merge_closest(&f, max_out);
        split_gaps(v, n, f.mark, f.g, f.n_g, f.tmp);
        fill_plateaus(&f, out);
        *n_out = f.n_g;
        sr_plateaus_label(out, f.n_g, NULL, 0);
    }
    finder_free(&f);
    return rc;
}

void sr_plateaus_label(sr_plateau *p, size_t n, const uint64_t *cache_bytes, size_t n_cache)
{
    size_t prev = 0; /* the cache level (1-based) given to the plateau before */
    for (size_t k = 0; k < n; k++) {
        if (k + 1 == n) {
            snprintf(p[k].level, sizeof p[k].level, "DRAM");
            break;
        }
        size_t lev = prev + 1;
        double best = log(4.0);
        double top = (double)p[k].ws_max_bytes;
        for (size_t c = prev; c < n_cache; c++) {
            if (!cache_bytes || cache_bytes[c] == 0)
                continue;
            double d = fabs(log((double)cache_bytes[c] / top));
            if (d <= best) {
                best = d;
                lev = c + 1;
            }
        }
        snprintf(p[k].level, sizeof p[k].level, "L%zu", lev);
        prev = lev;
    }
}

void sr_plateaus_to_levels(const sr_plateau *p, size_t n, sr_ceilings *c)
{
    c->n_levels = n < SR_MAX_LEVELS ? n : SR_MAX_LEVELS;
    for (size_t k = 0; k < c->n_levels; k++) {
        sr_bw_level *l = &c->levels[k];
        memset(l, 0, sizeof *l);
        snprintf(l->level, sizeof l->level, "%s", p[k].level);
        l->gbps = p[k].gbps;
        l->ws_min_bytes = p[k].ws_min_bytes;
        l->ws_max_bytes = p[k].ws_max_bytes;
    }
}
