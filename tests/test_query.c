/* The query layer: plots, curves, rooflines, comparisons and the report from stored rows
 * (one check executable, a suite each). */
#include <check.h>

#include "check_run.h"

Suite *plot_suite(void);
Suite *curve_suite(void);
Suite *report_suite(void);

int main(void)
{
    Suite *s = plot_suite();
    SRunner *sr = srunner_create(s);
    srunner_add_suite(sr, curve_suite());
    srunner_add_suite(sr, report_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
