/* `sparseroof merge FILE.db... [--db TARGET]`: pools what other machines measured. Each
 * file goes in whole or not at all; merging a file again adds nothing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("usage: sparseroof merge FILE.db... [--db TARGET]\n"
          "Copies the hosts, devices, runs and everything under them (ceilings, measurements,\n"
          "tuned parameters, device-model calibrations), networks and accuracy figures that\n"
          "TARGET lacks from each FILE.\n"
          "Merging the same file twice adds nothing. A FILE of an older schema is migrated in\n"
          "a private copy (the file is not changed); one of a newer schema is refused.\n"
          "  --db TARGET   database to merge into (default: $SPARSEROOF_DB, else\n"
          "                ./sparseroof.db; created if missing)\n",
          f);
}

static void report(const char *file, const sr_merge_stats *a)
{
    size_t total = a->hosts + a->devices + a->runs + a->networks + a->layers + a->ceilings +
                   a->measurements + a->accuracy + a->tuned + a->calibration;
    if (total == 0) {
        printf("%s: nothing new\n", file);
        return;
    }
    printf("%s: added %zu runs, %zu measurements, %zu ceilings, %zu devices, %zu hosts, "
           "%zu networks (%zu layers), %zu accuracy figures, %zu tuned parameter sets, "
           "%zu calibration points\n",
           file, a->runs, a->measurements, a->ceilings, a->devices, a->hosts, a->networks,
           a->layers, a->accuracy, a->tuned, a->calibration);
}

int sr_cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("merge", "unknown option");
        }
    }
    if (optind >= argc)
        return sr_cli_usage("merge", "no file to merge given");
    sr_store *s;
    sr_err err;
    /* sources that cannot be read are refused before the target is created or opened */
    for (int i = optind; i < argc; i++)
        if (access(argv[i], R_OK) != 0)
            return sr_cli_usage("merge", "%s: %s", argv[i], strerror(errno));
    if (sr_store_open(sr_cli_db_path(db), 0, &s, &err) != SR_OK)
        return sr_cli_fail("merge", &err);
    /* Each file goes in on its own: one bad file does not stop the others. */
    int code = SR_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        sr_merge_stats added;
        if (sr_store_merge(s, argv[i], &added, &err) == SR_OK) {
            report(argv[i], &added);
        } else {
            int e = sr_cli_fail("merge", &err);
            code = e > code ? e : code;
        }
    }
    sr_store_close(s);
    return code;
}
