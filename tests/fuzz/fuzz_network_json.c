/* libFuzzer target: the network JSON reader (cli/network_json.c) on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli/cmd_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sr_network *net = NULL;
    sr_err err;
    sr_code rc = sr_cli_network_parse_json("fuzz.json", (const char *)data, size, &net, &err);
    if ((rc == SR_OK) != (net != NULL) || (net && sr_network_n_layers(net) == 0))
        abort();
    sr_network_free(net);
    return 0;
}
