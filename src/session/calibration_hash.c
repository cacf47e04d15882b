/* What a calibration was made with: the hash of the kernel sources and of the parameters
 * each point ran with, recorded with the points and compared with this binary's. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/hash.h"
#include "session/calibrate.h"
#include "session/params.h"

sr_code sr_calibration_hash(sr_store *store, const char *device_uuid, const char *device_type,
                            const sr_calib_point *pts, size_t n, char out[SR_KERNELS_HASH_LEN], sr_err *err)
{
    uint64_t h;
    sr_code rc = sr_cl_sources_hash(&h, err);
    if (rc != SR_OK)
        return rc;
    sr_device_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.type, sizeof info.type, "%s", device_type && *device_type ? device_type : "CPU");
    sr_session s; /* only what sr_session_params reads; the store stays the caller's */
    sr_session_init(&s, 0, NULL, NULL);
    s.store = store;
    s.dev = &info;
    snprintf(s.device_uuid, sizeof s.device_uuid, "%s", device_uuid ? device_uuid : "");
    /* per point, summed: the same points in any order give the same hash */
    uint64_t sum = 0;
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        const sr_calib_point *p = &pts[i];
        sr_pattern pat;
        sr_kernel_params kp, eff;
        sr_params_source src;
        const int m = (int)p->m, k = (int)p->k, cols = (int)p->n;
        rc = sr_pattern_parse(p->pattern, &pat, err);
        if (rc == SR_OK)
            rc = sr_session_params(&s, &pat, m, k, cols, NULL, &kp, &src, err);
        if (rc != SR_OK)
            break;
        sr_kernel_params_effective(&kp, &pat, cols, &eff);
        char given[96], used[96], line[320];
        sr_kernel_params_format(&kp, given, sizeof given);
        sr_kernel_params_format(&eff, used, sizeof used);
        snprintf(line, sizeof line, "%s|%.6g|%d|%d|%d|%s|%s|%d", p->pattern, p->sparsity, m, k, cols, given, used,
                 sr_kernel_params_x_in_place(&eff, &pat, m, k, cols));
        sum += sr_hash_str(SR_HASH_SEED, line);
    }
    if (rc != SR_OK)
        return rc;
    h = sr_hash_bytes(h, &sum, sizeof sum);
    snprintf(out, SR_KERNELS_HASH_LEN, "%016" PRIx64, h);
    return SR_OK;
}

int sr_calibration_stale(sr_store *store, const char *device_uuid, const sr_calib_point *pts, size_t n, char *why,
                         size_t size)
{
    char stored[SR_KERNELS_HASH_LEN], now[SR_KERNELS_HASH_LEN], type[16] = "";
    sr_err err;
    const char *line = NULL;
    if (sr_store_calibration_hash(store, device_uuid, stored, &err) != SR_OK)
        line = NULL; /* no calibration: nothing to call stale */
    else if (!stored[0])
        line = "calibration records no kernel hash (made by an older sparseroof): run 'sparseroof calibrate' again";
    else if (sr_store_device_type(store, device_uuid, type, &err) != SR_OK && err.code != SR_ERR_NOTFOUND)
        line = NULL;
    else if (sr_calibration_hash(store, device_uuid, type, pts, n, now, &err) != SR_OK)
        line = NULL; /* cannot tell (e.g. $SPARSEROOF_KERNEL_DIR unreadable): the kernels will say so */
    else if (strcmp(stored, now) != 0)
        line = SR_CALIBRATION_STALE;
    if (why && size)
        snprintf(why, size, "%s", line ? line : "");
    return line != NULL;
}
