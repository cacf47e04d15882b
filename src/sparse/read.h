/* Readers of weight matrices from files into a dense fp32 matrix, row-major, ready for
 * sr_prune / sr_sparse_from_dense. Knows nothing of OpenCL or SQLite. */
#ifndef SR_SPARSE_READ_H
#define SR_SPARSE_READ_H

#include "common/status.h"

/* A NumPy .npy file (format 1.0, 2.0 or 3.0) holding a 2-D float32 or float64 array, C
 * order, little-endian. float64 values are rounded to float32; a finite value beyond
 * float32's range is refused. On success *w (free() it) holds m*k values. */
sr_code sr_read_npy(const char *path, float **w, int *m, int *k, sr_err *err);

/* A Matrix Market file: coordinate or array; real, integer or pattern (pattern entries
 * read as 1); general, symmetric or skew-symmetric (the other triangle is filled in).
 * Duplicate coordinate entries are summed. On success *w (free() it) holds m*k values. */
sr_code sr_read_mtx(const char *path, float **w, int *m, int *k, sr_err *err);

/* Chooses the reader by the file's extension (.npy or .mtx, any case). */
sr_code sr_read_matrix(const char *path, float **w, int *m, int *k, sr_err *err);

#endif
