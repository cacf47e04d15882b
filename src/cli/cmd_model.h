/* The model's subcommands (`networks`, `predict`) and what they need from the rest of the
 * CLI. main.c dispatches to sr_cmd_*; each returns the exit status (cli.h). */
#ifndef SR_CLI_CMD_MODEL_H
#define SR_CLI_CMD_MODEL_H

#include "common/status.h"
#include "model/ceilings.h"
#include "model/network.h"
#include "store/store.h"

/* sparseroof networks [--json] [NAME|FILE] */
int sr_cmd_networks(int argc, char **argv);

/* sparseroof predict --network NET [--device D] --patterns LIST [--sparsities LIST]
 *                    [--batch B] [--dtype fp32|fp16|fp64] [--prune-all] [--layers] [--json] */
int sr_cmd_predict(int argc, char **argv);

/* --network NAME|FILE: a built-in name, a CSV file, or a JSON file (name ends in .json):
 * {"name": ..., "description": ..., "layers": [{"name", "kind", "m", "k", "n", "groups",
 * "prunable", "extra_bytes"}, ...]} or just the array of layers. */
sr_code sr_cli_network_open(const char *arg, sr_network **out, sr_err *err);

/* The same JSON from len bytes of text; source names it in messages. */
sr_code sr_cli_network_parse_json(const char *source, const char *text, size_t len,
                                  sr_network **out, sr_err *err);

struct json_object;

/* Adds a layer's name, kind, m, k, n and groups to the JSON object o. */
void sr_cli_json_shape(struct json_object *o, const char *name, sr_layer_kind kind, int64_t m,
                       int64_t k, int64_t n, int64_t groups);

#endif
