/* `sparseroof study`: the newcomer's one command. Ceilings if none are stored, then the
 * default network swept over the usual patterns and sparsities, and the summary. It is a
 * bench run (stored as the equivalent `bench` command, so `bench --resume` finishes an
 * interrupted one). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"

static const char study_help[] =
    "usage: sparseroof study [--quick] [--network NAME|FILE] [--device D] [--quiet] [--json]\n"
    "                        [--out DIR] [--db FILE]\n"
    "\n"
    "The main job in one command: measures the device's ceilings and calibrates the device\n"
    "model ('sparseroof calibrate') if none are stored for the device, then\n"
    "runs every layer of the network (default ResNet-50 at batch 1) for real, dense and\n"
    "unstructured, 2:4, block:4x4 and block:16x16 at sparsities from 0.5 to 0.95, verified\n"
    "and timed, and prints the predicted and measured speedups over dense ('sparseroof\n"
    "bench --help' says what is measured and how). Says how long it will take first.\n"
    "\n"
    "  --quick          sparsities 0.7 and 0.9, 5 repetitions: a couple of minutes on a\n"
    "                   2-core CPU, ceilings included\n"
    "  --network N      another network (sparseroof networks)\n"
    "  --device D       OpenCL device (default: the first)\n"
    "  --out DIR        where study-curve.png, study-roofline.png and study.html (the\n"
    "                   lab report) go at the end (default: the current directory)\n"
    "  --quiet, --json, --db FILE   as for bench\n"
    "  -h, --help\n";

#define FULL_SPARSITIES "0.5,0.6,0.7,0.8,0.9,0.95"
#define QUICK_SPARSITIES "0.7,0.9"

int sr_cmd_study(int argc, char **argv)
{
    enum { O_QUICK = 256, O_NET, O_DEV, O_Q, O_JSON, O_DB, O_OUT };
    static const struct option opts[] = {
        {"quick", no_argument, NULL, O_QUICK}, {"network", required_argument, NULL, O_NET},
        {"device", required_argument, NULL, O_DEV}, {"quiet", no_argument, NULL, O_Q},
        {"json", no_argument, NULL, O_JSON},   {"db", required_argument, NULL, O_DB},
        {"out", required_argument, NULL, O_OUT}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quick = 0, quiet = 0, json = 0, c;
    const char *network = "resnet50", *device = NULL, *db = NULL, *out = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_QUICK: quick = 1; break;
        case O_NET: network = optarg; break;
        case O_DEV: device = optarg; break;
        case O_Q: quiet = 1; break;
        case O_JSON: json = 1; break;
        case O_DB: db = optarg; break;
        case O_OUT: out = optarg; break;
        case 'h': fputs(study_help, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("study", "bad option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("study", "unexpected argument '%s'", argv[optind]);
    sr_err err = {0};
    if (out && sr_study_check_dir(out, &err) != SR_OK)
        return sr_cli_fail("study", &err);
    /* the equivalent bench command: what is stored with the run, and what runs */
    char *bargv[24];
    int n = 0;
    bargv[n++] = "bench";
    bargv[n++] = "--network", bargv[n++] = (char *)network;
    bargv[n++] = "--patterns", bargv[n++] = SR_CLI_ALL_PATTERNS;
    bargv[n++] = "--sparsities", bargv[n++] = quick ? QUICK_SPARSITIES : FULL_SPARSITIES;
    bargv[n++] = "--reps", bargv[n++] = quick ? "5" : "10";
    if (device)
        bargv[n++] = "--device", bargv[n++] = (char *)device;
    if (db)
        bargv[n++] = "--db", bargv[n++] = (char *)db;
    if (quiet)
        bargv[n++] = "--quiet";
    if (json)
        bargv[n++] = "--json";
    bargv[n] = NULL;
    sr_bench_args a;
    memset(&a, 0, sizeof a);
    a.batch = 1, a.reps = 10, a.seed = 1;
    int rc = sr_cli_bench_parse(n, bargv, &a);
    if (rc)
        return rc < 0 ? SR_EXIT_OK : rc;
    a.calibrate = quick ? 1 : 2;
    const int configs = 1 + 3 * (quick ? 2 : 6) + 1;
    if (!quiet)
        fprintf(stderr,
                "sparseroof study: %s at batch 1, dense and %d pattern/sparsity pairs, %s repetitions each; "
                "about %s on a 2-core CPU (ceilings and the device model's calibration first if none "
                "are stored)\n",
                network, configs - 1, quick ? "5" : "10", quick ? "2 minutes" : "5 to 10 minutes");
    rc = sr_cli_bench(&a, n, bargv, "study");
    /* the published accuracy figures (stored once; again changes nothing), so that the
     * curve holds accuracy against speedup */
    if (rc == SR_EXIT_OK)
        rc = sr_cli_accuracy_builtin(db);
    /* the pictures and the report; with --json, stdout holds the JSON alone */
    return rc == SR_EXIT_OK ? sr_study_outputs(sr_cli_db_path(db), network, out, json ? stderr : stdout) : rc;
}
