/* Results become database rows here, and only here: a kernel run (free shape or a
 * network's layer), a network and its layers, a layer's prediction. */
#ifndef SR_SESSION_RECORDS_H
#define SR_SESSION_RECORDS_H

#include "bench/kernel_run.h"
#include "model/network.h"
#include "model/predict.h"
#include "store/store.h"

/* The measured row of a kernel run of spec on an m x k x n problem in `groups` groups
 * (the row's run and device: the store's current run). params_used: what ran. */
void sr_record_kernel(const sr_kernel_spec *spec, int m, int k, int n, int groups, const sr_kernel_outcome *o,
                      sr_measurement *out);

/* Records net (its layers) in store; uuid receives the network's UUID. */
sr_code sr_record_network(sr_store *store, const sr_network *net, char uuid[SR_UUID_LEN], sr_err *err);

/* The predicted row of layer i of a network prediction (`which`: the ceilings used,
 * "peak" or "tuned"). */
void sr_record_layer_prediction(const char *network_uuid, size_t i, const sr_network_prediction *res,
                                const sr_predict_opts *opts, const char *which, sr_measurement *out);

#endif
