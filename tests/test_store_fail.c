/* The store's reliability: files it must refuse and leave byte for byte as they were,
 * a full disk, two writers at once, a run killed by SIGKILL and one stopped by SIGTERM. */
#define _GNU_SOURCE /* unshare(), for a private tmpfs where the tests run as root */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#endif

#include "store_fixtures.h"

TCase *tcase_fail(void);

static char dir[4096], path[4200];

static void setup(void)
{
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/sr.db", dir);
}

static void teardown(void) { tmp_cleanup(dir); }

/* Opening `p` for writing must fail with `code`, a message naming it and containing
 * `words`, and leave the file as it was. */
static void refused(const char *p, sr_code code, const char *words)
{
    size_t size = 0;
    unsigned char *before = slurp(p, &size);
    sr_store *s = NULL;
    sr_err e;
    sr_err_clear(&e);
    ck_assert_int_eq(sr_store_open(p, 0, &s, &e), code);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(e.msg, p) != NULL, "message does not name %s: %s", p, e.msg);
    ck_assert_msg(strstr(e.msg, words) != NULL, "message lacks '%s': %s", words, e.msg);
    if (before)
        ck_assert_msg(file_is(p, before, size), "%s changed", p);
    free(before);
    char wal[4300];
    snprintf(wal, sizeof wal, "%s-wal", p);
    ck_assert_msg(access(wal, F_OK) != 0 || !before, "%s was created", wal);
}

START_TEST(test_not_sqlite)
{
    write_bytes(path, "id,time\n1,2\n", 12);
    refused(path, SR_ERR_FORMAT, "not a SQLite database");
    unsigned char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 7 + 3);
    write_bytes(path, junk, sizeof junk);
    refused(path, SR_ERR_FORMAT, "not a SQLite database");
    memset(junk, 0, sizeof junk);
    write_bytes(path, junk, sizeof junk);
    refused(path, SR_ERR_FORMAT, "not a SQLite database");
    /* A SQLite header and garbage after it. */
    memcpy(junk, "SQLite format 3", 16);
    for (size_t i = 16; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 13);
    write_bytes(path, junk, sizeof junk);
    refused(path, SR_ERR_FORMAT, "");
    /* Read-only opening refuses the same way. */
    sr_store *s;
    sr_err e;
    write_bytes(path, "id,time\n1,2\n", 12);
    ck_assert_int_eq(sr_store_open(path, SR_STORE_READONLY, &s, &e), SR_ERR_FORMAT);
}
END_TEST

START_TEST(test_foreign_sqlite)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    refused(path, SR_ERR_FORMAT, "not a sparseroof one");
}
END_TEST

START_TEST(test_newer_schema)
{
    fx_populate(path, "cpu", 2);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 77", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    refused(path, SR_ERR_FORMAT, "schema version 77");
    char latest[64];
    snprintf(latest, sizeof latest, "the %d this sparseroof", sr_store_schema_version());
    refused(path, SR_ERR_FORMAT, latest);
}
END_TEST

START_TEST(test_bad_paths)
{
    char p[4300];
    snprintf(p, sizeof p, "%s/missing/sr.db", dir);
    refused(p, SR_ERR_IO, "does not exist");
    sr_store *s;
    sr_err e;
    ck_assert_int_eq(sr_store_open(dir, 0, &s, &e), SR_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(e.msg, "directory"));
    ck_assert_int_eq(sr_store_open(path, SR_STORE_READONLY, &s, &e), SR_ERR_NOTFOUND);
    ck_assert_int_eq(access(path, F_OK), -1); /* not created */
    ck_assert_int_eq(sr_store_open("", 0, &s, &e), SR_ERR_ARG);
}
END_TEST

#ifdef __linux__
/* A tmpfs of `size` at mnt in a mount namespace of this (forked) test process only. */
static int private_tmpfs(const char *mnt, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s", size);
    if (mkdir(mnt, 0700) != 0 || unshare(CLONE_NEWNS) != 0 ||
        mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", mnt, "tmpfs", 0, opts) != 0) {
        fprintf(stderr, "(no private tmpfs: %s; that part is skipped)\n", strerror(errno));
        return 0;
    }
    return 1;
}
#endif

START_TEST(test_read_only)
{
    fx_populate(path, "cpu", 2);
    if (geteuid() != 0) {
        ck_assert_int_eq(chmod(path, 0444), 0);
        refused(path, SR_ERR_IO, "read-only");
        ck_assert_int_eq(chmod(path, 0644), 0);
        ck_assert_int_eq(chmod(dir, 0555), 0);
        refused(path, SR_ERR_IO, "read-only");
        ck_assert_int_eq(chmod(dir, 0755), 0);
    }
#ifdef __linux__
    else { /* root writes through permissions: use a file system mounted read-only */
        char mnt[4300], p[4400];
        snprintf(mnt, sizeof mnt, "%s/ro", dir);
        if (private_tmpfs(mnt, "4m")) {
            snprintf(p, sizeof p, "%s/sr.db", mnt);
            fx_populate(p, "cpu", 2);
            ck_assert_int_eq(mount("none", mnt, "none", MS_REMOUNT | MS_RDONLY, NULL), 0);
            refused(p, SR_ERR_IO, "read-only");
            /* Reading still works. */
            sr_store *s;
            sr_err e;
            ck_assert_msg(sr_store_open(p, SR_STORE_READONLY, &s, &e) == SR_OK, "%s", e.msg);
            sr_store_close(s);
            umount2(mnt, MNT_DETACH);
        }
    }
#endif
}
END_TEST

/* A writable file in a read-only folder: the folder's reason is given (it was that of the
 * -wal file SQLite would create there: "No such file or directory"). Root writes through
 * permissions, so the opening happens in a child process as nobody. */
START_TEST(test_read_only_folder)
{
    fx_populate(path, "cpu", 2);
    ck_assert_int_eq(chmod(path, 0666), 0);
    ck_assert_int_eq(chmod(dir, 0555), 0);
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(100);
        sr_store *s = NULL;
        sr_err e;
        sr_err_clear(&e);
        sr_code rc = sr_store_open(path, 0, &s, &e);
        sr_store_close(s);
        if (write(fd[1], e.msg, strlen(e.msg) + 1) < 0)
            _exit(101);
        _exit((int)rc);
    }
    close(fd[1]);
    char msg[SR_ERR_MSG_MAX] = "";
    ssize_t got = read(fd[0], msg, sizeof msg - 1);
    close(fd[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    ck_assert_msg(got > 0 && WIFEXITED(status) && WEXITSTATUS(status) == SR_ERR_IO,
                  "exit %d: %s", WEXITSTATUS(status), msg);
    ck_assert_msg(strstr(msg, "read-only (Permission denied)") && !strstr(msg, "No such file"),
                  "%s", msg);
}
END_TEST

/* Runs fn(path) in a child process as user uid (when root; else as we are); returns its
 * exit status and its message in msg. */
static int as_user(unsigned uid, int (*fn)(const char *, char *), char msg[SR_ERR_MSG_MAX])
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        if (geteuid() == 0 && (setgid(uid) != 0 || setuid(uid) != 0))
            _exit(100);
        char m[SR_ERR_MSG_MAX] = "";
        const int rc = fn(path, m);
        if (write(fd[1], m, strlen(m) + 1) < 0)
            _exit(101);
        _exit(rc);
    }
    close(fd[1]);
    msg[0] = '\0';
    ssize_t got = read(fd[0], msg, SR_ERR_MSG_MAX - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(fd[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int read_runs(const char *p, char *msg)
{
    sr_store *s = NULL;
    sr_err e;
    sr_err_clear(&e);
    sr_code rc = sr_store_open(p, SR_STORE_READONLY, &s, &e);
    sr_run_list runs = {0};
    if (rc == SR_OK)
        rc = sr_store_list_runs(s, NULL, &runs, &e);
    sr_run_list_free(&runs);
    sr_store_close(s);
    snprintf(msg, SR_ERR_MSG_MAX, "%s", e.msg);
    return (int)rc;
}

static int write_run(const char *p, char *msg)
{
    sr_store *s = NULL;
    sr_err e;
    sr_err_clear(&e);
    sr_code rc = sr_store_open(p, 0, &s, &e);
    char run[SR_UUID_LEN];
    if (rc == SR_OK) {
        sr_run_info info = {.command = "kernel"};
        rc = sr_store_run_begin(s, &info, run, &e);
    }
    sr_store_close(s);
    snprintf(msg, SR_ERR_MSG_MAX, "%s", e.msg);
    return (int)rc;
}

/* The owner of a database cannot write through the -wal and -shm files that another user
 * left by reading it; the message names those files (issue 15, defect 3). Needs root,
 * to be two users. */
START_TEST(test_readers_files_named)
{
    if (geteuid() != 0)
        return;
    const unsigned owner = 65534, reader = 1; /* nobody, daemon */
    ck_assert_int_eq(chmod(dir, 0777), 0);
    char msg[SR_ERR_MSG_MAX];
    ck_assert_msg(as_user(owner, write_run, msg) == SR_OK, "%s", msg);
    ck_assert_int_eq(chmod(path, 0644), 0);
    ck_assert_msg(as_user(reader, read_runs, msg) == SR_OK, "%s", msg);
    char wal[4300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat st;
    if (stat(wal, &st) != 0 || st.st_uid != reader)
        return; /* this SQLite left nothing behind: nothing to name */
    ck_assert_int_eq(as_user(owner, write_run, msg), SR_ERR_IO);
    ck_assert_msg(strstr(msg, "-wal") && strstr(msg, "-shm") && strstr(msg, "another user"), "%s", msg);
    ck_assert_int_eq(chmod(dir, 0755), 0);
}
END_TEST

/* Whether PATH-wal or PATH-shm lies beside p. */
static int side_files(const char *p)
{
    char side[4300];
    snprintf(side, sizeof side, "%s-wal", p);
    int any = access(side, F_OK) == 0;
    snprintf(side, sizeof side, "%s-shm", p);
    return any || access(side, F_OK) == 0;
}

/* A process that wrote and read the database leaves the file alone behind, whichever of
 * its connections closes last (study reads the stores it wrote; readers closing last left
 * PATH-wal and PATH-shm), and a reader's connection still refuses to write. */
START_TEST(test_no_wal_left)
{
    char msg[SR_ERR_MSG_MAX];
    ck_assert_msg(write_run(path, msg) == SR_OK, "%s", msg);
    ck_assert_msg(!side_files(path), "the writer left %s-wal or -shm", path);
    ck_assert_msg(read_runs(path, msg) == SR_OK, "%s", msg);
    ck_assert_msg(!side_files(path), "a reader left %s-wal or -shm", path);

    /* a writer and a reader open at once, the writer closing first */
    sr_store *w = NULL, *r = NULL;
    sr_err e;
    ck_assert_msg(sr_store_open(path, 0, &w, &e) == SR_OK, "%s", e.msg);
    ck_assert_msg(sr_store_open(path, SR_STORE_READONLY, &r, &e) == SR_OK, "%s", e.msg);
    char run[SR_UUID_LEN];
    sr_run_info info = {.command = "kernel"};
    ck_assert_msg(sr_store_run_begin(w, &info, run, &e) == SR_OK, "%s", e.msg);
    sr_run_list runs = {0};
    ck_assert_msg(sr_store_list_runs(r, NULL, &runs, &e) == SR_OK, "%s", e.msg);
    ck_assert_uint_eq(runs.n, 2);
    sr_run_list_free(&runs);
    ck_assert_int_ne(sqlite3_exec(sr_store_sqlite(r), "DELETE FROM run", NULL, NULL, NULL), SQLITE_OK);
    sr_store_close(w);
    sr_store_close(r);
    ck_assert_msg(!side_files(path), "%s-wal or -shm left when the reader closed last", path);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run"), 2);
}
END_TEST

/* Writing n rows must fail as a full disk does and leave the measurements as they were. */
static void full_disk_refuses(sr_store *s, const char *p, int n, const char *run,
                              const char *dev)
{
    long long before = query_int(p, "SELECT count(*) FROM measurement");
    sr_measurement *rows = calloc((size_t)n, sizeof *rows);
    for (int i = 0; i < n; i++) {
        fx_measurement(&rows[i], "unstructured", 0.5, 64, 1e-3);
        snprintf(rows[i].params, sizeof rows[i].params, "%0200d", i); /* bulk */
        memcpy(rows[i].run_uuid, run, SR_UUID_LEN);
        memcpy(rows[i].device_uuid, dev, SR_UUID_LEN);
    }
    sr_err e;
    ck_assert_int_eq(sr_store_put_measurements(s, rows, (size_t)n, &e), SR_ERR_IO);
    ck_assert_msg(strstr(e.msg, "full") && strstr(e.msg, p), "%s", e.msg);
    free(rows);
    ck_assert_int_eq(query_int(p, "SELECT count(*) FROM measurement"), before);
}

START_TEST(test_full_disk_simulated)
{
    fx_populate(path, "cpu", 3);
    sr_err e;
    sr_store *s = fx_open(path);
    char run[SR_UUID_LEN], dev[SR_UUID_LEN];
    fx_device(s, "cpu", dev);
    fx_run(s, "bench", dev, run);
    ck_assert_int_eq(sqlite3_exec(sr_store_sqlite(s),
                                  "PRAGMA max_page_count = 1", /* clamps to the current size */
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    full_disk_refuses(s, path, 500, run, dev);
    ck_assert_msg(sr_store_run_end(s, run, "failed", &e) == SR_OK, "%s", e.msg);
    sr_store_close(s);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                     "integrity_check <> 'ok'"),
                     0);
}
END_TEST

START_TEST(test_full_disk_real)
{
#ifdef __linux__
    char mnt[4300], p[4400], filler[4400];
    snprintf(mnt, sizeof mnt, "%s/small", dir);
    if (geteuid() != 0 || !private_tmpfs(mnt, "2m"))
        return;
    snprintf(p, sizeof p, "%s/sr.db", mnt);
    snprintf(filler, sizeof filler, "%s/filler", mnt);
    fx_populate(p, "cpu", 3);
    /* The disk fills during a run: the run's row is in, then nothing more fits. */
    sr_store *s = fx_open(p);
    char run[SR_UUID_LEN], dev[SR_UUID_LEN];
    fx_device(s, "cpu", dev);
    fx_run(s, "bench", dev, run);
    sr_store_close(s);
    s = fx_open(p);
    size_t size;
    unsigned char *before = slurp(p, &size);
    int fd = open(filler, O_WRONLY | O_CREAT, 0600);
    ck_assert_int_ge(fd, 0);
    char block[4096];
    memset(block, 1, sizeof block);
    while (write(fd, block, sizeof block) > 0)
        ;
    close(fd);
    full_disk_refuses(s, p, 2000, run, dev);
    sr_store_close(s);
    ck_assert_msg(file_is(p, before, size), "the database changed on a full disk");
    free(before);
    unlink(filler);
    ck_assert_int_eq(query_int(p, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                  "integrity_check <> 'ok'"),
                     0);
    ck_assert_int_eq(query_int(p, "SELECT count(*) FROM measurement"), 3);
    ck_assert_int_eq(query_int(p, "SELECT count(*) FROM run WHERE status = 'running'"), 1);
    umount2(mnt, MNT_DETACH);
#endif
}
END_TEST

/* Waits for a child; returns its exit status (-1 if it did not exit normally). */
static int reap(pid_t pid)
{
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void writer(const char *p, int id, int n, int gate)
{
    char go;
    if (read(gate, &go, 1) < 0)
        _exit(3);
    sr_store *s;
    sr_err e;
    if (sr_store_open(p, 0, &s, &e) != SR_OK) {
        fprintf(stderr, "writer %d: %s\n", id, e.msg);
        _exit(1);
    }
    char dev[SR_UUID_LEN], run[SR_UUID_LEN], name[16];
    snprintf(name, sizeof name, "cpu-%d", id);
    fx_device(s, name, dev);
    fx_run(s, "bench", dev, run);
    for (int i = 0; i < n; i++) {
        sr_measurement m;
        fx_measurement(&m, "dense", 0, 16 + i, 1e-3);
        if (sr_store_put_measurements(s, &m, 1, &e) != SR_OK) {
            fprintf(stderr, "writer %d, row %d: %s\n", id, i, e.msg);
            _exit(2);
        }
    }
    if (sr_store_run_end(s, run, "complete", &e) != SR_OK)
        _exit(4);
    sr_store_close(s);
    _exit(0);
}

START_TEST(test_two_writers)
{
    /* Both start on a file that does not exist yet: creation and migration race too. */
    int gate[2];
    ck_assert_int_eq(pipe(gate), 0);
    pid_t pids[2];
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            close(gate[1]);
            writer(path, i, 1000, gate[0]);
        }
    }
    close(gate[0]);
    close(gate[1]); /* both go */
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(reap(pids[i]), 0);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM measurement"), 2000);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE status = 'complete' AND "
                                     "(SELECT count(*) FROM measurement m WHERE m.run_uuid = "
                                     "run.uuid) = 1000"),
                     2);
    ck_assert_int_eq(query_int(path, "PRAGMA user_version"), sr_store_schema_version());
}
END_TEST

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#define SET 50

/* Creates the database and forks. The child gets in *fd the write end of a pipe, where it
 * writes a byte once it may be signalled; the parent gets the read end. */
static pid_t fork_worker(int *fd)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fx_populate(path, "cpu", 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    close(pid == 0 ? p[0] : p[1]);
    *fd = pid == 0 ? p[1] : p[0];
    return pid;
}

/* Waits for the worker's byte, then delay_ms later sends it sig; returns its exit status. */
static int signal_worker(pid_t pid, int fd, int sig, long delay_ms)
{
    char x;
    ck_assert_int_eq(read(fd, &x, 1), 1);
    close(fd);
    sleep_ms(delay_ms);
    kill(pid, sig);
    return reap(pid);
}

START_TEST(test_sigkill)
{
    int fd;
    pid_t pid = fork_worker(&fd);
    if (pid == 0) {
        sr_err e;
        char dev[SR_UUID_LEN], run[SR_UUID_LEN];
        sr_store *s = fx_begin(path, "cpu", "bench", dev, run);
        sr_measurement rows[SET];
        for (int i = 0; i < SET; i++)
            fx_measurement(&rows[i], "2:4", 0.5, 32, 1e-3);
        for (int round = 0;; round++) {
            if (sr_store_put_measurements(s, rows, SET, &e) != SR_OK)
                _exit(2);
            if (round == 3 && write(fd, "x", 1) != 1)
                _exit(3);
        }
    }
    /* 50 ms on, it is in the middle of something */
    ck_assert_int_eq(signal_worker(pid, fd, SIGKILL, 50), -1);
    sr_store *s = fx_open(path);
    sr_store_close(s);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM pragma_integrity_check WHERE "
                                     "integrity_check <> 'ok'"),
                     0);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE command = 'bench' AND "
                                     "status = 'running'"),
                     1);
    long long n = query_int(path, "SELECT count(*) FROM measurement");
    ck_assert_int_ge(n, 4 * SET);
    ck_assert_int_eq(n % SET, 0); /* whole sets only */

    /* the next run on this host finds the killed one's process gone and closes it; a run
     * whose process is alive (this one) stays open */
    char dev[SR_UUID_LEN], live[SR_UUID_LEN], next[SR_UUID_LEN];
    sr_store *a = fx_begin(path, "cpu", "kernel", dev, live);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE command = 'bench' AND status = 'interrupted' "
                                     "AND message LIKE '%ended without closing the run%' AND ended_at IS NULL"),
                     1);
    sr_store *b = fx_begin(path, "cpu", "peaks", dev, next);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE command = 'kernel' AND status = 'running'"), 1);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE pid IS NULL OR process_start NOT LIKE '%:%'"),
                     0); /* every run knows its process */
    sr_store_close(b);
    sr_store_close(a);
}
END_TEST

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

START_TEST(test_sigterm_interrupts)
{
    int fd;
    pid_t pid = fork_worker(&fd);
    if (pid == 0) {
        /* What the CLI does: a flag set by the handler, checked between measurements. */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_term;
        sigaction(SIGTERM, &sa, NULL);
        sr_err e;
        char dev[SR_UUID_LEN], run[SR_UUID_LEN];
        sr_store *s = fx_begin(path, "cpu", "bench", dev, run);
        for (int i = 1; !stop; i++) {
            sr_measurement m;
            fx_measurement(&m, "2:4", 0.5, 32, 1e-3);
            if (sr_store_add_measurement(s, &m, &e) != SR_OK)
                _exit(2);
            if (i % SET == 0 && sr_store_commit(s, &e) != SR_OK)
                _exit(3);
            if (i == 2 * SET + SET / 2 && write(fd, "x", 1) != 1)
                _exit(4);
            sleep_ms(i > 2 * SET ? 1 : 0);
        }
        int rc = sr_store_run_end(s, run, "interrupted", &e) == SR_OK ? 0 : 5;
        sr_store_close(s);
        _exit(rc);
    }
    ck_assert_int_eq(signal_worker(pid, fd, SIGTERM, 0), 0);
    ck_assert_int_eq(query_int(path, "SELECT count(*) FROM run WHERE status = 'interrupted' AND "
                                     "ended_at IS NOT NULL"),
                     1);
    long long n = query_int(path, "SELECT count(*) FROM measurement");
    ck_assert_int_ge(n, 2 * SET);
    ck_assert_int_eq(n % SET, 0);
}
END_TEST

TCase *tcase_fail(void)
{
    TCase *tc = tcase_create("failures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_not_sqlite);
    tcase_add_test(tc, test_foreign_sqlite);
    tcase_add_test(tc, test_newer_schema);
    tcase_add_test(tc, test_bad_paths);
    tcase_add_test(tc, test_read_only);
    tcase_add_test(tc, test_readers_files_named);
    tcase_add_test(tc, test_read_only_folder);
    tcase_add_test(tc, test_no_wal_left);
    tcase_add_test(tc, test_full_disk_simulated);
    tcase_add_test(tc, test_full_disk_real);
    tcase_add_test(tc, test_two_writers);
    tcase_add_test(tc, test_sigkill);
    tcase_add_test(tc, test_sigterm_interrupts);
    return tc;
}
