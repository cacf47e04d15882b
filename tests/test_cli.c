/* The command line as a user meets it: help, version, bad input refused with a message
 * naming the input and exit status 2, and a real kernel run with JSON output. */
#include <check.h>
#include <json-c/json.h>

#include "check_run.h"
#include "test_quick.h"
#include "device_probe.h"
#include "run_cli.h"

#include <signal.h>

static int have_device;

START_TEST(test_help_and_version)
{
    sr_cli_result r;
    sr_run_cli((const char *[]){"--help", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "kernel"));
    sr_run_cli((const char *[]){"--version", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "sparseroof "));
    sr_run_cli((const char *[]){"kernel", "--help", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "--pattern"));
    sr_run_cli((const char *[]){"devices", "--help", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    sr_run_cli((const char *[]){"frobnicate", NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "frobnicate"));
    sr_run_cli((const char *[]){NULL}, &r);
    ck_assert_int_eq(r.status, 2);
}
END_TEST

/* Each bad input: exit 2 and a message that names what was wrong. */
static const struct {
    const char *args[12];
    const char *expect; /* a piece of the message */
} bad[] = {
    {{"kernel", "--pattern", "sparse", NULL}, "sparse"},
    {{"kernel", "--pattern", "unstructured", "--sparsity", "1.5", NULL}, "--sparsity"},
    {{"kernel", "--pattern", "unstructured", "--sparsity", "-0.1", NULL}, "--sparsity"},
    {{"kernel", "--pattern", "unstructured", "--sparsity", "nan", NULL}, "--sparsity"},
    {{"kernel", "--pattern", "4:4", NULL}, "4:4"},
    {{"kernel", "--pattern", "5:4", NULL}, "5:4"},
    {{"kernel", "--pattern", "0:4", NULL}, "0:4"},
    {{"kernel", "--pattern", "2:32", NULL}, "2:32"},
    {{"kernel", "--pattern", "block:3x4", NULL}, "block:3x4"},
    {{"kernel", "--pattern", "block:4x64", NULL}, "block:4x64"},
    {{"kernel", "--pattern", "dense", "--m", "0", NULL}, "--m"},
    {{"kernel", "--pattern", "dense", "--k", "-5", NULL}, "--k"},
    {{"kernel", "--pattern", "dense", "--n", "abc", NULL}, "--n"},
    {{"kernel", "--pattern", "dense", "--reps", "0", NULL}, "--reps"},
    {{"kernel", "--pattern", "dense", "--params", "vw=3", NULL}, "vw"},
    {{"kernel", "--pattern", "dense", "--seed", " -1", NULL}, "--seed ' -1'"},
    {{"kernel", "--pattern", "dense", "--seed", "+7", NULL}, "--seed '+7'"},
    {{"kernel", "--pattern", "dense", "--seed", "18446744073709551616", NULL}, "--seed"},
    {{"kernel", "--pattern", "dense", "--m", " 64", NULL}, "--m ' 64'"},
    {{"kernel", "--pattern", "unstructured", "--sparsity", " 0.5", NULL}, "--sparsity ' 0.5'"},
    {{"kernel", "--m", "64", NULL}, "--pattern"},
    {{"kernel", "--pattern", "dense", "extra", NULL}, "extra"},
    {{"devices", "--bogus", NULL}, "devices"},
    {{"tune", "--budget", "0", NULL}, "--budget"},
    {{"tune", "--patterns", "2:2", NULL}, "2:2"},
    {{"tune", "--m", "0", NULL}, "--m"},
    /* lists: an empty item is refused, not skipped (issue 15, defect 21) */
    {{"predict", "--network", "resnet18", "--patterns", "dense", "--sparsities", "0.9,", NULL},
     "--sparsities '0.9,': an empty item"},
    {{"predict", "--network", "resnet18", "--patterns", "dense", "--sparsities", "0.9,,0.8", NULL},
     "--sparsities '0.9,,0.8': an empty item"},
    {{"predict", "--network", "resnet18", "--patterns", ",2:4", NULL}, "--patterns ',2:4'"},
    {{"predict", "--network", "resnet18", "--patterns", "2:4", "--sparsities", "", NULL},
     "--sparsities: the list is empty"},
    {{"predict", "--network", "resnet18", "--patterns", "2:4,sparse", NULL}, "--patterns: "},
    {{"kernel", "--pattern", "dense,", NULL}, "--pattern 'dense,'"},
    {{"tune", "--patterns", "dense,,2:4", NULL}, "--patterns 'dense,,2:4'"},
    {{"bench", "--patterns", "2:4", NULL}, "--network is required"},
    {{"bench", "--resume", "abcd", "--network", "resnet18", NULL}, "--resume takes the run's own options"},
    {{"bench", "--network", "resnet18", "--reps", "0", NULL}, "--reps"},
    {{"study", "extra", NULL}, "extra"},
    {{"tune", "--shapes", "64x64", NULL}, "--shapes '64x64'"},
    {{"tune", "--shapes", "64x64x0", NULL}, "--shapes '64x64x0'"},
    {{"tune", "--shapes", "64x64x16,", NULL}, "--shapes"},
    {{"kernel", "--pattern", "dense", "--weights", "/nonexistent/w.npy", NULL}, "/nonexistent/w.npy"},
    {{"kernel", "--pattern", "dense", "--weights", "w.npy", "--m", "4", NULL}, "--weights sets M and K"},
    /* a virtual device may not take a name that --device reads as an index (defect 20) */
    {{"peaks", "--define", "0", "--bandwidth", "10", "--compute", "fp32=100", NULL}, "names an OpenCL device"},
    {{"peaks", "--define", "1:0", "--bandwidth", "10", "--compute", "fp32=100", NULL}, "names an OpenCL device"},
    /* a weights file that is not there is bad input, refused before any device is opened */
    {{"kernel", "--pattern", "2:4", "--weights", "/nonexistent/w.npy", NULL}, "/nonexistent/w.npy: cannot open"},
    {{"kernel", "--pattern", "2:4", "--weights", "/nonexistent/w.mtx", NULL}, "/nonexistent/w.mtx: cannot open"},
};

START_TEST(test_bad_input)
{
    sr_cli_result r;
    sr_run_cli(bad[_i].args, &r);
    ck_assert_msg(r.status == 2, "case %d: exit %d, stderr: %s", _i, r.status, r.err);
    ck_assert_msg(strstr(r.err, bad[_i].expect) != NULL, "case %d: message does not name '%s': %s", _i,
                  bad[_i].expect, r.err);
    ck_assert_msg(r.out[0] == '\0', "case %d printed to stdout: %s", _i, r.out);
}
END_TEST

START_TEST(test_device_errors)
{
    if (!have_device)
        return;
    sr_cli_result r;
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense", "--device", "no-such-device-xyz", NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "no-such-device-xyz"));
    ck_assert_ptr_nonnull(strstr(r.err, "0 (0:0)")); /* the message lists the devices */
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense", "--device", "99", NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    /* 1M x 1M fp32 is 4 TiB: refused before anything is allocated */
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense", "--m", "1048576", "--k", "1048576", NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "too large"));
}
END_TEST

START_TEST(test_kernel_json)
{
    if (!have_device)
        return;
    sr_cli_result r;
    sr_run_cli((const char *[]){"kernel", "--pattern", "block:4x4", "--m", "67", "--k", "131", "--n", "29",
                                "--sparsity", "0.75", "--reps", "3", "--params", "x=1", "--json", NULL},
               &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    json_object *o = json_tokener_parse(r.out);
    ck_assert_ptr_nonnull(o);
    static const char *keys[] = {"pattern", "m", "k", "n", "sparsity", "nnz", "flops", "bytes",
                                 "time_median_s", "time_min_s", "time_max_s", "gflops", "gbps",
                                 "verified", "device"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        ck_assert_msg(json_object_object_get_ex(o, keys[i], NULL), "missing key %s", keys[i]);
    json_object *v;
    json_object_object_get_ex(o, "pattern", &v);
    ck_assert_str_eq(json_object_get_string(v), "block:4x4");
    json_object_object_get_ex(o, "verified", &v);
    ck_assert(json_object_get_boolean(v));
    json_object_object_get_ex(o, "nnz", &v);
    const int64_t nnz = json_object_get_int64(v);
    ck_assert(nnz % 16 == 0 && nnz > 0); /* whole 4x4 blocks */
    json_object_object_get_ex(o, "flops", &v);
    ck_assert_double_eq_tol(json_object_get_double(v), 2.0 * (double)nnz * 29, 0.5);
    /* X is repacked (x=1: 29 columns in wider panels), inside the time; the repack has a time
     * of its own only where the events time it (rusticl's stamps are zero: wall clock) */
    json_object_object_get_ex(o, "repack_median_s", &v);
    const double repack = json_object_get_double(v);
    json_object_object_get_ex(o, "timing_method", &v);
    const int by_events = strcmp(json_object_get_string(v), "events") == 0;
    json_object_object_get_ex(o, "time_median_s", &v);
    if (by_events)
        ck_assert(repack > 0.0 && repack < json_object_get_double(v));
    else
        ck_assert_double_eq(repack, 0.0);
    json_object_put(o);

    /* one panel covers X (exactly, or 29 columns in 32): read in place, no repacking */
    for (int i = 0; i < 2; i++) {
        sr_run_cli(i ? (const char *[]){"kernel", "--pattern", "block:4x4", "--m", "67", "--k", "131", "--n", "29",
                                        "--sparsity", "0.75", "--reps", "1", "--json", NULL}
                     : (const char *[]){"kernel", "--pattern", "dense", "--m", "16", "--k", "32", "--n", "64",
                                        "--reps", "1", "--params", "vw=16,nv=4", "--json", NULL},
                   &r);
        ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
        o = json_tokener_parse(r.out);
        json_object_object_get_ex(o, "repack_median_s", &v);
        ck_assert_double_eq(json_object_get_double(v), 0.0);
        json_object_object_get_ex(o, "verified", &v);
        ck_assert(json_object_get_boolean(v));
        json_object_put(o);
    }

    /* N:M fixes its sparsity: --sparsity may be left out */
    sr_run_cli((const char *[]){"kernel", "--pattern", "2:4", "--m", "16", "--k", "32", "--n", "8", "--reps",
                                "1", "--json", NULL},
               &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    o = json_tokener_parse(r.out);
    json_object_object_get_ex(o, "sparsity", &v);
    ck_assert_double_eq_tol(json_object_get_double(v), 0.5, 1e-12);
    json_object_object_get_ex(o, "nnz", &v);
    ck_assert_int_eq(json_object_get_int64(v), 16 * 16);
    json_object_object_get_ex(o, "awake_cpus", &v);
    const int awake = json_object_get_int(v);
    json_object_put(o);

    sr_run_cli((const char *[]){"devices", "--json", NULL}, &r);
    ck_assert_int_eq(r.status, 0);
    o = json_tokener_parse(r.out);
    ck_assert(json_object_object_get_ex(o, "devices", &v));
    ck_assert_int_gt(json_object_array_length(v), 0);
    json_object *type;
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(v, 0), "type", &type));
    /* a CPU device is timed with its cores held awake, unless the environment says not */
    if (strcmp(json_object_get_string(type), "CPU") == 0)
        ck_assert_int_gt(awake, 0);
    else
        ck_assert_int_eq(awake, 0);
    json_object_put(o);
    setenv("SPARSEROOF_KEEP_AWAKE", "0", 1);
    sr_run_cli((const char *[]){"kernel", "--pattern", "2:4", "--m", "16", "--k", "32", "--n", "8", "--reps",
                                "1", "--json", NULL},
               &r);
    unsetenv("SPARSEROOF_KEEP_AWAKE");
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    o = json_tokener_parse(r.out);
    json_object_object_get_ex(o, "awake_cpus", &v);
    ck_assert_int_eq(json_object_get_int(v), 0);
    json_object_put(o);
}
END_TEST

/* A kernel that does not compile: the message names the error and carries the build log. */
START_TEST(test_build_failure_shows_log)
{
    if (!have_device)
        return;
    char dir[] = "/tmp/sr_kdirXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sr_common.cl", dir);
    FILE *f = fopen(path, "w");
    fclose(f);
    /* the dense kernels (along N and along M, which N = 8 takes) and the pack, whichever
     * is built first */
    static const char *files[] = {"gemm_dense.cl", "gemm_dense_wt.cl", "pack.cl"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        f = fopen(path, "w");
        fputs("kernel void k(global float *x) { x[0] = undeclared_thing; }\n", f);
        fclose(f);
    }
    setenv("SPARSEROOF_KERNEL_DIR", dir, 1);
    sr_cli_result r;
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense", "--m", "8", "--k", "8", "--n", "8", NULL}, &r);
    unsetenv("SPARSEROOF_KERNEL_DIR");
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "CL_BUILD_PROGRAM_FAILURE (-11)"));
    ck_assert_ptr_nonnull(strstr(r.err, "build log"));
    ck_assert_ptr_nonnull(strstr(r.err, "undeclared_thing"));
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sr_common.cl", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* Runs (exec) a kernel command of `patterns` dense products into db that lasts long
 * past 2 s and stops between two products when signalled: each product a second or more
 * on PoCL; on a slow implementation (quick shapes: llvmpipe, 0.1 GFLOP/s) a smaller one,
 * so that a product ends, and the signal is heard, within a few seconds. */
static void exec_long_kernel(const char *bin, const char *db, int patterns)
{
    char list[256] = "dense";
    for (int i = 1; i < patterns; i++)
        strcat(list, ",dense");
    const int quick = sr_test_quick();
    execl(bin, bin, "kernel", "--pattern", list, "--m", quick ? "128" : "1024", "--k", quick ? "128" : "1024",
          "--n", quick ? "64" : "512", "--reps", quick ? "50" : "200", "--db", db, (char *)NULL);
}

/* Starts a long kernel run into db, sends it sig after two seconds; its exit status. */
static int signal_long_kernel(const char *db, int patterns, int sig)
{
    const char *bin = getenv("SPARSEROOF_BIN");
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        exec_long_kernel(bin, db, patterns);
        _exit(127);
    }
    sleep(2);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A run is stored; SIGINT between measurements marks the run interrupted and stores none
 * of its rows. */
START_TEST(test_store_and_interrupt)
{
    if (!have_device)
        return;
    char db[] = "/tmp/sr_cli_dbXXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense,2:4", "--m", "40", "--k", "64", "--n", "16",
                                "--reps", "2", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    sr_run_cli((const char *[]){"export", "--format", "csv", "--view", "v_kernel", "--db", db, NULL}, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "2:4"));
    ck_assert_ptr_nonnull(strstr(r.out, "dense"));

    /* many patterns in a row: a SIGINT lands between two of them */
    ck_assert_int_eq(signal_long_kernel(db, 16, SIGINT), 130);
    sr_run_cli((const char *[]){"runs", "--json", "--db", db, NULL}, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "interrupted"));
    ck_assert_ptr_nonnull(strstr(r.out, "complete"));
    sr_run_cli((const char *[]){"export", "--format", "csv", "--view", "v_kernel", "--db", db, NULL}, &r);
    int lines = 0;
    for (const char *q = r.out; *q; q++)
        lines += *q == '\n';
    ck_assert_int_eq(lines, 3); /* header + the first run's two rows: nothing of the interrupted one */
    unlink(db);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
}
END_TEST

/* A command refused for bad input leaves no database behind (issue 15, defects 17 and 19),
 * and SIGTERM exits 143 (defect 14). */
START_TEST(test_refusals_create_nothing)
{
    char db[] = "/tmp/sr_cli_noneXXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"merge", "--db", db, "/nonexistent/x.db", NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/x.db"));
    ck_assert_int_ne(access(db, F_OK), 0);
    sr_run_cli((const char *[]){"predict", "--network", "resnet18", "--patterns", "2:4", "--device", "nosuchdev",
                                "--db", db, NULL},
               &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "nosuchdev"));
    /* said once, not an error message formatted into itself (defect 6) */
    ck_assert_msg(!strstr(strstr(r.err, "--device nosuchdev") + 1, "--device nosuchdev"), "repeated: %s", r.err);
    ck_assert_int_ne(access(db, F_OK), 0);
    if (!have_device)
        return;
    /* every pattern's parameters are checked before anything runs: rows=3 fits dense, not 4x4 blocks */
    sr_run_cli((const char *[]){"kernel", "--pattern", "dense,block:4x4", "--params", "rows=3", "--m", "64", "--k",
                                "64", "--n", "16", "--db", db, NULL},
               &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "block:4x4"));
    ck_assert_int_ne(access(db, F_OK), 0);
    /* host memory is checked as well as the device's (defect 18) */
    sr_run_cli((const char *[]){"kernel", "--pattern", "block:32x32", "--m", "1048576", "--k", "1048576", "--n",
                                "1", "--sparsity", "0.9999", "--db", db, NULL},
               &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_int_ne(access(db, F_OK), 0);
    ck_assert_int_eq(signal_long_kernel(db, 10, SIGTERM), 143);
    unlink(db);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
}
END_TEST

/* tune stores each pattern's best; kernel then runs with them. */
START_TEST(test_tune_then_kernel)
{
    if (!have_device)
        return;
    char db[] = "/tmp/sr_cli_tuneXXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"tune", "--patterns", "dense,2:4", "--m", "32", "--k", "48", "--n", "16",
                                "--budget", "4", "--reps", "2", "--json", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *o = json_tokener_parse(r.out), *v;
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(json_object_array_length(o), 2);
    for (int i = 0; i < 2; i++) {
        json_object *e = json_object_array_get_idx(o, i);
        ck_assert(json_object_object_get_ex(e, "gflops", &v) && json_object_get_double(v) > 0);
        ck_assert(json_object_object_get_ex(e, "candidates", &v) && json_object_get_int(v) >= 1);
    }
    json_object_object_get_ex(json_object_array_get_idx(o, 1), "params", &v);
    char params[128];
    snprintf(params, sizeof params, "%s", json_object_get_string(v));
    json_object_put(o);
    sr_run_cli((const char *[]){"kernel", "--pattern", "2:4", "--m", "32", "--k", "48", "--n", "16", "--reps",
                                "2", "--json", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    o = json_tokener_parse(r.out);
    json_object_object_get_ex(o, "params_source", &v);
    ck_assert_str_eq(json_object_get_string(v), "tuned");
    json_object_object_get_ex(o, "params", &v);
    ck_assert_str_eq(json_object_get_string(v), params);
    json_object_put(o);
    unlink(db);
}
END_TEST

/* predict on a virtual device: stored as a run of predicted rows the views sum up;
 * --ceilings tuned without tuning is refused with a pointer to `tune`. */
START_TEST(test_predict_stored)
{
    char db[] = "/tmp/sr_cli_predXXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"peaks", "--define", "lab-npu", "--bandwidth", "100", "--compute", "fp32=1000",
                                "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    sr_run_cli((const char *[]){"predict", "--network", "resnet18", "--device", "lab-npu", "--patterns",
                                "dense,2:4,unstructured", "--sparsities", "0.9", "--json", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    json_object *o = json_tokener_parse(r.out), *v, *res;
    ck_assert_ptr_nonnull(o);
    ck_assert(json_object_object_get_ex(o, "results", &res));
    ck_assert_int_eq(json_object_array_length(res), 3);
    json_object_object_get_ex(json_object_array_get_idx(res, 2), "speedup", &v);
    const double speedup = json_object_get_double(v);
    ck_assert(speedup > 1.0);
    ck_assert(!json_object_object_get_ex(o, "tuned_results", NULL));
    json_object_put(o);
    /* the view sums the stored layer rows to the same network speedup */
    sr_run_cli((const char *[]){"export", "--format", "json", "--view", "v_network_speedup", "--db", db, NULL}, &r);
    ck_assert_msg(r.status == 0, "%s", r.err);
    o = json_tokener_parse(r.out);
    ck_assert_ptr_nonnull(o);
    int found = 0;
    for (size_t i = 0; i < json_object_array_length(o); i++) {
        json_object *row = json_object_array_get_idx(o, i);
        json_object_object_get_ex(row, "pattern", &v);
        if (strcmp(json_object_get_string(v), "unstructured") != 0)
            continue;
        json_object *d, *sp;
        json_object_object_get_ex(row, "predicted_dense_s", &d);
        json_object_object_get_ex(row, "predicted_sparse_s", &sp);
        ck_assert_double_eq_tol(json_object_get_double(d) / json_object_get_double(sp), speedup, 1e-6 * speedup);
        found = 1;
    }
    ck_assert_msg(found, "no unstructured row in v_network_speedup: %s", r.out);
    json_object_put(o);
    sr_run_cli((const char *[]){"predict", "--network", "resnet18", "--device", "lab-npu", "--patterns", "2:4",
                                "--ceilings", "tuned", "--db", db, NULL},
               &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "tune"));
    sr_run_cli((const char *[]){"predict", "--network", "resnet18", "--device", "no-such-thing-here", "--patterns",
                                "2:4", "--db", db, NULL},
               &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "no-such-thing-here"));
    unlink(db);
}
END_TEST

int main(void)
{
    have_device = sr_test_have_device();
    if (!have_device)
        fprintf(stderr, "no OpenCL device: device cases of the CLI tests skipped\n");
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_help_and_version);
    tcase_add_loop_test(tc, test_bad_input, 0, (int)(sizeof bad / sizeof *bad));
    tcase_add_test(tc, test_device_errors);
    tcase_add_test(tc, test_kernel_json);
    tcase_add_test(tc, test_build_failure_shows_log);
    tcase_add_test(tc, test_store_and_interrupt);
    tcase_add_test(tc, test_tune_then_kernel);
    tcase_add_test(tc, test_predict_stored);
    tcase_add_test(tc, test_refusals_create_nothing);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
