/* The classic roofline of a device from stored rows: attainable GFLOP/s against
 * arithmetic intensity, with every ceiling of the device (each bandwidth level a slanted
 * roof, each compute ceiling flat, and per pattern: a virtual device's defined ceiling,
 * the best tuned kernel and the calibrated median rate), and each network layer or free
 * kernel shape as a point: predicted (FLOPs over the predicted time) and measured (FLOPs
 * over the measured time). A measured point faster than its own prediction sits above
 * its roof: a ceiling or a byte count is wrong, and the point is marked. */
#ifndef SR_QUERY_ROOFLINE_H
#define SR_QUERY_ROOFLINE_H

#include <stdio.h>

#include "query/outfile.h"
#include "store/reads.h"

typedef struct {
    const char *device;  /* name or UUID; NULL: the run's device, else the newest measured */
    const char *run;     /* UUID or prefix; NULL: every run (the newest row of each) */
    const char *network; /* NULL: every network and free shape; "": free shapes only */
} sr_roofline_opts;

typedef enum {
    SR_ROOF_BANDWIDTH = 0, /* a memory level, GB/s: a slanted roof */
    SR_ROOF_COMPUTE,       /* a dtype's FMA peak, GFLOP/s */
    SR_ROOF_DEFINED,       /* a pattern's ceiling given for a virtual device */
    SR_ROOF_TUNED,         /* a pattern's best tuned kernel on this device */
    SR_ROOF_CALIBRATED     /* a pattern's median rate over the device model's calibration */
} sr_roof_kind;

typedef struct {
    sr_roof_kind kind;
    char name[SR_NAME_MAX]; /* level, dtype or pattern */
    char dtype[8];          /* tuned: its dtype */
    double value;           /* GB/s (bandwidth) or GFLOP/s */
} sr_roof;

typedef struct {
    sr_roofline_row p;
    double gflops;       /* measured: FLOPs / measured time; predicted: / predicted time */
    double roof_gflops;  /* FLOPs / the predicted time (NAN: none) */
    int above_roof;      /* measured faster than its prediction */
    int has_twin;        /* measured: a predicted row of the same layer and configuration
                          * is stored too (else the chart draws this row's own prediction) */
} sr_roofline_pt;

typedef struct {
    char device_uuid[SR_UUID_LEN], device[256];
    int is_virtual;
    char run[SR_UUID_LEN];   /* "" : every run */
    char network[128];       /* "" : every network; "(free shapes)" when asked for */
    sr_roof *roofs;
    size_t n_roofs;
    sr_roofline_pt *pts;     /* measured points before predicted ones */
    size_t n_pts, measured, predicted, above;
} sr_roofline;

/* Reads the ceilings and points. SR_ERR_NOTFOUND, naming what is missing, for an unknown
 * device, run or network, a device with neither ceilings nor points, a database without
 * devices; SR_ERR_ARG for a run of another device than the one named. */
sr_code sr_roofline_build(sr_store *s, const sr_roofline_opts *o, sr_roofline **out, sr_err *err);
void sr_roofline_free(sr_roofline *r); /* NULL: no-op */

/* The plot (the caller frees it); the points as CSV; ceilings and points as JSON. */
struct sr_plot;
sr_code sr_roofline_chart(const sr_roofline *r, struct sr_plot **out, sr_err *err);
sr_code sr_roofline_write_csv(const sr_roofline *r, FILE *f, sr_err *err);
struct json_object *sr_roofline_json(const sr_roofline *r);

/* All three for sr_out_save. */
extern const sr_out_writers sr_roofline_writers;

const char *sr_roof_kind_name(sr_roof_kind k); /* "bandwidth", "compute", "defined", ... */

#endif
