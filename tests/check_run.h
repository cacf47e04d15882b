/* Runs a check suite the way every test executable here does (CK_ENV: CK_VERBOSITY and
 * friends from the environment) and turns its failures into the exit status. */
#ifndef SR_TEST_CHECK_RUN_H
#define SR_TEST_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int sr_check_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
