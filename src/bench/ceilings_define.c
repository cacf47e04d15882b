/* Parsing and validation of a virtual device's ceilings (see ceilings_define.h). */
#include "bench/ceilings_define.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/pattern.h"

#define ITEM_MAX 256

sr_code sr_parse_figure(const char *what, const char *text, int allow_zero, double *out,
                        sr_err *err)
{
    if (!text || !*text)
        return sr_err_set(err, SR_ERR_ARG, "%s: a number is missing", what);
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || isspace((unsigned char)text[0]))
        return sr_err_set(err, SR_ERR_ARG, "%s: '%s' is not a number", what, text);
    if (!isfinite(x) || errno == ERANGE)
        return sr_err_set(err, SR_ERR_ARG, "%s: '%s' is not a finite number", what, text);
    if (x < 0 || (x == 0 && !allow_zero))
        return sr_err_set(err, SR_ERR_ARG, "%s: '%s' must be %s", what, text,
                          allow_zero ? "zero or more" : "greater than zero");
    *out = x;
    return SR_OK;
}

sr_code sr_parse_bytes(const char *what, const char *text, uint64_t *out, sr_err *err)
{
    static const char units[] = "KMGT";
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    int ok = end != text && isfinite(x) && errno != ERANGE && !isspace((unsigned char)text[0]);
    const char *u = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
    if (ok && u) {
        x = ldexp(x, 10 * (int)(u - units + 1));
        end++;
        ok = !strcmp(end, "") || !strcmp(end, "iB") || !strcmp(end, "B");
    } else if (ok) {
        ok = !strcmp(end, "") || !strcmp(end, "B");
    }
    if (!ok)
        return sr_err_set(err, SR_ERR_ARG, "%s: size '%s' is not a number of bytes (e.g. 4096, "
                          "32K, 4MiB)", what, text);
    if (!(x >= 1) || x >= 0x1p63)
        return sr_err_set(err, SR_ERR_ARG, "%s: size '%s' must be at least 1 byte", what, text);
    *out = (uint64_t)x;
    return SR_OK;
}

/* Splits the next comma-separated item of *p into buf; 0 at the end. */
static int next_item(const char **p, char *buf, size_t size, const char *what, sr_err *err,
                     sr_code *rc)
{
    if (!**p)
        return 0;
    const char *c = strchr(*p, ',');
    size_t len = c ? (size_t)(c - *p) : strlen(*p);
    if (len == 0 || len >= size) {
        *rc = sr_err_set(err, SR_ERR_ARG, "%s: %s item in '%s'", what,
                         len ? "too long an" : "an empty", *p);
        return 0;
    }
    memcpy(buf, *p, len);
    buf[len] = '\0';
    *p += len + (c ? 1 : 0);
    if (c && !**p) {
        *rc = sr_err_set(err, SR_ERR_ARG, "%s: the list ends with a comma", what);
        return 0;
    }
    return 1;
}

/* "L1".."L9" or "DRAM" in any case; the canonical name into out. Returns its rank (1..9,
 * DRAM 10) or 0. */
static int level_rank(const char *s, char *out, size_t size)
{
    if (!strcasecmp(s, "dram")) {
        snprintf(out, size, "DRAM");
        return 10;
    }
    if ((s[0] == 'L' || s[0] == 'l') && s[1] >= '1' && s[1] <= '9' && s[2] == '\0') {
        snprintf(out, size, "L%c", s[1]);
        return s[1] - '0';
    }
    return 0;
}

/* One --bandwidth item, "GBPS" (DRAM), "LEVEL=GBPS" or "LEVEL=GBPS@SIZE", into its
 * label, rank (DRAM 10), working-set size (0: none given) and figure. Cuts item up. */
static sr_code parse_level(const char *what, char *item, char label[64], int *rank,
                           uint64_t *size, double *gbps, sr_err *err)
{
    char *eq = strchr(item, '='), *at = strchr(item, '@');
    const char *fig = item;
    *rank = 10;
    *size = 0;
    snprintf(label, 64, "DRAM");
    if (eq) {
        *eq = '\0';
        fig = eq + 1;
        *rank = level_rank(item, label, 64);
        if (!*rank)
            return sr_err_set(err, SR_ERR_ARG, "%s: unknown level '%s' (use L1..L9 or DRAM)",
                              what, item);
    }
    char w[ITEM_MAX + 64];
    snprintf(w, sizeof w, "%s %s", what, label);
    if (at) {
        if (!eq || at < eq)
            return sr_err_set(err, SR_ERR_ARG, "%s: a size (@SIZE) needs a level name, as "
                              "in L2=400@4M", what);
        *at = '\0';
        sr_code rc = sr_parse_bytes(w, at + 1, size, err);
        if (rc != SR_OK)
            return rc;
        if (*rank == 10)
            return sr_err_set(err, SR_ERR_ARG, "%s: DRAM holds for every working set; it "
                              "takes no size", what);
    }
    return sr_parse_figure(w, fig, 0, gbps, err);
}

/* Adds a level to c->levels, kept in rank order (rank[] and size[] alongside). */
static sr_code insert_level(const char *what, sr_ceilings *c, int *rank, uint64_t *size,
                            const char *label, int r, uint64_t sz, double gbps, sr_err *err)
{
    for (size_t k = 0; k < c->n_levels; k++)
        if (rank[k] == r)
            return sr_err_set(err, SR_ERR_ARG, "%s: %s is given twice", what, label);
    if (c->n_levels == SR_MAX_LEVELS)
        return sr_err_set(err, SR_ERR_ARG, "%s: more than %d levels", what, SR_MAX_LEVELS);
    size_t k = c->n_levels++;
    while (k > 0 && rank[k - 1] > r) {
        c->levels[k] = c->levels[k - 1];
        rank[k] = rank[k - 1];
        size[k] = size[k - 1];
        k--;
    }
    memset(&c->levels[k], 0, sizeof c->levels[k]);
    snprintf(c->levels[k].level, sizeof c->levels[k].level, "%s", label);
    c->levels[k].gbps = gbps;
    rank[k] = r;
    size[k] = sz;
    return SR_OK;
}

/* The working sets each level holds for: a cache level those above the level before it
 * up to its size, DRAM all the rest. */
static sr_code set_ranges(const char *what, sr_ceilings *c, const int *rank,
                          const uint64_t *size, sr_err *err)
{
    if (c->n_levels == 0 || rank[c->n_levels - 1] != 10)
        return sr_err_set(err, SR_ERR_ARG, "%s: the DRAM figure is missing (the bare GB/s, or "
                          "DRAM=GBPS)", what);
    uint64_t below = 0;
    for (size_t k = 0; k + 1 < c->n_levels; k++) {
        if (!size[k])
            return sr_err_set(err, SR_ERR_ARG, "%s: %s needs the working set it holds for, as in "
                              "%s=%g@4M (bytes, K/M/G suffixes)", what, c->levels[k].level,
                              c->levels[k].level, c->levels[k].gbps);
        if (size[k] <= below)
            return sr_err_set(err, SR_ERR_ARG, "%s: %s is no bigger than the level before it",
                              what, c->levels[k].level);
        c->levels[k].ws_min_bytes = below + 1;
        c->levels[k].ws_max_bytes = size[k];
        below = size[k];
    }
    sr_bw_level *dram = &c->levels[c->n_levels - 1];
    dram->ws_min_bytes = below + 1;
    dram->ws_max_bytes = UINT64_MAX;
    return SR_OK;
}

static sr_code parse_bandwidth(const char *text, sr_ceilings *c, sr_err *err)
{
    const char *what = "--bandwidth";
    if (!text || !*text)
        return sr_err_set(err, SR_ERR_ARG, "%s is required for --define (GB/s of DRAM, e.g. "
                          "--bandwidth 30 or --bandwidth 30,L2=400@4M)", what);
    char item[ITEM_MAX], label[64];
    int rank[SR_MAX_LEVELS], r;
    uint64_t size[SR_MAX_LEVELS], sz;
    double gbps;
    sr_code rc = SR_OK;
    const char *p = text;
    c->n_levels = 0;
    while (next_item(&p, item, sizeof item, what, err, &rc)) {
        if ((rc = parse_level(what, item, label, &r, &sz, &gbps, err)) != SR_OK ||
            (rc = insert_level(what, c, rank, size, label, r, sz, gbps, err)) != SR_OK)
            return rc;
    }
    if (rc != SR_OK)
        return rc;
    return set_ranges(what, c, rank, size, err);
}

static sr_code parse_compute(const char *text, sr_ceilings *c, sr_err *err)
{
    const char *what = "--compute";
    if (!text || !*text)
        return sr_err_set(err, SR_ERR_ARG, "%s is required for --define (GFLOP/s by data type, "
                          "e.g. --compute fp32=1000,fp16=2000)", what);
    /* every type listed, in sr_dtype order; those not given are unsupported */
    static const sr_dtype all[] = {SR_DTYPE_FP32, SR_DTYPE_FP16, SR_DTYPE_FP64};
    c->n_compute = sizeof all / sizeof all[0];
    for (size_t d = 0; d < c->n_compute; d++)
        c->compute[d] = (sr_compute_ceiling){.dtype = all[d], .supported = 0, .gflops = 0};
    char item[ITEM_MAX];
    sr_code rc = SR_OK;
    const char *p = text;
    while (next_item(&p, item, sizeof item, what, err, &rc)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return sr_err_set(err, SR_ERR_ARG, "%s: '%s' is not DTYPE=GFLOPS (e.g. fp32=1000)",
                              what, item);
        *eq = '\0';
        sr_dtype d;
        if (!sr_dtype_parse(item, &d))
            return sr_err_set(err, SR_ERR_ARG, "%s: unknown data type '%s' (use fp32, fp16 or "
                              "fp64)", what, item);
        if (c->compute[d].supported)
            return sr_err_set(err, SR_ERR_ARG, "%s: %s is given twice", what, item);
        char w[ITEM_MAX + 64];
        snprintf(w, sizeof w, "%s %s", what, item);
        if ((rc = sr_parse_figure(w, eq + 1, 0, &c->compute[d].gflops, err)) != SR_OK)
            return rc;
        c->compute[d].supported = 1;
    }
    if (rc != SR_OK)
        return rc;
    if (!c->compute[SR_DTYPE_FP32].supported)
        return sr_err_set(err, SR_ERR_ARG, "%s: the fp32 figure is missing (fp32=GFLOPS)", what);
    return SR_OK;
}

/* "PATTERN=FIGURE,..." lists into c->patterns (the model checks each entry). */
static sr_code parse_patterns(const char *text, const char *what, sr_pattern_field field,
                              sr_ceilings *c, sr_err *err)
{
    if (!text)
        return SR_OK;
    if (!*text)
        return sr_err_set(err, SR_ERR_ARG, "%s: the list is empty", what);
    char item[ITEM_MAX];
    sr_code rc = SR_OK;
    const char *p = text;
    while (next_item(&p, item, sizeof item, what, err, &rc))
        if ((rc = sr_ceilings_pattern_arg(c, item, field, err)) != SR_OK)
            return sr_err_prefix(err, "%s", what);
    return rc;
}

sr_code sr_ceilings_define(const sr_define_spec *spec, sr_ceilings *out, sr_err *err)
{
    sr_ceilings c;
    memset(&c, 0, sizeof c);
    if (!spec->name || !*spec->name)
        return sr_err_set(err, SR_ERR_ARG, "--define: the device needs a name");
    if (strlen(spec->name) >= sizeof c.device)
        return sr_err_set(err, SR_ERR_ARG, "--define: the name is longer than %zu characters",
                          sizeof c.device - 1);
    for (const char *s = spec->name; *s; s++)
        if (iscntrl((unsigned char)*s))
            return sr_err_set(err, SR_ERR_ARG, "--define: the name holds a control character");
    snprintf(c.device, sizeof c.device, "%s", spec->name);
    c.is_virtual = 1;
    sr_code rc;
    if ((rc = parse_bandwidth(spec->bandwidth, &c, err)) != SR_OK ||
        (rc = parse_compute(spec->compute, &c, err)) != SR_OK ||
        (rc = parse_patterns(spec->pattern_compute, "--pattern-compute", SR_PATTERN_GFLOPS, &c,
                             err)) != SR_OK ||
        (rc = parse_patterns(spec->pattern_metadata_bits, "--pattern-metadata-bits",
                             SR_PATTERN_METADATA_BITS, &c, err)) != SR_OK)
        return rc;
    if (spec->launch && (rc = sr_parse_figure("--launch", spec->launch, 0, &c.launch_overhead_s,
                                              err)) != SR_OK)
        return rc;
    if ((rc = sr_ceilings_validate(&c, err)) != SR_OK) /* what the model will need */
        return sr_err_prefix(err, "--define %s", c.device);
    *out = c;
    return SR_OK;
}
