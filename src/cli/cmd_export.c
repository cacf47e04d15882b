/* `sparseroof export`: a view or table as CSV or JSON, to stdout or a file. A file is
 * written beside its final name and renamed into place, so a failure never leaves half
 * an export behind. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "query/export.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("usage: sparseroof export [--format csv|json] [--view NAME] [-o FILE] [--db PATH]\n"
          "       sparseroof export --list [--db PATH]\n"
          "Writes every row of a view (or table) for pandas, R or a spreadsheet.\n"
          "  --format F   csv (RFC 4180, the default) or json (an array of objects)\n"
          "  --view NAME  v_measurement (the default), v_kernel, v_layer_roofline,\n"
          "               v_network_speedup, v_sparsity_roofline, v_device,\n"
          "               v_device_comparison, v_ceiling, v_run, or a table\n"
          "  -o FILE      write to FILE instead of standard output\n"
          "  --list       list what can be exported\n"
          "  --db PATH    database (default: $SPARSEROOF_DB, else ./sparseroof.db)\n",
          f);
}

/* Exports into a temporary file beside `file`, renamed onto it once complete. */
static int export_to_file(sr_store *s, const char *view, sr_export_format f, const char *file)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", file) >= (int)sizeof tmp)
        return sr_cli_usage("export", "output path %s is too long", file);
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        fprintf(stderr, "sparseroof export: cannot write %s: %s\n", file, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return SR_EXIT_FAIL;
    }
    sr_err err;
    sr_code rc = sr_export_view(s, view, f, out, &err);
    if (fclose(out) != 0 && rc == SR_OK)
        rc = sr_err_set(&err, SR_ERR_IO, "writing %s: %s", file, strerror(errno));
    if (rc == SR_OK && rename(tmp, file) != 0)
        rc = sr_err_set(&err, SR_ERR_IO, "cannot write %s: %s", file, strerror(errno));
    if (rc != SR_OK) {
        unlink(tmp);
        return sr_cli_fail("export", &err);
    }
    return SR_EXIT_OK;
}

int sr_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"view", required_argument, NULL, 'v'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"list", no_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *view = "v_measurement", *file = NULL;
    sr_export_format format = SR_EXPORT_CSV;
    int list = 0, c;
    sr_err err;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'v': view = optarg; break;
        case 'o': file = optarg; break;
        case 'l': list = 1; break;
        case 'f':
            if (sr_export_format_parse(optarg, &format, &err) != SR_OK)
                return sr_cli_fail("export", &err);
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("export", "unknown option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("export", "unexpected argument '%s'", argv[optind]);
    sr_store *s;
    sr_code rc = sr_store_open(sr_cli_db_path(db), SR_STORE_READONLY, &s, &err);
    if (rc != SR_OK)
        return sr_cli_fail("export", &err);
    int code = SR_EXIT_OK;
    if (list) {
        char names[4096];
        if ((rc = sr_store_names(s, names, sizeof names, &err)) == SR_OK)
            printf("%s\n", names);
    } else if (file && strcmp(file, "-") != 0) {
        code = export_to_file(s, view, format, file);
    } else {
        rc = sr_export_view(s, view, format, stdout, &err);
    }
    if (rc != SR_OK)
        code = sr_cli_fail("export", &err);
    sr_store_close(s);
    return code;
}
