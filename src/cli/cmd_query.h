/* The commands that read what is stored and draw it: `accuracy`, `curve`, `roofline`,
 * `compare`, `report`.
 * Each takes argv[0] = its name and returns the exit status (cli.h). */
#ifndef SR_CLI_CMD_QUERY_H
#define SR_CLI_CMD_QUERY_H

/* sparseroof accuracy import [--builtin] [FILE.csv...] | list [--network NET] */
int sr_cmd_accuracy(int argc, char **argv);

/* sparseroof curve --network NET [--device D] ... -o FILE */
int sr_cmd_curve(int argc, char **argv);

/* sparseroof roofline [--device D] [--run RUN] -o FILE */
int sr_cmd_roofline(int argc, char **argv);

/* sparseroof compare --network NET [--devices A,B,...] -o FILE */
int sr_cmd_compare(int argc, char **argv);

/* sparseroof report -o FILE.html [--network NET] [--device D] */
int sr_cmd_report(int argc, char **argv);

#endif
