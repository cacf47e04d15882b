/* `sparseroof accuracy import|list`: published (or the user's) accuracy figures of pruned
 * networks, each with its metric and source; `curve` puts them on the Sparsity Roofline.
 * Every file is read and checked before anything is stored, so a bad row stores nothing. */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "cli/json_out.h"
#include "model/network.h"
#include "query/accuracy.h"
#include "store/reads.h"

static const char accuracy_usage[] =
    "usage: sparseroof accuracy import [--builtin] [FILE.csv...] [--json] [--db FILE]\n"
    "       sparseroof accuracy list [--network NET] [--json] [--db FILE]\n"
    "\n"
    "import  stores accuracy figures: the published ones shipped with sparseroof\n"
    "        (--builtin, db/accuracy/) and/or CSV files with the columns\n"
    "        network,dataset,metric,pattern,sparsity,value,method,source_url (any order;\n"
    "        an optional 'source' names the study whose dense row is the baseline; more\n"
    "        columns are ignored). Every row is checked first; one bad row stores nothing.\n"
    "list    shows what is stored, each figure beside its source's dense baseline.\n"
    "\n"
    "  --builtin        the figures shipped in db/accuracy/ (with their sources)\n"
    "  --network NET    list: only this network\n"
    "  --json           print JSON\n"
    "  --db FILE        database (default: $SPARSEROOF_DB or ./sparseroof.db)\n"
    "  -h, --help\n";

/* The whole of a file, NUL-terminated; the message names the path. */
static sr_code read_text(const char *path, char **text, size_t *len, sr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, SR_ERR_ARG, "cannot open %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n + 4096 >= cap) {
            char *b = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!b) {
                free(buf);
                fclose(f);
                return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", path);
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return sr_err_set(err, SR_ERR_IO, "cannot read %s", path);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return SR_OK;
}

static int network_known(const char *name, void *ctx)
{
    for (size_t i = 0; sr_network_builtin_name(i); i++)
        if (strcmp(name, sr_network_builtin_name(i)) == 0)
            return 1;
    char uuid[SR_UUID_LEN];
    return sr_store_find_network(ctx, name, uuid, NULL) == SR_OK;
}

/* Appends the rows of one file (or embedded text) to *all. */
static sr_code add_rows(sr_store *s, const char *name, const char *text, size_t len,
                        sr_accuracy_rec **all, size_t *n, sr_err *err)
{
    sr_accuracy_rec *rows;
    size_t count;
    sr_code rc = sr_accuracy_parse(name, text, len, network_known, s, &rows, &count, err);
    if (rc != SR_OK)
        return rc;
    sr_accuracy_rec *grown = realloc(*all, (*n + count) * sizeof *grown);
    if (!grown) {
        free(rows);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", name);
    }
    memcpy(grown + *n, rows, count * sizeof *rows);
    free(rows);
    *all = grown;
    *n += count;
    return SR_OK;
}

static int do_import(int argc, char **argv, int first, int builtin, const char *db, int json, int quiet)
{
    if (!builtin && first >= argc)
        return sr_cli_usage("accuracy", "import: give --builtin or a CSV file");
    sr_err err = {0};
    sr_session ses;
    sr_cli_session_init(&ses, argc, argv);
    sr_accuracy_rec *rows = NULL;
    size_t n = 0, files = 0;
    sr_code rc = sr_session_open_store(&ses, sr_cli_db_path(db), &err);
    sr_store *s = ses.store;
    for (size_t i = 0; rc == SR_OK && builtin; i++) {
        const char *text;
        size_t len;
        const char *name = sr_accuracy_builtin(i, &text, &len);
        if (!name)
            break;
        char label[256];
        snprintf(label, sizeof label, "builtin %s", name);
        rc = add_rows(s, label, text, len, &rows, &n, &err);
        files++;
    }
    for (int i = first; rc == SR_OK && i < argc; i++) {
        char *text = NULL;
        size_t len = 0;
        rc = read_text(argv[i], &text, &len, &err);
        if (rc == SR_OK)
            rc = add_rows(s, argv[i], text, len, &rows, &n, &err);
        free(text);
        files++;
    }
    if (rc == SR_OK)
        rc = sr_session_begin(&ses, &err);
    for (size_t i = 0; rc == SR_OK && i < n; i++)
        snprintf(rows[i].run_uuid, sizeof rows[i].run_uuid, "%s", ses.run);
    if (rc == SR_OK)
        rc = sr_store_put_accuracy(s, rows, n, &err);
    char run[SR_UUID_LEN];
    memcpy(run, ses.run, sizeof run);
    const int code = sr_cli_session_finish(&ses, "accuracy", rc, NULL, &err);
    if (code == SR_EXIT_OK && quiet) {
    } else if (code == SR_EXIT_OK && json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "files", json_object_new_int64((int64_t)files));
        json_object_object_add(o, "rows", json_object_new_int64((int64_t)n));
        json_object_object_add(o, "run", json_object_new_string(run));
        sr_cli_json_print(o);
    } else if (code == SR_EXIT_OK) {
        printf("stored %zu accuracy figure%s from %zu file%s in %s\n", n, n == 1 ? "" : "s",
               files, files == 1 ? "" : "s", sr_cli_db_path(db));
    }
    free(rows);
    return code;
}

static json_object *row_json(const sr_accuracy_rec *a, const sr_accuracy_rec *base)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "network", json_object_new_string(a->network));
    json_object_object_add(o, "dataset", json_object_new_string(a->dataset));
    json_object_object_add(o, "metric", json_object_new_string(a->metric));
    json_object_object_add(o, "pattern", json_object_new_string(a->pattern));
    json_object_object_add(o, "sparsity", sr_cli_json_num(a->sparsity));
    json_object_object_add(o, "value", sr_cli_json_num(a->value));
    json_object_object_add(o, "dense_value", base ? sr_cli_json_num(base->value) : NULL);
    json_object_object_add(o, "delta", base ? sr_cli_json_num(a->value - base->value) : NULL);
    json_object_object_add(o, "method", json_object_new_string(a->method));
    json_object_object_add(o, "source", json_object_new_string(a->source));
    json_object_object_add(o, "source_url", json_object_new_string(a->source_url));
    return o;
}

static int do_list(const char *network, const char *db, int json)
{
    sr_err err = {0};
    sr_store *s = NULL;
    sr_accuracy_rec *rows = NULL;
    size_t n = 0;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_store_get_accuracy(s, network, &rows, &n, &err);
    if (rc == SR_OK && n == 0)
        rc = sr_err_set(&err, SR_ERR_NOTFOUND, "no accuracy figures%s%s in %s: 'sparseroof "
                        "accuracy import --builtin' stores the published ones",
                        network ? " for " : "", network ? network : "", sr_store_path(s));
    if (rc != SR_OK) {
        sr_store_close(s);
        return sr_cli_fail("accuracy", &err);
    }
    json_object *arr = json ? json_object_new_array() : NULL;
    if (!json)
        printf("%-10s %-22s %-10s %-13s %8s %8s %8s %7s  %s\n", "network", "dataset", "metric",
               "pattern", "sparsity", "value", "dense", "delta", "source");
    for (size_t i = 0; i < n; i++) {
        long b = sr_accuracy_baseline(rows, n, i);
        const sr_accuracy_rec *a = &rows[i], *base = b >= 0 ? &rows[b] : NULL;
        if (json) {
            json_object_array_add(arr, row_json(a, base));
            continue;
        }
        char dense[16] = "-", delta[16] = "-";
        if (base) {
            snprintf(dense, sizeof dense, "%.2f", base->value);
            snprintf(delta, sizeof delta, "%+.2f", a->value - base->value);
        }
        printf("%-10s %-22.22s %-10s %-13s %8.4g %8.2f %8s %7s  %s\n", a->network, a->dataset,
               a->metric, a->pattern, a->sparsity, a->value, dense, delta, a->source);
    }
    if (json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "accuracy", arr);
        sr_cli_json_print(o);
    }
    free(rows);
    sr_store_close(s);
    return SR_EXIT_OK;
}

int sr_cmd_accuracy(int argc, char **argv)
{
    static const struct option opts[] = {
        {"builtin", no_argument, NULL, 'b'}, {"network", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},    {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},    {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *network = NULL;
    int builtin = 0, json = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': builtin = 1; break;
        case 'n': network = optarg; break;
        case 'j': json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(accuracy_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("accuracy", "unknown option");
        }
    }
    if (optind >= argc)
        return sr_cli_usage("accuracy", "expected 'import' or 'list'");
    const char *verb = argv[optind];
    if (strcmp(verb, "import") == 0) {
        if (network)
            return sr_cli_usage("accuracy", "--network is for 'list'");
        return do_import(argc, argv, optind + 1, builtin, db, json, 0);
    }
    if (strcmp(verb, "list") == 0) {
        if (builtin || optind + 1 < argc)
            return sr_cli_usage("accuracy", "list takes --network, --json and --db only");
        return do_list(network, db, json);
    }
    return sr_cli_usage("accuracy", "unknown action '%s': expected 'import' or 'list'", verb);
}

int sr_cli_accuracy_builtin(const char *db)
{
    char *argv[] = {"accuracy", "import", "--builtin", NULL};
    return do_import(3, argv, 3, 1, db, 0, 1);
}
