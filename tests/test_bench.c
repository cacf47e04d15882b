/* `sparseroof bench` through the binary, on a two-layer network file: the sweep's rows
 * and views, a run stopped by SIGINT and resumed (the same rows as one that was not), a
 * grouped convolution measured over all its groups, and --weights files refused before
 * anything is stored; and `kernel --weights FILE`, which reads files the same way. Each database gets quick ceilings first (`peaks` on a small sweep),
 * so that bench does not measure them itself. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>

#include "check_run.h"
#include "device_probe.h"
#include "run_cli.h"

static int have_device;

/* A grouped convolution (4 groups of 8 x 36) and a linear layer. */
static const char two_layers[] = "# two layers: a grouped convolution and a linear layer\n"
                                 "name,kind,m,k,n,groups,prunable\n"
                                 "features.0,conv,8,36,16,4,true\n"
                                 "classifier.1,linear,16,32,8,1,true\n";
enum { G0 = 4, M0 = 8, K0 = 36, N0 = 16, M1 = 16, K1 = 32, N1 = 8 };

static char dir[4096];

static void setup(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/sr_bench_XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void in_dir(char *out, size_t size, const char *name) { snprintf(out, size, "%s/%s", dir, name); }

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, size, f), size);
    fclose(f);
}

static void expect_ok(const sr_cli_result *r, const char *what)
{
    ck_assert_msg(r->status == 0, "%s: exit %d: %s", what, r->status, r->err);
}

/* A database with ceilings of the first device, measured quickly (a sweep this short,
 * beside other suites, is sometimes refused as implausible: a level timed faster than
 * the one before it; it is only set-up here, so it is tried again). */
static void db_with_ceilings(const char *db)
{
    sr_cli_result r;
    for (int i = 0; i < 3; i++) {
        sr_run_cli((const char *[]){"peaks", "--max-ws", "256K", "--reps", "1", "--db", db, NULL}, &r);
        if (r.status == 0 || !strstr(r.err, "implausible"))
            break;
    }
    expect_ok(&r, "peaks");
}

/* A view's rows as a JSON array (the caller puts it). */
static json_object *view_rows(const char *db, const char *view)
{
    sr_cli_result r;
    sr_run_cli((const char *[]){"export", "--format", "json", "--view", view, "--db", db, NULL}, &r);
    expect_ok(&r, view);
    json_object *o = json_tokener_parse(r.out);
    ck_assert_msg(o && json_object_is_type(o, json_type_array), "%s: %s", view, r.out);
    return o;
}

static json_object *field(json_object *row, const char *key)
{
    json_object *v = NULL;
    ck_assert_msg(json_object_object_get_ex(row, key, &v), "no column %s", key);
    return v;
}

static double num(json_object *row, const char *key) { return json_object_get_double(field(row, key)); }
static const char *text(json_object *row, const char *key) { return json_object_get_string(field(row, key)); }

/* "layer pattern sparsity" of every row of v_layer_roofline, sorted, one a line. */
static void row_keys(const char *db, char *out, size_t size)
{
    json_object *rows = view_rows(db, "v_layer_roofline");
    const size_t n = json_object_array_length(rows);
    char(*keys)[96] = calloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        json_object *row = json_object_array_get_idx(rows, i);
        snprintf(keys[i], sizeof keys[i], "%d %s %.4f", (int)num(row, "layer"), text(row, "pattern"),
                 num(row, "sparsity"));
    }
    qsort(keys, n, sizeof *keys, (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s\n", keys[i]);
    free(keys);
    json_object_put(rows);
}

/* The two-layer file swept end to end: a verified, predicted row for every layer and
 * configuration; the network's measured and predicted speedups; the grouped convolution's
 * rows carry its 4 groups and 4 groups' work. */
START_TEST(test_sweep_two_layers)
{
    if (!have_device)
        return;
    char net[4200], db[4200];
    in_dir(net, sizeof net, "two.csv");
    in_dir(db, sizeof db, "sweep.db");
    write_file(net, two_layers, sizeof two_layers - 1);
    db_with_ceilings(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"bench", "--network", net, "--patterns", "2:4,unstructured", "--sparsities", "0.5",
                                "--prune-all", "--reps", "2", "--json", "--db", db, NULL},
               &r);
    expect_ok(&r, "bench");
    json_object *o = json_tokener_parse(r.out), *res;
    ck_assert_msg(o != NULL, "%s", r.out);
    ck_assert_str_eq(text(o, "network"), "two");
    ck_assert(json_object_object_get_ex(o, "results", &res));
    int sparse_results = 0;
    for (size_t i = 0; i < json_object_array_length(res); i++) {
        json_object *e = json_object_array_get_idx(res, i);
        if (strcmp(text(e, "pattern"), "dense") == 0)
            continue;
        sparse_results++;
        ck_assert(num(e, "measured_speedup") > 0);
        ck_assert(num(e, "predicted_speedup") > 0);
        ck_assert(json_object_get_type(field(e, "error")) == json_type_double);
    }
    ck_assert_int_eq(sparse_results, 2);
    json_object_put(o);

    /* 2 layers x (dense, 2:4, unstructured 0.5), each once, measured and verified */
    char keys[2048];
    row_keys(db, keys, sizeof keys);
    ck_assert_str_eq(keys, "0 2:4 0.5000\n0 dense 0.0000\n0 unstructured 0.5000\n"
                           "1 2:4 0.5000\n1 dense 0.0000\n1 unstructured 0.5000\n");
    json_object *rows = view_rows(db, "v_layer_roofline");
    for (size_t i = 0; i < json_object_array_length(rows); i++) {
        json_object *row = json_object_array_get_idx(rows, i);
        const int layer = (int)num(row, "layer");
        const char *pat = text(row, "pattern");
        ck_assert_str_eq(text(row, "kind"), "measured");
        ck_assert_int_eq(json_object_get_int(field(row, "verified")), 1);
        ck_assert(num(row, "measured_time_s") > 0);
        ck_assert(num(row, "predicted_time_s") > 0);
        ck_assert(json_object_get_type(field(row, "above_roof")) == json_type_int);
        /* the grouped convolution: all 4 groups, each group's work counted */
        const double groups = layer == 0 ? G0 : 1, mk = layer == 0 ? M0 * K0 : M1 * K1, n = layer == 0 ? N0 : N1;
        ck_assert_int_eq((int)num(row, "groups"), (int)groups);
        const double kept = strcmp(pat, "dense") == 0 ? 1.0 : 0.5; /* 2:4 and 0.5: half of every group */
        ck_assert_msg(fabs(num(row, "flops") - 2 * groups * kept * mk * n) < 0.5, "layer %d %s: %g FLOPs", layer,
                      pat, num(row, "flops"));
    }
    json_object_put(rows);
    /* the network: measured and GEMM-predicted speedups of each sparse configuration */
    rows = view_rows(db, "v_network_speedup");
    ck_assert_uint_eq(json_object_array_length(rows), 2);
    for (size_t i = 0; i < 2; i++) {
        json_object *row = json_object_array_get_idx(rows, i);
        ck_assert_str_eq(text(row, "network"), "two");
        ck_assert(num(row, "measured_speedup") > 0);
        ck_assert(num(row, "gemm_predicted_speedup") > 0);
        ck_assert(json_object_get_type(field(row, "speedup_error")) == json_type_double);
        ck_assert_int_eq((int)num(row, "layers"), 2);
        ck_assert_int_eq((int)num(row, "layers_measured"), 2);
    }
    json_object_put(rows);
}
END_TEST

/* Runs bench with stderr on a pipe, sends SIGINT once the first progress line came, and
 * returns the exit status; the run's UUID from the message it prints. */
static int bench_interrupted(const char *const *args, char run[64])
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    const char *bin = getenv("SPARSEROOF_BIN");
    const char *argv[64] = {bin};
    int n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    char err[16384] = "", c;
    size_t len = 0;
    int signalled = 0;
    while (read(fds[0], &c, 1) == 1) {
        if (len + 1 < sizeof err)
            err[len++] = c, err[len] = '\0';
        if (!signalled && c == '\n' && strstr(err, "bench: 1/")) {
            kill(pid, SIGINT);
            signalled = 1;
        }
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ck_assert_msg(signalled, "no progress line came: %s", err);
    const char *at = strstr(err, "; run ");
    ck_assert_msg(at != NULL, "no run named: %s", err);
    snprintf(run, 64, "%.36s", at + 6);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A run stopped by Ctrl-C keeps what it measured and is marked interrupted; `bench
 * --resume` finishes the same run without measuring those again, and ends with the rows
 * of a run that was never stopped. */
START_TEST(test_resume_same_rows)
{
    if (!have_device)
        return;
    char net[4200], db[4200], whole[4200];
    in_dir(net, sizeof net, "two.csv");
    in_dir(db, sizeof db, "stopped.db");
    in_dir(whole, sizeof whole, "whole.db");
    write_file(net, two_layers, sizeof two_layers - 1);
    db_with_ceilings(db);
    db_with_ceilings(whole);
    /* 2 layers x (dense, 2:4, unstructured 0.5 and 0.7): 8 measurements */
    const char *args[] = {"bench", "--network", net, "--patterns", "unstructured,2:4", "--sparsities", "0.5,0.7",
                          "--prune-all", "--reps", "2", "--db", db, NULL};
    char run[64];
    const int status = bench_interrupted(args, run);
    ck_assert_msg(status == 130, "exit %d", status);
    sr_cli_result r;
    sr_run_cli((const char *[]){"runs", "--json", "--db", db, NULL}, &r);
    expect_ok(&r, "runs");
    ck_assert_msg(strstr(r.out, "\"interrupted\""), "%s", r.out);
    char before[2048];
    row_keys(db, before, sizeof before);
    int stored = 0;
    for (const char *q = before; *q; q++)
        stored += *q == '\n';
    ck_assert_msg(stored >= 1 && stored < 8, "the stopped run stored %d rows", stored);

    sr_run_cli((const char *[]){"bench", "--resume", run, "--db", db, NULL}, &r);
    expect_ok(&r, "bench --resume");
    ck_assert_msg(strstr(r.err, "stored before"), "the resume measured everything again: %s", r.err);
    args[11] = whole; /* the same sweep, never stopped */
    sr_run_cli(args, &r);
    expect_ok(&r, "bench");
    char resumed[2048], uninterrupted[2048];
    row_keys(db, resumed, sizeof resumed);
    row_keys(whole, uninterrupted, sizeof uninterrupted);
    ck_assert_str_eq(resumed, uninterrupted);
    ck_assert_str_eq(resumed, "0 2:4 0.5000\n0 dense 0.0000\n0 unstructured 0.5000\n0 unstructured 0.7000\n"
                              "1 2:4 0.5000\n1 dense 0.0000\n1 unstructured 0.5000\n1 unstructured 0.7000\n");
    /* one bench run, now complete: the resume continued it */
    json_object *runs = view_rows(db, "v_run");
    int bench_runs = 0;
    for (size_t i = 0; i < json_object_array_length(runs); i++) {
        json_object *row = json_object_array_get_idx(runs, i);
        if (strcmp(text(row, "command"), "bench") != 0)
            continue;
        bench_runs++;
        ck_assert_str_eq(text(row, "run"), run);
        ck_assert_str_eq(text(row, "status"), "complete");
        ck_assert_int_eq((int)num(row, "measurements"), 8);
    }
    json_object_put(runs);
    ck_assert_int_eq(bench_runs, 1);
    /* a complete run is not resumed again */
    sr_run_cli((const char *[]){"bench", "--resume", run, "--db", db, NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "complete"));
}
END_TEST

/* ---- --weights DIR ---- */

static const char three_layers[] = "name,kind,m,k,n,groups,prunable\n"
                                   "features.0,conv,8,36,16,4,true\n"
                                   "classifier.1,linear,16,32,8,1,true\n"
                                   "head,linear,10,16,8,1,false\n"; /* not pruned: no file */

/* A .npy file: the header dict padded as numpy pads it, then the raw values. */
static void write_npy(const char *path, const char *header_dict, const void *data, size_t size)
{
    char header[256];
    int len = snprintf(header, sizeof header, "%s", header_dict);
    while ((10 + len + 1) % 64)
        header[len++] = ' ';
    header[len++] = '\n';
    unsigned char *buf = malloc(10 + (size_t)len + size);
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (unsigned char)(len & 0xff);
    buf[9] = (unsigned char)(len >> 8);
    memcpy(buf + 10, header, (size_t)len);
    if (size)
        memcpy(buf + 10 + len, data, size);
    write_file(path, buf, 10 + (size_t)len + size);
    free(buf);
}

/* path holding rows x cols little-endian float32 values (or int32 ones). */
static void write_matrix_file(const char *path, int rows, int cols, const char *descr)
{
    char dict[160];
    snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows,
             cols);
    const size_t n = (size_t)rows * cols;
    uint8_t *data = malloc(4 * n);
    for (size_t i = 0; i < n; i++) {
        float f = (float)((i * 37 % 101) - 50) / 25.0f;
        int32_t v = (int32_t)i;
        uint32_t bits;
        if (strcmp(descr, "<i4") == 0)
            memcpy(&bits, &v, 4);
        else
            memcpy(&bits, &f, 4);
        for (int b = 0; b < 4; b++)
            data[4 * i + b] = (uint8_t)(bits >> (8 * b));
    }
    write_npy(path, dict, data, 4 * n);
    free(data);
}

/* The same as DIR/w/name.npy. */
static void write_matrix(const char *name, int rows, int cols, const char *descr)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/w/%s.npy", dir, name);
    write_matrix_file(path, rows, cols, descr);
}

static void good_weights(void)
{
    write_matrix("features.0", G0 * M0, K0, "<f4"); /* groups x out, in x kernel */
    write_matrix("classifier.1", M1, K1, "<f4");
}

/* bench --weights with one bad file: exit 2, the file and the reason named, and nothing of
 * the network stored. */
static void expect_refused(const char *net, const char *db, const char *file, const char *reason)
{
    char wdir[4200], path[4300];
    snprintf(wdir, sizeof wdir, "%s/w", dir);
    snprintf(path, sizeof path, "%s/%s", wdir, file);
    sr_cli_result r;
    sr_run_cli((const char *[]){"bench", "--network", net, "--weights", wdir, "--patterns", "2:4", "--prune-all",
                                "--reps", "1", "--db", db, NULL},
               &r);
    ck_assert_msg(r.status == 2, "%s: exit %d: %s", reason, r.status, r.err);
    ck_assert_msg(strstr(r.err, path) != NULL, "the message does not name %s: %s", path, r.err);
    ck_assert_msg(strstr(r.err, reason) != NULL, "the message does not say '%s': %s", reason, r.err);
    ck_assert_msg(r.out[0] == '\0', "printed: %s", r.out);
    json_object *rows = view_rows(db, "v_measurement");
    ck_assert_uint_eq(json_object_array_length(rows), 0);
    json_object_put(rows);
    sr_run_cli((const char *[]){"runs", "--json", "--db", db, NULL}, &r);
    ck_assert_msg(strstr(r.out, "\"bench\"") == NULL, "a bench run was recorded: %s", r.out);
}

/* The three-layer network file, the weights directory (empty) and the database's path. */
static void weights_fixture(char net[4200], char wdir[4200], char db[4200])
{
    in_dir(net, 4200, "three.csv");
    in_dir(wdir, 4200, "w");
    in_dir(db, 4200, "weights.db");
    write_file(net, three_layers, sizeof three_layers - 1);
    ck_assert_int_eq(mkdir(wdir, 0700), 0);
}

START_TEST(test_weights_refused)
{
    char net[4200], db[4200], wdir[4200], path[4300];
    weights_fixture(net, wdir, db);
    /* a database that exists, with a run of its own (no device needed) */
    sr_cli_result r;
    sr_run_cli((const char *[]){"peaks", "--define", "npu", "--bandwidth", "100", "--compute", "fp32=1000", "--db",
                                db, NULL},
               &r);
    expect_ok(&r, "peaks --define");

    /* the wrong shape: the grouped layer's file as one group's */
    good_weights();
    write_matrix("features.0", M0, K0, "<f4");
    expect_refused(net, db, "features.0.npy", "holds a 8 x 36 matrix, but layer features.0 needs 32 x 36");
    /* transposed */
    good_weights();
    write_matrix("classifier.1", K1, M1, "<f4");
    expect_refused(net, db, "classifier.1.npy", "holds a 32 x 16 matrix");
    /* the wrong dtype */
    good_weights();
    write_matrix("classifier.1", M1, K1, "<i4");
    expect_refused(net, db, "classifier.1.npy", "dtype '<i4' is not supported");
    /* a missing layer file */
    good_weights();
    snprintf(path, sizeof path, "%s/features.0.npy", wdir);
    ck_assert_int_eq(unlink(path), 0);
    expect_refused(net, db, "features.0.npy", "cannot open");
    /* a corrupt header: the dict never closes */
    good_weights();
    snprintf(path, sizeof path, "%s/classifier.1.npy", wdir);
    write_npy(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (16, 32), ", NULL, 0);
    expect_refused(net, db, "classifier.1.npy", ".npy header");
    /* not a .npy at all */
    write_file(path, "name,kind\n", 10);
    expect_refused(net, db, "classifier.1.npy", "not a .npy file");
    /* a file one value short */
    good_weights();
    write_npy(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (16, 32), }", "\0\0\0\0", 4);
    expect_refused(net, db, "classifier.1.npy", "ends after 1 of 512 values");
}
END_TEST

/* Good files are run (the layer that is not pruned needs none), each prunable layer with
 * its own weights: no layer reuses another's measurement. */
START_TEST(test_weights_run)
{
    if (!have_device)
        return;
    char net[4200], db[4200], wdir[4200];
    weights_fixture(net, wdir, db);
    good_weights();
    db_with_ceilings(db);
    sr_cli_result r;
    sr_run_cli((const char *[]){"bench", "--network", net, "--weights", wdir, "--patterns", "2:4", "--prune-all",
                                "--reps", "1", "--json", "--db", db, NULL},
               &r);
    expect_ok(&r, "bench --weights");
    json_object *o = json_tokener_parse(r.out);
    ck_assert_msg(o != NULL, "%s", r.out);
    json_object *sweep = field(o, "sweep");
    ck_assert_int_eq((int)num(sweep, "reused"), 0);
    ck_assert_int_eq((int)num(sweep, "measured"), 5); /* 3 layers dense, 2 of them 2:4 */
    /* the sweep's time by phase: each part of it, together no more than the whole */
    static const char *phases[] = {"kernel_s", "build_s", "problem_s", "prune_s", "setup_s",
                                   "first_launch_s", "verify_s", "store_s"};
    double parts = 0;
    for (size_t i = 0; i < sizeof phases / sizeof *phases; i++) {
        const double v = num(sweep, phases[i]);
        ck_assert_msg(v >= 0, "%s = %g", phases[i], v);
        parts += v;
    }
    ck_assert(num(sweep, "prune_s") > 0 && num(sweep, "verify_s") > 0 && num(sweep, "kernel_s") > 0);
    ck_assert_msg(parts <= num(sweep, "wall_s") * 1.0001, "phases %g s of a %g s sweep", parts, num(sweep, "wall_s"));
    ck_assert_int_ge((int)(num(sweep, "programs_built") + num(sweep, "programs_loaded")), 2); /* dense, 2:4 */
    json_object_put(o);
    char keys[2048];
    row_keys(db, keys, sizeof keys);
    ck_assert_str_eq(keys, "0 2:4 0.5000\n0 dense 0.0000\n1 2:4 0.5000\n1 dense 0.0000\n2 dense 0.0000\n");
}
END_TEST

/* kernel --weights FILE: the file's shape sets M and K, its values are pruned; a .npy and
 * a Matrix Market file alike. */
START_TEST(test_kernel_weights)
{
    if (!have_device)
        return;
    char npy[4200], mtx[4200], db[4200];
    in_dir(npy, sizeof npy, "w.npy");
    in_dir(mtx, sizeof mtx, "w.mtx");
    in_dir(db, sizeof db, "kernel.db");
    write_matrix_file(npy, 12, 20, "<f4");
    sr_cli_result r;
    sr_run_cli((const char *[]){"kernel", "--pattern", "2:4", "--weights", npy, "--n", "8", "--reps", "1", "--json",
                                "--db", db, NULL},
               &r);
    expect_ok(&r, "kernel --weights FILE.npy");
    json_object *o = json_tokener_parse(r.out);
    ck_assert_msg(o != NULL, "%s", r.out);
    ck_assert_int_eq((int)num(o, "m"), 12);
    ck_assert_int_eq((int)num(o, "k"), 20);
    ck_assert_int_eq((int)num(o, "nnz"), 120);
    ck_assert(json_object_get_boolean(field(o, "verified")));
    /* both counts of bytes: a byte of index per kept value against the model's 2 bits */
    ck_assert_double_eq(num(o, "layout_bytes") - num(o, "bytes"), 120 - 120 * 2 / 8);
    json_object_put(o);
    /* 10 entries of 48: pruning to 0.5 keeps them all, and the run says how sparse it is */
    static const char entries[] = "%%MatrixMarket matrix coordinate real general\n6 8 10\n1 1 1.5\n1 8 -2\n"
                                  "2 3 0.25\n3 2 4\n3 7 -1\n4 4 3\n5 1 0.5\n5 5 -0.75\n6 6 2\n6 8 1\n";
    write_file(mtx, entries, sizeof entries - 1);
    sr_run_cli((const char *[]){"kernel", "--pattern", "unstructured", "--sparsity", "0.5", "--weights", mtx, "--n",
                                "8", "--reps", "1", "--json", "--db", db, NULL},
               &r);
    expect_ok(&r, "kernel --weights FILE.mtx");
    o = json_tokener_parse(r.out);
    ck_assert_msg(o != NULL, "%s", r.out);
    ck_assert_int_eq((int)num(o, "m"), 6);
    ck_assert_int_eq((int)num(o, "k"), 8);
    ck_assert_int_eq((int)num(o, "nnz"), 10);
    ck_assert_double_eq_tol(num(o, "achieved_sparsity"), 38.0 / 48, 1e-12);
    ck_assert_double_eq(num(o, "flops"), 2.0 * 10 * 8);
    json_object_put(o);
    /* a file of the wrong type: exit 2, named */
    write_matrix_file(npy, 12, 20, "<i4");
    sr_run_cli((const char *[]){"kernel", "--pattern", "2:4", "--weights", npy, "--db", db, NULL}, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, npy));
    ck_assert_ptr_nonnull(strstr(r.err, "'<i4'"));
}
END_TEST

int main(void)
{
    have_device = sr_test_have_device();
    if (!have_device)
        fprintf(stderr, "no OpenCL device: bench runs skipped (refused --weights files are tested)\n");
    Suite *s = suite_create("bench");
    TCase *tc = tcase_create("bench");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_sweep_two_layers);
    tcase_add_test(tc, test_resume_same_rows);
    tcase_add_test(tc, test_weights_refused);
    tcase_add_test(tc, test_weights_run);
    tcase_add_test(tc, test_kernel_weights);
    suite_add_tcase(s, tc);
    return sr_check_run(s);
}
