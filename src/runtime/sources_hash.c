/* The hash of the kernel sources, for calibrations to record (a calibration made with other
 * kernels is stale). */
#include <stdlib.h>

#include "common/embedded.h"
#include "common/hash.h"
#include "runtime/runtime_internal.h"

extern const struct sr_embedded sr_kernel_sources[];

sr_code sr_cl_sources_hash(uint64_t *out, sr_err *err)
{
    uint64_t h = SR_HASH_SEED;
    for (const struct sr_embedded *e = sr_kernel_sources; e->name; e++) {
        char *src = sr_cl_load_source(e->name, err);
        if (!src)
            return err ? err->code : SR_ERR_IO;
        h = sr_hash_str(sr_hash_str(h, e->name), src);
        free(src);
    }
    *out = h;
    return SR_OK;
}
