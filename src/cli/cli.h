/* Helpers shared by the subcommands: error reporting with the right exit status,
 * strict number parsing that names the option, device opening, progress lines. */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stdio.h>

#include "common/pattern.h"
#include "common/status.h"

enum { SR_EXIT_OK = 0, SR_EXIT_FAIL = 1, SR_EXIT_USAGE = 2 };

/* Prints "sparseroof CMD: message" to stderr; returns 2 for bad input (argument, file
 * content, unknown name) and 1 for failures while running. */
int sr_cli_fail(const char *cmd, const sr_err *err);

/* Prints "sparseroof CMD: <message>" and a pointer to --help; returns 2. */
int sr_cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Strict parsers: the whole text must be a number within [min, max]; the message names
 * the option ("--m") and the text. */
sr_code sr_cli_int(const char *opt, const char *text, long min, long max, int *out, sr_err *err);
sr_code sr_cli_double(const char *opt, const char *text, double min, double max, double *out,
                      sr_err *err);
sr_code sr_cli_u64(const char *opt, const char *text, unsigned long long *out, sr_err *err);

/* The patterns `kernel` and `tune` run by default ("all"). */
#define SR_CLI_ALL_PATTERNS "dense,unstructured,block:4x4,block:16x16,2:4"

/* Reads one list item into out[i] (out is the caller's array); the message names opt. */
typedef sr_code (*sr_cli_item_fn)(const char *opt, const char *item, void *out, int i,
                                  sr_err *err);

/* A comma-separated list of 1 to max items for option opt, each read by parse; *n receives
 * the count (0 on failure). An empty list, an empty item ("0.9,", "0.9,,0.8"), more than
 * max items or a bad item is refused with a message naming opt. */
sr_code sr_cli_list(const char *opt, const char *text, sr_cli_item_fn parse, void *out, int max,
                    int *n, sr_err *err);

/* A pattern list ("all" = SR_CLI_ALL_PATTERNS) and a list of sparsities in [0, 1], read
 * by sr_cli_list. */
sr_code sr_cli_patterns(const char *opt, const char *list, sr_pattern *out, int max, int *n, sr_err *err);
sr_code sr_cli_sparsities(const char *opt, const char *list, double *out, int max, int *n,
                          sr_err *err);

/* Progress to stderr, only when stderr is a terminal and not silenced (--json keeps it,
 * since JSON goes to stdout). */
void sr_cli_progress(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Subcommands: argv[0] is the command name. Each returns the process exit status. */
int sr_cmd_devices(int argc, char **argv);
int sr_cmd_kernel(int argc, char **argv);
int sr_cmd_tune(int argc, char **argv);

#endif
