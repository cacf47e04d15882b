/* Default kernel parameters, and their text form. */
#include "bench/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sr_kernel_params_default(const sr_pattern *p, const char *device_type, sr_kernel_params *out)
{
    const int cpu = device_type && strcmp(device_type, "GPU") != 0;
    if (cpu) {
        /* CPU (PoCL): wide vectors and coarse work-items; a 4 x 64 tile keeps 16 float16
         * accumulators in AVX-512 registers. */
        *out = (sr_kernel_params){.vw = 16, .nv = 4, .rows = 4, .wg = 8};
        if (p->kind == SR_PAT_UNSTRUCTURED)
            *out = (sr_kernel_params){.vw = 16, .nv = 2, .rows = 1, .wg = 8};
    } else {
        *out = (sr_kernel_params){.vw = 4, .nv = 1, .rows = 2, .wg = 64};
        if (p->kind == SR_PAT_UNSTRUCTURED)
            out->rows = 1;
    }
    if (p->kind == SR_PAT_BLOCK && out->rows > p->br)
        out->rows = p->br;
}

sr_code sr_kernel_params_parse(const char *text, sr_kernel_params *out, sr_err *err)
{
    sr_kernel_params kp = *out;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end = NULL;
        if (!eq)
            return sr_err_set(err, SR_ERR_ARG, "kernel parameters '%s': '%s' is not key=value", text, tok);
        *eq = '\0';
        long v = strtol(eq + 1, &end, 10);
        if (!*(eq + 1) || *end || v < 0 || v > 1024)
            return sr_err_set(err, SR_ERR_ARG, "kernel parameters '%s': bad value for %s", text, tok);
        if (strcmp(tok, "vw") == 0)
            kp.vw = (int)v;
        else if (strcmp(tok, "nv") == 0)
            kp.nv = (int)v;
        else if (strcmp(tok, "rows") == 0)
            kp.rows = (int)v;
        else if (strcmp(tok, "wg") == 0)
            kp.wg = (int)v;
        else
            return sr_err_set(err, SR_ERR_ARG, "kernel parameters '%s': unknown key '%s' (vw, nv, rows, wg)",
                              text, tok);
    }
    *out = kp;
    return SR_OK;
}

void sr_kernel_params_format(const sr_kernel_params *kp, char *buf, size_t size)
{
    snprintf(buf, size, "vw=%d,nv=%d,rows=%d,wg=%d", kp->vw, kp->nv, kp->rows, kp->wg);
}

sr_code sr_kernel_params_check(const sr_kernel_params *kp, const sr_pattern *p, sr_err *err)
{
    if (kp->vw != 2 && kp->vw != 4 && kp->vw != 8 && kp->vw != 16)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter vw=%d: must be 2, 4, 8 or 16", kp->vw);
    if (kp->nv < 1 || kp->nv > 16)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter nv=%d: must be 1 to 16", kp->nv);
    if (kp->rows < 1 || kp->rows > 32)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter rows=%d: must be 1 to 32", kp->rows);
    if (p->kind == SR_PAT_BLOCK && p->br % kp->rows != 0)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter rows=%d must divide the block height %d",
                          kp->rows, p->br);
    if (kp->wg > 1024)
        return sr_err_set(err, SR_ERR_ARG, "kernel parameter wg=%d: at most 1024", kp->wg);
    return SR_OK;
}
