/* The commands about what is stored (`runs`, `merge`, `export`) and the CLI's glue to the
 * store that every command shares: the --db default, recording a device and starting a
 * run. Each command takes argv[0] = its name and returns the exit status: 0 success,
 * 1 failure while running, 2 bad usage or input. */
#ifndef SR_CLI_CMD_STORE_H
#define SR_CLI_CMD_STORE_H

#include "session/session.h"

/* The database a command uses: opt (--db) if given, else $SPARSEROOF_DB, else
 * "./sparseroof.db". */
const char *sr_cli_db_path(const char *opt);

/* A session whose interruption is the CLI's signals (installed now). */
void sr_cli_session_init(sr_session *s, int argc, char **argv);

/* The exit status for c: 0; 128 + the signal after an interrupt (saying so, and what of
 * the run was kept: `kept`, else "nothing of it stored"); else sr_cli_fail's. */
int sr_cli_exit(const char *cmd, sr_code c, const char *run, const char *kept, const sr_err *err);

/* Ends the session's run by c (sr_session_end), closes it and returns the exit status. */
int sr_cli_session_finish(sr_session *s, const char *cmd, sr_code c, const char *kept, sr_err *err);

int sr_cmd_runs(int argc, char **argv);   /* sparseroof runs [--json] [--limit N] */
int sr_cmd_merge(int argc, char **argv);  /* sparseroof merge FILE.db... [--db TARGET] */
int sr_cmd_export(int argc, char **argv); /* sparseroof export --format csv|json ... */

#endif
