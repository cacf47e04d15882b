/* Finding the ceilings a prediction stands on, for what the user named with --device:
 * an inline virtual device (virtual:GBPS:GFLOPS), a device stored in the database (a
 * virtual one from `peaks --define`, or any device by name or UUID), or an OpenCL device
 * of this machine, whose ceilings are measured first (and stored) when there are none. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/peaks.h"
#include "cli/cli.h"
#include "cli/cmd_model.h"
#include "cli/cmd_store.h"
#include "cli/signals.h"

static const char inline_prefix[] = "virtual:";

static int number(const char *s, const char *end, double *out)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *stop;
    errno = 0;
    *out = strtod(buf, &stop);
    return *stop == '\0' && errno == 0 && isfinite(*out);
}

/* virtual:GBPS:GFLOPS: one DRAM level, one compute figure for every data type. */
static sr_code inline_virtual(const char *device, sr_ceilings *out, sr_err *err)
{
    const char *a = device + strlen(inline_prefix), *colon = strchr(a, ':');
    double gbps, gflops;
    if (!colon || !number(a, colon, &gbps) || !number(colon + 1, colon + 1 + strlen(colon + 1), &gflops))
        return sr_err_set(err, SR_ERR_ARG, "--device %s: expected virtual:GBPS:GFLOPS, e.g. virtual:100:1000",
                          device);
    return sr_ceilings_simple(out, device, gbps, gflops, err);
}

static void on_progress(void *ctx, const char *stage, int done, int total, const char *detail)
{
    (void)ctx;
    (void)detail;
    if (done == total)
        sr_cli_progress("measuring ceilings: %s done", stage);
}

/* Measures dev's ceilings and stores them under a run of their own. */
static sr_code measure(sr_store *s, int argc, char **argv, const sr_device_info *dev, sr_ceilings *out,
                       sr_err *err)
{
    fprintf(stderr, "sparseroof: no ceilings stored for %s; measuring them now (about half a minute; "
                    "'sparseroof peaks' does this alone)\n", dev->name);
    char run[SR_UUID_LEN] = "", device_uuid[SR_UUID_LEN];
    sr_cl *cl = NULL;
    sr_peaks_opts o;
    sr_peaks_opts_default(&o, 0);
    o.progress = on_progress;
    o.stop = sr_cli_interrupted;
    sr_peaks_result r;
    memset(&r, 0, sizeof r);
    sr_code c = sr_cli_run_begin(s, argc, argv, dev, run, device_uuid, err);
    if (c == SR_OK)
        c = sr_cl_open(dev, &cl, err);
    if (c == SR_OK)
        c = sr_peaks_measure(cl, &o, &r, err);
    if (c == SR_OK)
        c = sr_store_put_ceilings(s, device_uuid, run, &r.ceilings, err);
    if (c == SR_OK && r.wallclock)
        c = sr_store_run_set_message(s, run, r.timing_note, err);
    if (run[0])
        c = c == SR_OK ? sr_store_run_end(s, run, "complete", err)
                       : (sr_store_run_end(s, run, c == SR_ERR_INTERRUPTED ? "interrupted" : "failed", NULL), c);
    if (c == SR_OK)
        *out = r.ceilings;
    sr_peaks_result_free(&r);
    sr_cl_close(cl);
    return c;
}

sr_code sr_cli_device_ceilings(sr_store *s, int argc, char **argv, const char *device, sr_ceilings *out,
                               char device_uuid[SR_UUID_LEN], sr_err *err)
{
    device_uuid[0] = '\0';
    if (device && strncmp(device, inline_prefix, strlen(inline_prefix)) == 0)
        return inline_virtual(device, out, err); /* not stored yet: device_uuid stays "" */
    /* a stored device: virtual ones, or a device of this or another machine by name/UUID */
    if (device && sr_store_find_device(s, device, device_uuid, NULL) == SR_OK &&
        sr_store_get_ceilings(s, device_uuid, out, NULL) == SR_OK)
        return SR_OK;
    /* an OpenCL device here */
    sr_device_info *list = NULL;
    size_t n = 0, i = 0;
    sr_code c = sr_device_list(&list, &n, err);
    if (c == SR_OK && (c = sr_device_find(list, n, device, &i, err)) != SR_OK && device)
        c = sr_err_set(err, SR_ERR_NOTFOUND,
                       "--device %s: no such device in %s (a virtual one is made with 'peaks --define "
                       "NAME ...'), nor an OpenCL device here: %s",
                       device, sr_store_path(s), err->msg);
    if (c == SR_OK) {
        sr_device_rec rec;
        sr_cli_device_rec(&list[i], &rec);
        c = sr_store_put_device(s, &rec, NULL, device_uuid, err);
    }
    if (c == SR_OK && sr_store_get_ceilings(s, device_uuid, out, NULL) != SR_OK)
        c = measure(s, argc, argv, &list[i], out, err);
    free(list);
    return c;
}
