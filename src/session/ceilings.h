/* A device's ceilings, measured and stored the one way `peaks` does it, and found for a
 * prediction: an inline virtual device, a stored one, or an OpenCL device here, whose
 * ceilings are measured (and stored, under a run of their own) when none are stored. */
#ifndef SR_SESSION_CEILINGS_H
#define SR_SESSION_CEILINGS_H

#include <stdint.h>

#include "bench/peaks.h"
#include "session/session.h"

/* The measurement's options for dev: the defaults (thorough or not) and, on a CPU, the
 * host's cache sizes to name the levels (caches holds them; it must outlive o). */
void sr_session_peaks_opts(const sr_device_info *dev, int thorough, sr_peaks_opts *o, uint64_t caches[4]);

/* Measures the session's open device with o and stores the ceilings under its run (with
 * how they were timed when the wall clock had to be used). r is filled; free it with
 * sr_peaks_result_free, also after a failure. */
sr_code sr_session_measure_ceilings(sr_session *s, const sr_peaks_opts *o, sr_peaks_result *r, sr_err *err);

/* The ceilings of the session's chosen OpenCL device (recorded on the way): those stored,
 * else measured now under a run of their own. Call it before the session's run begins. */
sr_code sr_session_ceilings(sr_session *s, sr_peaks_progress_fn progress, sr_ceilings *out, sr_err *err);

/* Refuses, before a database that does not exist yet is created, a --device that could
 * only have named a device stored there: it must be an inline virtual device or an OpenCL
 * device here. */
sr_code sr_session_check_new_store_device(const char *db_path, const char *device, sr_err *err);

/* The ceilings of `device` (NULL: the first OpenCL device): "virtual:GBPS:GFLOPS" (not
 * stored; device_uuid stays ""), a device stored in store by name or UUID, or an OpenCL
 * device here, measured with sr_session_peaks_opts under a run of its own (command line
 * argc/argv; progress may be NULL) when store has none. */
sr_code sr_session_device_ceilings(sr_store *store, int argc, char **argv, int (*interrupted)(void),
                                   const char *device, sr_peaks_progress_fn progress, sr_ceilings *out,
                                   char device_uuid[SR_UUID_LEN], sr_err *err);

#endif
