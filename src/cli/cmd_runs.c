/* `sparseroof runs`: the stored runs, newest first (id, when, status, device, command). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "query/export.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("usage: sparseroof runs [--db PATH] [--json] [--limit N] [--status STATUS]\n"
          "Lists the stored runs, newest first: id, start time, status (running, complete,\n"
          "failed, interrupted), device and command line.\n"
          "  --db PATH        database (default: $SPARSEROOF_DB, else ./sparseroof.db)\n"
          "  --json           print a JSON array instead of a table\n"
          "  --limit N        only the newest N runs (N >= 1; without it, all runs)\n"
          "  --status STATUS  only runs with that status\n",
          f);
}

static const char *or_dash(const char *t) { return t[0] ? t : "-"; }

static void print_table(const sr_run_list *l)
{
    printf("%-36s  %-24s  %-11s  %-28s  %s\n", "RUN", "STARTED (UTC)", "STATUS", "DEVICE",
           "COMMAND");
    for (size_t i = 0; i < l->n; i++) {
        const sr_run_row *r = &l->rows[i];
        printf("%-36s  %-24s  %-11s  %-28.28s  %s\n", or_dash(r->uuid), or_dash(r->started_at),
               or_dash(r->status), or_dash(r->device), or_dash(r->command_line));
    }
}

/* The runs as a JSON array of v_run's rows, each value with its stored type. */
static sr_code print_json(sr_store *s, const sr_run_filter *filter, sr_err *err)
{
    sr_export_sink k;
    sr_export_begin(&k, SR_EXPORT_JSON, stdout);
    sr_row_reader reader = sr_export_reader(&k);
    return sr_export_end(&k, sr_store_read_runs(s, filter, &reader, err), err);
}

/* Why the table is empty, on stderr (stdout keeps the table). */
static void say_empty(const sr_run_list *l, const char *status, const char *path)
{
    if (l->total == 0)
        fprintf(stderr, "(no runs stored in %s)\n", path);
    else if (status)
        fprintf(stderr, "(no runs with status %s in %s: %zu run%s stored)\n", status, path,
                l->total, l->total == 1 ? "" : "s");
}

int sr_cmd_runs(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"status", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *status = NULL;
    int json = 0, c, limit = 0;
    sr_err err;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 's': status = optarg; break;
        case 'n':
            if (sr_cli_int("--limit", optarg, 1, 1000000000, &limit, &err) != SR_OK)
                return sr_cli_fail("runs", &err);
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("runs", "unknown option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("runs", "unexpected argument '%s'", argv[optind]);
    if (status && strcmp(status, "running") && strcmp(status, "complete") &&
        strcmp(status, "failed") && strcmp(status, "interrupted"))
        return sr_cli_usage("runs", "status '%s' is not one of running, complete, failed, "
                                    "interrupted", status);
    sr_store *s;
    if (sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err) != SR_OK)
        return sr_cli_fail("runs", &err);
    sr_run_filter filter = {limit, status};
    sr_run_list list;
    int code = SR_EXIT_OK;
    if (json) {
        if (print_json(s, &filter, &err) != SR_OK)
            code = sr_cli_fail("runs", &err);
    } else if (sr_store_list_runs(s, &filter, &list, &err) != SR_OK) {
        code = sr_cli_fail("runs", &err);
    } else {
        print_table(&list);
        if (list.n == 0)
            say_empty(&list, status, sr_store_path(s));
        sr_run_list_free(&list);
    }
    sr_store_close(s);
    return code;
}
