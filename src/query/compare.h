/* One network's sparse speedups on several devices side by side, from one database (after
 * `merge`, or with virtual devices beside real ones): for each pattern and sparsity, each
 * device's speedup over its own dense time and the network's absolute time, predicted and
 * measured (v_network_speedup). All devices at one batch and dtype. */
#ifndef SR_QUERY_COMPARE_H
#define SR_QUERY_COMPARE_H

#include <stdio.h>

#include "query/outfile.h"
#include "store/reads.h"

typedef struct {
    const char *network; /* required */
    const char *devices; /* comma-separated names or UUIDs; NULL: every device with timings */
    const char *dtype;   /* NULL: that of the newest timings */
    int batch;           /* 0: that of the newest timings */
} sr_compare_opts;

typedef struct {
    char device_uuid[SR_UUID_LEN], device[256];
    double predicted_dense_s, measured_dense_s; /* the network's dense time; NAN: none */
} sr_compare_device;

/* One device at one pattern and sparsity; NAN where nothing is stored. */
typedef struct {
    double predicted_speedup, measured_speedup;
    double predicted_s, measured_s; /* the sparse network's time */
} sr_compare_cell;

typedef struct {
    char pattern[SR_NAME_MAX];
    double sparsity;
    sr_compare_cell *cells; /* one per device, in the devices' order */
} sr_compare_row;

typedef struct {
    char network[128], dtype[8];
    int batch;
    sr_compare_device *devs;
    size_t n_devs;
    sr_compare_row *rows; /* by pattern, then sparsity */
    size_t n_rows;
} sr_compare;

/* SR_ERR_NOTFOUND naming what is missing for an unknown network or device, a device
 * without timings of the network at the batch and dtype, or no timings at all. */
sr_code sr_compare_build(sr_store *s, const sr_compare_opts *o, sr_compare **out, sr_err *err);
void sr_compare_free(sr_compare *c); /* NULL: no-op */

/* x = sparsity, y = speedup over dense (log), one colour per device, one marker per
 * pattern, predicted hollow and dashed, measured filled and solid. */
struct sr_plot;
sr_code sr_compare_chart(const sr_compare *c, struct sr_plot **out, sr_err *err);
sr_code sr_compare_write_csv(const sr_compare *c, FILE *f, sr_err *err);
struct json_object *sr_compare_json(const sr_compare *c);
extern const sr_out_writers sr_compare_writers; /* all three, for sr_out_save */

/* A time as people read it: "456 us", "12.3 ms", "1.23 s"; "-" when not positive. */
void sr_compare_time(double s, char *buf, size_t size);

#endif
