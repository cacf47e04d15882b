/* `sparseroof model-check`: how far the device model and the paper's model are from
 * everything measured on a device. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/timing.h"
#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"

static const char check_help[] =
    "usage: sparseroof model-check [--device D] [--network NAME] [--json] [--db FILE]\n"
    "\n"
    "Holds the predictions against every measurement stored for a device (what 'bench' and\n"
    "'study' measured): the device model's error (its own, as a tool: 'calibrate' measures\n"
    "it on synthetic shapes only) and the paper's distance (every pattern at the FMA peak: a\n"
    "finding, not an error to remove). Network speedup error: predicted / measured speedup\n"
    "- 1; network and layer time error: predicted / measured time - 1; each as the median\n"
    "and the worst of its absolute values. Both sides count the same GEMM work.\n"
    "\n"
    "  --device D   a device stored in the database, by name or UUID (default: the first\n"
    "               OpenCL device here)\n"
    "  --network N  only that network's measurements\n"
    "  --json       print JSON\n"
    "  --db FILE    database (default $SPARSEROOF_DB, else ./sparseroof.db)\n";

typedef struct {
    double median, worst;
    size_t n;
} err_stats;

/* Median and worst of |v[i]| (v is reordered); NAN when empty. */
static err_stats stats(double *v, size_t n)
{
    err_stats s = {NAN, NAN, n};
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i]);
    if (n) {
        s.median = sr_median(v, (int)n);
        s.worst = v[n - 1];
    }
    return s;
}

static json_object *stats_json(err_stats s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "median", sr_cli_json_num(s.median));
    json_object_object_add(o, "worst", sr_cli_json_num(s.worst));
    json_object_object_add(o, "count", json_object_new_int64((int64_t)s.n));
    return o;
}

static void print_stats(const char *what, err_stats dev, err_stats peak)
{
    printf("  %-28s %8.1f%% %8.1f%%   %8.1f%% %8.1f%%   %6zu\n", what, 100 * dev.median, 100 * dev.worst,
           100 * peak.median, 100 * peak.worst, dev.n);
}

int sr_cmd_model_check(int argc, char **argv)
{
    static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
                                         {"network", required_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"db", required_argument, NULL, 'D'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *device = NULL, *db = NULL, *network = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': device = optarg; break;
        case 'n': network = optarg; break;
        case 'j': json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(check_help, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("model-check", "bad option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("model-check", "unexpected argument '%s'", argv[optind]);
    sr_err err = {0};
    sr_store *s = NULL;
    char uuid[SR_UUID_LEN];
    sr_check_total *t = NULL;
    sr_check_layer *l = NULL;
    size_t nt = 0, nl = 0;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK && device)
        rc = sr_store_find_device(s, device, uuid, &err);
    else if (rc == SR_OK) { /* the first OpenCL device here, as it is recorded */
        sr_session ses;
        sr_session_init(&ses, 0, NULL, NULL);
        rc = sr_session_find_device(&ses, NULL, &err);
        if (rc == SR_OK)
            rc = sr_store_find_device(s, ses.dev->name, uuid, &err);
        sr_session_close(&ses);
    }
    if (rc == SR_OK)
        rc = sr_store_model_check(s, uuid, &t, &nt, &l, &nl, &err);
    if (rc == SR_OK && network) { /* keep that network's rows only */
        size_t a = 0, b = 0;
        for (size_t i = 0; i < nt; i++)
            if (strcmp(t[i].network, network) == 0)
                t[a++] = t[i];
        for (size_t i = 0; i < nl; i++)
            if (strcmp(l[i].network, network) == 0)
                l[b++] = l[i];
        nt = a, nl = b;
    }
    if (rc == SR_OK && nt + nl == 0)
        rc = sr_err_set(&err, SR_ERR_NOTFOUND,
                        "nothing to check on this device in %s: it needs 'sparseroof calibrate' (the device model) "
                        "and then 'sparseroof bench' or 'study' (the measurements)", sr_store_path(s));
    sr_store_close(s);
    if (rc != SR_OK)
        return sr_cli_fail("model-check", &err);
    double *ds = calloc(nt + 1, sizeof *ds), *dt = calloc(nt + 1, sizeof *dt), *ps = calloc(nt + 1, sizeof *ps),
           *pt = calloc(nt + 1, sizeof *pt), *dl = calloc(nl + 1, sizeof *dl), *pl = calloc(nl + 1, sizeof *pl);
    size_t nps = 0, npl = 0;
    for (size_t i = 0; i < nt; i++) {
        const double meas = t[i].measured_dense_s / t[i].measured_s;
        ds[i] = t[i].device_dense_s / t[i].device_s / meas - 1;
        dt[i] = t[i].device_s / t[i].measured_s - 1;
        if (isfinite(t[i].peak_s)) {
            ps[nps] = t[i].peak_dense_s / t[i].peak_s / meas - 1;
            pt[nps++] = t[i].peak_s / t[i].measured_s - 1;
        }
    }
    for (size_t i = 0; i < nl; i++) {
        dl[i] = l[i].device_s / l[i].measured_s - 1;
        if (isfinite(l[i].peak_s))
            pl[npl++] = l[i].peak_s / l[i].measured_s - 1;
    }
    const err_stats s_ds = stats(ds, nt), s_dt = stats(dt, nt), s_dl = stats(dl, nl);
    const err_stats s_ps = stats(ps, nps), s_pt = stats(pt, nps), s_pl = stats(pl, npl);
    if (json) {
        json_object *o = json_object_new_object(), *d = json_object_new_object(), *p = json_object_new_object();
        json_object_object_add(d, "network_speedup", stats_json(s_ds));
        json_object_object_add(d, "network_time", stats_json(s_dt));
        json_object_object_add(d, "layer_time", stats_json(s_dl));
        json_object_object_add(p, "network_speedup", stats_json(s_ps));
        json_object_object_add(p, "network_time", stats_json(s_pt));
        json_object_object_add(p, "layer_time", stats_json(s_pl));
        json_object_object_add(o, "device_uuid", json_object_new_string(uuid));
        json_object_object_add(o, "device_model", d);
        json_object_object_add(o, "peak", p);
        sr_cli_json_print(o);
    } else {
        printf("Predictions against %zu measured network totals and %zu layer rows%s%s (same GEMM work on both "
               "sides)\n", nt, nl, network ? " of " : "", network ? network : "");
        printf("  %-28s %19s   %19s   %6s\n", "", "device model", "peak (the paper's)", "");
        printf("  %-28s %9s %9s   %9s %9s   %6s\n", "error", "median", "worst", "median", "worst", "count");
        print_stats("network speedup", s_ds, s_ps);
        print_stats("network time", s_dt, s_pt);
        print_stats("layer time", s_dl, s_pl);
        printf("(errors as |predicted / measured - 1|; the device model's is the tool's own error, the paper's\n"
               " distance is a finding)\n");
    }
    free(ds), free(dt), free(ps), free(pt), free(dl), free(pl), free(t), free(l);
    return SR_EXIT_OK;
}
