/* The commands about stored data: `runs`, `merge`, `export` (src/cli, src/query/export), and
 * what `study` writes at its end from stored rows. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "cli/cmd_store.h"
#include "store_fixtures.h"

TCase *tcase_cli(void);

static char dir[4096], a[4200], b[4200], out_path[4200];
static char out[1 << 16], errs[1 << 14];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

/* Runs a command with stdout and stderr captured into out and errs. */
static int run_cmd(int (*cmd)(int, char **), char **argv)
{
    return fx_run_cmd(cmd, argv, out, sizeof out, errs, sizeof errs);
}

START_TEST(test_db_path)
{
    unsetenv("SPARSEROOF_DB");
    ck_assert_str_eq(sr_cli_db_path(NULL), "./sparseroof.db");
    setenv("SPARSEROOF_DB", "/x/lab.db", 1);
    ck_assert_str_eq(sr_cli_db_path(NULL), "/x/lab.db");
    ck_assert_str_eq(sr_cli_db_path("mine.db"), "mine.db");
}
END_TEST

START_TEST(test_runs)
{
    fx_populate(a, "cpu-a", 3);
    char *table[] = {"runs", "--db", a, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, table), 0);
    ck_assert_msg(strstr(out, "complete") && strstr(out, "cpu-a") && strstr(out, "RUN"), "%s",
                  out);
    ck_assert_msg(strstr(out, "sparseroof kernel --shape 'it'\\''s 64'"), "%s", out);
    setenv("SPARSEROOF_DB", a, 1);
    char *json[] = {"runs", "--json", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, json), 0);
    json_object *arr = json_tokener_parse(out);
    ck_assert_msg(arr && json_object_is_type(arr, json_type_array), "%s", out);
    ck_assert_uint_eq(json_object_array_length(arr), 1);
    json_object *row = json_object_array_get_idx(arr, 0), *v;
    ck_assert(json_object_object_get_ex(row, "status", &v));
    ck_assert_str_eq(json_object_get_string(v), "complete");
    ck_assert(json_object_object_get_ex(row, "measurements", &v));
    ck_assert_int_eq(json_object_get_int(v), 3);
    json_object_put(arr);
    char *filtered[] = {"runs", "--status", "failed", "--json", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, filtered), 0);
    ck_assert_str_eq(out, "[\n]\n");
    /* A filter that matches nothing says so, and how many runs there are (issue 15, 13). */
    char *none[] = {"runs", "--status", "failed", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, none), 0);
    ck_assert_msg(strstr(out, "RUN") && !strstr(out, "complete"), "%s", out);
    ck_assert_msg(strstr(errs, "no runs with status failed") && strstr(errs, "1 run stored"),
                  "%s", errs);
    ck_assert_ptr_null(strstr(errs, "no runs stored"));
    char *limit0[] = {"runs", "--limit", "0", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, limit0), 2);
    ck_assert_msg(strstr(errs, "--limit"), "%s", errs);
    char *limit1[] = {"runs", "--limit", "1", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, limit1), 0);
    ck_assert_msg(strstr(out, "complete"), "%s", out);
    char *bad[] = {"runs", "--status", "done", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, bad), 2);
    ck_assert_ptr_nonnull(strstr(errs, "done"));
    char *bad_limit[] = {"runs", "--limit", "many", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, bad_limit), 2);
    char *missing[] = {"runs", "--db", b, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, missing), 2);
    ck_assert_msg(strstr(errs, b), "%s", errs);
    ck_assert_int_eq(access(b, F_OK), -1);
    write_bytes(b, "not a database at all, just text\n", 33);
    ck_assert_int_eq(run_cmd(sr_cmd_runs, missing), 2);
    ck_assert_msg(strstr(errs, "not a SQLite database"), "%s", errs);
    char *help[] = {"runs", "--help", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_runs, help), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage"));
}
END_TEST

START_TEST(test_merge_cmd)
{
    fx_populate(a, "cpu-a", 2);
    fx_populate(b, "gpu-b", 4);
    char *merge[] = {"merge", b, "--db", a, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_merge, merge), 0);
    ck_assert_msg(strstr(out, "added 1 runs, 4 measurements"), "%s", out);
    ck_assert_int_eq(run_cmd(sr_cmd_merge, merge), 0);
    ck_assert_msg(strstr(out, "nothing new"), "%s", out);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM measurement"), 6);
    char *none[] = {"merge", "--db", a, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_merge, none), 2);
    /* One bad file among good ones: the good ones merge, the exit says it failed. */
    char c[4300];
    snprintf(c, sizeof c, "%s/c.db", dir);
    write_bytes(c, "x,y\n", 4);
    char *mixed[] = {"merge", c, b, "--db", a, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_merge, mixed), 2);
    ck_assert_msg(strstr(errs, c) && strstr(errs, "not a SQLite database"), "%s", errs);
    ck_assert_msg(strstr(out, "nothing new"), "%s", out);
    /* Into a new file. */
    char d[4300];
    snprintf(d, sizeof d, "%s/d.db", dir);
    char *fresh[] = {"merge", a, "--db", d, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_merge, fresh), 0);
    ck_assert_int_eq(query_int(d, "SELECT count(*) FROM run"), 2);
}
END_TEST

START_TEST(test_export_csv)
{
    fx_populate(a, "cpu-a", 2);
    sr_err e;
    sr_store *s = fx_open(a);
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    fx_device(s, "cpu, \"quoted\"", dev);
    fx_run(s, "kernel", dev, run);
    sr_measurement m;
    fx_measurement(&m, "block:4x4", 0.1, 64, 0.25);
    snprintf(m.params, sizeof m.params, "-DA=1\n-DB=2");
    ck_assert_msg(sr_store_put_measurements(s, &m, 1, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    char *cmd[] = {"export", "--db", a, "--view", "v_kernel", "-o", out_path, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, cmd), 0);
    size_t n;
    char *csv = (char *)slurp(out_path, &n);
    ck_assert_ptr_nonnull(csv);
    csv = realloc(csv, n + 1);
    csv[n] = '\0';
    ck_assert_msg(strncmp(csv, "id,run,created_at,device,kind,pattern,sparsity,", 47) == 0, "%s",
                  csv);
    ck_assert_msg(strstr(csv, ",\"cpu, \"\"quoted\"\"\",measured,block:4x4,0.1,fp32,64,64,16,,"), "%s",
                  csv);
    ck_assert_msg(strstr(csv, ",\"-DA=1\n-DB=2\","), "%s", csv);
    ck_assert_msg(strstr(csv, ",0.25,"), "%s", csv);
    int lines = 0;
    for (char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    ck_assert_int_eq(lines, 4); /* header and three rows */
    free(csv);
    /* Unknown view: a message listing the views; no file left behind. */
    char other[4300];
    snprintf(other, sizeof other, "%s/other.csv", dir);
    char *bad[] = {"export", "--db", a, "--view", "v_nope", "-o", other, NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, bad), 2);
    ck_assert_msg(strstr(errs, "v_nope") && strstr(errs, "v_layer_roofline"), "%s", errs);
    ck_assert_int_eq(access(other, F_OK), -1);
    char leftovers[4400];
    snprintf(leftovers, sizeof leftovers, "ls %s | grep -q tmp", dir);
    ck_assert_int_ne(system(leftovers), 0);
    char *fmt[] = {"export", "--db", a, "--format", "xml", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, fmt), 2);
    ck_assert_ptr_nonnull(strstr(errs, "xml"));
    char *list[] = {"export", "--db", a, "--list", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, list), 0);
    ck_assert_msg(strstr(out, "v_network_speedup") && strstr(out, "measurement"), "%s", out);
}
END_TEST

START_TEST(test_export_json)
{
    fx_populate(a, "cpu-a", 3);
    char *cmd[] = {"export", "--db", a, "--format", "json", "--view", "v_measurement", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, cmd), 0);
    json_object *arr = json_tokener_parse(out);
    ck_assert_msg(arr && json_object_is_type(arr, json_type_array), "%s", out);
    ck_assert_uint_eq(json_object_array_length(arr), 3);
    json_object *row = json_object_array_get_idx(arr, 1), *v;
    ck_assert(json_object_object_get_ex(row, "m", &v));
    ck_assert(json_object_is_type(v, json_type_int));
    ck_assert(json_object_object_get_ex(row, "sparsity", &v));
    ck_assert(json_object_is_type(v, json_type_double));
    ck_assert_double_eq(json_object_get_double(v), 0.5);
    ck_assert(json_object_object_get_ex(row, "network", &v));
    ck_assert_ptr_null(v);
    ck_assert(json_object_object_get_ex(row, "pattern", &v));
    ck_assert_str_eq(json_object_get_string(v), "2:4");
    json_object_put(arr);
    /* The file stays as it was: export opens read-only. */
    size_t size;
    unsigned char *before = slurp(a, &size);
    char *empty[] = {"export", "--db", a, "--format", "json", "--view", "accuracy", NULL};
    ck_assert_int_eq(run_cmd(sr_cmd_export, empty), 0);
    ck_assert_str_eq(out, "[\n]\n");
    ck_assert(file_is(a, before, size));
    free(before);
}
END_TEST

START_TEST(test_run_begin_from_device_info)
{
    sr_device_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "cpu-haswell");
    snprintf(info.type, sizeof info.type, "CPU");
    snprintf(info.platform_name, sizeof info.platform_name, "Portable Computing Language");
    snprintf(info.platform_version, sizeof info.platform_version, "OpenCL 3.0 PoCL 5.0 LLVM 16");
    snprintf(info.driver_version, sizeof info.driver_version, "5.0");
    info.compute_units = 4;
    info.fp64 = 1;
    sr_err e;
    char *argv[] = {"kernel", "--m", "64", NULL};
    sr_session ses;
    sr_session_init(&ses, 3, argv, NULL);
    ses.dev = &info; /* a device as OpenCL would describe it, without opening one */
    ses.store = fx_open(a);
    ck_assert_msg(sr_session_begin(&ses, &e) == SR_OK, "%s", e.msg);
    ck_assert(ses.device_uuid[0] && ses.run[0]);
    sr_measurement m;
    fx_measurement(&m, "dense", 0, 64, 1e-3); /* run and device left empty: the current ones */
    ck_assert_msg(sr_store_add_measurement(ses.store, &m, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_session_end(&ses, SR_OK, &e) == SR_OK, "%s", e.msg);
    ses.dev = NULL;
    sr_session_close(&ses);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM v_run WHERE command = 'kernel' AND "
                                  "command_line = 'sparseroof kernel --m 64' AND device = "
                                  "'cpu-haswell' AND platform = 'Portable Computing Language' "
                                  "AND driver = '5.0' AND measurements = 1"),
                     1);
    ck_assert_int_eq(query_int(a, "SELECT count(*) FROM device WHERE compute_units = 4 AND "
                                  "fp64 = 1 AND platform_version LIKE '%LLVM 16'"),
                     1);
}
END_TEST

/* What study leaves at the end: the curve, the roofline and the report of its network. */
START_TEST(test_study_outputs)
{
    char dev[SR_UUID_LEN], run[SR_UUID_LEN], net[SR_UUID_LEN];
    sr_store *s = fx_begin(a, "lab-cpu", "bench", dev, run);
    sr_err e;
    sr_network_rec nr = {.name = "tiny"};
    sr_layer_rec layers[2] = {{.name = "l0", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1},
                              {.name = "l1", .kind = "linear", .m = 64, .n = 16, .k = 64, .prunable = 1}};
    ck_assert_msg(sr_store_put_network(s, &nr, layers, 2, net, &e) == SR_OK, "%s", e.msg);
    fx_layer_rows(s, net, SR_MEASURED, "dense", 0, (double[]){1.0, 2.0}, NULL, 2);
    fx_layer_rows(s, net, SR_MEASURED, "unstructured", 0.9, (double[]){0.4, 0.6}, (double[]){0.3, 0.5}, 2);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    ck_assert_int_eq(mkdir(out_path, 0755), 0);
    FILE *msg = tmpfile();
    ck_assert_int_eq(sr_study_outputs(a, "tiny", out_path, msg), 0);
    char said[4096];
    fx_read_into(msg, said, sizeof said);
    static const char *const names[] = {"study-curve.png", "study-roofline.png", "study.html"};
    for (int i = 0; i < 3; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", out_path, names[i]);
        size_t size;
        unsigned char *data = slurp(path, &size);
        ck_assert_msg(data && size > 1000, "%s written", path);
        ck_assert(strstr(said, path));
        ck_assert(i == 2 ? memcmp(data, "<!DOCTYPE html>", 15) == 0 : memcmp(data, "\x89PNG", 4) == 0);
        free(data);
    }
    ck_assert_int_eq(sr_study_check_dir(out_path, &e), SR_OK);
    char file[4400];
    snprintf(file, sizeof file, "%s/study.html", out_path);
    ck_assert_int_eq(sr_study_check_dir(file, &e), SR_ERR_ARG); /* a file, not a directory */
    ck_assert(strstr(e.msg, "not a directory"));
    msg = tmpfile(); /* a database without the network's timings: the status says so */
    ck_assert_int_eq(sr_study_outputs(a, "resnet50", out_path, msg), SR_EXIT_USAGE);
    fclose(msg);
}
END_TEST

TCase *tcase_cli(void)
{
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_db_path);
    tcase_add_test(tc, test_runs);
    tcase_add_test(tc, test_merge_cmd);
    tcase_add_test(tc, test_export_csv);
    tcase_add_test(tc, test_export_json);
    tcase_add_test(tc, test_run_begin_from_device_info);
    tcase_add_test(tc, test_study_outputs);
    return tc;
}
