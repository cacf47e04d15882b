/* The commands that read what is stored and draw it: `accuracy`, `curve`, `roofline`,
 * `compare`, `report`.
 * Each takes argv[0] = its name and returns the exit status (cli.h). */
#ifndef SR_CLI_CMD_QUERY_H
#define SR_CLI_CMD_QUERY_H

#include <stdio.h>

#include "common/status.h"
#include "query/outfile.h"

/* sparseroof accuracy import [--builtin] [FILE.csv...] | list [--network NET] */
int sr_cmd_accuracy(int argc, char **argv);

/* Stores the shipped accuracy figures in db (as `accuracy import --builtin`), printing
 * nothing but an error; the exit status. */
int sr_cli_accuracy_builtin(const char *db);

/* sparseroof curve --network NET [--device D] ... -o FILE */
int sr_cmd_curve(int argc, char **argv);

/* sparseroof roofline [--device D] [--run RUN] -o FILE */
int sr_cmd_roofline(int argc, char **argv);

/* sparseroof compare --network NET [--devices A,B,...] -o FILE */
int sr_cmd_compare(int argc, char **argv);

/* sparseroof report -o FILE.html [--network NET] [--device D] */
int sr_cmd_report(int argc, char **argv);

/* Exit 2 naming -o FILE unless it ends in .svg, .png, .pdf, .csv or .json (NULL: fine);
 * else SR_EXIT_OK. */
int sr_cli_plot_output(const char *cmd, const char *out);

/* After getopt: no argument left (optind), --network given, -o of a kind it can write;
 * SR_EXIT_OK, else the usage error's exit status. */
int sr_cli_network_plot_args(const char *cmd, int argc, char **argv, const char *network, const char *out);

/* The end of a drawing command, given what building its result returned: the result
 * written to out (when given) by w, then printed as JSON (w->json) or by print; the exit
 * status (query_cmd.c). */
int sr_cli_query_end(const char *cmd, sr_code rc, sr_err *err, const void *result,
                     const sr_out_writers *w, const char *out, int json,
                     void (*print)(const void *result, const char *out));

/* study's pictures of what it just stored (study_outputs.c): study-curve.png,
 * study-roofline.png and study.html of the newest timings of network (a network file:
 * of the newest timings) in dir (NULL: the current directory), each path printed to msg;
 * the exit status (1 when one cannot be written, after trying the others). */
int sr_study_outputs(const char *db, const char *network, const char *dir, FILE *msg);

/* SR_ERR_ARG unless dir is a directory this process can write into. */
sr_code sr_study_check_dir(const char *dir, sr_err *err);

#endif
