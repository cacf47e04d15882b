/* `sparseroof report`: the lab report, one self-contained HTML page from stored rows. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "query/outfile.h"
#include "query/report.h"

static const char report_usage[] =
    "usage: sparseroof report -o FILE.html [--network NET] [--device D] [--db FILE]\n"
    "\n"
    "The lab report: one self-contained HTML page (inline CSS and SVG; it fetches nothing)\n"
    "to share: the hosts and devices, their ceilings, the fastest pattern within each\n"
    "accuracy budget, the Sparsity Roofline, the device's roofline, the devices side by\n"
    "side, the speedup tables (measured, the paper's peak prediction, the GEMM prediction,\n"
    "the device model's) and the prediction errors, network and per layer. From stored\n"
    "rows only.\n"
    "\n"
    "  -o FILE         the page to write (.html)\n"
    "  --network NET   the network (default: the one with the newest timings)\n"
    "  --device D      only this device (name or UUID); default: every device, the plots\n"
    "                  of the one with the newest timings\n"
    "  --db FILE       database (default: $SPARSEROOF_DB or ./sparseroof.db)\n"
    "  -h, --help\n";

int sr_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"network", required_argument, NULL, 'n'}, {"device", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},  {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    sr_report_opts o = {0};
    const char *db = NULL, *out = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.network = optarg; break;
        case 'd': o.device = optarg; break;
        case 'o': out = optarg; break;
        case 'D': db = optarg; break;
        case 'h': fputs(report_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("report", "unknown option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (!out)
        return sr_cli_usage("report", "-o FILE.html is required");
    if (sr_out_kind_of(out) != SR_OUT_HTML)
        return sr_cli_usage("report", "-o %s: expected a name ending in .html", out);
    sr_err err = {0};
    sr_store *s = NULL;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_report_save(s, &o, out, &err);
    sr_store_close(s);
    if (rc != SR_OK)
        return sr_cli_fail("report", &err);
    printf("wrote %s\n", out);
    return SR_EXIT_OK;
}
