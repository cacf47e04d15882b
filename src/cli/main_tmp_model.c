/* TEMPORARY (model branch): a driver for `networks` and `predict` until the lead's main.c
 * dispatches them; delete this file and its executable in meson.build then. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_model.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "networks") == 0)
        return sr_cmd_networks(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "predict") == 0)
        return sr_cmd_predict(argc - 1, argv + 1);
    fprintf(stderr, "usage: %s networks|predict [options] (temporary driver)\n", argv[0]);
    return 2;
}
