/* `sparseroof merge FILE.db... [--db TARGET]`: pools what other machines measured. Each
 * file goes in whole or not at all; merging a file again adds nothing. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmd_store.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("usage: sparseroof merge FILE.db... [--db TARGET]\n"
          "Copies the hosts, devices, runs and everything under them (ceilings, measurements,\n"
          "tuned parameters), networks and accuracy figures that TARGET lacks from each FILE.\n"
          "Merging the same file twice adds nothing. A FILE of an older schema is migrated in\n"
          "a private copy (the file is not changed); one of a newer schema is refused.\n"
          "  --db TARGET   database to merge into (default: $SPARSEROOF_DB, else\n"
          "                ./sparseroof.db; created if missing)\n",
          f);
}

static void report(const char *file, const sr_merge_stats *a)
{
    size_t total = a->hosts + a->devices + a->runs + a->networks + a->layers + a->ceilings +
                   a->measurements + a->accuracy + a->tuned;
    if (total == 0) {
        printf("%s: nothing new\n", file);
        return;
    }
    printf("%s: added %zu runs, %zu measurements, %zu ceilings, %zu devices, %zu hosts, "
           "%zu networks (%zu layers), %zu accuracy figures, %zu tuned parameter sets\n",
           file, a->runs, a->measurements, a->ceilings, a->devices, a->hosts, a->networks,
           a->layers, a->accuracy, a->tuned);
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
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs("sparseroof merge: no file to merge given\n", stderr);
        usage(stderr);
        return 2;
    }
    sr_store *s;
    sr_err err;
    sr_code rc = sr_store_open(sr_cli_db_path(db), 0, &s, &err);
    if (rc != SR_OK) {
        fprintf(stderr, "sparseroof merge: %s\n", err.msg);
        return sr_cli_exit_code(rc);
    }
    int code = 0;
    for (int i = optind; i < argc; i++) {
        sr_merge_stats added;
        rc = sr_store_merge(s, argv[i], &added, &err);
        if (rc == SR_OK) {
            report(argv[i], &added);
        } else {
            fprintf(stderr, "sparseroof merge: %s\n", err.msg);
            int e = sr_cli_exit_code(rc);
            code = e > code ? e : code;
        }
    }
    sr_store_close(s);
    return code;
}
