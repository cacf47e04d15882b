/* Whether measured ceilings can be the device's roof. A driver whose profiling stamps
 * lie, or whose loops end early, can make a microbenchmark do less work than it counts;
 * the figures then grow with the work asked, not with the device. Before ceilings are
 * stored: each bandwidth level must be flat (its points neither scattered wildly nor
 * rising with the working set: more data is never faster), a sweep of one level not
 * rising to it all along, no level faster than the one before it, and the FMA peak not far above what a dense product of the same run does. */
#ifndef SR_BENCH_PEAKS_CHECK_H
#define SR_BENCH_PEAKS_CHECK_H

#include "bench/peaks.h"

/* A level whose points scatter more than this ((max - min) / median) is not flat. */
#define SR_PEAKS_MAX_SPREAD 4.0
/* A level whose points over its larger half of working sets run this many times faster
 * (medians) than over its smaller half rises with the working set; so does a sweep of one
 * level this many times faster than the median of its smaller half. */
#define SR_PEAKS_MAX_RISE 2.0
/* An fp32 FMA peak more than this many times a dense product's rate is implausible: a
 * tiled GEMM reaches a good part of the peak on a CPU, and a few percent at the least on
 * a GPU. */
#define SR_PEAKS_MAX_PEAK_OVER_GEMM 100.0

/* Checks r (its ceilings, plateaus and sweep; r->gemm_gflops if positive) and refuses
 * implausible figures: SR_ERR_UNSUPPORTED, a message naming the figure and why. */
sr_code sr_peaks_plausible(const sr_peaks_result *r, sr_err *err);

/* The fp32 rate of a dense product (a verified run at a small shape, default parameters)
 * on the open device: what the FMA peak is checked against. */
sr_code sr_peaks_gemm(sr_cl *cl, double *gflops, sr_err *err);

#endif
