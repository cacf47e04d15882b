/* TEMPORARY (model branch): stands in for the store's ceilings lookup until the lead wires
 * `predict` to the database and devices; delete this file then. It knows no database and
 * no device: it accepts only an inline virtual device, --device virtual:GBPS:GFLOPS (one
 * DRAM level of GBPS GB/s, GFLOPS GFLOP/s for every data type). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_model.h"

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

sr_code sr_cli_find_ceilings(const char *db_path, const char *device, sr_ceilings *out,
                             sr_err *err)
{
    (void)db_path;
    if (!device)
        return sr_err_set(err, SR_ERR_NOTFOUND, "no --device given (this build knows only "
                          "inline virtual devices: --device virtual:GBPS:GFLOPS)");
    const char *prefix = "virtual:";
    if (strncmp(device, prefix, strlen(prefix)) != 0)
        return sr_err_set(err, SR_ERR_NOTFOUND, "--device %s: unknown device (this build knows "
                          "only inline virtual devices: --device virtual:GBPS:GFLOPS)", device);
    const char *a = device + strlen(prefix), *colon = strchr(a, ':');
    double gbps, gflops;
    if (!colon || !number(a, colon, &gbps) || !number(colon + 1, colon + 1 + strlen(colon + 1), &gflops))
        return sr_err_set(err, SR_ERR_ARG, "--device %s: expected virtual:GBPS:GFLOPS, e.g. "
                          "virtual:100:1000", device);
    return sr_ceilings_simple(out, device, gbps, gflops, err);
}
