/* A device's ceilings: what the roofline model stands on. Filled by measurement
 * (bench/peaks), by hand (`peaks --define`, a virtual device) or from the store; read by
 * the model. Plain data, libc only. */
#ifndef SR_MODEL_CEILINGS_H
#define SR_MODEL_CEILINGS_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#define SR_MAX_LEVELS 8
#define SR_MAX_DTYPES 4
#define SR_MAX_PATTERN_CEILINGS 16
#define SR_NAME_MAX 64
/* The range of a bandwidth (GB/s) or compute (GFLOP/s) figure: a million times beyond
 * any device of today and far below any, so that no time or speedup overflows. */
#define SR_FIGURE_MIN 1e-6
#define SR_FIGURE_MAX 1e12
#define SR_FIGURE_RANGE "1e-06 to 1e+12"
#define SR_LAUNCH_MAX_S 10.0 /* an empty kernel launch, at most */

typedef enum { SR_DTYPE_FP32 = 0, SR_DTYPE_FP16, SR_DTYPE_FP64 } sr_dtype;

/* One bandwidth plateau: holds for working sets in [ws_min_bytes, ws_max_bytes].
 * Levels are ordered from the smallest working set (L1) to DRAM, which is last and
 * whose ws_max_bytes is UINT64_MAX. */
typedef struct {
    char level[SR_NAME_MAX]; /* "L1", "L2", "L3", "DRAM" */
    double gbps;             /* 1e9 bytes/s */
    uint64_t ws_min_bytes, ws_max_bytes;
} sr_bw_level;

typedef struct {
    sr_dtype dtype;
    int supported; /* 0: the device cannot do it; gflops is then meaningless */
    double gflops; /* an FMA counts as 2 FLOPs */
} sr_compute_ceiling;

/* A pattern's own ceiling: what a virtual device (or tuning) says a pattern reaches. */
typedef struct {
    char pattern[SR_NAME_MAX]; /* canonical name, see sr_pattern_name() */
    double gflops;             /* 0: use the device's compute ceiling */
    double metadata_bits;      /* < 0: the format's own metadata cost */
} sr_pattern_ceiling;

typedef struct {
    char device[256]; /* device name, or the virtual device's name */
    int is_virtual;
    size_t n_levels;
    sr_bw_level levels[SR_MAX_LEVELS];
    size_t n_compute;
    sr_compute_ceiling compute[SR_MAX_DTYPES];
    double launch_overhead_s; /* median empty-kernel launch; 0 if unknown */
    size_t n_patterns;
    sr_pattern_ceiling patterns[SR_MAX_PATTERN_CEILINGS];
} sr_ceilings;

const char *sr_dtype_name(sr_dtype d); /* "fp32", "fp16", "fp64" */
int sr_dtype_parse(const char *s, sr_dtype *out); /* 1 when s names a type, else 0 */
size_t sr_dtype_bytes(sr_dtype d);

/* Checks what the model needs and a device (measured, defined or imported) must give: 1
 * to SR_MAX_LEVELS bandwidth levels with distinct names, ordered by working set, sizes
 * within 64-bit signed integers and DRAM's range open-ended; distinct data types with an
 * fp32 ceiling; distinct patterns under their canonical names; every figure in
 * [SR_FIGURE_MIN, SR_FIGURE_MAX] (pattern gflops 0: the device's; metadata bits < 0 or
 * in [0, 64]; launch overhead 0 to SR_LAUNCH_MAX_S). The message names the field and the
 * value. --define and --import both go through here. */
sr_code sr_ceilings_validate(const sr_ceilings *c, sr_err *err);

/* A virtual device with one DRAM level of `gbps` and `gflops` for fp32, fp16 and fp64. */
sr_code sr_ceilings_simple(sr_ceilings *c, const char *name, double gbps, double gflops,
                           sr_err *err);

/* The compute ceiling for d, or NULL when the device has none or does not support d. */
const sr_compute_ceiling *sr_ceilings_compute(const sr_ceilings *c, sr_dtype d);

/* The bandwidth level whose working-set range holds ws bytes: the smallest level with
 * ws <= ws_max_bytes (DRAM past the last). NULL only when there are no levels. */
const sr_bw_level *sr_ceilings_level(const sr_ceilings *c, uint64_t ws);

/* DRAM: the last level (NULL when there are none). */
const sr_bw_level *sr_ceilings_dram(const sr_ceilings *c);

/* The override for the pattern with canonical name `pattern`, or NULL. */
const sr_pattern_ceiling *sr_ceilings_pattern(const sr_ceilings *c, const char *pattern);

typedef enum { SR_PATTERN_GFLOPS, SR_PATTERN_METADATA_BITS } sr_pattern_field;

/* Parses "PATTERN=VALUE" (e.g. "2:4=624000" for --pattern-compute, "2:4=2" for
 * --pattern-metadata-bits) and records it in c under the pattern's canonical name,
 * adding an entry (gflops 0, metadata_bits -1 until given) or completing one; the same
 * field of a pattern given twice is refused. */
sr_code sr_ceilings_pattern_arg(sr_ceilings *c, const char *arg, sr_pattern_field field,
                                sr_err *err);

#endif
