/* Plateau detection in a bandwidth-by-working-set sweep: from points (working-set bytes,
 * GB/s) find the runs where bandwidth holds level (each cache level, then DRAM), from the
 * data alone. Cache sizes, when known, only name the levels. Pure C, no I/O. */
#ifndef SR_BENCH_PLATEAU_H
#define SR_BENCH_PLATEAU_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "model/ceilings.h"

typedef struct {
    double tol;         /* the points of one plateau lie within max/min <= 1 + tol */
    double min_octaves; /* the narrowest run (in working-set octaves, last/first point) that
                         * counts as a plateau; narrower runs are transitions or outliers */
    double merge_ratio; /* neighbouring plateaus whose levels differ by less are one level */
} sr_plateau_opts;

/* tol 0.25, min_octaves 1, merge_ratio 1.25 */
void sr_plateau_opts_default(sr_plateau_opts *o);

typedef struct {
    char level[SR_NAME_MAX]; /* "L1", "L2", ..., the last "DRAM" (see sr_plateaus_label) */
    double gbps;             /* the upper quartile of the level's points: best sustained */
    double spread;           /* (max - min) / median of the level's points */
    size_t first, last;      /* indices of its first and last point in the series */
    size_t n_points;         /* points that make its level (transition points excluded) */
    /* The working sets it holds for: contiguous from the first point of the series; a
     * boundary lies midway (in log) between two plateaus; the last ends at UINT64_MAX. */
    uint64_t ws_min_bytes, ws_max_bytes;
} sr_plateau;

/* Finds the plateaus of a series sorted by working set (ws strictly increasing, all
 * values positive and finite), ordered from the smallest working set. Bandwidth can only
 * fall as the working set grows, so a run lower than the one after it (a device not yet
 * filled by a small working set, or a noisy dip) is not a level of its own. At most
 * max_out plateaus (the closest neighbours are merged to fit). opts NULL = defaults.
 * Labels them in order (L1, L2, ..., DRAM last). */
sr_code sr_plateaus_find(const double *ws_bytes, const double *gbps, size_t n,
                         const sr_plateau_opts *opts, sr_plateau *out, size_t max_out,
                         size_t *n_out, sr_err *err);

/* Names the plateaus: the last "DRAM", the others "L<k>". cache_bytes[i] is the total size
 * of cache level i+1 seen by the device (all its instances), 0 or n_cache 0 if unknown: a
 * plateau takes the level whose size is nearest its upper working set (within a factor of
 * 4, levels increasing), else the next level in order. */
void sr_plateaus_label(sr_plateau *p, size_t n, const uint64_t *cache_bytes, size_t n_cache);

/* Copies plateaus into a device's bandwidth ceilings (levels, gbps and ranges). */
void sr_plateaus_to_levels(const sr_plateau *p, size_t n, sr_ceilings *c);

#endif
