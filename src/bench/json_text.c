/* Reading one JSON value with messages that name what is wrong (see json_text.h). */
#include "bench/json_text.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char bom[] = "\xEF\xBB\xBF";

/* Line and column (1-based) of byte `at` of text. */
static void position(const char *text, size_t at, size_t *line, size_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = at - start + 1;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

sr_code sr_json_parse(const char *what, const char *text, size_t len, json_object **out,
                      sr_err *err)
{
    *out = NULL;
    size_t skip = len >= 3 && memcmp(text, bom, 3) == 0 ? 3 : 0;
    text += skip;
    len -= skip;
    size_t first = 0;
    while (first < len && blank(text[first]))
        first++;
    if (first == len)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not valid JSON: %s", what,
                          len ? "nothing but white space" : "it is empty");
    if (len > INT_MAX)
        return sr_err_set(err, SR_ERR_FORMAT, "%s: too large to read as JSON", what);
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", what);
    json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    /* json_tokener stops at the first complete value: anything after it is damage */
    while (o && used < len && blank(text[used]))
        used++;
    size_t line, col;
    position(text, used < len ? used : len, &line, &col);
    if (je == json_tokener_continue || (!o && je == json_tokener_success)) {
        json_object_put(o);
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not valid JSON: it ends too soon, inside an "
                          "unfinished value (line %zu); is it cut short?", what, line);
    }
    if (!o || je != json_tokener_success) {
        json_object_put(o);
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not valid JSON at line %zu, column %zu: %s",
                          what, line, col, json_tokener_error_desc(je));
    }
    if (used < len) {
        json_object_put(o);
        return sr_err_set(err, SR_ERR_FORMAT, "%s: not valid JSON: text after the value at line "
                          "%zu, column %zu", what, line, col);
    }
    *out = o;
    return SR_OK;
}

sr_code sr_json_read_file(const char *path, size_t max_bytes, json_object **out, sr_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sr_err_set(err, errno == ENOENT ? SR_ERR_NOTFOUND : SR_ERR_IO,
                          "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    int known = fstat(fileno(f), &st) == 0;
    if (!known || !S_ISREG(st.st_mode)) {
        int dir = known && S_ISDIR(st.st_mode);
        fclose(f);
        return sr_err_set(err, SR_ERR_ARG, "%s %s", path,
                          dir ? "is a directory, not a file" : "is not a regular file");
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        fclose(f);
        return sr_err_set(err, SR_ERR_FORMAT, "%s: %lld bytes, larger than the %zu such a file "
                          "may be", path, (long long)st.st_size, max_bytes);
    }
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fclose(f);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory reading %s", path);
    }
    size_t n = fread(buf, 1, size, f);
    int bad = ferror(f);
    fclose(f);
    sr_code rc = bad ? sr_err_set(err, SR_ERR_IO, "%s: read error: %s", path, strerror(errno))
                     : sr_json_parse(path, buf, n, out, err);
    free(buf);
    return rc;
}
