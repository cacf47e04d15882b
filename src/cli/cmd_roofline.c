/* `sparseroof roofline`: a device's classic roofline from stored rows, every ceiling
 * labelled and each layer or kernel a point, drawn or written as data. Reads only. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "query/roofline.h"

static const char roofline_usage[] =
    "usage: sparseroof roofline [--device D] [--run RUN] [--network NET | --kernels]\n"
    "                           [-o FILE] [--json] [--db FILE]\n"
    "\n"
    "The classic roofline of a device: attainable GFLOP/s against arithmetic intensity\n"
    "(log-log), with every ceiling stored for it labelled (each bandwidth level a slanted\n"
    "roof with its GB/s, each compute ceiling, and per pattern: a virtual device's defined\n"
    "ceiling, the best tuned kernel, the calibrated median rate), and each network layer\n"
    "(bench, predict) or free kernel shape (kernel) as a point: predicted hollow, measured\n"
    "filled, one colour and marker per pattern. A measured point faster than its own\n"
    "prediction is above its roof (a ceiling or a byte count is off) and is ringed in red.\n"
    "The newest row of each layer, pattern and sparsity is drawn.\n"
    "\n"
    "  --device D     a stored device (name or UUID); default: the run's device, else\n"
    "                 the one with the newest measurements\n"
    "  --run RUN      only the rows of this run (UUID or a prefix of 4 or more)\n"
    "  --network NET  only the layers of this network\n"
    "  --kernels      only free kernel shapes (sparseroof kernel)\n"
    "  -o FILE        write the plot (.svg, .png, .pdf), the points (.csv) or ceilings and\n"
    "                 points (.json)\n"
    "  --json         print the ceilings and points as JSON\n"
    "  --db FILE      database (default: $SPARSEROOF_DB or ./sparseroof.db)\n"
    "  -h, --help\n";

static void print_text(const void *result, const char *out)
{
    const sr_roofline *r = result;
    printf("%s%s%s%s\n", r->device, r->is_virtual ? " (virtual)" : "", r->network[0] ? ", " : "",
           r->network);
    for (size_t i = 0; i < r->n_roofs; i++) {
        const sr_roof *f = &r->roofs[i];
        printf("  %-10s %-14s%s%-5s %10.4g %s\n", sr_roof_kind_name(f->kind), f->name,
               f->dtype[0] && f->kind != SR_ROOF_COMPUTE ? " " : "",
               f->kind != SR_ROOF_COMPUTE ? f->dtype : "", f->value,
               f->kind == SR_ROOF_BANDWIDTH ? "GB/s" : "GFLOP/s");
    }
    if (!r->n_roofs)
        printf("  no ceilings stored ('sparseroof peaks' measures them)\n");
    printf("%zu measured points (each beside the prediction stored with it) and %zu predicted rows",
           r->measured, r->predicted);
    if (r->above)
        printf("; %zu measured point%s above %s roof (faster than predicted: see "
               "v_layer_roofline.above_roof)", r->above, r->above == 1 ? "" : "s",
               r->above == 1 ? "its" : "their");
    printf("\n");
    if (out)
        printf("wrote %s\n", out);
}

int sr_cmd_roofline(int argc, char **argv)
{
    enum { O_KERNELS = 256 };
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'}, {"run", required_argument, NULL, 'r'},
        {"network", required_argument, NULL, 'n'}, {"kernels", no_argument, NULL, O_KERNELS},
        {"output", required_argument, NULL, 'o'}, {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'D'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sr_roofline_opts o = {0};
    const char *db = NULL, *out = NULL;
    int json = 0, kernels = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.device = optarg; break;
        case 'r': o.run = optarg; break;
        case 'n': o.network = optarg; break;
        case O_KERNELS: kernels = 1; break;
        case 'o': out = optarg; break;
        case 'j': json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(roofline_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("roofline", "unknown option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("roofline", "unexpected argument '%s'", argv[optind]);
    if (kernels && o.network)
        return sr_cli_usage("roofline", "--network and --kernels exclude each other");
    if (o.network && !*o.network)
        return sr_cli_usage("roofline", "--network: empty name");
    if (kernels)
        o.network = "";
    if (sr_cli_plot_output("roofline", out) != SR_EXIT_OK)
        return SR_EXIT_USAGE;
    sr_err err = {0};
    sr_store *s = NULL;
    sr_roofline *r = NULL;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_roofline_build(s, &o, &r, &err);
    int code = sr_cli_query_end("roofline", rc, &err, r, &sr_roofline_writers, out, json, print_text);
    sr_roofline_free(r);
    sr_store_close(s);
    return code;
}
