/* What the session layer keeps in the store: the tiered lookup of tuned parameters
 * (sr_store_get_tuned's tiers and sr_session_params' sources), a stored command line
 * taken apart again for --resume, and how sr_session_end closes a run. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/params.h"
#include "session/session.h"
#include "session/sweep_summary.h"
#include "store_fixtures.h"

static char dir[4096], path[4200];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sr.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

/* ---- tuned parameters by tier ---- */

/* A real CPU device of vendor ACME with a name and a driver version. */
static void tier_device(sr_store *s, const char *name, const char *driver, const char *type,
                        char uuid[SR_UUID_LEN])
{
    sr_device_rec d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.vendor, sizeof d.vendor, "ACME");
    snprintf(d.type, sizeof d.type, "%s", type);
    snprintf(d.platform_name, sizeof d.platform_name, "Portable Computing Language");
    snprintf(d.driver_version, sizeof d.driver_version, "%s", driver);
    sr_err e;
    ck_assert_msg(sr_store_put_device(s, &d, NULL, uuid, &e) == SR_OK, "%s", e.msg);
}

/* A run of `tune` on device that stores params for pattern on shape mk x mk x mk and ends
 * with status. */
static void tuned_shape(sr_store *s, const char *device, const char *pattern, int64_t m, int64_t k, int64_t n,
                        const char *params, const char *status)
{
    char run[SR_UUID_LEN];
    sr_err e;
    fx_run(s, "tune", device, run);
    sr_tuned_rec t;
    memset(&t, 0, sizeof t);
    snprintf(t.pattern, sizeof t.pattern, "%s", pattern);
    t.sparsity = NAN;
    t.time_s = NAN;
    t.m = m, t.k = k, t.n = n;
    snprintf(t.params, sizeof t.params, "%s", params);
    t.gflops = 1;
    ck_assert_msg(sr_store_put_tuned(s, &t, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, status, &e) == SR_OK, "%s", e.msg);
}

static void tuned_row(sr_store *s, const char *device, const char *pattern, int64_t mk, const char *params,
                      const char *status)
{
    tuned_shape(s, device, pattern, mk, mk, mk, params, status);
}

/* The tier and parameters sr_store_get_tuned finds for device on a 64^3 2:4 problem. */
static int tier_of(sr_store *s, const char *device, char params[256], char from[SR_UUID_LEN])
{
    sr_tuned_rec got;
    sr_err e;
    sr_code c = sr_store_get_tuned(s, device, "2:4", SR_DTYPE_FP32, 64, 64, 64, &got, &e);
    if (c == SR_ERR_NOTFOUND)
        return 0;
    ck_assert_msg(c == SR_OK, "%s", e.msg);
    snprintf(params, 256, "%s", got.params);
    if (from)
        memcpy(from, got.device_uuid, SR_UUID_LEN);
    return got.tier;
}

/* What sr_session_params gives a session on device (no OpenCL device chosen). */
static sr_params_source source_of(sr_store *s, const char *device, const char *pattern, const char *given,
                                  sr_kernel_params *kp)
{
    sr_session ses;
    sr_session_init(&ses, 0, NULL, NULL);
    ses.store = s;
    snprintf(ses.device_uuid, sizeof ses.device_uuid, "%s", device);
    sr_pattern p;
    sr_err e;
    ck_assert_msg(sr_pattern_parse(pattern, &p, &e) == SR_OK, "%s", e.msg);
    sr_params_source src = SR_PARAMS_GIVEN;
    ck_assert_msg(sr_session_params(&ses, &p, 64, 64, 64, given, kp, &src, &e) == SR_OK, "%s", e.msg);
    return src;
}

/* device's lookup of 2:4 on 64^3 finds params at tier (from the device `from`), and a
 * session on device takes them with source, parsed. */
static void expect_tier(sr_store *s, const char *device, int tier, const char *params, const char *from,
                        sr_params_source source)
{
    char got[256], where[SR_UUID_LEN];
    ck_assert_int_eq(tier_of(s, device, got, where), tier);
    ck_assert_str_eq(got, params);
    ck_assert_str_eq(where, from);
    sr_kernel_params kp, want = {0};
    sr_err e;
    ck_assert_int_eq(sr_kernel_params_parse(params, &want, &e), SR_OK);
    ck_assert_int_eq(source_of(s, device, "2:4", NULL, &kp), source);
    ck_assert_int_eq(kp.vw, want.vw);
    ck_assert_int_eq(kp.nv, want.nv);
}

/* The chain: this device, then its name under another driver, then the same vendor and
 * type, then nothing (the defaults). Each tier beats every lower one, even where the lower
 * one was tuned on the very shape asked for and more recently. */
START_TEST(test_tuned_tiers)
{
    sr_store *s = fx_open(path);
    char here[SR_UUID_LEN], driver[SR_UUID_LEN], kind[SR_UUID_LEN], gpu[SR_UUID_LEN], params[256];
    tier_device(s, "acme-cpu", "3.1", "CPU", here);
    tier_device(s, "acme-cpu", "4.0", "CPU", driver);
    tier_device(s, "acme-other", "3.1", "CPU", kind);
    tier_device(s, "acme-gpu", "3.1", "GPU", gpu);
    ck_assert_str_ne(here, driver); /* a driver update is a device row of its own */
    sr_kernel_params kp, def;
    sr_pattern p24;
    sr_err e;
    ck_assert_int_eq(sr_pattern_parse("2:4", &p24, &e), SR_OK);
    sr_kernel_params_default(&p24, "CPU", &def);

    /* none stored: not found, and the session falls back to the defaults */
    ck_assert_int_eq(tier_of(s, here, params, NULL), 0);
    ck_assert_int_eq(source_of(s, here, "2:4", NULL, &kp), SR_PARAMS_DEFAULT);
    ck_assert_int_eq(kp.vw, def.vw);
    ck_assert_int_eq(kp.nv, def.nv);

    /* tier 3: another ACME CPU, tuned on the very shape */
    tuned_row(s, kind, "2:4", 64, "vw=4,nv=1", "complete");
    expect_tier(s, here, SR_TUNED_SAME_KIND, "vw=4,nv=1", kind, SR_PARAMS_TUNED_SIMILAR);
    /* a GPU of the same vendor is no kin of a CPU */
    ck_assert_int_eq(tier_of(s, gpu, params, NULL), 0);

    /* tier 2: the same device name under driver 4.0, tuned on another shape and before a
     * newer tier-3 row on the very shape: the name still wins */
    tuned_row(s, driver, "2:4", 128, "vw=8,nv=2", "complete");
    tuned_row(s, kind, "2:4", 64, "vw=2,nv=1", "complete");
    expect_tier(s, here, SR_TUNED_SAME_NAME, "vw=8,nv=2", driver, SR_PARAMS_TUNED_DRIVER);
    /* seen from the new driver, it is its own: tier 1 */
    ck_assert_int_eq(tier_of(s, driver, params, NULL), SR_TUNED_EXACT);

    /* a run of this device that failed does not count */
    tuned_row(s, here, "2:4", 64, "vw=16,nv=1", "failed");
    ck_assert_int_eq(tier_of(s, here, params, NULL), SR_TUNED_SAME_NAME);

    /* tier 1: this device, on another shape, beats tier 2 on any */
    tuned_row(s, here, "2:4", 256, "vw=16,nv=2", "complete");
    tuned_row(s, driver, "2:4", 64, "vw=8,nv=4", "complete");
    expect_tier(s, here, SR_TUNED_EXACT, "vw=16,nv=2", here, SR_PARAMS_TUNED);
    /* within a tier, the shape asked for first */
    tuned_row(s, here, "2:4", 64, "vw=4,nv=4", "complete");
    tuned_row(s, here, "2:4", 512, "vw=2,nv=2", "complete");
    expect_tier(s, here, SR_TUNED_EXACT, "vw=4,nv=4", here, SR_PARAMS_TUNED);
    /* and for a shape never tuned, the nearest tuned shape (log distance): 100^3 is
     * nearest 64^3, 400^3 nearest 512^3; no shape asked for: the newest */
    sr_tuned_rec got;
    ck_assert_int_eq(sr_store_get_tuned(s, here, "2:4", SR_DTYPE_FP32, 100, 100, 100, &got, &e), SR_OK);
    ck_assert_str_eq(got.params, "vw=4,nv=4");
    ck_assert_int_eq(sr_store_get_tuned(s, here, "2:4", SR_DTYPE_FP32, 400, 400, 400, &got, &e), SR_OK);
    ck_assert_str_eq(got.params, "vw=2,nv=2");
    ck_assert_int_eq(sr_store_get_tuned(s, here, "2:4", SR_DTYPE_FP32, 0, 0, 0, &got, &e), SR_OK);
    ck_assert_str_eq(got.params, "vw=2,nv=2");
    /* N counts four times: 3072x768x128 takes 768x3072x128's (M and K 4x off, N the same)
     * over 2048x512x49's (each of the three under 3x off) */
    tuned_shape(s, here, "dense", 768, 3072, 128, "vw=16,nv=4", "complete");
    tuned_shape(s, here, "dense", 2048, 512, 49, "vw=16,nv=2,mv=1", "complete");
    ck_assert_int_eq(sr_store_get_tuned(s, here, "dense", SR_DTYPE_FP32, 3072, 768, 128, &got, &e), SR_OK);
    ck_assert_str_eq(got.params, "vw=16,nv=4");
    ck_assert_int_eq(sr_store_get_tuned(s, here, "dense", SR_DTYPE_FP32, 1024, 1024, 49, &got, &e), SR_OK);
    ck_assert_str_eq(got.params, "vw=16,nv=2,mv=1");

    /* --params overrides every tier; one that does not parse is refused, naming it (one
     * that parses but does not fit is the kernel run's to refuse) */
    ck_assert_int_eq(source_of(s, here, "2:4", "vw=2", &kp), SR_PARAMS_GIVEN);
    ck_assert_int_eq(kp.vw, 2);
    sr_session ses;
    sr_session_init(&ses, 0, NULL, NULL);
    ses.store = s;
    memcpy(ses.device_uuid, here, sizeof here);
    sr_params_source src;
    ck_assert_int_ne(sr_session_params(&ses, &p24, 64, 64, 64, "vw=lots", &kp, &src, &e), SR_OK);
    ck_assert_msg(strstr(e.msg, "lots") != NULL, "%s", e.msg);
    /* no database, or a device never recorded: the defaults */
    ses.store = NULL;
    ck_assert_int_eq(sr_session_params(&ses, &p24, 64, 64, 64, NULL, &kp, &src, &e), SR_OK);
    ck_assert_int_eq(src, SR_PARAMS_DEFAULT);
    ck_assert_int_eq(source_of(s, "", "2:4", NULL, &kp), SR_PARAMS_DEFAULT);

    /* tuned parameters that do not fit the pattern are passed over: rows = 3 cannot tile
     * a 4x4 block */
    tuned_row(s, here, "block:4x4", 64, "rows=3", "complete");
    ck_assert_int_eq(source_of(s, here, "block:4x4", NULL, &kp), SR_PARAMS_DEFAULT);
    ck_assert_int_ne(kp.rows, 3);

    ck_assert_str_eq(sr_params_source_name(SR_PARAMS_TUNED_DRIVER), "tuned under another driver");
    ck_assert_str_eq(sr_params_source_name(SR_PARAMS_DEFAULT), "default");
    sr_store_close(s);
}
END_TEST

/* Tuned parameters that a device cannot run at a layer's shape give way to the defaults,
 * saying so: 2:4 with 256-column panels (vw=16, nv=16) pads X of 64 x 64 to 256 columns,
 * a buffer larger than a virtual device's 64 KiB allocation limit, where the defaults'
 * panels fit. Where they fit too, the tuned ones stay; where nothing fits, the tuned ones
 * are kept for the caller's check to refuse; --params are never replaced. */
START_TEST(test_tuned_beyond_limit)
{
    sr_store *s = fx_open(path);
    char here[SR_UUID_LEN];
    tier_device(s, "acme-cpu", "3.1", "CPU", here);
    tuned_row(s, here, "2:4", 64, "vw=16,nv=16", "complete");
    sr_device_info dev;
    memset(&dev, 0, sizeof dev);
    snprintf(dev.name, sizeof dev.name, "acme-cpu");
    snprintf(dev.type, sizeof dev.type, "CPU");
    dev.max_alloc_bytes = 64 * 1024;
    sr_session ses;
    sr_session_init(&ses, 0, NULL, NULL);
    ses.store = s;
    ses.dev = &dev;
    memcpy(ses.device_uuid, here, sizeof here);
    sr_kernel_spec spec = {.sparsity = 0.5};
    sr_err e;
    ck_assert_int_eq(sr_pattern_parse("2:4", &spec.pattern, &e), SR_OK);
    sr_kernel_params def;
    sr_kernel_params_default_for(&spec.pattern, "CPU", 64, 64, &def);
    sr_params_source src;
    char note[SR_ERR_MSG_MAX];

    ck_assert_msg(sr_session_params_fit(&ses, &spec, 64, 64, 64, 1, NULL, &src, note, sizeof note, &e) == SR_OK,
                  "%s", e.msg);
    ck_assert_int_eq(src, SR_PARAMS_DEFAULT_FIT);
    ck_assert_int_eq(spec.params.vw, def.vw);
    ck_assert_int_eq(spec.params.nv, def.nv);
    ck_assert_msg(sr_kernel_check(&dev, 64, 64, 64, 1, &spec, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(strstr(note, "defaults") && strstr(note, "vw=16,nv=16") && strstr(note, "tuned") &&
                      strstr(note, "largest allocation"),
                  "%s", note);
    ck_assert_str_eq(sr_params_source_name(src), "default (tuned exceed a device limit here)");

    /* no limit in the way: the tuned ones */
    dev.max_alloc_bytes = 0;
    ck_assert_int_eq(sr_session_params_fit(&ses, &spec, 64, 64, 64, 1, NULL, &src, note, sizeof note, &e), SR_OK);
    ck_assert_int_eq(src, SR_PARAMS_TUNED);
    ck_assert_int_eq(spec.params.nv, 16);
    ck_assert_str_eq(note, "");

    /* nothing fits: the tuned ones, and the check says why */
    dev.max_alloc_bytes = 1024;
    ck_assert_int_eq(sr_session_params_fit(&ses, &spec, 64, 64, 64, 1, NULL, &src, note, sizeof note, &e), SR_OK);
    ck_assert_int_eq(src, SR_PARAMS_TUNED);
    ck_assert_int_eq(spec.params.nv, 16);
    ck_assert_int_ne(sr_kernel_check(&dev, 64, 64, 64, 1, &spec, &e), SR_OK);

    /* --params: the caller's, even beyond the limit */
    dev.max_alloc_bytes = 64 * 1024;
    ck_assert_int_eq(sr_session_params_fit(&ses, &spec, 64, 64, 64, 1, "vw=16,nv=16", &src, note, sizeof note, &e),
                     SR_OK);
    ck_assert_int_eq(src, SR_PARAMS_GIVEN);
    ck_assert_int_eq(spec.params.nv, 16);
    ck_assert_str_eq(note, "");
    sr_store_close(s);
}
END_TEST

/* ---- the stored command line, taken apart again ---- */

static const char *const awkward[] = {
    "sparseroof", "bench", "--network", "my net.csv", "it's", "say \"hi\"", "", "a'b'c", "'", "''",
    "back\\slash", "tab\there", "new\nline", "$HOME", "*.npy", "--db=/tmp/x y/z.db", "ünï", "-",
    "--sparsities", "0.5,0.9", "  lead and trail  ", "end\\"};
#define N_AWKWARD (int)(sizeof awkward / sizeof *awkward)

/* Every word comes back exactly, whatever the quoting had to do to it. */
START_TEST(test_command_line_round_trip)
{
    sr_err e;
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    sr_store *s = fx_open(path);
    fx_device(s, "cpu-a", dev);
    sr_run_info info = {.command = "bench", .argc = N_AWKWARD, .argv = (char *const *)awkward, .device_uuid = dev};
    ck_assert_msg(sr_store_run_begin(s, &info, run, &e) == SR_OK, "%s", e.msg);
    sr_run_rec rec;
    ck_assert_msg(sr_store_get_run(s, run, &rec, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(rec.command, "bench");
    ck_assert_str_eq(rec.status, "running");
    ck_assert_str_eq(rec.device_uuid, dev);
    int argc = 0;
    char **argv = NULL;
    ck_assert_msg(sr_store_split_command_line(rec.command_line, &argc, &argv, &e) == SR_OK, "%s", e.msg);
    ck_assert_int_eq(argc, N_AWKWARD);
    for (int i = 0; i < N_AWKWARD; i++)
        ck_assert_msg(strcmp(argv[i], awkward[i]) == 0, "word %d: '%s' came back as '%s' (line: %s)", i,
                      awkward[i], argv[i], rec.command_line);
    ck_assert_ptr_null(argv[argc]);
    free(argv);
    /* a prefix of the UUID finds the run too */
    char prefix[9];
    memcpy(prefix, run, 8);
    prefix[8] = '\0';
    ck_assert_msg(sr_store_get_run(s, prefix, &rec, &e) == SR_OK, "%s", e.msg);
    ck_assert_str_eq(rec.uuid, run);
    ck_assert_int_eq(sr_store_get_run(s, "ffffffff-no-such-run", &rec, &e), SR_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(e.msg, "ffffffff-no-such-run"));
    /* a line longer than the record holds is refused, never cut into other arguments */
    static char path_arg[6000];
    memset(path_arg, 'a', sizeof path_arg - 1);
    for (size_t len = 4000; len <= 5000; len += 1000) {
        path_arg[len] = '\0';
        char *long_argv[] = {"sparseroof", "bench", "--network", path_arg, "--reps", "1", NULL};
        sr_run_info li = {.command = "bench", .argc = 6, .argv = long_argv, .device_uuid = dev};
        ck_assert_msg(sr_store_run_begin(s, &li, run, &e) == SR_OK, "%s", e.msg);
        if (len < sizeof rec.command_line - 40) {
            ck_assert_msg(sr_store_get_run(s, run, &rec, &e) == SR_OK, "%s", e.msg);
            ck_assert_msg(sr_store_split_command_line(rec.command_line, &argc, &argv, &e) == SR_OK, "%s", e.msg);
            ck_assert_int_eq(argc, 6);
            ck_assert_str_eq(argv[3], path_arg);
            ck_assert_str_eq(argv[5], "1");
            free(argv);
        } else {
            ck_assert_int_eq(sr_store_get_run(s, run, &rec, &e), SR_ERR_UNSUPPORTED);
            ck_assert_msg(strstr(e.msg, "command line") && strstr(e.msg, run), "%s", e.msg);
        }
        path_arg[len] = 'a';
    }
    sr_store_close(s);
}
END_TEST

START_TEST(test_command_line_split)
{
    sr_err e;
    int argc = -1;
    char **argv = NULL;
    ck_assert_int_eq(sr_store_split_command_line("", &argc, &argv, &e), SR_OK);
    ck_assert_int_eq(argc, 0);
    ck_assert_ptr_null(argv[0]);
    free(argv);
    /* runs of spaces separate; quotes join; '' is an empty word */
    ck_assert_int_eq(sr_store_split_command_line("  a   'b c'd '' 'e'\\''f' g\\'h  ", &argc, &argv, &e), SR_OK);
    ck_assert_int_eq(argc, 5);
    ck_assert_str_eq(argv[0], "a");
    ck_assert_str_eq(argv[1], "b cd");
    ck_assert_str_eq(argv[2], "");
    ck_assert_str_eq(argv[3], "e'f");
    ck_assert_str_eq(argv[4], "g'h");
    free(argv);
    /* many short words: the block holds them all */
    ck_assert_int_eq(sr_store_split_command_line("'' '' '' '' a b c d e f g h", &argc, &argv, &e), SR_OK);
    ck_assert_int_eq(argc, 12);
    free(argv);
    /* a quote that never closes is a damaged line, named */
    ck_assert_int_eq(sr_store_split_command_line("sparseroof bench --network 'half", &argc, &argv, &e),
                     SR_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(e.msg, "'half"));
}
END_TEST

/* ---- how a session ends its run ---- */

static int always(void) { return 1; }

/* A session on a new store with a run begun (no OpenCL device: the run's device is
 * recorded by hand) and one pending measurement of it. bad_row: the row names a network
 * that does not exist, which the database refuses only when it is written. */
static void session_with_pending(sr_session *ses, int (*interrupted)(void), int bad_row)
{
    static char *argv[] = {"kernel", "--pattern", "dense", NULL};
    sr_err e;
    sr_session_init(ses, 3, argv, interrupted);
    ses->store = fx_open(path);
    fx_device(ses->store, "cpu-a", ses->device_uuid);
    ck_assert_msg(sr_session_begin(ses, &e) == SR_OK, "%s", e.msg);
    sr_measurement m;
    fx_measurement(&m, "dense", 0, 64, 1e-3);
    if (bad_row) {
        snprintf(m.network_uuid, sizeof m.network_uuid, "00000000-0000-4000-8000-000000000000");
        m.layer_index = 0;
    }
    ck_assert_msg(sr_store_add_measurement(ses->store, &m, &e) == SR_OK, "%s", e.msg);
}

static void expect_run(const char *status, const char *message_part)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM run WHERE status = '%s' AND ended_at IS NOT NULL", status);
    ck_assert_int_eq(query_int(path, sql), 1);
    if (message_part) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM run WHERE instr(message, '%s') > 0", message_part);
        ck_assert_msg(query_int(path, sql) == 1, "the run's message does not hold '%s'", message_part);
    } else {
        ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE message IS NOT NULL"), 0);
    }
}

/* How sr_session_end closes a run, by what the command reports and whether a signal came. */
static const struct {
    const char *what;
    int (*interrupted)(void);
    int bad_row;          /* the pending row is one the database refuses when it is written */
    sr_code code;         /* what the command reports */
    const char *msg;      /* its message */
    sr_code want;         /* what sr_session_end returns */
    const char *status, *message; /* the run's status and a piece of its message (NULL: none) */
    int rows;             /* measurements stored */
} ends[] = {
    {"went well", NULL, 0, SR_OK, "", SR_OK, "complete", NULL, 1},
    /* completing fails: the run ends 'failed' with that reason, and none of its rows is kept */
    {"completing fails", NULL, 1, SR_OK, "", SR_ERR_DB, "failed", "FOREIGN KEY", 0},
    /* a signal during a command that went well: 'interrupted', no message, rows dropped */
    {"a signal came", always, 0, SR_OK, "", SR_ERR_INTERRUPTED, "interrupted", NULL, 0},
    {"stopped by a signal", NULL, 0, SR_ERR_INTERRUPTED, "interrupted", SR_ERR_INTERRUPTED, "interrupted", NULL, 0},
    /* a command that failed: 'failed' with its message, its code handed back */
    {"failed", NULL, 0, SR_ERR_VERIFY, "spmm_csr result disagrees with the CPU reference", SR_ERR_VERIFY, "failed",
     "disagrees with the CPU reference", 0},
};

START_TEST(test_end)
{
    sr_session ses;
    sr_err e = {0};
    session_with_pending(&ses, ends[_i].interrupted, ends[_i].bad_row);
    if (ends[_i].code != SR_OK)
        sr_err_set(&e, ends[_i].code, "%s", ends[_i].msg);
    const sr_code c = sr_session_end(&ses, ends[_i].code, &e);
    ck_assert_msg(c == ends[_i].want, "%s: returned %d (%s)", ends[_i].what, c, e.msg);
    if (c != SR_OK && ends[_i].message) /* the reason, also to the caller */
        ck_assert_msg(strstr(e.msg, ends[_i].message) != NULL, "%s: %s", ends[_i].what, e.msg);
    sr_session_close(&ses);
    expect_run(ends[_i].status, ends[_i].message);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement"), ends[_i].rows);
}
END_TEST

/* No run begun: nothing to end, the code passes through (a signal still counts). */
START_TEST(test_end_without_run)
{
    sr_session ses;
    sr_err e = {0};
    sr_session_init(&ses, 0, NULL, always);
    ck_assert_int_eq(sr_session_end(&ses, SR_ERR_ARG, &e), SR_ERR_ARG);
    ck_assert_int_eq(sr_session_end(&ses, SR_OK, &e), SR_ERR_INTERRUPTED);
}
END_TEST

/* A pattern's calibrated median (v_ceiling) leaves its single-column points out: dense at
 * N = 1 at 5 GFLOP/s, at 16, 64 and 192 columns at 100, 200 and 300: the median is 200
 * (with the N = 1 point it would be 100), over 3 shapes from 100 to 300. */
START_TEST(test_calibration_median_wide)
{
    sr_store *s = fx_open(path);
    char dev[SR_UUID_LEN], run[SR_UUID_LEN];
    fx_device(s, "cal-cpu", dev);
    fx_run(s, "calibrate", dev, run);
    sr_calib_point pts[4];
    const double n[4] = {1, 16, 64, 192}, gflops[4] = {5, 100, 200, 300};
    for (int i = 0; i < 4; i++) {
        memset(&pts[i], 0, sizeof pts[i]);
        snprintf(pts[i].pattern, sizeof pts[i].pattern, "dense");
        pts[i].m = pts[i].k = 64, pts[i].n = n[i];
        pts[i].flops = 2.0 * 64 * 64 * n[i];
        pts[i].time_s = pts[i].flops / (gflops[i] * 1e9);
    }
    sr_err e;
    ck_assert_msg(sr_store_put_calibration(s, dev, pts, 4, NULL, NULL, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_run_end(s, run, "complete", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    ck_assert_double_eq_tol(query_double(path, "SELECT value FROM v_ceiling WHERE kind = 'calibration' AND "
                                               "name = 'dense'"),
                            200, 1e-6);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM v_ceiling WHERE kind = 'calibration' AND unit LIKE "
                                     "'%median of 3 shapes%100.0 to 300.0%'"),
                     1);
}
END_TEST

/* The sweep's summary from stored rows: network totals with every layer pruned, and the
 * layers measured faster than their roofline bound, counted, with the largest excess. */
START_TEST(test_sweep_summary)
{
    static const char csv[] = "name,kind,m,k,n,groups,prunable\n"
                              "a,linear,8,8,4,1,true\nb,linear,8,8,4,1,true\nc,linear,8,8,4,1,true\n";
    sr_network *net = NULL;
    sr_err err = {0};
    ck_assert_int_eq(sr_network_parse("three", "csv", csv, sizeof csv - 1, &net, &err), SR_OK);
    sr_sweep_opts o = {.net = net, .batch = 1, .prune_all = 1};
    sr_pattern csr;
    ck_assert_int_eq(sr_pattern_parse("unstructured", &csr, &err), SR_OK);
    const double s09 = 0.9;
    ck_assert_int_eq(sr_sweep_configs(&csr, 1, &s09, 1, &o, &err), SR_OK);
    ck_assert_uint_eq(o.n_configs, 2); /* dense, then unstructured 0.9 */
    /* dense 4, 2, 2 ms; sparse 1, 1, 0.5 ms; predicted: layer b's sparse row 1.03x faster
     * than measured, layer c's dense row 1.01x, the rest slower */
    static const struct {
        int layer;
        const char *pattern;
        double sparsity, time_ms, predicted_ms;
    } in[] = {{0, "dense", 0, 4, 3},   {1, "dense", 0, 2, 1},        {2, "dense", 0, 2, 2 * 1.01},
              {0, "unstructured", 0.9, 1, 0.5}, {1, "unstructured", 0.9, 1, 1.03},
              {2, "unstructured", 0.9, 0.5, 0.25}};
    sr_layer_row rows[6];
    memset(rows, 0, sizeof rows);
    for (size_t i = 0; i < 6; i++) {
        rows[i].layer_index = in[i].layer;
        snprintf(rows[i].pattern, sizeof rows[i].pattern, "%s", in[i].pattern);
        rows[i].sparsity = in[i].sparsity;
        rows[i].time_s = in[i].time_ms * 1e-3;
        rows[i].predicted_s = in[i].predicted_ms * 1e-3;
        rows[i].device_s = NAN;
        rows[i].verified = 1;
        snprintf(rows[i].bound, sizeof rows[i].bound, "compute");
    }
    sr_sweep_summary sum;
    ck_assert_int_eq(sr_sweep_summarize(&o, rows, 6, &sum, &err), SR_OK);
    ck_assert(sum.complete);
    ck_assert_uint_eq(sum.n_results, 1);
    ck_assert_double_eq_tol(sum.results[0].measured_speedup, 8.0 / 2.5, 1e-12);
    ck_assert_uint_eq(sum.n_layers, 6);
    ck_assert_uint_eq(sum.above_roof, 2);
    ck_assert_double_eq_tol(sum.above_roof_max, 1.03, 1e-12);
    size_t flagged = 0;
    for (size_t i = 0; i < sum.n_layers; i++)
        flagged += (size_t)sum.layers[i].above_roof;
    ck_assert_uint_eq(flagged, 2);
    sr_sweep_summary_free(&sum);
    /* none above: the largest excess stays 0 */
    rows[4].predicted_s = 0.5e-3, rows[2].predicted_s = 1e-3;
    ck_assert_int_eq(sr_sweep_summarize(&o, rows, 6, &sum, &err), SR_OK);
    ck_assert_uint_eq(sum.above_roof, 0);
    ck_assert_double_eq(sum.above_roof_max, 0.0);
    sr_sweep_summary_free(&sum);
    sr_network_free(net);
}
END_TEST

TCase *tcase_session(void)
{
    TCase *tc = tcase_create("session");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_tuned_tiers);
    tcase_add_test(tc, test_tuned_beyond_limit);
    tcase_add_test(tc, test_command_line_round_trip);
    tcase_add_test(tc, test_command_line_split);
    tcase_add_loop_test(tc, test_end, 0, (int)(sizeof ends / sizeof *ends));
    tcase_add_test(tc, test_end_without_run);
    tcase_add_test(tc, test_calibration_median_wide);
    tcase_add_test(tc, test_sweep_summary);
    return tc;
}
