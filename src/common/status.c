/* The status type: filling and prefixing error messages. */
#include "common/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sr_code sr_err_set(sr_err *err, sr_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

sr_code sr_err_prefix(sr_err *err, const char *fmt, ...)
{
    if (!err)
        return SR_ERR_ARG;
    char head[SR_ERR_MSG_MAX], old[SR_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* head + ": " + old, cut to the buffer (snprintf would warn about truncation) */
    size_t cap = sizeof err->msg - 1, n = 0;
    for (const char *parts[] = {head, ": ", old}, **q = parts; q < parts + 3; q++)
        for (const char *c = *q; *c && n < cap; c++)
            err->msg[n++] = *c;
    err->msg[n] = '\0';
    return err->code;
}

void sr_err_clear(sr_err *err)
{
    if (err) {
        err->code = SR_OK;
        err->msg[0] = '\0';
    }
}

const char *sr_code_name(sr_code code)
{
    switch (code) {
    case SR_OK: return "ok";
    case SR_ERR_ARG: return "invalid argument";
    case SR_ERR_NOMEM: return "out of memory";
    case SR_ERR_IO: return "I/O error";
    case SR_ERR_FORMAT: return "malformed input";
    case SR_ERR_CL: return "OpenCL error";
    case SR_ERR_DB: return "database error";
    case SR_ERR_VERIFY: return "verification failed";
    case SR_ERR_UNSUPPORTED: return "unsupported";
    case SR_ERR_NOTFOUND: return "not found";
    case SR_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown error";
}
