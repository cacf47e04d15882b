/* Interruption by SIGINT or SIGTERM, checked between measurements. */
#ifndef SR_CLI_SIGNALS_H
#define SR_CLI_SIGNALS_H

#define SR_EXIT_INTERRUPTED 130 /* 128 + SIGINT; SIGTERM gives 143 */

void sr_cli_signals_install(void);
int sr_cli_interrupted(void); /* nonzero once a signal arrived */
int sr_cli_interrupt_exit(void); /* the exit status for the signal that came: 128 + its number */

#endif
