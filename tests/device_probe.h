/* Whether an OpenCL device exists, asked in a forked child so that this process never
 * touches OpenCL itself (check forks each test, and PoCL hangs in a child whose parent
 * already used it). Tests that need a device exit 77 (skipped) when this says no. */
#ifndef SR_TEST_DEVICE_PROBE_H
#define SR_TEST_DEVICE_PROBE_H

#include <sys/wait.h>
#include <unistd.h>

#include "runtime/runtime.h"

static inline int sr_test_have_device(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        sr_device_info *list = NULL;
        size_t n = 0;
        _exit(sr_device_list(&list, &n, NULL) == SR_OK && n > 0 ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

#endif
