/* Threads that yield in a loop at SCHED_IDLE, one per core of the process's CPU set. */
#define _GNU_SOURCE
#include "runtime/keep_awake.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPINNERS 256

typedef struct {
    pthread_t thread;
    int cpu;
    atomic_int *stop;
} spinner;

struct sr_keep_awake {
    atomic_int stop;
    int count;
    spinner threads[MAX_SPINNERS];
};

static void *spin(void *arg)
{
    const spinner *s = arg;
    const struct sched_param lowest = {0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &lowest); /* glibc's attributes refuse it */
    while (!atomic_load_explicit(s->stop, memory_order_relaxed))
        sched_yield();
    return NULL;
}

sr_keep_awake *sr_keep_awake_start(const char *device_type)
{
    const char *env = getenv("SPARSEROOF_KEEP_AWAKE");
    if (!device_type || strcmp(device_type, "CPU") != 0 || (env && strcmp(env, "0") == 0))
        return NULL;
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
        return NULL;
    sr_keep_awake *ka = calloc(1, sizeof *ka);
    if (!ka)
        return NULL;
    atomic_init(&ka->stop, 0);
    for (int cpu = 0; cpu < CPU_SETSIZE && ka->count < MAX_SPINNERS; cpu++) {
        if (!CPU_ISSET(cpu, &allowed))
            continue;
        spinner *s = &ka->threads[ka->count];
        s->cpu = cpu;
        s->stop = &ka->stop;
        /* born on its core */
        pthread_attr_t attr;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        int ok = pthread_attr_init(&attr) == 0;
        ok = ok && pthread_attr_setaffinity_np(&attr, sizeof one, &one) == 0 &&
             pthread_create(&s->thread, &attr, spin, s) == 0;
        pthread_attr_destroy(&attr);
        if (!ok)
            break;
        ka->count++;
    }
    if (ka->count == 0) {
        free(ka);
        return NULL;
    }
    return ka;
}

int sr_keep_awake_cpus(const sr_keep_awake *ka) { return ka ? ka->count : 0; }

void sr_keep_awake_stop(sr_keep_awake *ka)
{
    if (!ka)
        return;
    atomic_store(&ka->stop, 1);
    for (int i = 0; i < ka->count; i++)
        pthread_join(ka->threads[i].thread, NULL);
    free(ka);
}
