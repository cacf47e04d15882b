/* The CLI's glue to the store and the session: where the database is (--db,
 * $SPARSEROOF_DB, ./sparseroof.db), and the exit status of how a run ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_store.h"
#include "cli/cli.h"
#include "cli/signals.h"

const char *sr_cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("SPARSEROOF_DB");
    return env && *env ? env : "./sparseroof.db";
}

void sr_cli_session_init(sr_session *s, int argc, char **argv)
{
    sr_session_init(s, argc, argv, sr_cli_interrupted);
    sr_cli_signals_install();
}

int sr_cli_exit(const char *cmd, sr_code c, const char *run, const char *kept, const sr_err *err)
{
    if (c == SR_OK)
        return SR_EXIT_OK;
    if (c == SR_ERR_INTERRUPTED) {
        const int has_run = run && run[0];
        fprintf(stderr, "sparseroof %s: interrupted%s%s%s%s\n", cmd, has_run ? "; run " : "", has_run ? run : "",
                has_run ? " marked interrupted, " : "", has_run ? (kept ? kept : "nothing of it stored") : "");
        return sr_cli_interrupt_exit();
    }
    return sr_cli_fail(cmd, err);
}

int sr_cli_session_finish(sr_session *s, const char *cmd, sr_code c, const char *kept, sr_err *err)
{
    c = sr_session_end(s, c, err);
    const int rc = sr_cli_exit(cmd, c, s->run, kept, err);
    sr_session_close(s);
    return rc;
}
