/* `sparseroof curve`: the Sparsity Roofline of a network on a device from stored rows,
 * drawn or written as data, and the answer in words: the fastest pattern and sparsity
 * within each accuracy-drop budget. Reads only. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "query/curve.h"

static const char curve_usage[] =
    "usage: sparseroof curve --network NET [--device D] [--source predicted|measured|both]\n"
    "                        [--patterns LIST] [--relative] [--metric M] [--dataset S]\n"
    "                        [--batch B] [--dtype T] [-o FILE] [--json] [--db FILE]\n"
    "\n"
    "The Sparsity Roofline: accuracy against speedup over dense, one curve per pattern and\n"
    "source, from stored rows (predict, bench, accuracy import). The speedup at a figure's\n"
    "sparsity is the stored one, interpolated between stored sparsities, never extrapolated.\n"
    "Without accuracy figures: speedup against sparsity. Prints, for accuracy drops of 0.5,\n"
    "1, 2 and 5 points, the fastest pattern and sparsity within each (measured speedup where\n"
    "measured, else predicted).\n"
    "\n"
    "  --network NET    the network (as stored by predict or bench)\n"
    "  --device D       a stored device (name or UUID); default: the newest with rows\n"
    "  --source S       speedups to use: predicted, measured or both (default)\n"
    "  --patterns LIST  only these patterns (comma-separated)\n"
    "  --relative       y: change from each source's own dense figure, in points\n"
    "  --metric M, --dataset S   which figures (default: the metric with the most)\n"
    "  --batch B, --dtype T      which timings (default: those of the newest rows)\n"
    "  -o FILE          write the plot (.svg, .png, .pdf) or the points (.csv, .json)\n"
    "  --json           print the curves and answers as JSON\n"
    "  --db FILE        database (default: $SPARSEROOF_DB or ./sparseroof.db)\n"
    "  -h, --help\n";

static void print_text(const void *result, const char *out)
{
    const sr_curve_set *c = result;
    printf("%s on %s, batch %d, %s", c->set.network, c->set.device, c->set.batch, c->set.dtype);
    if (c->n_sets > 1)
        printf(" (%zu sets of timings stored; --device, --batch and --dtype pick)", c->n_sets);
    printf("\n");
    if (!c->with_accuracy)
        printf("no accuracy figures for %s: curves of speedup against sparsity "
               "('sparseroof accuracy import --builtin' adds the published ones)\n", c->set.network);
    else if (!c->answered)
        printf("no figure of %s %s has its source's dense figure: no budgets to answer\n",
               c->dataset, c->metric);
    else {
        printf("fastest within an accuracy budget (%s %s, each against its own source's dense "
               "figure):\n", c->dataset, c->metric);
        for (size_t b = 0; b < SR_CURVE_BUDGETS; b++) {
            char text[1024];
            sr_curve_answer_text(c, b, text, sizeof text);
            printf("  %s\n", text);
        }
    }
    for (size_t i = 0; i < c->n_notes; i++)
        printf("  not drawn: %s\n", c->notes[i]);
    if (out)
        printf("wrote %s\n", out);
}

int sr_cmd_curve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"network", required_argument, NULL, 'n'}, {"device", required_argument, NULL, 'd'},
        {"source", required_argument, NULL, 's'},  {"patterns", required_argument, NULL, 'p'},
        {"relative", no_argument, NULL, 'r'},      {"metric", required_argument, NULL, 'm'},
        {"dataset", required_argument, NULL, 'S'}, {"batch", required_argument, NULL, 'b'},
        {"dtype", required_argument, NULL, 't'},   {"output", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},          {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    sr_curve_opts o = {0};
    const char *db = NULL, *out = NULL;
    int json = 0, c;
    sr_err err = {0};
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.network = optarg; break;
        case 'd': o.device = optarg; break;
        case 'p': o.patterns = optarg; break;
        case 'r': o.relative = 1; break;
        case 'm': o.metric = optarg; break;
        case 'S': o.dataset = optarg; break;
        case 't': o.dtype = optarg; break;
        case 'o': out = optarg; break;
        case 'j': json = 1; break;
        case 'D': db = optarg; break;
        case 's':
            o.sources = strcmp(optarg, "predicted") == 0 ? SR_CURVE_PREDICTED
                      : strcmp(optarg, "measured") == 0  ? SR_CURVE_MEASURED
                      : strcmp(optarg, "both") == 0      ? SR_CURVE_BOTH : -1;
            if (o.sources < 0)
                return sr_cli_usage("curve", "--source '%s': expected predicted, measured or both", optarg);
            break;
        case 'b':
            if (sr_cli_int("--batch", optarg, 1, 1000000, &o.batch, &err) != SR_OK)
                return sr_cli_fail("curve", &err);
            break;
        case 'h': fputs(curve_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("curve", "unknown option");
        }
    }
    const int usage = sr_cli_network_plot_args("curve", argc, argv, o.network, out);
    if (usage != SR_EXIT_OK)
        return usage;
    if (o.patterns) {
        sr_pattern p[64];
        int n;
        if (sr_cli_patterns("--patterns", o.patterns, p, 64, &n, &err) != SR_OK)
            return sr_cli_fail("curve", &err);
    }
    sr_store *s = NULL;
    sr_curve_set *cs = NULL;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_curve_build(s, &o, &cs, &err);
    int code = sr_cli_query_end("curve", rc, &err, cs, &sr_curve_writers, out, json, print_text);
    sr_curve_set_free(cs);
    sr_store_close(s);
    return code;
}
