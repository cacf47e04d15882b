/* benchmarks/openmp_bind.c: the process starts itself again with OMP_PROC_BIND set, and
 * then holds GNU OpenMP's workers on one core each while every other thread, the first
 * included, keeps the CPU set the caller gave, and the environment too. Exits 77 (skipped)
 * on a single CPU, where there is nothing to bind apart. */
#define _GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openmp_bind.h"

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("FAIL: %s\n", what);
    }
}

static int cpus_of_self(cpu_set_t *s) { return sched_getaffinity(0, sizeof *s, s) == 0 ? CPU_COUNT(s) : -1; }

int main(int argc, char **argv)
{
    (void)argc;
    cpu_set_t given;
    if (!getenv("TEST_CPUS_GIVEN")) { /* the first start: the caller's set and environment */
        if (cpus_of_self(&given) < 2) {
            printf("one CPU: skipped\n");
            return 77;
        }
        char n[16];
        snprintf(n, sizeof n, "%d", CPU_COUNT(&given));
        setenv("TEST_CPUS_GIVEN", n, 1);
        unsetenv("OMP_PROC_BIND");
    }
    openmp_bind_start(argv);
    const int n_given = atoi(getenv("TEST_CPUS_GIVEN"));
    check(openmp_bind_active(), "started again, bound");
    check(!getenv("OMP_PROC_BIND"), "OMP_PROC_BIND gone from the environment the helpers get");
    check(!getenv("SPARSEROOF_BENCH_CPUS"), "its own variable gone too");
    check(cpus_of_self(&given) == n_given, "the first thread has the caller's CPU set back");

    int worker_cpus = -1, master_cpus = -1;
#pragma omp parallel num_threads(2)
    {
        cpu_set_t s;
        const int c = cpus_of_self(&s);
        if (omp_get_thread_num() == 1)
            worker_cpus = c;
        else
            master_cpus = c;
    }
    check(worker_cpus == 1, "OpenMP's worker bound to one core");
    check(master_cpus == n_given, "the first thread not bound by the parallel region");

    int first = 0;
    while (!CPU_ISSET(first, &given))
        first++;
    cpu_set_t s;
    openmp_bind_enter();
    check(cpus_of_self(&s) == 1 && CPU_ISSET(first, &s), "enter: on the set's first core");
    openmp_bind_leave();
    check(cpus_of_self(&s) == n_given, "leave: the whole set again");
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
