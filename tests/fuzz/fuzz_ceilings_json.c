/* libFuzzer target: the ceilings JSON reader (bench/ceilings_json.c) on any bytes. What it
 * accepts must validate and read back the same through its own JSON form. */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/ceilings_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sr_ceilings c, back;
    sr_err err;
    if (sr_ceilings_parse("fuzz.json", (const char *)data, size, &c, &err) != SR_OK)
        return 0;
    if (sr_ceilings_validate(&c, &err) != SR_OK)
        abort();
    json_object *o = sr_ceilings_to_json(&c);
    const char *text = json_object_to_json_string(o);
    if (sr_ceilings_parse("round trip", text, strlen(text), &back, &err) != SR_OK ||
        back.n_levels != c.n_levels || back.n_compute != c.n_compute ||
        back.n_patterns != c.n_patterns)
        abort();
    json_object_put(o);
    return 0;
}
