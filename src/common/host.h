/* What the machine running sparseroof is, as far as it affects timings: CPU model, cores,
 * memory, OS, the cpufreq governor and the environment variables that steer OpenCL
 * drivers and math libraries. The one platform file for Linux-only reads (/proc, /sys);
 * elsewhere the fields it cannot read stay empty (or 0). */
#ifndef SR_HOST_H
#define SR_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

typedef struct {
    char hostname[256];
    char machine_id[64];  /* /etc/machine-id, "" if unreadable */
    char cpu_model[256];  /* "AMD EPYC 7B13", "" if unknown */
    int cores;            /* online logical CPUs, 0 if unknown */
    uint64_t memory_bytes;
    char os[128];         /* system and machine: "Linux x86_64" */
    char os_version[256]; /* kernel release: "6.1.0-18-amd64" */
    char governor[64];    /* cpu0's cpufreq governor, "" if unreadable */
} sr_host_info;

/* The machine's physical memory in bytes (0 if unknown); cheap, unlike sr_host_read. */
uint64_t sr_host_memory_bytes(void);

/* Fills *out; never fails (unknown fields stay empty). */
void sr_host_read(sr_host_info *out);

/* Linux only (elsewhere 0 levels are found): the total size in bytes of each data cache
 * level (out[0] = L1) that `cpus` of the machine's CPUs see together (a cache shared by
 * 4 CPUs counts once for those 4). Returns the deepest level found (<= max). */
size_t sr_host_cache_sizes(unsigned cpus, uint64_t *out, size_t max);

/* A process's identity beyond its pid, which the system reuses: the boot's id and the
 * process's start time ("<boot id>:<start ticks>"). "" when the process does not exist
 * or the system does not say (Linux /proc only). */
void sr_host_process_start(long pid, char *buf, size_t size);

/* The variables that affect timings (POCL_*, CL_*, OMP_*, OPENBLAS_*, ...), one
 * "NAME=value" a line, sorted. *out is malloc'ed ("" when none is set); free() it. */
sr_code sr_host_environment(char **out, sr_err *err);

#endif
