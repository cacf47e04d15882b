/* Networks and devices looked up for the query commands (query/lookup.h). */
#include "query/lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/network.h"

int sr_query_network_known(sr_store *s, const char *network)
{
    for (size_t i = 0; sr_network_builtin_name(i); i++)
        if (strcmp(sr_network_builtin_name(i), network) == 0)
            return 1;
    char uuid[SR_UUID_LEN];
    return sr_store_find_network(s, network, uuid, NULL) == SR_OK;
}

sr_code sr_query_check_network(sr_store *s, const char *network, sr_err *err)
{
    if (sr_query_network_known(s, network))
        return SR_OK;
    return sr_err_set(err, SR_ERR_NOTFOUND,
                      "unknown network '%s' (sparseroof networks lists the built-in ones)", network);
}

sr_code sr_query_pick_device(sr_store *s, const char *spec, char uuid[SR_UUID_LEN],
                             char name[256], sr_err *err)
{
    char want[SR_UUID_LEN] = "";
    if (spec) {
        sr_code rc = sr_store_find_device(s, spec, want, err);
        if (rc != SR_OK)
            return rc;
    }
    sr_device_row *devs = NULL;
    size_t n = 0;
    sr_code rc = sr_store_devices(s, &devs, &n, err);
    if (rc != SR_OK)
        return rc;
    size_t pick = n;
    for (size_t i = 0; i < n && pick == n; i++) /* newest measurements first */
        if (!want[0] || strcmp(devs[i].device_uuid, want) == 0)
            pick = i;
    if (pick < n) {
        snprintf(uuid, SR_UUID_LEN, "%s", devs[pick].device_uuid);
        snprintf(name, 256, "%s", devs[pick].device);
    } else {
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no device is stored in %s: 'sparseroof study' "
                        "measures this machine's, 'peaks --define' records a virtual one",
                        sr_store_path(s));
    }
    free(devs);
    return rc;
}
