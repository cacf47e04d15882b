/* JSON output shared by every command. */
#include "cli/json_out.h"

#include <math.h>
#include <stdio.h>

json_object *sr_cli_json_num(double v) { return isfinite(v) ? json_object_new_double(v) : NULL; }

void sr_cli_json_print(json_object *o)
{
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}
