/* Shared CLI helpers: messages, exit statuses, number parsing, progress. */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sr_cli_fail(const char *cmd, const sr_err *err)
{
    fprintf(stderr, "sparseroof %s: %s\n", cmd, err->msg[0] ? err->msg : sr_code_name(err->code));
    switch (err->code) {
    case SR_ERR_ARG:
    case SR_ERR_FORMAT:
    case SR_ERR_NOTFOUND:
        return SR_EXIT_USAGE;
    default:
        return SR_EXIT_FAIL;
    }
}

int sr_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sparseroof %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sparseroof %s --help'.\n", cmd);
    return SR_EXIT_USAGE;
}

sr_code sr_cli_int(const char *opt, const char *text, long min, long max, int *out, sr_err *err)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || isspace((unsigned char)text[0]) || *end || errno)
        return sr_err_set(err, SR_ERR_ARG, "%s '%s' is not a whole number", opt, text);
    if (v < min || v > max)
        return sr_err_set(err, SR_ERR_ARG, "%s %s is out of range: must be %ld to %ld", opt, text, min, max);
    *out = (int)v;
    return SR_OK;
}

sr_code sr_cli_double(const char *opt, const char *text, double min, double max, double *out,
                      sr_err *err)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || isspace((unsigned char)text[0]) || *end || errno || !isfinite(v))
        return sr_err_set(err, SR_ERR_ARG, "%s '%s' is not a finite number", opt, text);
    if (v < min || v > max)
        return sr_err_set(err, SR_ERR_ARG, "%s %s is out of range: must be in [%g, %g]", opt, text, min, max);
    *out = v;
    return SR_OK;
}

sr_code sr_cli_u64(const char *opt, const char *text, unsigned long long *out, sr_err *err)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    /* strtoull skips leading space and takes a sign: ' -1' would be 2^64-1 */
    if (!isdigit((unsigned char)text[0]) || *end || errno)
        return sr_err_set(err, SR_ERR_ARG, "%s '%s' is not a non-negative whole number", opt, text);
    *out = v;
    return SR_OK;
}

void sr_cli_progress(const char *fmt, ...)
{
    if (!isatty(STDERR_FILENO))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

sr_code sr_cli_list(const char *opt, const char *text, sr_cli_item_fn parse, void *out, int max,
                    int *n, sr_err *err)
{
    *n = 0;
    if (!*text)
        return sr_err_set(err, SR_ERR_ARG, "%s: the list is empty", opt);
    char item[256];
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        if (len == 0)
            return sr_err_set(err, SR_ERR_ARG, "%s '%s': an empty item (a comma too many?)", opt,
                              text);
        if (len >= sizeof item)
            return sr_err_set(err, SR_ERR_ARG, "%s: item '%.40s...' is too long", opt, p);
        if (*n == max)
            return sr_err_set(err, SR_ERR_ARG, "%s '%s': more than %d items", opt, text, max);
        memcpy(item, p, len);
        item[len] = '\0';
        sr_code rc = parse(opt, item, out, *n, err);
        if (rc != SR_OK) {
            *n = 0;
            return rc;
        }
        (*n)++;
        p += len;
        if (!*p)
            return SR_OK;
    }
}

static sr_code pattern_item(const char *opt, const char *item, void *out, int i, sr_err *err)
{
    if (sr_pattern_parse(item, &((sr_pattern *)out)[i], err) != SR_OK)
        return sr_err_prefix(err, "%s", opt);
    return SR_OK;
}

sr_code sr_cli_patterns(const char *opt, const char *list, sr_pattern *out, int max, int *n,
                        sr_err *err)
{
    if (strcmp(list, "all") == 0)
        list = SR_CLI_ALL_PATTERNS;
    return sr_cli_list(opt, list, pattern_item, out, max, n, err);
}

static sr_code sparsity_item(const char *opt, const char *item, void *out, int i, sr_err *err)
{
    return sr_cli_double(opt, item, 0.0, 1.0, &((double *)out)[i], err);
}

sr_code sr_cli_sparsities(const char *opt, const char *list, double *out, int max, int *n,
                          sr_err *err)
{
    return sr_cli_list(opt, list, sparsity_item, out, max, n, err);
}
