/* The first OpenCL device opened for the tests of one check case: a checked fixture, so
 * that it opens inside each forked test and never in the parent (see device_probe.h). */
#ifndef SR_TEST_DEVICE_FIXTURE_H
#define SR_TEST_DEVICE_FIXTURE_H

#include <check.h>
#include <stdlib.h>

#include "runtime/runtime.h"

static sr_cl *cl;

static void open_device(void)
{
    sr_device_info *list = NULL;
    size_t n = 0;
    sr_err err = {0};
    ck_assert_int_eq(sr_device_list(&list, &n, &err), SR_OK);
    ck_assert_uint_gt(n, 0);
    ck_assert_msg(sr_cl_open(&list[0], &cl, &err) == SR_OK, "%s", err.msg);
    free(list);
}

static void close_device(void)
{
    sr_cl_close(cl);
    cl = NULL;
}

#endif
