/* Host description (common/host.h). Linux-only sources (/proc/cpuinfo, /sys cpufreq,
 * /etc/machine-id) are read when present; other systems get what POSIX gives. */
#include "common/host.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

/* Copies s into buf with surrounding white space removed. */
static void copy_trimmed(char *buf, size_t size, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* The first line of a small file, trimmed; "" if it cannot be read. */
static void read_line(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    if (fgets(line, sizeof line, f))
        copy_trimmed(buf, size, line);
    fclose(f);
}

/* /proc/cpuinfo's CPU name: "model name" (x86, most ARM kernels), else "Hardware",
 * "cpu" (POWER) or "Processor" (older ARM). */
static void read_cpu_model(char *buf, size_t size)
{
    static const char *keys[] = {"model name", "Hardware", "cpu", "Processor"};
    char found[4][256] = {{0}};
    buf[0] = '\0';
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char key[128];
        copy_trimmed(key, sizeof key, line);
        for (size_t i = 0; i < 4; i++)
            if (!found[i][0] && strcmp(key, keys[i]) == 0)
                copy_trimmed(found[i], sizeof found[i], colon + 1);
    }
    fclose(f);
    for (size_t i = 0; i < 4; i++)
        if (found[i][0]) {
            copy_trimmed(buf, size, found[i]);
            return;
        }
}

uint64_t sr_host_memory_bytes(void)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        return (uint64_t)pages * (uint64_t)page;
#endif
    return 0;
}

void sr_host_read(sr_host_info *out)
{
    memset(out, 0, sizeof *out);
    if (gethostname(out->hostname, sizeof out->hostname - 1) != 0)
        out->hostname[0] = '\0';
    read_line("/etc/machine-id", out->machine_id, sizeof out->machine_id);
    read_cpu_model(out->cpu_model, sizeof out->cpu_model);
    read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", out->governor,
              sizeof out->governor);
#ifdef _SC_NPROCESSORS_ONLN
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    out->cores = cores > 0 ? (int)cores : 0;
#endif
    out->memory_bytes = sr_host_memory_bytes();
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(out->os, sizeof out->os, "%.60s %.60s", u.sysname, u.machine);
        copy_trimmed(out->os_version, sizeof out->os_version, u.release);
        if (!out->cpu_model[0])
            copy_trimmed(out->cpu_model, sizeof out->cpu_model, u.machine);
    }
}

/* Prefixes of the variables that change how OpenCL drivers and libraries run. */
/* CPUs in a /sys cpu list ("0-3,8,10-11"); at least 1. */
static int count_cpus(const char *list)
{
    int n = 0;
    for (const char *s = list; *s;) {
        char *end;
        long a = strtol(s, &end, 10), b = a;
        if (end == s)
            break;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        n += (int)(b - a + 1);
        s = *end == ',' ? end + 1 : end + strlen(end);
    }
    return n > 0 ? n : 1;
}

/* A /sys cache size ("48K", "2048K", "105M"); 0 if it is not one. */
static uint64_t sys_size(const char *text)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text)
        return 0;
    switch (*end) {
    case 'K': return (uint64_t)v << 10;
    case 'M': return (uint64_t)v << 20;
    case 'G': return (uint64_t)v << 30;
    case '\0': return (uint64_t)v;
    default: return 0;
    }
}

size_t sr_host_cache_sizes(unsigned cpus, uint64_t *out, size_t max)
{
    size_t n = 0;
    memset(out, 0, max * sizeof *out);
    for (int idx = 0; idx < 16; idx++) {
        char base[96], path[160], level[16], type[32], size[32], shared[256];
        snprintf(base, sizeof base, "/sys/devices/system/cpu/cpu0/cache/index%d", idx);
        snprintf(path, sizeof path, "%s/level", base);
        read_line(path, level, sizeof level);
        if (!level[0])
            break;
        snprintf(path, sizeof path, "%s/type", base);
        read_line(path, type, sizeof type);
        if (!type[0] || strcmp(type, "Instruction") == 0)
            continue;
        snprintf(path, sizeof path, "%s/size", base);
        read_line(path, size, sizeof size);
        snprintf(path, sizeof path, "%s/shared_cpu_list", base);
        read_line(path, shared, sizeof shared);
        const int lv = atoi(level);
        const uint64_t bytes = sys_size(size);
        if (lv < 1 || (size_t)lv > max || bytes == 0)
            continue;
        /* instances of this cache among those CPUs */
        const unsigned sharing = (unsigned)count_cpus(shared[0] ? shared : "0");
        const unsigned inst = (cpus + sharing - 1) / sharing;
        out[lv - 1] = bytes * (inst ? inst : 1);
        n = (size_t)lv > n ? (size_t)lv : n;
    }
    return n;
}

void sr_host_process_start(long pid, char *buf, size_t size)
{
    char boot[64], path[64], line[1024];
    buf[0] = '\0';
    read_line("/proc/sys/kernel/random/boot_id", boot, sizeof boot);
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!boot[0] || !f) {
        if (f)
            fclose(f);
        return;
    }
    const int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    /* field 22 (starttime) counts from the ')' that ends field 2, the command name,
     * which may hold spaces and parentheses itself */
    const char *p = ok ? strrchr(line, ')') : NULL;
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (!p)
        return;
    const unsigned long long start = strtoull(p + 1, NULL, 10);
    snprintf(buf, size, "%s:%llu", boot, start);
}

static int affects_timings(const char *var)
{
    static const char *prefixes[] = {"POCL_", "CL_", "OCL_", "OPENCL_", "OMP_", "GOMP_",
                                     "KMP_", "OPENBLAS_", "MKL_", "CUDA_VISIBLE_DEVICES=",
                                     "ROCR_VISIBLE_DEVICES=", "HIP_VISIBLE_DEVICES=",
                                     "ZE_AFFINITY_MASK=", "SPARSEROOF_KERNEL_DIR=", "SPARSEROOF_KEEP_AWAKE="};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(var, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

sr_code sr_host_environment(char **out, sr_err *err)
{
    size_t n = 0, bytes = 1;
    for (char **e = environ; e && *e; e++)
        if (affects_timings(*e)) {
            n++;
            bytes += strlen(*e) + 1;
        }
    const char **vars = malloc((n ? n : 1) * sizeof *vars);
    char *text = malloc(bytes);
    if (!vars || !text) {
        free(vars);
        free(text);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory collecting the environment");
    }
    n = 0;
    for (char **e = environ; e && *e; e++)
        if (affects_timings(*e))
            vars[n++] = *e;
    qsort(vars, n, sizeof *vars, cmp_str);
    char *p = text;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(vars[i]);
        memcpy(p, vars[i], len);
        p += len;
        *p++ = '\n';
    }
    *p = '\0';
    free(vars);
    *out = text;
    return SR_OK;
}
