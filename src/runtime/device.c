/* Platforms and devices: enumeration, description and selection by a user's spec. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

static void info_str(cl_device_id d, cl_device_info what, char *buf, size_t size)
{
    buf[0] = '\0';
    if (clGetDeviceInfo(d, what, size, buf, NULL) != CL_SUCCESS)
        buf[0] = '\0';
    buf[size - 1] = '\0';
}

static void platform_str(cl_platform_id p, cl_platform_info what, char *buf, size_t size)
{
    buf[0] = '\0';
    if (clGetPlatformInfo(p, what, size, buf, NULL) != CL_SUCCESS)
        buf[0] = '\0';
    buf[size - 1] = '\0';
}

static void describe(sr_device_info *out, int pi, int di, cl_platform_id p, cl_device_id d)
{
    memset(out, 0, sizeof *out);
    out->platform = pi;
    out->device = di;
    out->platform_id = p;
    out->device_id = d;
    platform_str(p, CL_PLATFORM_NAME, out->platform_name, sizeof out->platform_name);
    platform_str(p, CL_PLATFORM_VENDOR, out->platform_vendor, sizeof out->platform_vendor);
    platform_str(p, CL_PLATFORM_VERSION, out->platform_version, sizeof out->platform_version);
    info_str(d, CL_DEVICE_NAME, out->name, sizeof out->name);
    info_str(d, CL_DEVICE_VENDOR, out->vendor, sizeof out->vendor);
    info_str(d, CL_DEVICE_VERSION, out->version, sizeof out->version);
    info_str(d, CL_DRIVER_VERSION, out->driver_version, sizeof out->driver_version);
    info_str(d, CL_DEVICE_OPENCL_C_VERSION, out->opencl_c_version, sizeof out->opencl_c_version);

    cl_device_type type = 0;
    clGetDeviceInfo(d, CL_DEVICE_TYPE, sizeof type, &type, NULL);
    snprintf(out->type, sizeof out->type, "%s",
             (type & CL_DEVICE_TYPE_GPU) ? "GPU" : (type & CL_DEVICE_TYPE_CPU) ? "CPU"
             : (type & CL_DEVICE_TYPE_ACCELERATOR) ? "ACCELERATOR" : "OTHER");
    cl_uint u = 0;
    clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof u, &u, NULL);
    out->compute_units = u;
    u = 0;
    clGetDeviceInfo(d, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof u, &u, NULL);
    out->max_clock_mhz = u;
    cl_ulong l = 0;
    clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof l, &l, NULL);
    out->global_mem_bytes = l;
    l = 0;
    clGetDeviceInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof l, &l, NULL);
    out->max_alloc_bytes = l;
    l = 0;
    clGetDeviceInfo(d, CL_DEVICE_LOCAL_MEM_SIZE, sizeof l, &l, NULL);
    out->local_mem_bytes = l;
    l = 0;
    clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, sizeof l, &l, NULL);
    out->global_cache_bytes = l;
    size_t wg = 0;
    clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
    out->max_work_group_size = wg;
    u = 0;
    clGetDeviceInfo(d, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof u, &u, NULL); /* in bits */
    out->base_align_bytes = u / 8;

    char ext[8192];
    info_str(d, CL_DEVICE_EXTENSIONS, ext, sizeof ext);
    cl_device_fp_config fp64 = 0;
    clGetDeviceInfo(d, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
    out->fp64 = fp64 != 0 || strstr(ext, "cl_khr_fp64") != NULL;
    out->fp16 = strstr(ext, "cl_khr_fp16") != NULL;
}

sr_code sr_device_list(sr_device_info **out, size_t *count, sr_err *err)
{
    *out = NULL;
    *count = 0;
    /* PoCL's CPU driver leaves its worker threads unpinned; on a small machine one of them
     * then often misses a short kernel and the time doubles (seen as two clusters of
     * repetition times). Pinned, every launch uses every core. Before the first OpenCL
     * call, since PoCL reads it once; a user's own setting wins. Other drivers ignore it. */
    setenv("POCL_AFFINITY", "1", 0);
    /* the default of runtime/keep_awake.h, set so that a run's stored environment says it */
    setenv("SPARSEROOF_KEEP_AWAKE", "1", 0);
    cl_uint np = 0;
    cl_int rc = clGetPlatformIDs(0, NULL, &np);
    if (rc == -1001 /* CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no driver */ || np == 0)
        return SR_OK;
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "listing OpenCL platforms");
    cl_platform_id *plats = calloc(np, sizeof *plats);
    if (!plats)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory listing platforms");
    rc = clGetPlatformIDs(np, plats, NULL);
    if (rc != CL_SUCCESS) {
        free(plats);
        return sr_cl_fail(err, rc, "listing OpenCL platforms");
    }
    sr_device_info *list = NULL;
    size_t n = 0;
    for (cl_uint p = 0; p < np; p++) {
        cl_uint nd = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &nd) != CL_SUCCESS || nd == 0)
            continue; /* a platform without devices is not an error */
        cl_device_id *devs = calloc(nd, sizeof *devs);
        sr_device_info *grown = realloc(list, (n + nd) * sizeof *list);
        if (!devs || !grown) {
            free(devs);
            free(grown ? grown : list);
            free(plats);
            return sr_err_set(err, SR_ERR_NOMEM, "out of memory listing devices");
        }
        list = grown;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, nd, devs, NULL) == CL_SUCCESS)
            for (cl_uint d = 0; d < nd; d++)
                describe(&list[n++], (int)p, (int)d, plats[p], devs[d]);
        free(devs);
    }
    free(plats);
    *out = list;
    *count = n;
    return SR_OK;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nl)
            return 1;
    }
    return nl == 0;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

int sr_device_spec_is_index(const char *spec)
{
    if (!spec || !*spec)
        return 0;
    if (all_digits(spec))
        return 1;
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || colon - spec >= 32)
        return 0;
    char head[32];
    memcpy(head, spec, (size_t)(colon - spec));
    head[colon - spec] = '\0';
    return all_digits(head) && all_digits(colon + 1);
}

static sr_code unknown(const sr_device_info *list, size_t count, const char *spec, sr_err *err)
{
    char devs[700] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof devs - 1; i++) {
        int w = snprintf(devs + used, sizeof devs - used, "%s  %zu (%d:%d) %s", i ? "\n" : "", i,
                         list[i].platform, list[i].device, list[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (count == 0)
        return sr_err_set(err, SR_ERR_NOTFOUND, "no OpenCL device found (is an OpenCL driver such as "
                                                 "pocl-opencl-icd installed?)");
    return sr_err_set(err, SR_ERR_NOTFOUND, "unknown device '%s'; the devices are:\n%s", spec, devs);
}

sr_code sr_device_find(const sr_device_info *list, size_t count, const char *spec, size_t *index,
                       sr_err *err)
{
    if (!spec || !*spec) {
        if (count == 0)
            return unknown(list, count, "", err);
        *index = 0;
        return SR_OK;
    }
    if (all_digits(spec)) {
        size_t i = strtoul(spec, NULL, 10);
        if (i < count) {
            *index = i;
            return SR_OK;
        }
        return unknown(list, count, spec, err);
    }
    const char *colon = strchr(spec, ':');
    if (colon && colon != spec) {
        char head[32];
        size_t hl = (size_t)(colon - spec);
        if (hl < sizeof head) {
            memcpy(head, spec, hl);
            head[hl] = '\0';
            if (all_digits(head) && all_digits(colon + 1)) {
                int p = atoi(head), d = atoi(colon + 1);
                for (size_t i = 0; i < count; i++)
                    if (list[i].platform == p && list[i].device == d) {
                        *index = i;
                        return SR_OK;
                    }
                return unknown(list, count, spec, err);
            }
        }
    }
    for (size_t i = 0; i < count; i++)
        if (contains_nocase(list[i].name, spec)) {
            *index = i;
            return SR_OK;
        }
    for (size_t i = 0; i < count; i++)
        if (contains_nocase(list[i].platform_name, spec)) {
            *index = i;
            return SR_OK;
        }
    return unknown(list, count, spec, err);
}
