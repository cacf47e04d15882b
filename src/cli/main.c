/* sparseroof: the command dispatcher. Each subcommand lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_bench.h"
#include "cli/cmd_model.h"
#include "cli/cmd_store.h"
#include "cli/cmd_peaks.h"
#include "cli/cmd_query.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"study", sr_cmd_study, "the main job: ceilings, then a network measured layer by layer"},
    {"devices", sr_cmd_devices, "list OpenCL platforms and devices"},
    {"kernel", sr_cmd_kernel, "run one kernel (pattern, shape, sparsity): verified, timed"},
    {"peaks", sr_cmd_peaks, "measure a device's ceilings, or --define a virtual device"},
    {"tune", sr_cmd_tune, "search each pattern's kernel parameters on a device; store the best"},
    {"networks", sr_cmd_networks, "list the built-in networks (or show one, or a file)"},
    {"predict", sr_cmd_predict, "predict a network's sparse speedup on a device (no kernels run)"},
    {"calibrate", sr_cmd_calibrate, "measure the device model's terms on synthetic shapes"},
    {"model-check", sr_cmd_model_check, "the device model's and the paper's error over everything measured"},
    {"bench", sr_cmd_bench, "run every layer of a network for real: measured against predicted"},
    {"runs", sr_cmd_runs, "list the runs stored in the database"},
    {"merge", sr_cmd_merge, "pool other machines' database files into this one"},
    {"export", sr_cmd_export, "write a view or table as CSV or JSON"},
    {"accuracy", sr_cmd_accuracy, "import or list accuracy figures of pruned networks"},
    {"curve", sr_cmd_curve, "the Sparsity Roofline: accuracy against speedup, and which pattern to prune to"},
    {"roofline", sr_cmd_roofline, "a device's roofline: its ceilings, each layer or kernel a point"},
    {"compare", sr_cmd_compare, "a network's sparse speedups on several devices side by side"},
    {"report", sr_cmd_report, "the lab report: one HTML page with the tables and plots"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sparseroof COMMAND [OPTIONS]\n"
            "\n"
            "How fast can a sparse network really run on this device, and at what cost in\n"
            "accuracy? sparseroof runs real sparse-matrix kernels through OpenCL, measures\n"
            "the device's own ceilings and builds Sparsity Roofline curves.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Options:\n"
            "  -h, --help     show this help\n"
            "  -V, --version  show the version\n"
            "\n"
            "'sparseroof COMMAND --help' explains a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SR_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return SR_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sparseroof %s\n", SR_VERSION);
        return SR_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sparseroof: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return SR_EXIT_USAGE;
}
