/* The one JSON writer of the commands: numbers that are not finite become null (JSON has
 * no NaN or Infinity), and a document is printed pretty, one per command. */
#ifndef SR_CLI_JSON_OUT_H
#define SR_CLI_JSON_OUT_H

#include <json-c/json.h>

/* A number, or null when v is NaN or infinite. */
json_object *sr_cli_json_num(double v);

/* Prints o, pretty, to standard output and releases it. */
void sr_cli_json_print(json_object *o);

#endif
