/* A virtual device (`sparseroof peaks --define`): ceilings given by hand, from a datasheet
 * or for hardware that does not exist yet. Parses and validates the option values into
 * sr_ceilings; every figure must be a positive, finite number. */
#ifndef SR_BENCH_CEILINGS_DEFINE_H
#define SR_BENCH_CEILINGS_DEFINE_H

#include <stdint.h>

#include "common/status.h"
#include "model/ceilings.h"

/* The option values as typed (NULL: not given).
 *   bandwidth        "GBPS[,LEVEL=GBPS@SIZE...]": the bare figure is DRAM; LEVEL is L1..L9
 *                    or DRAM (then without the bare figure); SIZE (bytes, K/M/G/T binary
 *                    suffixes) is the largest working set a cache level holds for, which
 *                    the hierarchical roofline needs to choose it.
 *   compute          "fp32=GFLOPS[,fp16=GFLOPS,fp64=GFLOPS]": fp32 is required; the others,
 *                    when not given, are recorded as unsupported.
 *   launch           seconds of an empty kernel launch.
 *   pattern_compute  "PATTERN=GFLOPS[,...]": what a sparsity pattern's kernel reaches.
 *   pattern_metadata_bits "PATTERN=BITS[,...]": index/metadata bits per kept value (0..64).
 */
typedef struct {
    const char *name;
    const char *bandwidth;
    const char *compute;
    const char *launch;
    const char *pattern_compute;
    const char *pattern_metadata_bits;
} sr_define_spec;

/* Fills *out (is_virtual = 1). Bad values are refused with a message that names the
 * option and the value. */
sr_code sr_ceilings_define(const sr_define_spec *spec, sr_ceilings *out, sr_err *err);

/* Parses a whole string as a finite number > 0 (>= 0 when allow_zero); `what` names it in
 * the message ("--launch"). */
sr_code sr_parse_figure(const char *what, const char *text, int allow_zero, double *out,
                        sr_err *err);

/* Parses a size in bytes with an optional binary suffix (4096, 32K, 32KiB, 4M, 1G, 2T);
 * `what` names it in the message. */
sr_code sr_parse_bytes(const char *what, const char *text, uint64_t *out, sr_err *err);

#endif
