/* libFuzzer target: the network CSV reader (model/network_csv.c) on any bytes. A network
 * it accepts must hold only layers that sr_network_add_layer accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/network.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sr_network *net = NULL;
    sr_err err;
    if (sr_network_parse("fuzz", "fuzz.csv", (const char *)data, size, &net, &err) == SR_OK) {
        if (!net || sr_network_n_layers(net) == 0)
            abort();
        for (size_t i = 0; i < sr_network_n_layers(net); i++) {
            const sr_layer *l = sr_network_layer(net, i);
            if (l->m < 1 || l->m > SR_DIM_MAX || !(l->extra_bytes >= 0))
                abort();
        }
    } else if (net) {
        abort(); /* a refusal leaves nothing behind */
    }
    sr_network_free(net);
    return 0;
}
