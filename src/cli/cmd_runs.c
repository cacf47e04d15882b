/* `sparseroof runs`: the stored runs, newest first (id, when, status, device, command). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

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
          "  --limit N        only the newest N runs\n"
          "  --status STATUS  only runs with that status\n",
          f);
}

static int print_table(sr_store *s, const char *sql)
{
    sqlite3_stmt *st;
    sqlite3 *db = sr_store_sqlite(s);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sparseroof runs: %s: %s\n", sr_store_path(s), sqlite3_errmsg(db));
        return SR_EXIT_FAIL;
    }
    printf("%-36s  %-24s  %-11s  %-28s  %s\n", "RUN", "STARTED (UTC)", "STATUS", "DEVICE",
           "COMMAND");
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v[5];
        for (int i = 0; i < 5; i++) {
            v[i] = (const char *)sqlite3_column_text(st, i);
            v[i] = v[i] ? v[i] : "-";
        }
        printf("%-36s  %-24s  %-11s  %-28.28s  %s\n", v[0], v[1], v[2], v[3], v[4]);
        rows++;
    }
    sqlite3_finalize(st);
    if (rows == 0)
        fprintf(stderr, "(no runs stored in %s)\n", sr_store_path(s));
    return SR_EXIT_OK;
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
    int json = 0, c, limit = -1;
    sr_err err;
    optind = 0;
    while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 's': status = optarg; break;
        case 'n':
            if (sr_cli_int("--limit", optarg, 0, 1000000000, &limit, &err) != SR_OK)
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
    /* status is one of four words and limit a number: safe to put in the text. */
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT run, started_at, status, device, command_line, ended_at, command, host, "
             "platform, driver, measurements, message FROM v_run %s%s%s "
             "ORDER BY started_at DESC, run LIMIT %d",
             status ? "WHERE status = '" : "", status ? status : "", status ? "'" : "", limit);
    int code = SR_EXIT_OK;
    if (json) {
        if (sr_export_query(s, sql, SR_EXPORT_JSON, stdout, &err) != SR_OK)
            code = sr_cli_fail("runs", &err);
    } else {
        code = print_table(s, sql);
    }
    sr_store_close(s);
    return code;
}
