/* libFuzzer target for a matrix reader that takes a path (sparse/read_npy.c or
 * read_mtx.c, chosen at build time by READER): each input is written to one temporary
 * file, made at the first call and removed at exit, and read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sparse/read.h"

#ifndef READER
#error "build with -DREADER=sr_read_npy or -DREADER=sr_read_mtx"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];

static void remove_file(void)
{
    unlink(path);
}

static const char *write_input(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/sr_fuzz_XXXXXX", dir && *dir ? dir : "/tmp");
        if ((fd = mkstemp(path)) < 0)
            abort();
        atexit(remove_file);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    float *w = NULL;
    int m = 0, k = 0;
    sr_err err;
    if (READER(write_input(data, size), &w, &m, &k, &err) == SR_OK) {
        volatile float sum = 0; /* every value the reader claims to hold is there */
        for (size_t i = 0; i < (size_t)m * (size_t)k; i++)
            sum += w[i];
        (void)sum;
    } else if (w) {
        abort(); /* a refusal leaves nothing behind */
    }
    free(w);
    return 0;
}
