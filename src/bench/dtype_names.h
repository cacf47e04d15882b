/* Names of the data types for bench/ files that print or parse them (ceilings JSON,
 * --define). Private to bench/; a static table, so each file gets its own copy. */
#ifndef SR_BENCH_DTYPE_NAMES_H
#define SR_BENCH_DTYPE_NAMES_H

#include <string.h>

#include "model/ceilings.h"

#define SR_BENCH_N_DTYPES 3

/* indexed by sr_dtype */
static const char *const sr_bench_dtype_names[SR_BENCH_N_DTYPES] = {"fp32", "fp16", "fp64"};

/* The dtype named s, or -1. */
static inline int sr_bench_dtype_lookup(const char *s, size_t len)
{
    for (int d = 0; d < SR_BENCH_N_DTYPES; d++)
        if (strlen(sr_bench_dtype_names[d]) == len && strncmp(s, sr_bench_dtype_names[d], len) == 0)
            return d;
    return -1;
}

#endif
