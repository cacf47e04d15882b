/* Statistics of timed repetitions, with the cross-check of OpenCL profiling stamps
 * against the wall clock: some drivers report stamps that are zero, constant or far
 * from the wall clock; then the wall clock is used and the result says so. */
#ifndef SR_BENCH_TIMING_H
#define SR_BENCH_TIMING_H

/* One repetition: the summed event time of its launches, and the wall clock from the
 * first enqueue to the end of the wait. */
typedef struct {
    double event_s, wall_s;
} sr_rep_time;

typedef struct {
    double median_s, min_s, max_s;
    int reps;
    int wallclock;  /* 1: the events disagreed with the wall clock; times are wall clock */
    char note[160]; /* why the wall clock was used, else empty */
} sr_time_stats;

void sr_time_stats_compute(const sr_rep_time *reps, int n, sr_time_stats *out);

/* One repetition's time: its event time where that is plausible next to its wall clock
 * (the same test as sr_time_stats_compute), else the wall clock; *wallclock (may be NULL)
 * says which. */
double sr_rep_seconds(const sr_rep_time *t, int *wallclock);

/* Median of v[0..n) (v is reordered). 0 for n == 0. */
double sr_median(double *v, int n);

#endif
