/* GNU OpenMP's threads bound to cores (openmp_bind.h). */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include "openmp_bind.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CPUS_VAR "SPARSEROOF_BENCH_CPUS" /* the CPU set before starting again, "0,1" */

static int active;
static cpu_set_t whole; /* the process's CPU set as the caller gave it */
static cpu_set_t first; /* its first core: OpenMP's first place */

static int parse_cpus(const char *s, cpu_set_t *out)
{
    CPU_ZERO(out);
    while (*s) {
        char *end;
        const long cpu = strtol(s, &end, 10);
        if (end == s || cpu < 0 || cpu >= CPU_SETSIZE)
            return 0;
        CPU_SET((int)cpu, out);
        s = *end == ',' ? end + 1 : end;
    }
    return CPU_COUNT(out) > 0;
}

/* Every thread of the process (those libraries started before main) back on the set. */
static void unbind_all(void)
{
    DIR *d = opendir("/proc/self/task");
    for (struct dirent *e; d && (e = readdir(d));) {
        const int tid = atoi(e->d_name);
        if (tid > 0)
            sched_setaffinity(tid, sizeof whole, &whole);
    }
    if (d)
        closedir(d);
}

void openmp_bind_start(char **argv)
{
    const char *set = getenv(CPUS_VAR);
    if (set) { /* started again: libgomp has read OMP_PROC_BIND */
        if (parse_cpus(set, &whole)) {
            active = 1;
            unbind_all();
            CPU_ZERO(&first);
            for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
                if (CPU_ISSET(cpu, &whole)) {
                    CPU_SET(cpu, &first);
                    break;
                }
        }
        unsetenv("OMP_PROC_BIND"); /* the helpers get the caller's environment */
        unsetenv(CPUS_VAR);
        return;
    }
    if (getenv("OMP_PROC_BIND") || sched_getaffinity(0, sizeof whole, &whole) != 0)
        return;
    char list[8192] = "";
    size_t len = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && len + 16 < sizeof list; cpu++)
        if (CPU_ISSET(cpu, &whole))
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", len ? "," : "", cpu);
    setenv("OMP_PROC_BIND", "true", 1);
    setenv(CPUS_VAR, list, 1);
    execv("/proc/self/exe", argv);
    unsetenv("OMP_PROC_BIND"); /* could not start again: unbound, as before */
    unsetenv(CPUS_VAR);
}

int openmp_bind_active(void) { return active; }

void openmp_bind_enter(void)
{
    if (active)
        sched_setaffinity(0, sizeof first, &first);
}

void openmp_bind_leave(void)
{
    if (active)
        sched_setaffinity(0, sizeof whole, &whole);
}
