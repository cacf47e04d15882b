/* What the query commands are asked for, looked up in the store: whether a network is
 * known, and which device to draw when none is named. */
#ifndef SR_QUERY_LOOKUP_H
#define SR_QUERY_LOOKUP_H

#include "store/reads.h"

/* 1 if network is a built-in network or one stored in s. */
int sr_query_network_known(sr_store *s, const char *network);

/* SR_ERR_NOTFOUND naming network when it is neither built in nor stored; else SR_OK. */
sr_code sr_query_check_network(sr_store *s, const char *network, sr_err *err);

/* The device spec names (UUID, prefix or name; see sr_store_find_device), or with spec
 * NULL the device with the newest measurements (any device when none has any). Fills uuid
 * and name. SR_ERR_NOTFOUND naming the database when it holds no device. */
sr_code sr_query_pick_device(sr_store *s, const char *spec, char uuid[SR_UUID_LEN],
                             char name[256], sr_err *err);

#endif
