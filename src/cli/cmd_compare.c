/* `sparseroof compare`: one network's sparse speedups and times on several devices side by
 * side, from one database (after merge, or virtual devices beside real ones). Reads only. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "query/compare.h"

static const char compare_usage[] =
    "usage: sparseroof compare --network NET [--devices A,B,...] [--batch B] [--dtype T]\n"
    "                          [-o FILE] [--json] [--db FILE]\n"
    "\n"
    "The same patterns and sparsities of a network on several devices (real or virtual)\n"
    "side by side: each device's speedup over its own dense time and the network's absolute\n"
    "time, predicted and measured, from stored rows (predict, bench; pool databases of\n"
    "several machines with 'sparseroof merge').\n"
    "\n"
    "  --network NET    the network\n"
    "  --devices LIST   stored devices (names or UUIDs, comma-separated); default: every\n"
    "                   device with timings of the network\n"
    "  --batch B, --dtype T   which timings (default: those of the newest rows)\n"
    "  -o FILE          write the plot (.svg, .png, .pdf) or the table (.csv, .json)\n"
    "  --json           print the table as JSON\n"
    "  --db FILE        database (default: $SPARSEROOF_DB or ./sparseroof.db)\n"
    "  -h, --help\n";

/* "2.31x / 1.87x (6.1 ms / 7.4 ms)": predicted / measured speedup, and their times. */
static void cell_text(const sr_compare_cell *c, char *buf, size_t size)
{
    char sp[2][16], t[2][32];
    const double v[2] = {c->predicted_speedup, c->measured_speedup};
    for (int i = 0; i < 2; i++)
        snprintf(sp[i], sizeof sp[i], isnan(v[i]) ? "-" : "%.2fx", v[i]);
    sr_compare_time(c->predicted_s, t[0], sizeof t[0]);
    sr_compare_time(c->measured_s, t[1], sizeof t[1]);
    snprintf(buf, size, "%s / %s (%s / %s)", sp[0], sp[1], t[0], t[1]);
}

static void print_text(const void *result, const char *out)
{
    const sr_compare *c = result;
    printf("%s at batch %d, %s: speedup over each device's own dense time, predicted / measured "
           "(the network's time, predicted / measured)\n", c->network, c->batch, c->dtype);
    for (size_t d = 0; d < c->n_devs; d++) {
        char t[2][32];
        sr_compare_time(c->devs[d].predicted_dense_s, t[0], sizeof t[0]);
        sr_compare_time(c->devs[d].measured_dense_s, t[1], sizeof t[1]);
        printf("  [%zu] %s: dense %s / %s%s\n", d + 1, c->devs[d].device, t[0], t[1],
               isnan(c->devs[d].predicted_dense_s) && isnan(c->devs[d].measured_dense_s)
                   ? " (no dense time stored: no speedups; predict or bench --patterns dense,...)" : "");
    }
    printf("%-14s %8s", "pattern", "sparsity");
    for (size_t d = 0; d < c->n_devs; d++) {
        char head[32];
        snprintf(head, sizeof head, "[%zu]", d + 1);
        printf("  %-34s", head);
    }
    printf("\n");
    for (size_t i = 0; i < c->n_rows; i++) {
        printf("%-14s %8.4g", c->rows[i].pattern, c->rows[i].sparsity);
        for (size_t d = 0; d < c->n_devs; d++) {
            char text[128];
            cell_text(&c->rows[i].cells[d], text, sizeof text);
            printf("  %-34s", text);
        }
        printf("\n");
    }
    if (out)
        printf("wrote %s\n", out);
}

int sr_cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"network", required_argument, NULL, 'n'}, {"devices", required_argument, NULL, 'd'},
        {"batch", required_argument, NULL, 'b'},   {"dtype", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},  {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'D'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sr_compare_opts o = {0};
    const char *db = NULL, *out = NULL;
    int json = 0, c;
    sr_err err = {0};
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.network = optarg; break;
        case 'd': o.devices = optarg; break;
        case 't': o.dtype = optarg; break;
        case 'o': out = optarg; break;
        case 'j': json = 1; break;
        case 'D': db = optarg; break;
        case 'b':
            if (sr_cli_int("--batch", optarg, 1, 1000000, &o.batch, &err) != SR_OK)
                return sr_cli_fail("compare", &err);
            break;
        case 'h': fputs(compare_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("compare", "unknown option");
        }
    }
    const int usage = sr_cli_network_plot_args("compare", argc, argv, o.network, out);
    if (usage != SR_EXIT_OK)
        return usage;
    sr_store *s = NULL;
    sr_compare *cmp = NULL;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_compare_build(s, &o, &cmp, &err);
    int code = sr_cli_query_end("compare", rc, &err, cmp, &sr_compare_writers, out, json, print_text);
    sr_compare_free(cmp);
    sr_store_close(s);
    return code;
}
