/* The commands about what is stored: `runs`, `merge`, `export`, and the --db default
 * every command shares. Each command takes argv[0] = its name and returns the exit
 * status: 0 success, 1 failure while running, 2 bad usage or input. */
#ifndef SR_CLI_CMD_STORE_H
#define SR_CLI_CMD_STORE_H

/* The database a command uses: opt (--db) if given, else $SPARSEROOF_DB, else
 * "./sparseroof.db". */
const char *sr_cli_db_path(const char *opt);

int sr_cmd_runs(int argc, char **argv);   /* sparseroof runs [--json] [--limit N] */
int sr_cmd_merge(int argc, char **argv);  /* sparseroof merge FILE.db... [--db TARGET] */
int sr_cmd_export(int argc, char **argv); /* sparseroof export --format csv|json ... */

#endif
