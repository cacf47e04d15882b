/* The onnxruntime helper process: started with posix_spawn (the process already runs
 * OpenCL's threads: no fork), its standard input and output on two pipes, one command
 * line out and one JSON line back. A helper that cannot start (no virtual environment,
 * no onnxruntime in it) is remembered, and every later load answers the same. */
#include "peer_ort.h"

#include <json-c/json.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static struct {
    int started;      /* tried (ok or not) */
    pid_t pid;
    FILE *to, *from;  /* its standard input and output */
    char version[64];
    char failed[SR_ERR_MSG_MAX + 8]; /* why it cannot run ("": it runs), "n/a: " first */
} helper;

/* Reads one reply; a reply holding "error" is SR_ERR_IO with it. */
static sr_code read_reply(json_object **out, sr_err *err)
{
    char line[8192];
    *out = NULL;
    if (!fgets(line, sizeof line, helper.from))
        return sr_err_set(err, SR_ERR_IO, "ort_gemm.py ended without a reply");
    json_object *j = json_tokener_parse(line), *e = NULL;
    if (!j)
        return sr_err_set(err, SR_ERR_FORMAT, "ort_gemm.py replied: %.200s", line);
    if (json_object_object_get_ex(j, "error", &e)) {
        sr_code c = sr_err_set(err, SR_ERR_IO, "onnxruntime: %s", json_object_get_string(e));
        json_object_put(j);
        return c;
    }
    *out = j;
    return SR_OK;
}

static double field(json_object *j, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(j, key, &v) ? json_object_get_double(v) : 0.0;
}

static sr_code start(const bench_config *cfg, sr_err *err)
{
    char python[1024], threads[16];
    snprintf(python, sizeof python, "%s/bin/python", cfg->venv ? cfg->venv : "");
    if (!cfg->venv || access(python, X_OK) != 0)
        return sr_err_set(err, SR_ERR_ARG, "n/a: no %s (tools/install-deps --peers)", python);
    if (!cfg->ort_script || access(cfg->ort_script, R_OK) != 0)
        return sr_err_set(err, SR_ERR_ARG, "n/a: cannot read %s", cfg->ort_script ? cfg->ort_script : "ort_gemm.py");
    snprintf(threads, sizeof threads, "%d", cfg->threads);
    int in[2], out[2];
    if (pipe(in) != 0)
        return sr_err_set(err, SR_ERR_IO, "n/a: no pipe for onnxruntime's helper");
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return sr_err_set(err, SR_ERR_IO, "n/a: no pipe for onnxruntime's helper");
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char *argv[] = {python, (char *)cfg->ort_script, "--threads", threads, NULL};
    const int rc = posix_spawn(&helper.pid, python, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        return sr_err_set(err, SR_ERR_IO, "n/a: cannot start %s: %s", python, strerror(rc));
    }
    signal(SIGPIPE, SIG_IGN); /* a helper that died is a failed write, not our end */
    helper.to = fdopen(in[1], "w");
    helper.from = fdopen(out[0], "r");
    json_object *j = NULL, *v = NULL;
    sr_code c = helper.to && helper.from ? read_reply(&j, err) : sr_err_set(err, SR_ERR_NOMEM, "out of memory");
    if (c == SR_OK && json_object_object_get_ex(j, "onnxruntime", &v))
        snprintf(helper.version, sizeof helper.version, "%s", json_object_get_string(v));
    json_object_put(j);
    if (c != SR_OK)
        peer_ort_stop();
    return c;
}

sr_code peer_ort_load(const bench_config *cfg, const char *dir, const bench_case *c, double *setup_s, char *note,
                      size_t note_size, sr_err *err)
{
    if (!helper.started) {
        helper.started = 1;
        sr_err e = {0};
        if (start(cfg, &e) != SR_OK) /* a helper that cannot start: the peer is absent */
            snprintf(helper.failed, sizeof helper.failed, "%s%s", strncmp(e.msg, "n/a", 3) ? "n/a: " : "", e.msg);
    }
    if (helper.failed[0])
        return sr_err_set(err, SR_ERR_ARG, "%s", helper.failed);
    fprintf(helper.to, "load %s %d %d %d\n", dir, c->m, c->k, c->n);
    fflush(helper.to);
    json_object *j = NULL;
    sr_code code = read_reply(&j, err);
    if (code == SR_OK) {
        *setup_s = field(j, "setup_s");
        snprintf(note, note_size,
                 "onnxruntime %s, one Gemm node (X^T times W^T, W constant), I/O bound, %d intra-op threads, "
                 "session %.3g ms apart",
                 helper.version, cfg->threads, *setup_s * 1e3);
    }
    json_object_put(j);
    return code;
}

sr_code peer_ort_run(const char *dir, int reps, int save, double *median_s, sr_err *err)
{
    if (!helper.to)
        return sr_err_set(err, SR_ERR_IO, "onnxruntime's helper is not running");
    fprintf(helper.to, "run %s %d %d\n", dir, reps, save);
    fflush(helper.to);
    json_object *j = NULL;
    sr_code code = read_reply(&j, err);
    if (code == SR_OK && !((*median_s = field(j, "median_s")) > 0))
        code = sr_err_set(err, SR_ERR_FORMAT, "ort_gemm.py replied no median_s");
    json_object_put(j);
    return code;
}

void peer_ort_stop(void)
{
    if (helper.to)
        fclose(helper.to); /* end of input: the helper ends */
    if (helper.from)
        fclose(helper.from);
    if (helper.pid > 0)
        waitpid(helper.pid, NULL, 0);
    helper.to = helper.from = NULL;
    helper.pid = 0;
}
