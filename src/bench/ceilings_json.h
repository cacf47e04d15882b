/* Device ceilings as JSON: the object `peaks --json` prints, and its reader, so that
 * ceilings measured on one machine can be recorded on another (`peaks --import`). The
 * store is where ceilings live; this is only their exchange form. */
#ifndef SR_BENCH_CEILINGS_JSON_H
#define SR_BENCH_CEILINGS_JSON_H

#include "common/status.h"
#include "model/ceilings.h"

struct json_object;

/* The JSON object of c: {device, virtual, bandwidth: [{level, gbps, ws_min_bytes,
 * ws_max_bytes}], compute: [{dtype, gflops} | {dtype, unsupported: true}],
 * launch_overhead_s (null when unknown), patterns: [{pattern, gflops?, metadata_bits?}]}.
 * New reference (json_object_put it); NULL if out of memory. */
struct json_object *sr_ceilings_to_json(const sr_ceilings *c);

/* Reads that object back, checking every field and validating the result
 * (sr_ceilings_validate); keys it does not know are ignored. `what` names the source in
 * messages. SR_ERR_FORMAT when anything is wrong. */
sr_code sr_ceilings_from_json(struct json_object *o, const char *what, sr_ceilings *out,
                              sr_err *err);

/* Parses len bytes of text holding one such object; `what` names it in messages. */
sr_code sr_ceilings_parse(const char *what, const char *text, size_t len, sr_ceilings *out,
                          sr_err *err);

/* Reads a file holding one such object. Every message names the file: SR_ERR_NOTFOUND
 * when it does not exist, SR_ERR_ARG when it is a directory, SR_ERR_FORMAT when it is not JSON or a field is missing or
 * wrong (named), SR_ERR_IO when it cannot be read. out is untouched on failure. */
sr_code sr_ceilings_read_file(const char *path, sr_ceilings *out, sr_err *err);

#endif
