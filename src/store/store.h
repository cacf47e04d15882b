/* The sparseroof database: one SQLite file holding hosts, devices, runs, ceilings,
 * networks, measurements, accuracy and tuned kernel parameters (schemas/ holds the tables
 * and the views people query). Opening checks that the file is sparseroof's and applies
 * the embedded migrations in order; every write is one transaction, so a failure (a full
 * disk, a signal, SIGKILL) never leaves half a set of rows. SQLite only; no OpenCL here.
 *
 * Conventions of the record structs: text fields "" and doubles NAN are stored as NULL;
 * UUIDs are 36 characters ("8-4-4-4-12", lower-case hex) plus NUL. */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/host.h"
#include "common/pattern.h"
#include "common/status.h"
#include "model/ceilings.h"
#include "model/device_model.h"

#define SR_UUID_LEN 37                     /* 36 characters and NUL */
#define SR_STORE_APPLICATION_ID 0x53526f66 /* PRAGMA application_id: "SRof" */

typedef struct sr_store sr_store;

/* ---- Opening ----------------------------------------------------------------------- */

enum {
    /* Never writes: the file must exist; one of an older schema is migrated in a private
     * in-memory copy (the file stays as it is). For `runs`, `export` and merge sources. */
    SR_STORE_READONLY = 1u << 0
};

/* Opens (creating if needed, unless read-only) the database at path. Refuses, before
 * writing anything, a file that is not SQLite, a SQLite file that is not sparseroof's, a
 * schema newer than this build knows, a missing directory and a read-only file or
 * directory; each with a message naming the path and what is wrong. */
sr_code sr_store_open(const char *path, unsigned flags, sr_store **out, sr_err *err);

/* Discards pending measurements (see sr_store_add_measurement) and closes. NULL: no-op. */
void sr_store_close(sr_store *s);

const char *sr_store_path(const sr_store *s);

/* The newest schema version this build knows (= the number of embedded migrations). */
int sr_store_schema_version(void);

/* ---- Hosts and devices ------------------------------------------------------------- */

/* Records a host (UUID derived from machine id, host name, CPU, cores and memory, so the
 * same machine has the same UUID in every file). */
sr_code sr_store_put_host(sr_store *s, const sr_host_info *host, char uuid[SR_UUID_LEN],
                          sr_err *err);

/* A device as the OpenCL runtime describes it (strings copied from sr_device_info by
 * the caller), or a virtual device (is_virtual; only name and vendor matter). */
typedef struct {
    char name[256], vendor[256], type[16]; /* type: "CPU", "GPU", ...; virtual: "VIRTUAL" */
    char platform_name[256], platform_vendor[256], platform_version[256];
    char device_version[256], driver_version[256], opencl_c_version[256];
    unsigned compute_units, max_clock_mhz;
    uint64_t global_mem_bytes, local_mem_bytes, global_cache_bytes, max_alloc_bytes;
    uint64_t max_work_group_size;
    int fp64, fp16;
    int is_virtual;
} sr_device_rec;

/* Records a device of host_uuid (NULL: this machine, recorded on the way; ignored for a
 * virtual device). The UUID is derived from the host, platform, driver and device
 * strings: the same device under the same driver keeps its UUID; a driver update makes a
 * new device row, since it changes timings. */
sr_code sr_store_put_device(sr_store *s, const sr_device_rec *dev, const char *host_uuid,
                            char uuid[SR_UUID_LEN], sr_err *err);

/* A stored device by UUID, UUID prefix (>= 4 characters) or exact name (the one with the
 * newest run when several share it). SR_ERR_NOTFOUND names the spec. */
sr_code sr_store_find_device(sr_store *s, const char *spec, char uuid[SR_UUID_LEN],
                             sr_err *err);

/* ---- Runs -------------------------------------------------------------------------- */

typedef struct {
    const char *command;     /* the subcommand: "kernel", "peaks", ... */
    int argc;                /* the whole command line, stored shell-quoted (may be 0) */
    char *const *argv;
    const char *device_uuid; /* NULL or "": none (yet) */
} sr_run_info;

/* Starts a run (status 'running') and makes it this handle's current run. Records this
 * host, its CPU model, cores, kernel release, cpufreq governor, the environment variables
 * that affect timings, the tool version and, when a device is given, its OpenCL platform
 * and driver strings. */
sr_code sr_store_run_begin(sr_store *s, const sr_run_info *info, char uuid[SR_UUID_LEN],
                           sr_err *err);

/* Sets the device of a run begun without one. */
sr_code sr_store_run_set_device(sr_store *s, const char *run_uuid, const char *device_uuid,
                                sr_err *err);

/* Ends a run: status "complete" writes the run's pending measurements and the status in
 * one transaction (if that fails, say on a full disk, the rows stay pending and the run
 * 'running'; end it "failed" then); "failed" and "interrupted" discard the run's pending
 * measurements (no half set) and record the status. An optional reason goes in with
 * sr_store_run_set_message. */
sr_code sr_store_run_end(sr_store *s, const char *run_uuid, const char *status, sr_err *err);

sr_code sr_store_run_set_message(sr_store *s, const char *run_uuid, const char *message,
                                 sr_err *err);

/* This handle's current run ("" if none). */
const char *sr_store_current_run(const sr_store *s);

typedef struct {
    char uuid[SR_UUID_LEN], command[32], status[16], device_uuid[SR_UUID_LEN];
    char command_line[4096]; /* "sparseroof bench --network ...", shell-quoted */
} sr_run_rec;

/* A stored run by UUID or a prefix of 4 or more characters (SR_ERR_NOTFOUND, or
 * SR_ERR_ARG when the prefix is ambiguous). */
sr_code sr_store_get_run(sr_store *s, const char *spec, sr_run_rec *out, sr_err *err);

/* A stored command line taken apart into words again (the inverse of its quoting); *argv
 * is one malloc'ed block, NULL-terminated: free() it. */
sr_code sr_store_split_command_line(const char *line, int *argc, char ***argv, sr_err *err);

/* Makes a run that ended (interrupted or failed) running again, under this process, and
 * this handle's current run, so that more rows can be added before it ends again. */
sr_code sr_store_run_resume(sr_store *s, const char *run_uuid, sr_err *err);

/* A network layer's measured row of a run, as a sweep reads back what it stored. */
typedef struct {
    int layer_index;
    char pattern[SR_NAME_MAX];
    double sparsity, time_s, predicted_s, flops, bytes;
    double device_s; /* the device model's time; NAN: none */
    char bound[SR_NAME_MAX];
    int verified;
} sr_layer_row;

/* The measured network rows of a run, in the order stored; *rows is malloc'ed. */
sr_code sr_store_run_layer_rows(sr_store *s, const char *run_uuid, sr_layer_row **rows, size_t *n, sr_err *err);

/* ---- Measurements ------------------------------------------------------------------ */

typedef enum { SR_MEASURED = 0, SR_PREDICTED } sr_measure_kind;

typedef struct {
    char run_uuid[SR_UUID_LEN];     /* "": this handle's current run */
    char device_uuid[SR_UUID_LEN];  /* "": the current run's device */
    char network_uuid[SR_UUID_LEN]; /* "": a free shape */
    int layer_index;                /* with network_uuid */
    sr_measure_kind kind;
    sr_pattern pattern;
    double sparsity;
    sr_dtype dtype;
    int64_t m, k, n;
    int groups;     /* 0 is stored as 1 */
    int batch;      /* 0: NULL */
    int64_t nnz;    /* < 0: NULL */
    double flops, bytes, ai; /* bytes: the model's count (model/roofline.h) */
    double layout_bytes;     /* what the kernel's own layout reads, where measured; NAN: NULL */
    double predicted_time_s;
    double device_time_s;    /* the device model's prediction; NAN: NULL */
    char bound[SR_NAME_MAX]; /* "compute" or a memory level name */
    double time_median_s, time_min_s, time_max_s;
    int reps;                /* 0: NULL */
    int verified;            /* 1, 0, or -1 (not checked: NULL) */
    double max_rel_error;
    char timing_method[16];  /* "events", "wallclock" or "" */
    double build_time_s;
    char params[256];        /* kernel parameters, "-DTM=4 -DVW=8" */
    double efficiency;       /* NAN: the views compute predicted / measured */
    int64_t rows_checked;    /* rows of Y compared with the reference; 0: NULL (all, or none) */
} sr_measurement;

/* Zeroes *m and sets every double to NAN (NULL), verified and nnz to -1 (NULL). */
void sr_measurement_init(sr_measurement *m);

/* Writes rows[0..n) in one transaction: all of them or none. */
sr_code sr_store_put_measurements(sr_store *s, const sr_measurement *rows, size_t n,
                                  sr_err *err);

/* Keeps a copy of *row in memory until sr_store_commit (or sr_store_run_end "complete")
 * writes the pending rows in one transaction; sr_store_discard, a run that ends otherwise
 * or closing the handle drops them. The row is checked now. */
sr_code sr_store_add_measurement(sr_store *s, const sr_measurement *row, sr_err *err);
sr_code sr_store_commit(sr_store *s, sr_err *err);
void sr_store_discard(sr_store *s);
size_t sr_store_pending(const sr_store *s);

/* ---- Ceilings and virtual devices -------------------------------------------------- */

/* Stores c as the ceilings run_uuid found for device_uuid (method 'defined' when
 * c->is_virtual, else 'measured'), replacing what that run stored before for it. */
sr_code sr_store_put_ceilings(sr_store *s, const char *device_uuid, const char *run_uuid,
                              const sr_ceilings *c, sr_err *err);

/* The newest ceilings of a device (UUID, UUID prefix or name, see sr_store_find_device)
 * from a run that completed. SR_ERR_NOTFOUND when the device has none. */
sr_code sr_store_get_ceilings(sr_store *s, const char *device, sr_ceilings *out, sr_err *err);

/* Records c->device as a virtual device with ceilings c (method 'defined') under run_uuid.
 * The UUID is derived from the name: defining it again gives it newer ceilings. */
sr_code sr_store_define_virtual(sr_store *s, const char *run_uuid, const sr_ceilings *c,
                                char uuid[SR_UUID_LEN], sr_err *err);

/* ---- The device model's calibration ------------------------------------------------ */

#define SR_KERNELS_HASH_LEN 17 /* 16 hex digits and the NUL */

/* Stores calibration points of device_uuid under the current run (params[i] may be
 * NULL: none), with the hash of the kernels and parameters they ran with (kernels_hash;
 * NULL: none), in one transaction. */
sr_code sr_store_put_calibration(sr_store *s, const char *device_uuid, const sr_calib_point *pts, size_t n,
                                 const char *const *params, const char *kernels_hash, sr_err *err);

/* The kernels hash of a device's newest complete calibration ("": none recorded, made
 * before hashes were); SR_ERR_NOTFOUND: no calibration. */
sr_code sr_store_calibration_hash(sr_store *s, const char *device_uuid, char out[SR_KERNELS_HASH_LEN], sr_err *err);

/* The type of a stored device ("CPU", "GPU", ...; "" unknown); SR_ERR_NOTFOUND: none. */
sr_code sr_store_device_type(sr_store *s, const char *device_uuid, char type[16], sr_err *err);

/* The newest complete calibration of a device (*pts malloc'ed); SR_ERR_NOTFOUND: none. */
sr_code sr_store_get_calibration(sr_store *s, const char *device_uuid, sr_calib_point **pts, size_t *n,
                                 sr_err *err);

/* A network total (as v_network_speedup forms it) with a measurement and the device
 * model's time (query/model_check.h forms them from sr_check_row). */
typedef struct {
    char network[128], pattern[SR_NAME_MAX];
    double sparsity;
    int batch;
    double measured_dense_s, measured_s;
    double peak_dense_s, peak_s;     /* the paper's, of the same GEMM work (NAN: none) */
    double device_dense_s, device_s; /* the device model's */
} sr_check_total;

/* A measured network layer row with what predicting it again needs: its shape and work,
 * and its network's layer count and the layer's prunability (to form network totals). */
typedef struct {
    char network[128], network_uuid[SR_UUID_LEN], layer[128], pattern[SR_NAME_MAX], dtype[16];
    int layer_idx, prunable, n_layers, batch;
    double sparsity;
    int64_t m, k, n, groups;
    double nnz;                          /* stored values, every group together */
    double measured_s, peak_s, device_s; /* device_s: as stored at bench time (NAN: none) */
    char term[SR_NAME_MAX];              /* what decides device_s when predicted again ("": stored) */
} sr_check_row;

/* The newest verified measured row of every layer, pattern, sparsity, dtype and batch of a
 * device (*rows malloc'ed), ordered by network, batch, pattern, sparsity, layer. */
sr_code sr_store_check_rows(sr_store *s, const char *device_uuid, sr_check_row **rows, size_t *n, sr_err *err);

/* ---- Networks, accuracy, tuned parameters ------------------------------------------ */

typedef struct {
    char name[128], kind[32]; /* kind: "conv", "linear", ... */
    int64_t m, n, k;          /* the layer as a GEMM; n at batch 1 */
    int groups;               /* 0 is stored as 1 */
    int prunable;
} sr_layer_rec;

typedef struct {
    char name[128], description[256], source[256]; /* source: "builtin" or a file */
} sr_network_rec;

/* Records a network and its layers (index = position in layers[]). The UUID is derived
 * from the name and the layers: storing the same definition again changes nothing. */
sr_code sr_store_put_network(sr_store *s, const sr_network_rec *net, const sr_layer_rec *layers,
                             size_t n_layers, char uuid[SR_UUID_LEN], sr_err *err);

/* The newest stored network of that name (or UUID). */
sr_code sr_store_find_network(sr_store *s, const char *name, char uuid[SR_UUID_LEN],
                              sr_err *err);

typedef struct {
    char network[128], pattern[SR_NAME_MAX], metric[32]; /* metric: "top1", "f1", ... */
    double sparsity, value;
    char source[512];             /* the study: its rows share one dense baseline */
    char run_uuid[SR_UUID_LEN];   /* "": none */
    char dataset[128], method[256], source_url[512]; /* where the figure stands */
} sr_accuracy_rec;

/* Stores rows in one transaction; a row with the same network, pattern, sparsity, metric
 * and source replaces the old one. */
sr_code sr_store_put_accuracy(sr_store *s, const sr_accuracy_rec *rows, size_t n, sr_err *err);

typedef struct {
    char run_uuid[SR_UUID_LEN], device_uuid[SR_UUID_LEN]; /* "": current run, its device */
    char pattern[SR_NAME_MAX];
    sr_dtype dtype;
    double sparsity;  /* NAN: any */
    int64_t m, k, n;  /* shape tuned on; 0: NULL */
    char params[256]; /* "-DTM=4 -DVW=8" */
    double gflops, time_s;
    int tier;         /* read only: where sr_store_get_tuned found it (SR_TUNED_*) */
} sr_tuned_rec;

enum { SR_TUNED_EXACT = 1, SR_TUNED_SAME_NAME = 2, SR_TUNED_SAME_KIND = 3 };

sr_code sr_store_put_tuned(sr_store *s, const sr_tuned_rec *t, sr_err *err);

/* The best-known parameters for device (UUID or name), pattern and dtype from completed
 * runs, by the fallback chain of tuning databases: the device itself first
 * (SR_TUNED_EXACT), then the same device name under any driver version or host
 * (SR_TUNED_SAME_NAME), then any real device of the same vendor and type
 * (SR_TUNED_SAME_KIND); out->tier and out->device_uuid say which. Within the tier, those
 * tuned on the shape nearest (m, k, n) (the sum of |log| ratios; 0, 0, 0: any shape),
 * newest first among equals. Fills *out or
 * returns SR_ERR_NOTFOUND (the caller falls back to built-in defaults). */
sr_code sr_store_get_tuned(sr_store *s, const char *device, const char *pattern, sr_dtype dtype,
                           int64_t m, int64_t k, int64_t n, sr_tuned_rec *out, sr_err *err);

/* ---- Merging ----------------------------------------------------------------------- */

typedef struct {
    size_t hosts, devices, runs, networks, layers, ceilings, measurements, accuracy, tuned, calibration;
} sr_merge_stats;

/* Copies into s everything in the database at source_path that s lacks: hosts, devices,
 * runs and the rows under them (calibrations too), networks, accuracy. Opens the source read-only (one of an
 * older schema is migrated in a private copy; a newer one is refused). One transaction:
 * all of the source or nothing. Merging the same file again adds nothing; a run that was
 * still 'running' in s takes the source's later status. *added (may be NULL) counts the
 * new rows. */
sr_code sr_store_merge(sr_store *s, const char *source_path, sr_merge_stats *added, sr_err *err);

/* ---- Reading ----------------------------------------------------------------------- */

/* One cell of a row, with the type SQLite holds it in. */
typedef enum { SR_CELL_NULL = 0, SR_CELL_INT, SR_CELL_REAL, SR_CELL_TEXT, SR_CELL_BLOB } sr_cell_type;

typedef struct {
    sr_cell_type type;
    int64_t i;                 /* SR_CELL_INT */
    double r;                  /* SR_CELL_REAL */
    const char *text;          /* SR_CELL_TEXT: NUL-terminated */
    const unsigned char *blob; /* SR_CELL_BLOB */
    size_t len;                /* bytes of text or blob */
} sr_cell;

/* What a read of rows calls: columns once (also when there are no rows), then row for
 * each row. names stay valid until the read returns, cells until the call returns. A code
 * other than SR_OK stops the read and is returned. */
typedef struct {
    sr_code (*columns)(void *ctx, const char *const *names, int n, sr_err *err);
    sr_code (*row)(void *ctx, const sr_cell *cells, int n, sr_err *err);
    void *ctx;
} sr_row_reader;

/* The names of the views and tables that can be read (views first, then tables, each by
 * name), comma-separated into buf (truncated to size). */
sr_code sr_store_names(sr_store *s, char *buf, size_t size, sr_err *err);

/* Every row of the view or table `name` (one of sr_store_names: nothing else reaches
 * SQL). An unknown name is SR_ERR_NOTFOUND with a message that lists what exists. */
sr_code sr_store_read_rows(sr_store *s, const char *name, const sr_row_reader *reader,
                           sr_err *err);

typedef struct {
    int limit;          /* the newest `limit` runs; <= 0: all */
    const char *status; /* NULL: any status */
} sr_run_filter;

/* The runs that pass filter (NULL: all), newest first, as rows of the view v_run with the
 * columns run, started_at, status, device, command_line, ended_at, command, host,
 * platform, driver, measurements, message. */
sr_code sr_store_read_runs(sr_store *s, const sr_run_filter *filter, const sr_row_reader *reader,
                           sr_err *err);

/* The same runs as typed records. Text is "" where the database holds NULL (a run still
 * running has no ended_at). */
typedef struct {
    char uuid[SR_UUID_LEN];
    char started_at[32], ended_at[32];
    char status[16];  /* running, complete, failed, interrupted */
    char command[32]; /* the subcommand */
    char device[256], host[256], platform[256], driver[256];
    int64_t measurements;
    char *command_line, *message; /* owned by the list */
} sr_run_row;

typedef struct {
    sr_run_row *rows;
    size_t n, cap;
    size_t total; /* runs stored, whatever the filter: says why a filtered list is empty */
} sr_run_list;

/* Fills *out (free with sr_run_list_free) with the runs that pass filter (NULL: all). */
sr_code sr_store_list_runs(sr_store *s, const sr_run_filter *filter, sr_run_list *out,
                           sr_err *err);
void sr_run_list_free(sr_run_list *list); /* NULL or empty: no-op */

#endif
