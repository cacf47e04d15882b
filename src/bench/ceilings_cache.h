/* Device ceilings kept between runs, until the store holds them: one JSON file per device
 * (measured or virtual) under $XDG_CACHE_HOME/sparseroof/ceilings/ (default
 * ~/.cache/sparseroof/ceilings/), written to a temporary file and renamed so that it is
 * never half-written. The JSON form is also what `peaks --json` prints. */
#ifndef SR_BENCH_CEILINGS_CACHE_H
#define SR_BENCH_CEILINGS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "model/ceilings.h"

struct json_object;

/* The cache directory ($XDG_CACHE_HOME/sparseroof/ceilings, else
 * $HOME/.cache/sparseroof/ceilings) into buf; not created here. */
sr_code sr_ceilings_cache_dir(char *buf, size_t size, sr_err *err);

/* The file that holds `device`'s ceilings in dir (NULL: the cache directory). The name is
 * the device name made safe for a file name plus a hash of the whole name. */
sr_code sr_ceilings_cache_path(const char *dir, const char *device, char *buf, size_t size,
                               sr_err *err);

/* Writes c to its file in dir (NULL: the cache directory, created if missing), replacing
 * what was there. method (may be NULL) says how the figures were obtained ("measured,
 * profiling events", "measured, wall clock: <why>", "defined"); it is kept in the file. */
sr_code sr_ceilings_save(const char *dir, const sr_ceilings *c, const char *method, sr_err *err);

/* Reads `device`'s ceilings from dir (NULL: the cache directory). SR_ERR_NOTFOUND when
 * none are stored; SR_ERR_FORMAT (naming the file) when the file is damaged. method (may
 * be NULL) receives the method stored with them ("" if none). */
sr_code sr_ceilings_load(const char *dir, const char *device, sr_ceilings *out, char *method,
                         size_t method_size, sr_err *err);


/* The JSON object of c: {device, virtual, bandwidth: [{level, gbps, ws_min_bytes,
 * ws_max_bytes}], compute: [{dtype, gflops} | {dtype, unsupported: true}],
 * launch_overhead_s (null when unknown), patterns: [{pattern, gflops?, metadata_bits?}]}.
 * New reference (json_object_put it); NULL if out of memory. */
struct json_object *sr_ceilings_to_json(const sr_ceilings *c);

/* Reads that object back, checking every field; `what` names the source in messages. */
sr_code sr_ceilings_from_json(struct json_object *o, const char *what, sr_ceilings *out,
                              sr_err *err);

#endif
