/* Network mode's report: per distinct layer shape and pattern, our median time and
 * roofline efficiency beside each peer's time; per pattern the totals with every shape
 * weighted by how many layers have it (ours against each peer on the shapes that peer
 * ran, and against our dense kernel, a sparse shape our kernel cannot take keeping its
 * dense time as in `bench`), the median roofline efficiency over the layers, and issue
 * 14's targets. As a table or as JSON. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench/timing.h"

typedef struct {
    peer_kind kind;
    int shapes;
    double peer_s, ours_s; /* weighted, on the shapes the peer ran */
    double target;         /* issue 14: ours/peer at least (0: none) */
} peer_total;

typedef struct {
    const char *id, *pattern;
    double sparsity;
    int shapes, kept_dense, layers;
    double ours_s, dense_s;  /* weighted; kept-dense shapes count their dense time */
    double eff_median, eff_min, eff_max; /* over layers (0: no ceilings) */
    double eff_target;
    peer_total peers[PEER_KINDS];
    int npeers;
} pattern_total;

/* Issue 14's targets on ResNet-50's and BERT-base's layers. */
static double eff_target(const char *id)
{
    static const struct { const char *id; double t; } t[] = {
        {"dense", 0.75}, {"bsr16", 0.5}, {"nm24", 0.5}, {"bsr4", 0.4}, {"csr", 0.3}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strcmp(t[i].id, id) == 0)
            return t[i].t;
    return 0.0;
}

static double peer_target(const char *id, peer_kind k)
{
    if (strcmp(id, "dense") == 0)
        return k == PEER_ORT ? 1.0 : k == PEER_MKL_GEMM ? 1.3 : 0.0;
    if (strcmp(id, "csr") == 0 && k == PEER_MKL_CSR)
        return 1.6;
    if (strcmp(id, "bsr4") == 0 && k == PEER_MKL_BSR)
        return 1.8;
    if (strcmp(id, "bsr16") == 0 && k == PEER_MKL_BSR)
        return 2.5;
    return 0.0;
}

static peer_total *peer_slot(pattern_total *t, peer_kind k)
{
    for (int i = 0; i < t->npeers; i++)
        if (t->peers[i].kind == k)
            return &t->peers[i];
    peer_total *p = &t->peers[t->npeers++];
    memset(p, 0, sizeof *p);
    p->kind = k;
    p->target = peer_target(t->id, k);
    return p;
}

/* The totals of pattern `id` over the cases. */
static void total_of(const char *id, const bench_case *cases, int n, const bench_config *cfg, pattern_total *t)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    t->eff_target = eff_target(id);
    int nl = 0;
    for (int i = 0; i < n; i++)
        nl += strcmp(cases[i].id, id) == 0 ? cases[i].count : 0;
    double *eff = malloc((size_t)(nl ? nl : 1) * sizeof *eff);
    int ne = 0;
    for (int i = 0; i < n; i++) {
        const bench_case *c = &cases[i];
        if (strcmp(c->id, id) != 0)
            continue;
        t->pattern = c->pattern;
        t->sparsity = c->sparsity;
        const bench_case *d = c->dense_ref >= 0 ? &cases[c->dense_ref] : c;
        const double dense_t = d->skipped[0] ? 0.0 : d->median_s;
        t->layers += c->count;
        t->dense_s += c->count * dense_t;
        if (c->skipped[0]) {
            t->kept_dense++;
            t->ours_s += c->count * dense_t;
            continue;
        }
        t->shapes++;
        t->ours_s += c->count * c->median_s;
        sr_roofline_point pt;
        const double e = bench_efficiency(c, cfg, &pt);
        for (int k = 0; eff && e > 0 && k < c->count; k++)
            eff[ne++] = e;
        for (int j = 0; j < c->npeers; j++) {
            const bench_peer *p = &c->peers[j];
            peer_total *pt_ = peer_slot(t, p->kind);
            if (!p->usable || !(p->median_s > 0))
                continue;
            pt_->shapes++;
            pt_->peer_s += c->count * p->median_s;
            pt_->ours_s += c->count * c->median_s;
        }
    }
    if (ne > 0) {
        t->eff_min = t->eff_max = eff[0];
        for (int k = 1; k < ne; k++) {
            t->eff_min = eff[k] < t->eff_min ? eff[k] : t->eff_min;
            t->eff_max = eff[k] > t->eff_max ? eff[k] : t->eff_max;
        }
        t->eff_median = sr_median(eff, ne);
    }
    free(eff);
}

/* The pattern totals, in the table's order, of the patterns the cases hold. */
static int totals(const bench_case *cases, int n, const bench_config *cfg, pattern_total *out)
{
    int nt = 0;
    for (int p = 0; p < bench_n_patterns; p++) {
        int present = 0;
        for (int i = 0; i < n; i++)
            present |= strcmp(cases[i].id, bench_pattern_table[p].id) == 0;
        if (present)
            total_of(bench_pattern_table[p].id, cases, n, cfg, &out[nt++]);
    }
    return nt;
}

static const char *verdict(double ratio, double target)
{
    return !(target > 0) || !(ratio > 0) ? "" : ratio >= target ? "met" : "MISSED";
}

static int count_layers(const bench_case *cases, int n, int *shapes)
{
    int layers = 0;
    *shapes = 0;
    for (int i = 0; i < n; i++)
        if (cases[i].pat.kind == SR_PAT_DENSE || strcmp(cases[i].id, "dense") == 0) {
            layers += cases[i].count;
            ++*shapes;
        }
    return layers;
}

static void print_shapes(const bench_case *cases, int n, const bench_config *cfg)
{
    printf("\n%-22s %6s %-6s %9s %5s %-8s  %s\n", "shape M x K x N (g)", "layers", "case", "ours ms", "eff", "bound",
           "peers: ms (peer time / ours time)");
    for (int i = 0; i < n; i++) {
        const bench_case *c = &cases[i];
        char shp[64] = "", cnt[16] = "";
        if (i == 0 || cases[i - 1].m != c->m || cases[i - 1].k != c->k || cases[i - 1].n != c->n ||
            cases[i - 1].groups != c->groups) {
            if (c->groups > 1)
                snprintf(shp, sizeof shp, "%dx%dx%d (%d)", c->m, c->k, c->n, c->groups);
            else
                snprintf(shp, sizeof shp, "%dx%dx%d", c->m, c->k, c->n);
            snprintf(cnt, sizeof cnt, "%d", c->count);
        }
        if (c->skipped[0]) {
            printf("%-22s %6s %-6s skipped (keeps its dense time): %s\n", shp, cnt, c->id, c->skipped);
            continue;
        }
        sr_roofline_point pt;
        const double e = bench_efficiency(c, cfg, &pt);
        char effs[16] = "n/a";
        if (e > 0)
            snprintf(effs, sizeof effs, "%.2f", e);
        printf("%-22s %6s %-6s %8.4f%c %5s %-8s ", shp, cnt, c->id, c->median_s * 1e3, c->packed ? 'p' : ' ', effs,
               e > 0 ? pt.bound : "");
        for (int j = 0; j < c->npeers; j++) {
            const bench_peer *p = &c->peers[j];
            if (p->usable && p->median_s > 0)
                printf(" %s %.4f (%.2f)", peer_name(p->kind), p->median_s * 1e3, p->median_s / c->median_s);
        }
        putchar('\n');
    }
}

static void print_totals(const pattern_total *t, int nt)
{
    printf("\nweighted totals (each shape's time times its layers; issue 14's targets are for ResNet-50 and "
           "BERT-base):\n");
    printf("%-6s %-16s %7s %10s %9s  %-24s %-14s %s\n", "case", "pattern", "shapes", "ours ms", "vs dense",
           "efficiency median (range)", "target", "");
    for (int i = 0; i < nt; i++) {
        const pattern_total *p = &t[i];
        char name[40], speed[16] = "-", eff[48] = "n/a", tgt[16] = "-";
        snprintf(name, sizeof name, "%s", p->pattern);
        if (p->sparsity > 0 && strcmp(p->id, "nm24") != 0)
            snprintf(name, sizeof name, "%s %.2g", p->pattern, p->sparsity);
        if (strcmp(p->id, "dense") != 0 && p->ours_s > 0)
            snprintf(speed, sizeof speed, "%.2fx", p->dense_s / p->ours_s);
        if (p->eff_median > 0)
            snprintf(eff, sizeof eff, "%.2f (%.2f to %.2f)", p->eff_median, p->eff_min, p->eff_max);
        if (p->eff_target > 0)
            snprintf(tgt, sizeof tgt, ">= %g", p->eff_target);
        char shapes[24];
        snprintf(shapes, sizeof shapes, "%d/%d", p->shapes, p->shapes + p->kept_dense);
        printf("%-6s %-16s %7s %10.3f %9s  %-24s %-14s %s\n", p->id, name, shapes, p->ours_s * 1e3, speed, eff, tgt,
               verdict(p->eff_median, p->eff_target));
        for (int j = 0; j < p->npeers; j++) {
            const peer_total *q = &p->peers[j];
            if (q->shapes == 0)
                continue;
            char qt[16] = "-";
            if (q->target > 0)
                snprintf(qt, sizeof qt, ">= %g", q->target);
            const double r = q->peer_s / q->ours_s;
            printf("%-6s   against %-16s on %d shapes: %.3f ms, ours %.3f ms, peer/ours %.2f  target %s %s\n", "",
                   peer_name(q->kind), q->shapes, q->peer_s * 1e3, q->ours_s * 1e3, r, qt, verdict(r, q->target));
        }
    }
}

/* Each peer once: how it ran, or why it did not. */
static void print_peer_notes(const bench_case *cases, int n)
{
    int seen[PEER_KINDS] = {0};
    printf("\npeers:\n");
    for (int i = 0; i < n; i++)
        for (int j = 0; j < cases[i].npeers; j++) {
            const bench_peer *p = &cases[i].peers[j];
            if (seen[p->kind] || (!p->usable && strncmp(p->note, "n/a", 3) != 0 && i + 1 < n))
                continue; /* a failure shows where it happened; the first usable note, else n/a */
            if (!p->usable && strncmp(p->note, "n/a", 3) == 0) {
                seen[p->kind] = 1;
                printf("  %-14s %s\n", peer_name(p->kind), p->note);
            } else if (p->usable) {
                seen[p->kind] = 1;
                printf("  %-14s %s%s\n", peer_name(p->kind), p->note, p->verified ? "; output verified" : "");
            }
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < cases[i].npeers; j++) {
            const bench_peer *p = &cases[i].peers[j];
            if (!p->usable && strncmp(p->note, "n/a", 3) != 0)
                printf("  %s on %s %dx%dx%d: %s\n", peer_name(p->kind), cases[i].id, cases[i].m, cases[i].k,
                       cases[i].n, p->note);
        }
}

/* Where our kernels' parameters came from: "default" for all, or tuned ones by shape. */
static void print_params_sources(const bench_case *cases, int n)
{
    const char *names[8];
    int counts[8], nn = 0;
    for (int i = 0; i < n; i++) {
        if (cases[i].skipped[0] || !cases[i].params_source)
            continue;
        int j = 0;
        while (j < nn && strcmp(names[j], cases[i].params_source) != 0)
            j++;
        if (j == nn && nn < 8)
            names[nn] = cases[i].params_source, counts[nn++] = 0;
        if (j < nn)
            counts[j]++;
    }
    printf("our kernel parameters:");
    for (int j = 0; j < nn; j++)
        printf("%s %s for %d cases", j ? "," : "", names[j], counts[j]);
    printf("%s\n", nn == 1 && strcmp(names[0], "default") == 0 ? " (--db FILE: those 'tune' stored)" : "");
}

void bench_network_print(const char *network, int batch, const bench_case *cases, int n, const bench_config *cfg)
{
    int shapes = 0;
    const int layers = count_layers(cases, n, &shapes);
    printf("bench_kernels on %s (%u compute units): network %s at batch %d, %d distinct prunable layer shapes "
           "(%d layers); %d interleaved rounds x %d reps a side; medians of round medians\n",
           cfg->dev->name, cfg->dev->compute_units, network, batch, shapes, layers, cfg->rounds, cfg->reps);
    if (cfg->have_ceilings)
        printf("roofline ceilings (%s): fp32 FMA %.1f GFLOP/s, DRAM %.1f GB/s\n", cfg->ceilings_source,
               cfg->fma_gflops, sr_ceilings_dram(&cfg->ceilings)->gbps);
    else
        printf("roofline ceilings: n/a (no efficiency)\n");
    if (cfg->load_before >= 0 && cfg->load_after >= 0)
        printf("host load average %.2f before, %.2f after on %ld CPUs%s\n", cfg->load_before, cfg->load_after,
               cfg->cpus,
               cfg->load_before > 0.5 * (double)cfg->cpus || cfg->load_after > (double)cfg->cpus + 1.0
                   ? ": other work competed, ratios doubtful"
                   : "");
    print_params_sources(cases, n);
    print_shapes(cases, n, cfg);
    pattern_total t[16];
    print_totals(t, totals(cases, n, cfg, t));
    print_peer_notes(cases, n);
    printf("\nours: profiling events of the kernel, and of X's repacking where marked p (unmarked: the\n"
           "  kernel reads X in place); peers: wall clock (onnxruntime's in its own process, timed there).\n"
           "  Both timed with the cores held awake, OpenMP's threads (MKL, plain C) bound one to a core.\n"
           "  peer/ours > 1: ours is faster. eff = roofline time / measured time (model/roofline.h, the\n"
           "  level the working set fits in). vs dense = our dense total / this pattern's total.\n"
           "  Per-case detail (params, round times, repacking) in --json.\n");
}

void bench_network_json(const char *network, int batch, const bench_case *cases, int n, const bench_config *cfg)
{
    int shapes = 0;
    const int layers = count_layers(cases, n, &shapes);
    json_object *top = json_object_new_object();
    json_object_object_add(top, "network", json_object_new_string(network));
    json_object_object_add(top, "batch", json_object_new_int(batch));
    json_object_object_add(top, "shapes", json_object_new_int(shapes));
    json_object_object_add(top, "layers", json_object_new_int(layers));
    bench_json_header(top, cfg);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, bench_case_json(cases, i, cfg));
    json_object_object_add(top, "cases", arr);
    pattern_total t[16];
    const int nt = totals(cases, n, cfg, t);
    json_object *tot = json_object_new_array();
    for (int i = 0; i < nt; i++) {
        const pattern_total *p = &t[i];
        json_object *j = json_object_new_object();
        json_object_object_add(j, "case", json_object_new_string(p->id));
        json_object_object_add(j, "pattern", json_object_new_string(p->pattern));
        json_object_object_add(j, "sparsity", json_object_new_double(p->sparsity));
        json_object_object_add(j, "shapes", json_object_new_int(p->shapes));
        json_object_object_add(j, "shapes_kept_dense", json_object_new_int(p->kept_dense));
        json_object_object_add(j, "layers", json_object_new_int(p->layers));
        json_object_object_add(j, "ours_s", json_object_new_double(p->ours_s));
        json_object_object_add(j, "dense_s", json_object_new_double(p->dense_s));
        json_object_object_add(j, "speedup_over_dense", p->ours_s > 0 ? json_object_new_double(p->dense_s / p->ours_s)
                                                                       : NULL);
        json_object_object_add(j, "efficiency_median", p->eff_median > 0 ? json_object_new_double(p->eff_median) : NULL);
        json_object_object_add(j, "efficiency_min", p->eff_median > 0 ? json_object_new_double(p->eff_min) : NULL);
        json_object_object_add(j, "efficiency_max", p->eff_median > 0 ? json_object_new_double(p->eff_max) : NULL);
        json_object_object_add(j, "efficiency_target", p->eff_target > 0 ? json_object_new_double(p->eff_target) : NULL);
        json_object *peers = json_object_new_array();
        for (int k = 0; k < p->npeers; k++) {
            const peer_total *q = &p->peers[k];
            json_object *pj = json_object_new_object();
            const double r = q->shapes > 0 ? q->peer_s / q->ours_s : 0.0;
            json_object_object_add(pj, "name", json_object_new_string(peer_name(q->kind)));
            json_object_object_add(pj, "shapes", json_object_new_int(q->shapes));
            json_object_object_add(pj, "peer_s", q->shapes ? json_object_new_double(q->peer_s) : NULL);
            json_object_object_add(pj, "ours_s", q->shapes ? json_object_new_double(q->ours_s) : NULL);
            json_object_object_add(pj, "ratio", q->shapes ? json_object_new_double(r) : NULL);
            json_object_object_add(pj, "target", q->target > 0 ? json_object_new_double(q->target) : NULL);
            json_object_object_add(pj, "met", q->target > 0 && r > 0 ? json_object_new_boolean(r >= q->target) : NULL);
            json_object_array_add(peers, pj);
        }
        json_object_object_add(j, "peers", peers);
        json_object_array_add(tot, j);
    }
    json_object_object_add(top, "totals", tot);
    puts(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(top);
}
