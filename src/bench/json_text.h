/* Reading one JSON value from a file or a buffer (json-c) with messages that say what is
 * wrong with the text: empty, cut short, a syntax error at a line and column, text after
 * the value. A UTF-8 byte-order mark at the start is accepted. Used by every JSON reader
 * (ceilings files, network files). */
#ifndef SR_BENCH_JSON_TEXT_H
#define SR_BENCH_JSON_TEXT_H

#include <stddef.h>

#include "common/status.h"

struct json_object;

/* Parses len bytes of text as exactly one JSON value into *out (json_object_put it).
 * SR_ERR_FORMAT, with a message that starts with `what`, when it is not. */
sr_code sr_json_parse(const char *what, const char *text, size_t len, struct json_object **out,
                      sr_err *err);

/* Reads the regular file at path (at most max_bytes) and parses it as sr_json_parse does.
 * SR_ERR_NOTFOUND when it does not exist, SR_ERR_ARG when it is a directory or not a
 * regular file, SR_ERR_FORMAT when it is larger than max_bytes or not JSON, SR_ERR_IO when
 * it cannot be read. Every message names the file. */
sr_code sr_json_read_file(const char *path, size_t max_bytes, struct json_object **out,
                          sr_err *err);

#endif
