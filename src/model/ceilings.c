/* Device ceilings: data types, lookups the model makes (compute per type, bandwidth level
 * by working set, per-pattern overrides) and the checks a virtual device's numbers must
 * pass. */
#include "model/ceilings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/pattern.h"

const char *sr_dtype_name(sr_dtype d)
{
    switch (d) {
    case SR_DTYPE_FP32: return "fp32";
    case SR_DTYPE_FP16: return "fp16";
    case SR_DTYPE_FP64: return "fp64";
    }
    return "unknown";
}

int sr_dtype_parse(const char *s, sr_dtype *out)
{
    static const sr_dtype all[] = {SR_DTYPE_FP32, SR_DTYPE_FP16, SR_DTYPE_FP64};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(s, sr_dtype_name(all[i])) == 0) {
            *out = all[i];
            return 1;
        }
    return 0;
}

size_t sr_dtype_bytes(sr_dtype d)
{
    switch (d) {
    case SR_DTYPE_FP32: return 4;
    case SR_DTYPE_FP16: return 2;
    case SR_DTYPE_FP64: return 8;
    }
    return 0;
}

/* A figure (GB/s, GFLOP/s) the model can take: positive, finite and within the sane range,
 * so that no time or speedup it computes overflows or vanishes. */
static int sane(double v)
{
    return isfinite(v) && v >= SR_FIGURE_MIN && v <= SR_FIGURE_MAX;
}

static sr_code check_levels(const sr_ceilings *c, const char *dev, sr_err *err)
{
    if (c->n_levels == 0 || c->n_levels > SR_MAX_LEVELS)
        return sr_err_set(err, SR_ERR_ARG, "device %s: %zu bandwidth levels, need 1 to %d", dev,
                          c->n_levels, SR_MAX_LEVELS);
    for (size_t i = 0; i < c->n_levels; i++) {
        const sr_bw_level *l = &c->levels[i];
        if (!sane(l->gbps))
            return sr_err_set(err, SR_ERR_ARG, "device %s: bandwidth of level %s is %g GB/s, "
                              "must be a positive figure from %g to %g", dev, l->level, l->gbps,
                              SR_FIGURE_MIN, SR_FIGURE_MAX);
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(c->levels[j].level, l->level) == 0)
                return sr_err_set(err, SR_ERR_ARG, "device %s: level %s is given twice", dev,
                                  l->level);
        if (l->ws_min_bytes > l->ws_max_bytes)
            return sr_err_set(err, SR_ERR_ARG, "device %s: level %s has working-set range "
                              "[%llu, %llu], minimum above maximum", dev, l->level,
                              (unsigned long long)l->ws_min_bytes, (unsigned long long)l->ws_max_bytes);
        /* sizes are stored as 64-bit signed integers; only DRAM's end is open */
        uint64_t top = i + 1 < c->n_levels ? l->ws_max_bytes : l->ws_min_bytes;
        if (top > (uint64_t)INT64_MAX)
            return sr_err_set(err, SR_ERR_ARG, "device %s: level %s: %s %llu is beyond %lld "
                              "bytes, the largest working set a level can have", dev, l->level,
                              i + 1 < c->n_levels ? "ws_max_bytes" : "ws_min_bytes",
                              (unsigned long long)top, (long long)INT64_MAX);
        if (i > 0 && l->ws_max_bytes <= c->levels[i - 1].ws_max_bytes)
            return sr_err_set(err, SR_ERR_ARG, "device %s: level %s must hold larger working sets "
                              "than level %s before it", dev, l->level, c->levels[i - 1].level);
    }
    if (c->levels[c->n_levels - 1].ws_max_bytes != UINT64_MAX)
        return sr_err_set(err, SR_ERR_ARG, "device %s: the last level (%s) must be DRAM, open-ended",
                          dev, c->levels[c->n_levels - 1].level);
    return SR_OK;
}

static sr_code check_compute(const sr_ceilings *c, const char *dev, sr_err *err)
{
    if (c->n_compute > SR_MAX_DTYPES)
        return sr_err_set(err, SR_ERR_ARG, "device %s: %zu compute ceilings, at most %d", dev,
                          c->n_compute, SR_MAX_DTYPES);
    for (size_t i = 0; i < c->n_compute; i++) {
        const sr_compute_ceiling *x = &c->compute[i];
        if (!sr_dtype_bytes(x->dtype))
            return sr_err_set(err, SR_ERR_ARG, "device %s: compute ceiling %zu has no known data "
                              "type", dev, i + 1);
        for (size_t j = 0; j < i; j++)
            if (c->compute[j].dtype == x->dtype)
                return sr_err_set(err, SR_ERR_ARG, "device %s: the %s compute ceiling is given "
                                  "twice", dev, sr_dtype_name(x->dtype));
        if (x->supported && !sane(x->gflops))
            return sr_err_set(err, SR_ERR_ARG, "device %s: %s compute ceiling is %g GFLOP/s, "
                              "must be a positive figure from %g to %g", dev,
                              sr_dtype_name(x->dtype), x->gflops, SR_FIGURE_MIN, SR_FIGURE_MAX);
    }
    if (!sr_ceilings_compute(c, SR_DTYPE_FP32))
        return sr_err_set(err, SR_ERR_ARG, "device %s: the fp32 compute ceiling is missing (every "
                          "prediction needs it)", dev);
    return SR_OK;
}

static sr_code check_patterns(const sr_ceilings *c, const char *dev, sr_err *err)
{
    if (c->n_patterns > SR_MAX_PATTERN_CEILINGS)
        return sr_err_set(err, SR_ERR_ARG, "device %s: %zu pattern ceilings, at most %d", dev,
                          c->n_patterns, SR_MAX_PATTERN_CEILINGS);
    for (size_t i = 0; i < c->n_patterns; i++) {
        const sr_pattern_ceiling *p = &c->patterns[i];
        sr_pattern pat;
        if (sr_pattern_parse(p->pattern, &pat, err) != SR_OK)
            return sr_err_prefix(err, "device %s", dev);
        char name[SR_NAME_MAX];
        sr_pattern_name(&pat, name, sizeof name);
        if (strcmp(name, p->pattern) != 0)
            return sr_err_set(err, SR_ERR_ARG, "device %s: pattern '%s' must be named as %s", dev,
                              p->pattern, name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->patterns[j].pattern, p->pattern) == 0)
                return sr_err_set(err, SR_ERR_ARG, "device %s: pattern %s is given twice", dev,
                                  p->pattern);
        if (p->gflops != 0 && !sane(p->gflops))
            return sr_err_set(err, SR_ERR_ARG, "device %s: compute ceiling of pattern %s is %g "
                              "GFLOP/s, must be 0 (the device's) or %g to %g", dev, p->pattern,
                              p->gflops, SR_FIGURE_MIN, SR_FIGURE_MAX);
        if (!isfinite(p->metadata_bits) || p->metadata_bits > 64)
            return sr_err_set(err, SR_ERR_ARG, "device %s: metadata of pattern %s is %g bits per "
                              "nonzero, must be finite and at most 64", dev, p->pattern,
                              p->metadata_bits);
    }
    return SR_OK;
}

sr_code sr_ceilings_validate(const sr_ceilings *c, sr_err *err)
{
    const char *dev = c->device[0] ? c->device : "(unnamed)";
    sr_code rc;
    if ((rc = check_levels(c, dev, err)) != SR_OK || (rc = check_compute(c, dev, err)) != SR_OK ||
        (rc = check_patterns(c, dev, err)) != SR_OK)
        return rc;
    if (!isfinite(c->launch_overhead_s) || c->launch_overhead_s < 0 ||
        c->launch_overhead_s > SR_LAUNCH_MAX_S)
        return sr_err_set(err, SR_ERR_ARG, "device %s: launch overhead %g s must be 0 to %g s",
                          dev, c->launch_overhead_s, SR_LAUNCH_MAX_S);
    return SR_OK;
}

sr_code sr_ceilings_simple(sr_ceilings *c, const char *name, double gbps, double gflops,
                           sr_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->device, sizeof c->device, "%s", name);
    c->is_virtual = 1;
    c->n_levels = 1;
    snprintf(c->levels[0].level, sizeof c->levels[0].level, "DRAM");
    c->levels[0].gbps = gbps;
    c->levels[0].ws_max_bytes = UINT64_MAX;
    static const sr_dtype all[] = {SR_DTYPE_FP32, SR_DTYPE_FP16, SR_DTYPE_FP64};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        c->compute[c->n_compute++] = (sr_compute_ceiling){all[i], 1, gflops};
    return sr_ceilings_validate(c, err);
}

const sr_compute_ceiling *sr_ceilings_compute(const sr_ceilings *c, sr_dtype d)
{
    for (size_t i = 0; i < c->n_compute && i < SR_MAX_DTYPES; i++)
        if (c->compute[i].dtype == d && c->compute[i].supported)
            return &c->compute[i];
    return NULL;
}

const sr_bw_level *sr_ceilings_level(const sr_ceilings *c, uint64_t ws)
{
    if (c->n_levels == 0)
        return NULL;
    for (size_t i = 0; i < c->n_levels && i < SR_MAX_LEVELS; i++)
        if (ws <= c->levels[i].ws_max_bytes)
            return &c->levels[i];
    return sr_ceilings_dram(c);
}

const sr_bw_level *sr_ceilings_dram(const sr_ceilings *c)
{
    if (c->n_levels == 0)
        return NULL;
    return &c->levels[(c->n_levels < SR_MAX_LEVELS ? c->n_levels : SR_MAX_LEVELS) - 1];
}

const sr_pattern_ceiling *sr_ceilings_pattern(const sr_ceilings *c, const char *pattern)
{
    for (size_t i = 0; i < c->n_patterns && i < SR_MAX_PATTERN_CEILINGS; i++)
        if (strcmp(c->patterns[i].pattern, pattern) == 0)
            return &c->patterns[i];
    return NULL;
}

sr_code sr_ceilings_pattern_arg(sr_ceilings *c, const char *arg, sr_pattern_field field,
                                sr_err *err)
{
    const char *what = field == SR_PATTERN_GFLOPS ? "compute ceiling (GFLOP/s)"
                                                  : "metadata cost (bits per nonzero)";
    const char *eq = strrchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sr_err_set(err, SR_ERR_ARG, "'%s': expected PATTERN=VALUE for a pattern's %s, "
                          "e.g. 2:4=%s", arg, what, field == SR_PATTERN_GFLOPS ? "624000" : "2");
    char text[SR_NAME_MAX];
    size_t len = (size_t)(eq - arg);
    if (len >= sizeof text)
        return sr_err_set(err, SR_ERR_ARG, "'%s': pattern name too long", arg);
    memcpy(text, arg, len);
    text[len] = '\0';
    sr_pattern pat;
    if (sr_pattern_parse(text, &pat, err) != SR_OK)
        return err ? err->code : SR_ERR_ARG;
    char *end;
    double v = strtod(eq + 1, &end);
    int ok = end != eq + 1 && *end == '\0' &&
             (field == SR_PATTERN_GFLOPS ? sane(v) : (v >= 0 && v <= 64));
    if (!ok)
        return sr_err_set(err, SR_ERR_ARG, "'%s': the %s must be a number from %s", arg, what,
                          field == SR_PATTERN_GFLOPS ? SR_FIGURE_RANGE : "0 to 64");
    char name[SR_NAME_MAX];
    sr_pattern_name(&pat, name, sizeof name);
    sr_pattern_ceiling *pc = (sr_pattern_ceiling *)sr_ceilings_pattern(c, name);
    if (!pc) {
        if (c->n_patterns >= SR_MAX_PATTERN_CEILINGS)
            return sr_err_set(err, SR_ERR_ARG, "'%s': at most %d patterns may have their own "
                              "ceilings", arg, SR_MAX_PATTERN_CEILINGS);
        pc = &c->patterns[c->n_patterns++];
        memset(pc, 0, sizeof *pc);
        snprintf(pc->pattern, sizeof pc->pattern, "%s", name);
        pc->metadata_bits = -1.0;
    }
    if (field == SR_PATTERN_GFLOPS ? pc->gflops > 0 : pc->metadata_bits >= 0)
        return sr_err_set(err, SR_ERR_ARG, "'%s': the %s of pattern %s is given twice", arg, what,
                          name);
    if (field == SR_PATTERN_GFLOPS)
        pc->gflops = v;
    else
        pc->metadata_bits = v;
    return SR_OK;
}
