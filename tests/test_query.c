/* The query layer: plots and curves from stored rows (one check executable, a suite each). */
#include <check.h>

#include "check_run.h"

Suite *plot_suite(void);

int main(void)
{
    Suite *s = plot_suite();
    return sr_check_run(s);
}
