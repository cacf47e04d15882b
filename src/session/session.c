/* The session sequence, once: device, database, run, device open, run end. */
#include "session/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sr_session_init(sr_session *s, int argc, char **argv, int (*interrupted)(void))
{
    memset(s, 0, sizeof *s);
    s->argc = argc;
    s->argv = argv;
    s->interrupted = interrupted;
}

sr_code sr_session_find_device(sr_session *s, const char *spec, sr_err *err)
{
    size_t i = 0;
    if (!s->devices) {
        sr_code c = sr_device_list(&s->devices, &s->n_devices, err);
        if (c != SR_OK)
            return c;
    }
    sr_code c = sr_device_find(s->devices, s->n_devices, spec, &i, err);
    if (c == SR_OK)
        s->dev = &s->devices[i];
    return c;
}

sr_code sr_session_open_store(sr_session *s, const char *path, sr_err *err)
{
    return sr_store_open(path, 0, &s->store, err);
}

void sr_session_device_rec(const sr_device_info *info, sr_device_rec *out)
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

sr_code sr_session_begin(sr_session *s, sr_err *err)
{
    if (s->dev) {
        sr_device_rec rec;
        sr_session_device_rec(s->dev, &rec);
        sr_code rc = sr_store_put_device(s->store, &rec, NULL, s->device_uuid, err);
        if (rc != SR_OK)
            return rc;
    }
    /* the stored command line: "sparseroof" and the subcommand's argv */
    char **line = malloc(((size_t)s->argc + 2) * sizeof *line);
    if (!line)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory recording the command line");
    line[0] = "sparseroof";
    for (int i = 0; i < s->argc; i++)
        line[i + 1] = s->argv[i];
    line[s->argc + 1] = NULL;
    sr_run_info info = {.command = s->argc > 0 ? s->argv[0] : "sparseroof",
                        .argc = s->argc + 1,
                        .argv = line,
                        .device_uuid = s->device_uuid};
    sr_code rc = sr_store_run_begin(s->store, &info, s->run, err);
    free(line);
    return rc;
}

sr_code sr_session_resume(sr_session *s, const char *run_uuid, sr_err *err)
{
    sr_run_rec run;
    sr_device_rec rec;
    sr_code rc = sr_store_get_run(s->store, run_uuid, &run, err);
    if (rc == SR_OK && s->dev) {
        sr_session_device_rec(s->dev, &rec);
        rc = sr_store_put_device(s->store, &rec, NULL, s->device_uuid, err);
    }
    if (rc == SR_OK && strcmp(run.device_uuid, s->device_uuid) != 0)
        rc = sr_err_set(err, SR_ERR_ARG, "run %s ran on another device (or driver version) than %s", run.uuid,
                        s->dev ? s->dev->name : "none");
    if (rc == SR_OK)
        rc = sr_store_run_resume(s->store, run.uuid, err);
    if (rc == SR_OK)
        memcpy(s->run, run.uuid, sizeof s->run);
    return rc;
}

sr_code sr_session_open_device(sr_session *s, sr_err *err)
{
    if (!s->dev)
        return sr_err_set(err, SR_ERR_ARG, "no device chosen");
    return s->cl ? SR_OK : sr_cl_open(s->dev, &s->cl, err);
}

sr_code sr_session_end(sr_session *s, sr_code c, sr_err *err)
{
    if (c == SR_OK && s->interrupted && s->interrupted())
        c = SR_ERR_INTERRUPTED;
    if (!s->store || !s->run[0])
        return c;
    if (c == SR_OK) {
        c = sr_store_run_end(s->store, s->run, "complete", err);
        if (c == SR_OK)
            return c;
    }
    if (c != SR_ERR_INTERRUPTED)
        sr_store_run_set_message(s->store, s->run, err->msg, NULL);
    sr_store_run_end(s->store, s->run, c == SR_ERR_INTERRUPTED ? "interrupted" : "failed", NULL);
    return c;
}

void sr_session_close(sr_session *s)
{
    sr_cl_close(s->cl);
    sr_store_close(s->store);
    free(s->devices);
    s->cl = NULL;
    s->store = NULL;
    s->devices = NULL;
    s->dev = NULL;
}
