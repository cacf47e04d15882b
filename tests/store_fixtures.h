/* Helpers shared by the store tests: temporary directories, files compared byte for
 * byte, a device, a run and measurements to store. */
#ifndef SR_TEST_STORE_FIXTURES_H
#define SR_TEST_STORE_FIXTURES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>

#include "store/store.h"
#include "store/store_internal.h" /* sr_store_sqlite: tests look behind the store */

/* A fresh directory under $TMPDIR (or /tmp); tmp_cleanup removes it and everything in it. */
void tmp_dir(char *out, size_t size);
void tmp_cleanup(const char *dir);

/* Whole file, malloc'ed (NULL if unreadable); *size gets its length. */
unsigned char *slurp(const char *path, size_t *size);
/* 1 if path holds exactly data[0..size). */
int file_is(const char *path, const unsigned char *data, size_t size);
void write_bytes(const char *path, const void *data, size_t size);

/* One integer from a query on the file at path, opened directly with SQLite. */
long long query_int(const char *path, const char *sql);
double query_double(const char *path, const char *sql);

/* Opens path for writing; the test fails with the message if it cannot. */
sr_store *fx_open(const char *path);

/* Records a CPU-like device named name and returns its UUID in uuid. */
void fx_device(sr_store *s, const char *name, char uuid[SR_UUID_LEN]);
/* Begins a run of command on device (may be NULL). */
void fx_run(sr_store *s, const char *command, const char *device, char uuid[SR_UUID_LEN]);
/* fx_open, fx_device and fx_run in one. */
sr_store *fx_begin(const char *path, const char *device, const char *command,
                   char dev[SR_UUID_LEN], char run[SR_UUID_LEN]);
/* A measured row: pattern, sparsity, shape, median time. */
void fx_measurement(sr_measurement *m, const char *pattern, double sparsity, int64_t mk,
                    double time_s);
/* Rows of layers 0..n-1 of network net (UUID) under the current run: kind, pattern and
 * sparsity, times t[i] (a prediction's time; a measurement's time with the prediction
 * pred[i], or t[i] when pred is NULL), batch 1, shape as fx_measurement's with mk 64. */
void fx_layer_rows(sr_store *s, const char *net, sr_measure_kind kind, const char *pattern,
                   double sparsity, const double *t, const double *pred, int n);
/* The rest of f from its start into buf (NUL-terminated); closes f. */
void fx_read_into(FILE *f, char *buf, size_t size);
/* Runs cmd(argc, argv) (argv NULL-terminated) with its stdout and stderr captured into
 * out and errs; returns its exit status. */
int fx_run_cmd(int (*cmd)(int, char **), char **argv, char *out, size_t out_size, char *errs, size_t errs_size);
/* A store with one device, one complete run and n measurements; closed again. */
void fx_populate(const char *path, const char *device, int n);

#endif
