/* Where the database is (--db, $SPARSEROOF_DB, ./sparseroof.db) and how a store failure
 * becomes an exit status. */
#include <stdlib.h>

#include "cli/cmd_store.h"

const char *sr_cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("SPARSEROOF_DB");
    return env && *env ? env : "./sparseroof.db";
}

int sr_cli_exit_code(sr_code code)
{
    switch (code) {
    case SR_OK: return 0;
    case SR_ERR_ARG:
    case SR_ERR_FORMAT:
    case SR_ERR_NOTFOUND: return 2;
    default: return 1;
    }
}
