/* Measuring a device's ceilings (`sparseroof peaks`): bandwidth by working-set size with a
 * read kernel and a triad, swept from small sets to beyond the last-level cache, its
 * plateaus as the levels; FMA throughput per data type; the time of an empty launch.
 * Every figure is the best of timed repetitions after a warm-up, with its spread; every
 * timing cross-checks profiling events against the wall clock (bench/timing.h). Progress
 * goes to a callback; nothing is printed here. */
#ifndef SR_BENCH_PEAKS_H
#define SR_BENCH_PEAKS_H

#include <stddef.h>
#include <stdint.h>

#include "bench/plateau.h"
#include "bench/timing.h"
#include "common/status.h"
#include "model/ceilings.h"
#include "runtime/runtime.h"

/* Called as work proceeds: stage ("read", "triad", "compute fp32", "launch"), done of
 * total steps in that stage, and a short detail ("4 MiB: 120.3 GB/s"). */
typedef void (*sr_peaks_progress_fn)(void *ctx, const char *stage, int done, int total,
                                     const char *detail);

typedef struct {
    double min_ws_bytes;   /* first working set of the sweep (default 16 KiB) */
    double max_ws_bytes;   /* last; 0: 4x the last-level cache, within device memory */
    int points_per_octave; /* default 4 (thorough 8) */
    int reps;              /* timed repetitions of each point and each compute run (5; 10) */
    double min_time_s;     /* a timed bandwidth launch lasts at least this (2 ms; 5 ms) */
    double compute_time_s; /* a timed compute launch lasts at least this (20 ms; 50 ms) */
    int launch_reps;       /* empty launches timed (200; 1000) */
    int thorough;          /* also more vector widths and chain counts for compute */
    /* Cache sizes of the device from the OS (level i+1 in all its instances), only to
     * name the levels; may be NULL. */
    const uint64_t *cache_bytes;
    size_t n_cache;
    sr_peaks_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    int (*stop)(void); /* nonzero: stop between steps with SR_ERR_INTERRUPTED; may be NULL */
} sr_peaks_opts;

void sr_peaks_opts_default(sr_peaks_opts *o, int thorough);

/* One working set of the sweep. */
typedef struct {
    double ws_bytes;        /* bytes the launch touches (triad: the three arrays) */
    double gbps, gbps_worst; /* best and worst repetition */
    int wallclock;          /* timed by the wall clock (the events were implausible) */
} sr_bw_point;

/* One data type's FMA throughput. */
typedef struct {
    sr_dtype dtype;
    int supported;
    double gflops, gflops_worst; /* best and worst repetition of the best configuration */
    int vw, chains;              /* the configuration that gave it */
    int wallclock;
} sr_fma_result;

typedef struct {
    sr_ceilings ceilings; /* what the model uses: levels of the better of read and triad */
    /* The sweep (n_points each; malloc'ed, see sr_peaks_result_free). */
    size_t n_points;
    sr_bw_point *read, *triad;
    /* Plateaus: of the ceilings, of the read series, of the triad series. */
    sr_plateau levels[SR_MAX_LEVELS], read_levels[SR_MAX_LEVELS], triad_levels[SR_MAX_LEVELS];
    size_t n_levels, n_read_levels, n_triad_levels;
    sr_fma_result compute[SR_MAX_DTYPES];
    size_t n_compute;
    sr_time_stats launch; /* wall-clock time of an empty launch, enqueue to finish */
    int wallclock;        /* some timing fell back to the wall clock */
    char timing_note[160]; /* why, else empty */
    char sweep_note[256];  /* why the sweep ended before the working set asked, else empty */
    double gemm_gflops;    /* a dense product's rate in the same run (0: none ran) */
    double build_s;       /* kernel builds, not timed as kernel time */
    int awake_cpus;       /* cores held awake while measured (runtime/keep_awake.h) */
    double elapsed_s;
} sr_peaks_result;

/* Checks the options against the device before anything runs: repetitions and times
 * positive, and max_ws_bytes within what the device can hold (half its memory, and 90%
 * of one allocation, room for rounding sizes up) (the message names the size and the
 * device). sr_peaks_measure calls it first; a command
 * should call it before it opens a run. */
sr_code sr_peaks_check(const sr_peaks_opts *o, const sr_device_info *dev, sr_err *err);

/* Measures the opened device. r is filled (free it with sr_peaks_result_free, also after
 * a failure). */
sr_code sr_peaks_measure(sr_cl *cl, const sr_peaks_opts *o, sr_peaks_result *r, sr_err *err);

void sr_peaks_result_free(sr_peaks_result *r);

/* The working sets of a sweep from lo to hi bytes (both included), points_per_octave a
 * doubling; the measurement rounds each to what its work-items can split evenly. *out is
 * malloc'ed. */
sr_code sr_peaks_sweep_sizes(double lo, double hi, int points_per_octave, double **out,
                             size_t *n, sr_err *err);

/* A byte count for people: "512 bytes", "16 KiB", "3.5 MiB", "1.88 GiB". */
void sr_format_bytes(double bytes, char *buf, size_t size);

#endif
