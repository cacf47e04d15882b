/* Whether the tests run their quick shapes: SPARSEROOF_TEST_QUICK set (not "" or "0"), as
 * the 'rusticl' test setup does for a slow OpenCL implementation (llvmpipe). Which
 * implementation runs is the ICD loader's business (OCL_ICD_VENDORS), never the tests'. */
#ifndef SR_TEST_QUICK_H
#define SR_TEST_QUICK_H

#include <stdlib.h>
#include <string.h>

static inline int sr_test_quick(void)
{
    const char *q = getenv("SPARSEROOF_TEST_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

#endif
