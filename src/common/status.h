/* One status type for the whole library: a code plus a message that says what failed
 * and why. Functions that can fail return sr_code and take `sr_err *err` last; on
 * failure they fill err (when non-NULL). Nothing below cli/ prints or exits. */
#ifndef SR_STATUS_H
#define SR_STATUS_H

#include <stddef.h>

typedef enum {
    SR_OK = 0,
    SR_ERR_ARG,         /* bad argument or input value */
    SR_ERR_NOMEM,       /* host allocation failed */
    SR_ERR_IO,          /* file could not be read or written */
    SR_ERR_FORMAT,      /* a file's content is malformed */
    SR_ERR_CL,          /* an OpenCL call failed */
    SR_ERR_DB,          /* a SQLite call failed */
    SR_ERR_VERIFY,      /* a kernel result disagreed with the CPU reference */
    SR_ERR_UNSUPPORTED, /* the device or build cannot do what was asked */
    SR_ERR_NOTFOUND,    /* a named thing (device, network, run) does not exist */
    SR_ERR_INTERRUPTED  /* stopped by a signal */
} sr_code;

#define SR_ERR_MSG_MAX 1024

typedef struct sr_err {
    sr_code code;
    char msg[SR_ERR_MSG_MAX];
} sr_err;

/* Records code and a printf-style message in err (if non-NULL); returns code. */
sr_code sr_err_set(sr_err *err, sr_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes the message already in err with more context ("while X: <old>"). */
sr_code sr_err_prefix(sr_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void sr_err_clear(sr_err *err);

/* A short stable name for a code ("invalid argument", ...). */
const char *sr_code_name(sr_code code);

#endif
