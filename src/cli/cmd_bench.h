/* `bench` and `study`: the measured network sweep, and the newcomer's one command built
 * on it. */
#ifndef SR_CLI_CMD_BENCH_H
#define SR_CLI_CMD_BENCH_H

#include "session/calibrate.h"
#include "session/sweep.h"

#define SR_BENCH_MAX_LIST 64

typedef struct {
    const char *network, *device, *db, *weights, *resume;
    sr_pattern patterns[SR_BENCH_MAX_LIST];
    int n_patterns;
    double sparsities[SR_BENCH_MAX_LIST];
    int n_sparsities;
    int batch, reps, prune_all, json, quiet;
    int calibrate; /* 1: quick, 2: full: calibrate the device model first if none is stored */
    unsigned long long seed;
} sr_bench_args;

/* Runs the sweep the arguments describe (a new run, or --resume's) and prints its summary;
 * argc/argv are the command line stored with the run. Returns the exit status. */
int sr_cli_bench(const sr_bench_args *a, int argc, char **argv, const char *cmd);

/* The bench arguments parsed from argv (argv[0] = "bench"); -1 after --help, else 0 or
 * an exit status. */
int sr_cli_bench_parse(int argc, char **argv, sr_bench_args *a);

/* Calibrates the device model on the grid o (see `calibrate --help`), under a run of its
 * own; show: print the summary on stdout (else a line on stderr). The exit status. */
int sr_cli_calibrate(const sr_calibrate_opts *o, const char *device, const char *db, int quiet, int json, int show,
                     int argc, char **argv);

int sr_cmd_bench(int argc, char **argv);
int sr_cmd_calibrate(int argc, char **argv);
int sr_cmd_model_check(int argc, char **argv);
int sr_cmd_study(int argc, char **argv);

#endif
