/* The commands about what is stored (`runs`, `merge`, `export`) and the CLI's glue to the
 * store that every command shares: the --db default, recording a device and starting a
 * run. Each command takes argv[0] = its name and returns the exit status: 0 success,
 * 1 failure while running, 2 bad usage or input. */
#ifndef SR_CLI_CMD_STORE_H
#define SR_CLI_CMD_STORE_H

#include "runtime/runtime.h"
#include "store/store.h"

/* The database a command uses: opt (--db) if given, else $SPARSEROOF_DB, else
 * "./sparseroof.db". */
const char *sr_cli_db_path(const char *opt);

/* The store's record of an OpenCL device. */
void sr_cli_device_rec(const sr_device_info *info, sr_device_rec *out);

/* Records dev (NULL: none) and begins a run of the subcommand argv[0] on it; the stored
 * command line is "sparseroof" followed by argv. The run becomes s's current one, so
 * measurements may leave run and device empty. device_uuid (may be NULL) receives the
 * device's UUID ("" without a device). */
sr_code sr_cli_run_begin(sr_store *s, int argc, char **argv, const sr_device_info *dev,
                         char run[SR_UUID_LEN], char device_uuid[SR_UUID_LEN], sr_err *err);

/* Ends run by how the command went: "complete" (its pending rows written) when c is
 * SR_OK and no signal arrived; "interrupted" (nothing pending kept) after a signal or
 * SR_ERR_INTERRUPTED; else "failed" with why's message. Returns the code to report:
 * c, SR_ERR_INTERRUPTED, or the failure to complete the run. No-op without a run. */
sr_code sr_cli_run_end(sr_store *s, const char *run, sr_code c, const sr_err *why, sr_err *err);

/* The exit status for c: 0, 130 after an interrupt (saying so), else sr_cli_fail's. */
int sr_cli_exit(const char *cmd, sr_code c, const char *run, const sr_err *err);

int sr_cmd_runs(int argc, char **argv);   /* sparseroof runs [--json] [--limit N] */
int sr_cmd_merge(int argc, char **argv);  /* sparseroof merge FILE.db... [--db TARGET] */
int sr_cmd_export(int argc, char **argv); /* sparseroof export --format csv|json ... */

#endif
