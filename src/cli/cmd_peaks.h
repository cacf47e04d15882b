/* `sparseroof peaks`: measures a device's ceilings, or records a virtual device's. */
#ifndef SR_CLI_CMD_PEAKS_H
#define SR_CLI_CMD_PEAKS_H

/* argv[0] is the command name; returns the exit status (0 ok, 1 failure, 2 bad usage,
 * 130 interrupted). */
int sr_cmd_peaks(int argc, char **argv);

#endif
