/* Interruption by SIGINT or SIGTERM, checked between measurements. */
#ifndef SR_CLI_SIGNALS_H
#define SR_CLI_SIGNALS_H

#define SR_EXIT_INTERRUPTED 130

void sr_cli_signals_install(void);
int sr_cli_interrupted(void); /* nonzero once a signal arrived */

#endif
