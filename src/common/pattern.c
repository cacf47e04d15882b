/* Parsing and naming sparsity patterns. */
#include "common/pattern.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sr_block_side_valid(int side)
{
    return side == 1 || side == 2 || side == 4 || side == 8 || side == 16 || side == 32;
}

/* Strict decimal integer: digits only, no sign, no trailing text. */
static int parse_int(const char *s, const char *end, int *out)
{
    if (s == end || end - s > 6)
        return 0;
    int v = 0;
    for (const char *c = s; c < end; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        v = v * 10 + (*c - '0');
    }
    *out = v;
    return 1;
}

static const char *pattern_help =
    "expected dense, unstructured, block:RxC (R, C in 1,2,4,8,16,32) or N:M (1 <= N < M <= 16)";

sr_code sr_pattern_parse(const char *text, sr_pattern *out, sr_err *err)
{
    sr_pattern p = {0};
    if (!text || !*text)
        return sr_err_set(err, SR_ERR_ARG, "empty pattern: %s", pattern_help);
    if (strcasecmp(text, "dense") == 0) {
        p.kind = SR_PAT_DENSE;
    } else if (strcasecmp(text, "unstructured") == 0 || strcasecmp(text, "csr") == 0) {
        p.kind = SR_PAT_UNSTRUCTURED;
    } else if (strncasecmp(text, "block:", 6) == 0) {
        const char *dims = text + 6, *x = strpbrk(dims, "xX");
        if (!x || !parse_int(dims, x, &p.br) || !parse_int(x + 1, x + 1 + strlen(x + 1), &p.bc))
            return sr_err_set(err, SR_ERR_ARG, "pattern '%s': block shape must be RxC, e.g. block:4x4", text);
        if (!sr_block_side_valid(p.br) || !sr_block_side_valid(p.bc))
            return sr_err_set(err, SR_ERR_ARG,
                              "pattern '%s': block side must be one of 1, 2, 4, 8, 16, 32", text);
        p.kind = SR_PAT_BLOCK;
    } else if (strchr(text, ':')) {
        const char *colon = strchr(text, ':');
        if (!parse_int(text, colon, &p.n) || !parse_int(colon + 1, colon + 1 + strlen(colon + 1), &p.m))
            return sr_err_set(err, SR_ERR_ARG, "unknown pattern '%s': %s", text, pattern_help);
        if (p.n < 1)
            return sr_err_set(err, SR_ERR_ARG, "pattern '%s': N must be at least 1", text);
        if (p.m > SR_NM_MAX_M)
            return sr_err_set(err, SR_ERR_ARG, "pattern '%s': M must be at most %d", text, SR_NM_MAX_M);
        if (p.n >= p.m)
            return sr_err_set(err, SR_ERR_ARG, "pattern '%s': N must be smaller than M", text);
        p.kind = SR_PAT_NM;
    } else {
        return sr_err_set(err, SR_ERR_ARG, "unknown pattern '%s': %s", text, pattern_help);
    }
    *out = p;
    return SR_OK;
}

void sr_pattern_name(const sr_pattern *p, char *buf, size_t size)
{
    switch (p->kind) {
    case SR_PAT_DENSE: snprintf(buf, size, "dense"); break;
    case SR_PAT_UNSTRUCTURED: snprintf(buf, size, "unstructured"); break;
    case SR_PAT_BLOCK: snprintf(buf, size, "block:%dx%d", p->br, p->bc); break;
    case SR_PAT_NM: snprintf(buf, size, "%d:%d", p->n, p->m); break;
    }
}

int sr_pattern_fixed_sparsity(const sr_pattern *p, double *sparsity)
{
    if (p->kind == SR_PAT_DENSE) {
        *sparsity = 0.0;
        return 1;
    }
    if (p->kind == SR_PAT_NM) {
        *sparsity = 1.0 - (double)p->n / p->m;
        return 1;
    }
    return 0;
}
