/* What the drawing commands (curve, roofline, compare) share around their own work: the
 * -o file's kind checked first, and at the end the file written, then the result printed
 * as JSON or text. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "cli/json_out.h"

int sr_cli_plot_output(const char *cmd, const char *out)
{
    sr_out_kind kind = out ? sr_out_kind_of(out) : SR_OUT_UNKNOWN;
    if (out && (kind == SR_OUT_UNKNOWN || kind == SR_OUT_HTML))
        return sr_cli_usage(cmd, "-o %s: expected a name ending in .svg, .png, .pdf, .csv or .json", out);
    return SR_EXIT_OK;
}

int sr_cli_network_plot_args(const char *cmd, int argc, char **argv, const char *network, const char *out)
{
    if (optind < argc)
        return sr_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!network)
        return sr_cli_usage(cmd, "--network is required");
    return sr_cli_plot_output(cmd, out);
}

int sr_cli_query_end(const char *cmd, sr_code rc, sr_err *err, const void *result,
                     const sr_out_writers *w, const char *out, int json,
                     void (*print)(const void *result, const char *out))
{
    if (rc == SR_OK && out)
        rc = sr_out_save(out, w, result, err);
    if (rc != SR_OK)
        return sr_cli_fail(cmd, err);
    if (json)
        sr_cli_json_print(w->json(result));
    else
        print(result, out);
    return SR_EXIT_OK;
}
