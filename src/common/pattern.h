/* Sparsity patterns as the user names them: "dense", "unstructured", "block:RxC",
 * "N:M". Shared by model/ (formulas) and sparse/ (formats); no I/O here. */
#ifndef SR_PATTERN_H
#define SR_PATTERN_H

#include <stddef.h>

#include "common/status.h"

typedef enum {
    SR_PAT_DENSE = 0,
    SR_PAT_UNSTRUCTURED, /* stored as CSR */
    SR_PAT_BLOCK,        /* stored as BSR, blocks of br x bc */
    SR_PAT_NM            /* n kept of every m consecutive weights along K */
} sr_pattern_kind;

typedef struct {
    sr_pattern_kind kind;
    int br, bc; /* block rows (along M) and columns (along K); SR_PAT_BLOCK only */
    int n, m;   /* SR_PAT_NM only: 1 <= n < m <= 16 */
} sr_pattern;

#define SR_NM_MAX_M 16

/* Parses a pattern name. Block sides must be one of 1, 2, 4, 8, 16, 32. The message
 * names the input and says what is wrong. */
sr_code sr_pattern_parse(const char *text, sr_pattern *out, sr_err *err);

/* Canonical name ("dense", "unstructured", "block:4x4", "2:4") into buf. */
void sr_pattern_name(const sr_pattern *p, char *buf, size_t size);

/* Whether the pattern fixes its own sparsity (N:M: 1 - n/m; dense: 0). */
int sr_pattern_fixed_sparsity(const sr_pattern *p, double *sparsity);

int sr_block_side_valid(int side);

#endif
