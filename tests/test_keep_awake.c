/* runtime/keep_awake.h: which devices get spinners, how many, at which priority, and
 * that stopping leaves none behind (the threads are the host's: no OpenCL), and the
 * default that listing devices puts in the environment. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/keep_awake.h"
#include "runtime/runtime.h"

/* Threads of this process whose scheduling policy is SCHED_IDLE (field 41 of
 * /proc/self/task/TID/stat). */
static int idle_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    ck_assert_ptr_nonnull(d);
    int count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], line[1024];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue; /* a thread that just ended */
        const int ok = fgets(line, sizeof line, f) != NULL;
        fclose(f);
        const char *p = ok ? strrchr(line, ')') : NULL; /* the name may hold spaces */
        for (int field = 2; p && field < 41; field++)
            p = strchr(p + 1, ' ');
        if (p && atoi(p + 1) == SCHED_IDLE)
            count++;
    }
    closedir(d);
    return count;
}

/* Polls until want threads are at SCHED_IDLE (each sets its own policy once it runs). */
static int wait_idle_threads(int want)
{
    int n = idle_threads();
    for (int i = 0; i < 200 && n != want; i++) {
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        n = idle_threads();
    }
    return n;
}

START_TEST(test_cpu_every_core)
{
    unsetenv("SPARSEROOF_KEEP_AWAKE");
    cpu_set_t set;
    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    const int cpus = CPU_COUNT(&set);
    ck_assert_int_eq(idle_threads(), 0);
    sr_keep_awake *ka = sr_keep_awake_start("CPU");
    ck_assert_ptr_nonnull(ka);
    ck_assert_int_eq(sr_keep_awake_cpus(ka), cpus);
    ck_assert_int_eq(wait_idle_threads(cpus), cpus);
    sr_keep_awake_stop(ka);
    ck_assert_int_eq(idle_threads(), 0);
}
END_TEST

START_TEST(test_follows_affinity)
{
    unsetenv("SPARSEROOF_KEEP_AWAKE");
    cpu_set_t set;
    ck_assert_int_eq(sched_getaffinity(0, sizeof set, &set), 0);
    int first = 0;
    while (!CPU_ISSET(first, &set))
        first++;
    CPU_ZERO(&set);
    CPU_SET(first, &set);
    ck_assert_int_eq(sched_setaffinity(0, sizeof set, &set), 0); /* this forked child only */
    sr_keep_awake *ka = sr_keep_awake_start("CPU");
    ck_assert_int_eq(sr_keep_awake_cpus(ka), 1);
    ck_assert_int_eq(wait_idle_threads(1), 1);
    sr_keep_awake_stop(ka);
}
END_TEST

START_TEST(test_not_for_gpus_or_when_off)
{
    unsetenv("SPARSEROOF_KEEP_AWAKE");
    ck_assert_ptr_null(sr_keep_awake_start("GPU"));
    ck_assert_ptr_null(sr_keep_awake_start(NULL));
    setenv("SPARSEROOF_KEEP_AWAKE", "0", 1);
    ck_assert_ptr_null(sr_keep_awake_start("CPU"));
    ck_assert_int_eq(sr_keep_awake_cpus(NULL), 0);
    sr_keep_awake_stop(NULL);
    ck_assert_int_eq(idle_threads(), 0);
    setenv("SPARSEROOF_KEEP_AWAKE", "1", 1);
    sr_keep_awake *ka = sr_keep_awake_start("CPU");
    ck_assert_int_gt(sr_keep_awake_cpus(ka), 0);
    sr_keep_awake_stop(ka);
}
END_TEST

/* Listing devices sets the default in the environment (where a run's stored environment
 * records it), and leaves a user's own setting alone. */
START_TEST(test_default_in_environment)
{
    sr_device_info *list = NULL;
    size_t count = 0;
    sr_err err = {0};
    unsetenv("SPARSEROOF_KEEP_AWAKE");
    ck_assert_int_eq(sr_device_list(&list, &count, &err), SR_OK);
    free(list);
    ck_assert_ptr_nonnull(getenv("SPARSEROOF_KEEP_AWAKE"));
    ck_assert_str_eq(getenv("SPARSEROOF_KEEP_AWAKE"), "1");
    setenv("SPARSEROOF_KEEP_AWAKE", "0", 1);
    ck_assert_int_eq(sr_device_list(&list, &count, &err), SR_OK);
    free(list);
    ck_assert_str_eq(getenv("SPARSEROOF_KEEP_AWAKE"), "0");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("keep_awake");
    TCase *tc = tcase_create("keep_awake");
    tcase_add_test(tc, test_cpu_every_core);
    tcase_add_test(tc, test_follows_affinity);
    tcase_add_test(tc, test_not_for_gpus_or_when_off);
    tcase_add_test(tc, test_default_in_environment);
    tcase_set_timeout(tc, 60); /* listing devices loads the OpenCL drivers */
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
