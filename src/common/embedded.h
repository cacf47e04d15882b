/* Files embedded into the binary at build time by tools/embed.py (the kernels/ .cl files and
 * the schemas/ .sql files). Each table ends with an entry whose name is NULL. */
#ifndef SR_EMBEDDED_H
#define SR_EMBEDDED_H

#include <stddef.h>

struct sr_embedded {
    const char *name; /* base file name, e.g. "spmm_csr.cl" */
    const char *data; /* NUL-terminated contents */
    size_t size;      /* bytes, without the terminating NUL */
};

/* The entry named `name` in `table`, or NULL. */
const struct sr_embedded *sr_embedded_find(const struct sr_embedded *table, const char *name);

#endif
