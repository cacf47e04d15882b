/* The kernel parameters a run uses: the caller's (--params) over the built-in defaults,
 * else the best that `tune` stored for this device, then for the same device under
 * another driver version, then for a device of the same vendor and type, else the
 * defaults. The source says which. */
#ifndef SR_SESSION_PARAMS_H
#define SR_SESSION_PARAMS_H

#include "bench/params.h"
#include "session/session.h"

typedef enum {
    SR_PARAMS_GIVEN = 0,     /* --params */
    SR_PARAMS_TUNED,         /* tuned on this device */
    SR_PARAMS_TUNED_DRIVER,  /* tuned on this device under another driver version */
    SR_PARAMS_TUNED_SIMILAR, /* tuned on a device of the same vendor and type */
    SR_PARAMS_DEFAULT        /* built in */
} sr_params_source;

/* "--params", "tuned", "tuned under another driver", "tuned on a similar device",
 * "default". */
const char *sr_params_source_name(sr_params_source s);

/* Parameters for pattern p on the session's device (its store and device_uuid, which
 * may be ""), preferring those tuned on shape (m, k, n). given: the --params text or
 * NULL; a bad one is refused. Tuned parameters that do not fit the pattern are passed
 * over. */
sr_code sr_session_params(const sr_session *s, const sr_pattern *p, int m, int k, int n, const char *given,
                          sr_kernel_params *out, sr_params_source *source, sr_err *err);

#endif
