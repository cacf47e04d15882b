/* The kernel parameters a run uses: the caller's (--params) over the built-in defaults,
 * else the best that `tune` stored for this device, then for the same device under
 * another driver version, then for a device of the same vendor and type, else the
 * defaults. The source says which. */
#ifndef SR_SESSION_PARAMS_H
#define SR_SESSION_PARAMS_H

#include "bench/kernel_run.h"
#include "bench/params.h"
#include "session/session.h"

typedef enum {
    SR_PARAMS_GIVEN = 0,     /* --params */
    SR_PARAMS_TUNED,         /* tuned on this device */
    SR_PARAMS_TUNED_DRIVER,  /* tuned on this device under another driver version */
    SR_PARAMS_TUNED_SIMILAR, /* tuned on a device of the same vendor and type */
    SR_PARAMS_DEFAULT,       /* built in */
    SR_PARAMS_DEFAULT_FIT    /* built in: the tuned ones exceed a device limit at the shape */
} sr_params_source;

/* "--params", "tuned", "tuned under another driver", "tuned on a similar device",
 * "default", "default (tuned exceed a device limit here)". */
const char *sr_params_source_name(sr_params_source s);

/* Parameters for pattern p on the session's device (its store and device_uuid, which
 * may be ""), preferring those tuned on shape (m, k, n). given: the --params text or
 * NULL; a bad one is refused. Tuned parameters that do not fit the pattern are passed
 * over. */
sr_code sr_session_params(const sr_session *s, const sr_pattern *p, int m, int k, int n, const char *given,
                          sr_kernel_params *out, sr_params_source *source, sr_err *err);

/* sr_session_params for spec's pattern at shape (m, k, n) in `groups`, into spec->params,
 * kept to parameters the session's device can run there: tuned ones that exceed one of
 * its limits at that shape (sr_kernel_check) give way to the built-in defaults where those
 * fit, with source SR_PARAMS_DEFAULT_FIT and why in note ("" otherwise). --params are the
 * caller's choice, kept; where nothing fits, the caller's own check says why. */
sr_code sr_session_params_fit(const sr_session *s, sr_kernel_spec *spec, int m, int k, int n, int groups,
                              const char *given, sr_params_source *source, char *note, size_t note_size,
                              sr_err *err);

#endif
