/* Where the database is: --db, else $SPARSEROOF_DB, else ./sparseroof.db. */
#include <stdlib.h>

#include "cli/cmd_store.h"

const char *sr_cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("SPARSEROOF_DB");
    return env && *env ? env : "./sparseroof.db";
}
