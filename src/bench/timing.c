/* Repetition statistics and the event/wall-clock cross-check. */
#include "bench/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double sr_median(double *v, int n)
{
    if (n <= 0)
        return 0.0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Why an event time cannot be right next to its wall clock, or NULL if it can. The
 * event covers less than the wall clock (the wall also holds enqueue and wait), so an
 * event longer than the wall is impossible; one far shorter on a long run means the
 * stamps are not measuring the kernel. */
static const char *implausible(double ev, double wall)
{
    if (!(ev > 0.0))
        return "profiling stamps were zero or missing";
    if (ev > wall * 1.25 + 50e-6)
        return "event time exceeded the wall clock";
    if (wall > 2e-3 && ev < 0.02 * wall)
        return "event time was far below the wall clock";
    return NULL;
}

double sr_rep_seconds(const sr_rep_time *t, int *wallclock)
{
    int wall = implausible(t->event_s, t->wall_s) != NULL;
    if (wallclock)
        *wallclock = wall;
    return wall ? t->wall_s : t->event_s;
}

void sr_time_stats_compute(const sr_rep_time *reps, int n, sr_time_stats *out)
{
    memset(out, 0, sizeof *out);
    out->reps = n;
    if (n <= 0)
        return;
    const char *why = NULL;
    for (int i = 0; i < n && !why; i++)
        why = implausible(reps[i].event_s, reps[i].wall_s);
    if (!why && n >= 3) {
        int same = 1;
        double wmin = reps[0].wall_s, wmax = reps[0].wall_s;
        for (int i = 1; i < n; i++) {
            same &= reps[i].event_s == reps[0].event_s;
            wmin = reps[i].wall_s < wmin ? reps[i].wall_s : wmin;
            wmax = reps[i].wall_s > wmax ? reps[i].wall_s : wmax;
        }
        if (same && wmax > 1.1 * wmin)
            why = "event times were constant while the wall clock varied";
    }
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return;
    out->wallclock = why != NULL;
    if (why)
        snprintf(out->note, sizeof out->note, "timed by wall clock: %s", why);
    for (int i = 0; i < n; i++)
        v[i] = why ? reps[i].wall_s : reps[i].event_s;
    out->median_s = sr_median(v, n); /* sorts v */
    out->min_s = v[0];
    out->max_s = v[n - 1];
    free(v);
}
