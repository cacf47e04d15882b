/* Runs the sparseroof binary ($SPARSEROOF_BIN) with arguments, capturing its exit
 * status, stdout and stderr, for tests of the command line. */
#ifndef SR_TEST_RUN_CLI_H
#define SR_TEST_RUN_CLI_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    int status; /* exit status, or -1 if it did not exit normally */
    char out[65536], err[16384];
} sr_cli_result;

static void sr_test_slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* argv: NULL-terminated, without the program name. */
static inline void sr_run_cli(const char *const *args, sr_cli_result *r)
{
    const char *bin = getenv("SPARSEROOF_BIN");
    char out_path[] = "/tmp/sr_cli_outXXXXXX", err_path[] = "/tmp/sr_cli_errXXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    const char *argv[64] = {bin ? bin : "sparseroof"};
    int n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fo, STDOUT_FILENO);
        dup2(fe, STDERR_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    close(fo);
    close(fe);
    sr_test_slurp(out_path, r->out, sizeof r->out);
    sr_test_slurp(err_path, r->err, sizeof r->err);
    unlink(out_path);
    unlink(err_path);
}

#endif
