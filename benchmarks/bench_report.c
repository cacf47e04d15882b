/* The benchmark's report of the fixed cases: per case our median time, GFLOP/s and
 * roofline efficiency, then one line per comparison (a peer, the FMA peak, our dense
 * kernel on the same shape) with the ratio and the issues' target for it (6's, raised or
 * added to by 14's); as a table or as JSON. The case's JSON is network mode's too. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench/ceilings_json.h"

#define MAX_CMP 8

static double gflops(double flops, double s) { return s > 0 ? flops / s * 1e-9 : 0.0; }

/* The fixed cases' targets, speed ratio ours/peer at least `target`: issue 6's against
 * OpenBLAS, CLBlast and SciPy, issue 14's against MKL. Network mode has its own (on the
 * weighted totals: bench_network_report.c). */
static double peer_target(const bench_case *c, peer_kind kind)
{
    if (c->count > 0)
        return 0.0;
    const char *id = c->id;
    const int cube = strcmp(id, "dense1024") == 0 || strcmp(id, "dense2048") == 0;
    if (cube && kind == PEER_OPENBLAS)
        return 1.0;
    if (cube && kind == PEER_CLBLAST)
        return 5.0;
    if ((cube || strcmp(id, "dense") == 0) && kind == PEER_MKL_GEMM)
        return 1.0;
    if (strcmp(id, "csr") == 0 && kind == PEER_SCIPY)
        return 20.0;
    if (strcmp(id, "csr") == 0 && kind == PEER_MKL_CSR)
        return 1.5;
    return 0.0;
}

static void judge(bench_cmp *m)
{
    m->met = -1;
    if (m->target > 0 && m->ratio > 0)
        m->met = m->at_most ? m->ratio <= m->target : m->ratio >= m->target;
}

int bench_compare(const bench_case *cases, int i, const bench_config *cfg, bench_cmp *out)
{
    const bench_case *c = &cases[i];
    const double ours = gflops(c->useful_flops, c->median_s);
    int n = 0;
    memset(out, 0, MAX_CMP * sizeof *out);
    for (int j = 0; j < c->npeers && n < MAX_CMP; j++) {
        const bench_peer *p = &c->peers[j];
        bench_cmp *m = &out[n++];
        snprintf(m->against, sizeof m->against, "%s", peer_name(p->kind));
        m->unit = "ours/peer";
        m->target = peer_target(c, p->kind);
        if (p->usable && p->median_s > 0 && c->median_s > 0) {
            m->theirs = gflops(c->useful_flops, p->median_s);
            m->ratio = p->median_s / c->median_s;
        } else {
            snprintf(m->note, sizeof m->note, "%s", p->note);
        }
        judge(m);
    }
    if (c->pat.kind == SR_PAT_UNSTRUCTURED && c->count == 0 && n < MAX_CMP) {
        bench_cmp *m = &out[n++];
        snprintf(m->against, sizeof m->against, "FMA peak");
        m->unit = "of peak";
        m->target = 0.35;
        if (cfg->fma_gflops > 0) {
            m->theirs = cfg->fma_gflops;
            m->ratio = ours / cfg->fma_gflops;
        } else {
            snprintf(m->note, sizeof m->note, "n/a: no measured FMA peak (--ceilings or --peak-gflops)");
        }
        judge(m);
    }
    if (c->dense_ref >= 0 && n < MAX_CMP) {
        const bench_case *d = &cases[c->dense_ref];
        bench_cmp *m = &out[n++];
        snprintf(m->against, sizeof m->against, "ours dense, same shape");
        m->theirs = gflops(d->useful_flops, d->median_s);
        if (c->pat.kind == SR_PAT_BLOCK) { /* useful GFLOP/s against dense's */
            m->unit = "GF/dense";
            m->ratio = m->theirs > 0 ? ours / m->theirs : 0.0;
            m->target = c->count == 0 && c->pat.br == 16 && c->pat.bc == 16 ? 0.85 : 0.0; /* issue 14 */
        } else { /* time against dense's */
            m->unit = "time/dense";
            m->ratio = d->median_s > 0 ? c->median_s / d->median_s : 0.0;
            m->target = c->count == 0 && c->pat.kind == SR_PAT_NM && c->pat.n == 2 && c->pat.m == 4 ? 0.75 : 0.0;
            m->at_most = 1;
        }
        judge(m);
        /* the same with X's repacking set apart on both sides: what the kernels alone do */
        const double ck = c->median_s - c->pack_median_s, dk = d->median_s - d->pack_median_s;
        if (n < MAX_CMP && c->pack_median_s > 0 && d->pack_median_s > 0 && ck > 0 && dk > 0) {
            bench_cmp *k = &out[n++];
            snprintf(k->against, sizeof k->against, "same, kernels only");
            k->unit = m->unit;
            k->theirs = gflops(d->useful_flops, dk);
            k->ratio = c->pat.kind == SR_PAT_BLOCK ? gflops(c->useful_flops, ck) / k->theirs : ck / dk;
            k->met = -1; /* the targets count the repacking */
        }
    }
    return n;
}

int bench_roofline(const bench_case *c, const bench_config *cfg, sr_roofline_point *pt)
{
    const sr_gemm_cost cost = {.nnz = c->nnz, .weight_bytes = c->weight_bytes,
                               .flops = c->flops, .bytes = c->bytes, .ai = c->flops / c->bytes};
    return cfg->have_ceilings && c->median_s > 0 &&
           sr_roofline_point_of(&cost, &c->pat, SR_DTYPE_FP32, &cfg->ceilings, pt, NULL) == SR_OK;
}

double bench_efficiency(const bench_case *c, const bench_config *cfg, sr_roofline_point *pt)
{
    return bench_roofline(c, cfg, pt) ? pt->time_s / c->median_s : 0.0;
}

/* v with `decimals` decimals, or "n/a" when v is not positive. */
static const char *num(char *buf, size_t size, int decimals, double v)
{
    if (v > 0)
        snprintf(buf, size, "%.*f", decimals, v);
    else
        snprintf(buf, size, "n/a");
    return buf;
}

static void shape(const bench_case *c, char *buf, size_t size)
{
    snprintf(buf, size, "%dx%dx%d", c->m, c->k, c->n);
}

static void ceilings_line(const bench_config *cfg)
{
    if (!cfg->have_ceilings && !(cfg->fma_gflops > 0)) {
        printf("roofline ceilings: n/a (--ceilings FILE from 'sparseroof peaks --json', or --peak-gflops and "
               "--bw-gbps)\n");
        return;
    }
    printf("roofline ceilings (%s): fp32 FMA ", cfg->ceilings_source);
    if (cfg->fma_gflops > 0)
        printf("%.1f GFLOP/s", cfg->fma_gflops);
    else
        printf("n/a");
    for (size_t i = 0; cfg->have_ceilings && i < cfg->ceilings.n_levels; i++)
        printf(", %s %.1f GB/s", cfg->ceilings.levels[i].level, cfg->ceilings.levels[i].gbps);
    putchar('\n');
}

void bench_print_table(const bench_case *cases, int n, const bench_config *cfg)
{
    printf("bench_kernels on %s (%u compute units): %d interleaved rounds x %d reps a side; medians of round "
           "medians\n",
           cfg->dev->name, cfg->dev->compute_units, cfg->rounds, cfg->reps);
    ceilings_line(cfg);
    if (cfg->load_before >= 0 && cfg->load_after >= 0)
        printf("host load average %.2f before, %.2f after (this run adds about %u) on %ld CPUs%s\n",
               cfg->load_before, cfg->load_after, cfg->dev->compute_units, cfg->cpus,
               cfg->load_before > 0.5 * (double)cfg->cpus || cfg->load_after > (double)cfg->cpus + 1.0
                   ? ": other work competed, ratios doubtful"
                   : "");
    printf("\n%-10s %-15s %5s %9s %8s %5s %-7s  %-22s %8s %7s %-10s %-7s %s\n", "case", "M x K x N", "spars",
           "ours ms", "GFLOP/s", "eff", "bound", "against", "GFLOP/s", "ratio", "ratio is", "target", "");
    for (int i = 0; i < n; i++) {
        const bench_case *c = &cases[i];
        bench_cmp cmp[MAX_CMP];
        const int nc = bench_compare(cases, i, cfg, cmp);
        sr_roofline_point pt;
        const double eff = bench_efficiency(c, cfg, &pt);
        char shp[48], effs[16];
        shape(c, shp, sizeof shp);
        printf("%-10s %-15s %5.2f %9.3f %8.1f %5s %-7s", c->id, shp, c->achieved, c->median_s * 1e3,
               gflops(c->useful_flops, c->median_s), num(effs, sizeof effs, 2, eff), eff > 0 ? pt.bound : "");
        if (nc == 0)
            putchar('\n');
        for (int j = 0; j < nc; j++) {
            const bench_cmp *m = &cmp[j];
            char theirs[16], ratio[16], target[16];
            snprintf(target, sizeof target, "-");
            if (m->target > 0)
                snprintf(target, sizeof target, "%s %g", m->at_most ? "<=" : ">=", m->target);
            const char *verdict = m->met == 1 ? "met" : m->met == 0 ? "MISSED" : m->note;
            if (j > 0)
                printf("%-10s %-15s %5s %9s %8s %5s %-7s", "", "", "", "", "", "", "");
            printf("  %-22s %8s %7s %-10s %-7s %s\n", m->against, num(theirs, sizeof theirs, 1, m->theirs),
                   num(ratio, sizeof ratio, 2, m->ratio), m->unit, target, verdict);
        }
    }
    printf("\nours: profiling events of X's repacking + the kernel (sparseroof kernel's timing), params per case\n"
           "  in --json; peers: wall clock. Both timed with the cores held awake, OpenMP's threads bound one\n"
           "  to a core. ours/peer = peer time / our time. GF/dense = our useful GFLOP/s /\n"
           "  our dense kernel's on the same shape; time/dense = our time / that dense time; \"kernels only\"\n"
           "  sets X's repacking apart on both sides (the targets count it). eff = roofline\n"
           "  time / measured time: max(FLOPs / FMA peak, bytes / bandwidth of the level the working set fits\n"
           "  in), bound = which of them (sparseroof's model, model/roofline.h).\n");
    double best = 0;
    const char *best_by = NULL, *best_case = NULL;
    for (int i = 0; i < n; i++) {
        const bench_case *c = &cases[i];
        if (c->pat.kind == SR_PAT_DENSE && gflops(c->useful_flops, c->median_s) > best)
            best = gflops(c->useful_flops, c->median_s), best_by = "ours", best_case = c->id;
        for (int j = 0; j < c->npeers; j++)
            if (c->peers[j].usable && gflops(c->useful_flops, c->peers[j].median_s) > best)
                best = gflops(c->useful_flops, c->peers[j].median_s), best_by = peer_name(c->peers[j].kind),
                best_case = c->id;
    }
    if (best_by)
        printf("  fastest dense product seen: %.1f GFLOP/s (%s, %s), a lower bound of the FMA peak\n", best, best_by,
               best_case);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < cases[i].npeers; j++)
            if (cases[i].peers[j].usable)
                printf("  %s on %s: %s%s\n", peer_name(cases[i].peers[j].kind), cases[i].id, cases[i].peers[j].note,
                       cases[i].peers[j].verified ? ", output verified" : "");
}

static json_object *times_json(const double *v, int n)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_double(v[i]));
    return a;
}

static json_object *cmp_json(const bench_cmp *m)
{
    json_object *j = json_object_new_object();
    json_object_object_add(j, "against", json_object_new_string(m->against));
    json_object_object_add(j, "unit", json_object_new_string(m->unit));
    json_object_object_add(j, "theirs_gflops", m->theirs > 0 ? json_object_new_double(m->theirs) : NULL);
    json_object_object_add(j, "ratio", m->ratio > 0 ? json_object_new_double(m->ratio) : NULL);
    json_object_object_add(j, "target", m->target > 0 ? json_object_new_double(m->target) : NULL);
    json_object_object_add(j, "target_is_upper_bound", json_object_new_boolean(m->at_most));
    json_object_object_add(j, "met", m->met >= 0 ? json_object_new_boolean(m->met) : NULL);
    if (m->note[0])
        json_object_object_add(j, "note", json_object_new_string(m->note));
    return j;
}

json_object *bench_case_json(const bench_case *cases, int i, const bench_config *cfg)
{
    const bench_case *c = &cases[i];
    json_object *j = json_object_new_object();
    json_object_object_add(j, "case", json_object_new_string(c->id));
    json_object_object_add(j, "pattern", json_object_new_string(c->pattern));
    json_object_object_add(j, "m", json_object_new_int(c->m));
    json_object_object_add(j, "k", json_object_new_int(c->k));
    json_object_object_add(j, "n", json_object_new_int(c->n));
    json_object_object_add(j, "groups", json_object_new_int(c->groups));
    if (c->count > 0) { /* network mode */
        json_object_object_add(j, "layers", json_object_new_int(c->count));
        json_object_object_add(j, "first_layer", json_object_new_string(c->layer));
        json_object_object_add(j, "rows_checked_every", json_object_new_int(c->row_step));
    }
    json_object_object_add(j, "skipped", c->skipped[0] ? json_object_new_string(c->skipped) : NULL);
    json_object_object_add(j, "achieved_sparsity", json_object_new_double(c->achieved));
    json_object_object_add(j, "flops", json_object_new_double(c->flops));
    json_object_object_add(j, "useful_flops", json_object_new_double(c->useful_flops));
    json_object_object_add(j, "bytes", json_object_new_double(c->bytes));
    json_object_object_add(j, "params", json_object_new_string(c->params));
    json_object_object_add(j, "params_source", c->params_source ? json_object_new_string(c->params_source) : NULL);
    json_object_object_add(j, "time_median_s", json_object_new_double(c->median_s));
    json_object_object_add(j, "repack_median_s", json_object_new_double(c->pack_median_s));
    json_object_object_add(j, "x_repacked", json_object_new_boolean(c->packed));
    json_object_object_add(j, "gflops", json_object_new_double(gflops(c->useful_flops, c->median_s)));
    json_object_object_add(j, "round_times_s", times_json(c->round_s, c->rounds));
    json_object_object_add(j, "timing_method", json_object_new_string(c->wallclock ? "wallclock" : "events"));
    sr_roofline_point pt;
    const double eff = bench_efficiency(c, cfg, &pt);
    json_object_object_add(j, "predicted_s", eff > 0 ? json_object_new_double(pt.time_s) : NULL);
    json_object_object_add(j, "bound", eff > 0 ? json_object_new_string(pt.bound) : NULL);
    json_object_object_add(j, "efficiency", eff > 0 ? json_object_new_double(eff) : NULL);
    json_object *peers = json_object_new_array();
    for (int k = 0; k < c->npeers; k++) {
        const bench_peer *p = &c->peers[k];
        json_object *pj = json_object_new_object();
        json_object_object_add(pj, "name", json_object_new_string(peer_name(p->kind)));
        json_object_object_add(pj, "usable", json_object_new_boolean(p->usable));
        json_object_object_add(pj, "verified", json_object_new_boolean(p->verified));
        json_object_object_add(pj, "note", json_object_new_string(p->note));
        json_object_object_add(pj, "setup_s", p->setup_s > 0 ? json_object_new_double(p->setup_s) : NULL);
        json_object_object_add(pj, "time_median_s", p->median_s > 0 ? json_object_new_double(p->median_s) : NULL);
        json_object_object_add(pj, "gflops",
                               p->median_s > 0 ? json_object_new_double(gflops(c->useful_flops, p->median_s)) : NULL);
        json_object_object_add(pj, "round_times_s", times_json(p->round_s, p->rounds));
        json_object_array_add(peers, pj);
    }
    json_object_object_add(j, "peers", peers);
    bench_cmp cmp[MAX_CMP];
    const int nc = bench_compare(cases, i, cfg, cmp);
    json_object *cmps = json_object_new_array();
    for (int k = 0; k < nc; k++)
        json_object_array_add(cmps, cmp_json(&cmp[k]));
    json_object_object_add(j, "comparisons", cmps);
    return j;
}

void bench_json_header(json_object *top, const bench_config *cfg)
{
    json_object_object_add(top, "device", json_object_new_string(cfg->dev->name));
    json_object_object_add(top, "compute_units", json_object_new_int((int)cfg->dev->compute_units));
    json_object_object_add(top, "rounds", json_object_new_int(cfg->rounds));
    json_object_object_add(top, "reps", json_object_new_int(cfg->reps));
    json_object_object_add(top, "fma_gflops", cfg->fma_gflops > 0 ? json_object_new_double(cfg->fma_gflops) : NULL);
    json_object_object_add(top, "ceilings_source",
                           cfg->have_ceilings || cfg->fma_gflops > 0 ? json_object_new_string(cfg->ceilings_source)
                                                                     : NULL);
    json_object_object_add(top, "ceilings", cfg->have_ceilings ? sr_ceilings_to_json(&cfg->ceilings) : NULL);
    json_object_object_add(top, "load_before", json_object_new_double(cfg->load_before));
    json_object_object_add(top, "load_after", json_object_new_double(cfg->load_after));
}

void bench_print_json(const bench_case *cases, int n, const bench_config *cfg)
{
    json_object *top = json_object_new_object();
    bench_json_header(top, cfg);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(arr, bench_case_json(cases, i, cfg));
    json_object_object_add(top, "cases", arr);
    puts(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(top);
}
