/* The CLI's glue to the store: where the database is (--db, $SPARSEROOF_DB,
 * ./sparseroof.db), a device as the store records it, the start of a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_store.h"
#include "cli/cli.h"
#include "cli/signals.h"

const char *sr_cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("SPARSEROOF_DB");
    return env && *env ? env : "./sparseroof.db";
}

void sr_cli_device_rec(const sr_device_info *info, sr_device_rec *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", info->name);
    snprintf(out->vendor, sizeof out->vendor, "%s", info->vendor);
    snprintf(out->type, sizeof out->type, "%s", info->type);
    snprintf(out->platform_name, sizeof out->platform_name, "%s", info->platform_name);
    snprintf(out->platform_vendor, sizeof out->platform_vendor, "%s", info->platform_vendor);
    snprintf(out->platform_version, sizeof out->platform_version, "%s", info->platform_version);
    snprintf(out->device_version, sizeof out->device_version, "%s", info->version);
    snprintf(out->driver_version, sizeof out->driver_version, "%s", info->driver_version);
    snprintf(out->opencl_c_version, sizeof out->opencl_c_version, "%s", info->opencl_c_version);
    out->compute_units = info->compute_units;
    out->max_clock_mhz = info->max_clock_mhz;
    out->global_mem_bytes = info->global_mem_bytes;
    out->local_mem_bytes = info->local_mem_bytes;
    out->global_cache_bytes = info->global_cache_bytes;
    out->max_alloc_bytes = info->max_alloc_bytes;
    out->max_work_group_size = info->max_work_group_size;
    out->fp64 = info->fp64;
    out->fp16 = info->fp16;
}

sr_code sr_cli_run_begin(sr_store *s, int argc, char **argv, const sr_device_info *dev,
                         char run[SR_UUID_LEN], char device_uuid[SR_UUID_LEN], sr_err *err)
{
    char device[SR_UUID_LEN] = "";
    if (dev) {
        sr_device_rec rec;
        sr_cli_device_rec(dev, &rec);
        sr_code rc = sr_store_put_device(s, &rec, NULL, device, err);
        if (rc != SR_OK)
            return rc;
    }
    char **line = malloc(((size_t)argc + 2) * sizeof *line);
    if (!line)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory recording the command line");
    line[0] = "sparseroof";
    for (int i = 0; i < argc; i++)
        line[i + 1] = argv[i];
    line[argc + 1] = NULL;
    sr_run_info info = {.command = argc > 0 ? argv[0] : "sparseroof",
                        .argc = argc + 1,
                        .argv = line,
                        .device_uuid = device};
    sr_code rc = sr_store_run_begin(s, &info, run, err);
    free(line);
    if (device_uuid)
        memcpy(device_uuid, device, SR_UUID_LEN);
    return rc;
}

sr_code sr_cli_run_end(sr_store *s, const char *run, sr_code c, const sr_err *why, sr_err *err)
{
    if (c == SR_OK && sr_cli_interrupted())
        c = SR_ERR_INTERRUPTED;
    if (!s || !run[0])
        return c;
    if (c == SR_OK)
        return sr_store_run_end(s, run, "complete", err);
    if (c != SR_ERR_INTERRUPTED)
        sr_store_run_set_message(s, run, why->msg, NULL);
    sr_store_run_end(s, run, c == SR_ERR_INTERRUPTED ? "interrupted" : "failed", NULL);
    return c;
}

int sr_cli_exit(const char *cmd, sr_code c, const char *run, const sr_err *err)
{
    if (c == SR_OK)
        return SR_EXIT_OK;
    if (c == SR_ERR_INTERRUPTED) {
        fprintf(stderr, "sparseroof %s: interrupted%s%s%s\n", cmd, run && run[0] ? "; run " : "",
                run && run[0] ? run : "", run && run[0] ? " marked interrupted, nothing of it stored" : "");
        return SR_EXIT_INTERRUPTED;
    }
    return sr_cli_fail(cmd, err);
}
