/* Built programs kept on disk as the driver's own binaries, so that a later process
 * creates one in a couple of milliseconds instead of building it again (PoCL spends about
 * 20 ms a program even when its own cache holds it: it preprocesses the source to find
 * it; a cold build takes a second). A file is named by a hash of what decides the
 * binary: the platform and device with their versions, the sources and the options.
 * Each file holds a header of ours (magic, length, a hash of the binary) before the
 * driver's bytes, and a file whose header does not match is never handed to the driver
 * (rusticl aborts the process on a binary it cannot read, rather than failing the call).
 * Anything unreadable, refused or not written whole is built from source again: the
 * cache only ever saves time. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hash.h"
#include "runtime/runtime_internal.h"

#define CACHE_FORMAT "sparseroof-binary-2" /* a new layout of the files: a new name for all */
#define MAGIC "SRBIN02" /* 8 bytes with its NUL */
#define HEADER 24       /* MAGIC, then the binary's length and its hash, 64 bits each */

/* The cache's folder: $SPARSEROOF_CACHE_DIR ("off": none), else $XDG_CACHE_HOME or
 * ~/.cache, then sparseroof/programs. Created when missing; 0 when there is none. */
static int cache_dir(char *dir, size_t size)
{
    const char *env = getenv("SPARSEROOF_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (env && strcmp(env, "off") == 0)
        return 0;
    if (env && *env)
        n = snprintf(dir, size, "%s", env);
    else if (xdg && *xdg)
        n = snprintf(dir, size, "%s/sparseroof/programs", xdg);
    else if (home && *home)
        n = snprintf(dir, size, "%s/.cache/sparseroof/programs", home);
    else
        return 0;
    if (n < 0 || (size_t)n >= size)
        return 0;
    /* mkdir -p */
    for (char *p = dir + 1;; p++) {
        const char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        const int ok = mkdir(dir, 0755) == 0 || errno == EEXIST;
        *p = c;
        if (!ok)
            return 0;
        if (c == '\0')
            return 1;
    }
}

int sr_binary_cache_path(const sr_cl *cl, const char *const *srcs, int n_srcs, const char *options, char *path,
                         size_t size)
{
    char dir[4096];
    if (!cache_dir(dir, sizeof dir))
        return 0;
    const sr_device_info *d = &cl->info;
    const char *key[] = {CACHE_FORMAT, d->platform_name, d->platform_version, d->name, d->vendor, d->version,
                         d->driver_version, options};
    uint64_t a = SR_HASH_SEED, b = 0x84222325cbf29ce4ULL; /* two seeds: 128 bits */
    for (size_t i = 0; i < sizeof key / sizeof *key; i++)
        a = sr_hash_str(a, key[i]), b = sr_hash_str(b, key[i]);
    for (int i = 0; i < n_srcs; i++)
        a = sr_hash_str(a, srcs[i]), b = sr_hash_str(b, srcs[i]);
    const int n = snprintf(path, size, "%s/%016llx%016llx.bin", dir, (unsigned long long)a, (unsigned long long)b);
    return n > 0 && (size_t)n < size;
}

cl_program sr_binary_cache_load(const sr_cl *cl, const char *path, const char *options)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *bin = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (bin = malloc((size_t)n)) != NULL && fread(bin, 1, (size_t)n, f) != (size_t)n) {
        free(bin);
        bin = NULL;
    }
    fclose(f);
    if (!bin)
        return NULL;
    uint64_t len64 = 0, hash = 0;
    if (n > HEADER) {
        memcpy(&len64, bin + 8, 8);
        memcpy(&hash, bin + 16, 8);
    }
    if (n <= HEADER || memcmp(bin, MAGIC, 8) != 0 || len64 != (uint64_t)(n - HEADER) ||
        hash != sr_hash_bytes(SR_HASH_SEED, bin + HEADER, (size_t)len64)) {
        free(bin);
        return NULL;
    }
    const size_t len = (size_t)len64;
    const unsigned char *bp = bin + HEADER;
    cl_int st = CL_SUCCESS, rc;
    cl_program prog = clCreateProgramWithBinary(cl->context, 1, &cl->info.device_id, &len, &bp, &st, &rc);
    free(bin);
    if (rc != CL_SUCCESS || st != CL_SUCCESS) {
        if (prog)
            clReleaseProgram(prog);
        return NULL;
    }
    if (clBuildProgram(prog, 1, &cl->info.device_id, options, NULL, NULL) != CL_SUCCESS) {
        clReleaseProgram(prog);
        return NULL;
    }
    return prog;
}

void sr_binary_cache_store(cl_program prog, const char *path)
{
    size_t len = 0;
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof len, &len, NULL) != CL_SUCCESS || len == 0)
        return;
    unsigned char *bin = malloc(len);
    if (!bin)
        return;
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) == CL_SUCCESS) {
        /* written whole under another name, then renamed: a reader never sees half a file */
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
        unsigned char head[HEADER];
        const uint64_t len64 = len, hash = sr_hash_bytes(SR_HASH_SEED, bin, len);
        memcpy(head, MAGIC, 8);
        memcpy(head + 8, &len64, 8);
        memcpy(head + 16, &hash, 8);
        FILE *f = fopen(tmp, "wb");
        const int ok = f && fwrite(head, 1, HEADER, f) == HEADER && fwrite(bin, 1, len, f) == len;
        if (f && fclose(f) == 0 && ok && rename(tmp, path) == 0)
            tmp[0] = '\0';
        if (tmp[0])
            remove(tmp);
    }
    free(bin);
}
