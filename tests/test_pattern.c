/* Parsing and naming of sparsity patterns (common/pattern.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "common/pattern.h"

static sr_code parse(const char *s, sr_pattern *p, sr_err *e)
{
    sr_err_clear(e);
    return sr_pattern_parse(s, p, e);
}

START_TEST(test_parse_good)
{
    sr_pattern p;
    sr_err e;
    char name[64];
    ck_assert_int_eq(parse("dense", &p, &e), SR_OK);
    ck_assert_int_eq(p.kind, SR_PAT_DENSE);
    ck_assert_int_eq(parse("unstructured", &p, &e), SR_OK);
    ck_assert_int_eq(p.kind, SR_PAT_UNSTRUCTURED);
    ck_assert_int_eq(parse("block:4x16", &p, &e), SR_OK);
    ck_assert_int_eq(p.kind, SR_PAT_BLOCK);
    ck_assert_int_eq(p.br, 4);
    ck_assert_int_eq(p.bc, 16);
    sr_pattern_name(&p, name, sizeof name);
    ck_assert_str_eq(name, "block:4x16");
    ck_assert_int_eq(parse("2:4", &p, &e), SR_OK);
    ck_assert_int_eq(p.kind, SR_PAT_NM);
    ck_assert_int_eq(p.n, 2);
    ck_assert_int_eq(p.m, 4);
    double s;
    ck_assert(sr_pattern_fixed_sparsity(&p, &s));
    ck_assert_double_eq_tol(s, 0.5, 1e-12);
    ck_assert_int_eq(parse("15:16", &p, &e), SR_OK);
    ck_assert_int_eq(parse("1:2", &p, &e), SR_OK);
}
END_TEST

START_TEST(test_parse_bad)
{
    static const char *bad[] = {"", "sparse", "block:3x4", "block:4x64", "block:4", "block:x4",
                                "4:4", "5:4", "0:4", "1:17", "2:", ":4", "-1:4", "2:4x", NULL};
    sr_pattern p;
    sr_err e;
    for (int i = 0; bad[i]; i++) {
        ck_assert_msg(parse(bad[i], &p, &e) == SR_ERR_ARG, "'%s' was accepted", bad[i]);
        ck_assert_msg(strlen(e.msg) > 0, "no message for '%s'", bad[i]);
        if (*bad[i])
            ck_assert_msg(strstr(e.msg, bad[i]) != NULL, "message for '%s' does not name it: %s",
                          bad[i], e.msg);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pattern");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_parse_good);
    tcase_add_test(tc, test_parse_bad);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
