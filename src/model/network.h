/* Networks as the model sees them: an ordered table of GEMM-like layers (conv by implicit
 * GEMM, linear, matmul of activations), each with its shape per image, its group count,
 * whether it may be pruned, and the non-GEMM bytes that follow it. Loaded from the CSV
 * format of db/networks/README.md (a file, a buffer, or a built-in table embedded at build
 * time) or built layer by layer. libc only. */
#ifndef SR_MODEL_NETWORK_H
#define SR_MODEL_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#define SR_LAYER_NAME_MAX 160
#define SR_DIM_MAX 1000000000LL /* per-dimension bound: keeps every product finite */
/* What a network file may hold: real networks have hundreds of layers; beyond these a
 * file is refused before it fills memory or the database. */
#define SR_NETWORK_MAX_LAYERS 100000
#define SR_EXTRA_BYTES_MAX 1e15 /* non-GEMM bytes of a layer per image: a petabyte at most */
#define SR_NETWORK_MAX_BYTES (32u << 20) /* 32 MiB, CSV or JSON */

typedef enum { SR_LAYER_CONV = 0, SR_LAYER_LINEAR, SR_LAYER_MATMUL } sr_layer_kind;

typedef struct {
    char name[SR_LAYER_NAME_MAX];
    sr_layer_kind kind;
    int64_t m, k, n;    /* Y(m x n) = W(m x k) X(k x n), n per image or sequence */
    int64_t groups;     /* such products per image */
    int prunable;       /* 0 for matmul (both operands are activations) */
    double extra_bytes; /* non-GEMM bytes moved per image, at fp32 (0..SR_EXTRA_BYTES_MAX) */
} sr_layer;

typedef struct sr_network sr_network;

const char *sr_layer_kind_name(sr_layer_kind k); /* "conv", "linear", "matmul" */
int sr_layer_kind_parse(const char *s, sr_layer_kind *out); /* 1 when s names a kind */

/* Dense multiply-accumulates of one layer for one image: m*k*n*groups. */
double sr_layer_macs(const sr_layer *l);

/* An empty network named `name` (e.g. "resnet50"); description may be NULL. */
sr_code sr_network_create(const char *name, const char *description, sr_network **out,
                          sr_err *err);
void sr_network_free(sr_network *net); /* NULL is a no-op */

/* Appends a copy of l after checking it: a non-empty name not used before, dimensions and
 * groups in 1..SR_DIM_MAX, extra_bytes in 0..SR_EXTRA_BYTES_MAX, matmul not prunable, at
 * most SR_NETWORK_MAX_LAYERS layers. */
sr_code sr_network_add_layer(sr_network *net, const sr_layer *l, sr_err *err);

/* Parses the CSV text (len bytes, need not be NUL-terminated; a UTF-8 byte-order mark at
 * the start is skipped). `source` names the input in messages ("FILE:LINE: reason"); name
 * is the network's name. */
sr_code sr_network_parse(const char *name, const char *source, const char *text, size_t len,
                         sr_network **out, sr_err *err);

/* Reads a CSV file of at most SR_NETWORK_MAX_BYTES; the network is named after the file's
 * base name without extension. A directory is SR_ERR_ARG. */
sr_code sr_network_load(const char *path, sr_network **out, sr_err *err);

/* Built-in networks (the CSV files of db/networks embedded at build time). */
size_t sr_network_builtin_count(void);
const char *sr_network_builtin_name(size_t i); /* "resnet18", ... ; NULL past the end */
sr_code sr_network_builtin(const char *name, sr_network **out, sr_err *err);

/* NAME|FILE as --network takes it: a built-in name first, else a path to a file. */
sr_code sr_network_open(const char *name_or_file, sr_network **out, sr_err *err);

const char *sr_network_name(const sr_network *net);
const char *sr_network_description(const sr_network *net); /* first comment line, or "" */
size_t sr_network_n_layers(const sr_network *net);
const sr_layer *sr_network_layer(const sr_network *net, size_t i); /* NULL past the end */
int64_t sr_network_find(const sr_network *net, const char *name); /* index, or -1 */
double sr_network_macs(const sr_network *net); /* dense MACs per image, all layers */

#endif
