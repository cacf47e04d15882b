/* Opening the database: checks on the path and the file before SQLite may write a byte,
 * then WAL mode, foreign keys, a busy timeout, and the migrations embedded from schemas/
 * (0001_init.sql, ...) applied in order, one transaction each. PRAGMA user_version is the
 * schema version; PRAGMA application_id marks the file as sparseroof's. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/embedded.h"
#include "store/store_internal.h"

extern const struct sr_embedded sr_schema_sources[]; /* generated from schemas/ */

#define BUSY_TIMEOUT_MS 30000

int sr_store_schema_version(void)
{
    int n = 0;
    while (sr_schema_sources[n].name)
        n++;
    return n;
}

const char *sr_store_path(const sr_store *s) { return s->path; }
struct sqlite3 *sr_store_sqlite(sr_store *s) { return s->db; }
const char *sr_store_current_run(const sr_store *s) { return s->run; }

static void parent_dir(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else if (slash == path)
        snprintf(dir, size, "/");
    else
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* The checks that need no SQLite: they guard files SQLite would happily overwrite (a
 * short text file looks like an empty database to it) and turn the usual mistakes into
 * plain messages. */
static sr_code check_path(const char *path, int readonly, sr_err *err)
{
    char dir[4096];
    parent_dir(path, dir, sizeof dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT)
            return sr_err_set(err, SR_ERR_IO, "cannot access database %s: %s", path,
                              strerror(errno));
        if (readonly)
            return sr_err_set(err, SR_ERR_NOTFOUND, "no database at %s", path);
        struct stat dst;
        if (stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode))
            return sr_err_set(err, SR_ERR_IO,
                              "cannot create database %s: directory %s does not exist", path,
                              dir);
        if (access(dir, W_OK) != 0)
            return sr_err_set(err, SR_ERR_IO,
                              "cannot create database %s: directory %s is not writable (%s)",
                              path, dir, strerror(errno));
        return SR_OK;
    }
    if (S_ISDIR(st.st_mode))
        return sr_err_set(err, SR_ERR_ARG, "database %s is a directory, not a file", path);
    if (!S_ISREG(st.st_mode))
        return sr_err_set(err, SR_ERR_ARG, "database %s is not a regular file", path);
    if (st.st_size > 0) {
        static const char magic[16] = "SQLite format 3";
        char head[16];
        FILE *f = fopen(path, "rb");
        if (!f)
            return sr_err_set(err, SR_ERR_IO, "cannot read database %s: %s", path,
                              strerror(errno));
        size_t got = fread(head, 1, sizeof head, f);
        fclose(f);
        if (st.st_size < 100 || got != sizeof head || memcmp(head, magic, sizeof head) != 0)
            return sr_err_set(err, SR_ERR_FORMAT,
                              "%s is not a SQLite database (it does not start with the SQLite "
                              "header); it was left untouched",
                              path);
    }
    if (readonly)
        return SR_OK;
    if (access(path, W_OK) != 0)
        return sr_err_set(err, SR_ERR_IO, "database %s is read-only (%s); nothing was written",
                          path, strerror(errno));
    /* WAL mode keeps PATH-wal and PATH-shm beside the file. */
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (access(dir, W_OK) != 0) {
        int why = errno; /* the directory's reason, not that of the -wal file it lacks */
        if (access(wal, W_OK) != 0)
            return sr_err_set(err, SR_ERR_IO,
                              "database %s cannot be written: its directory %s is read-only "
                              "(%s) and SQLite needs to create %s there; nothing was written",
                              path, dir, strerror(why), wal);
    }
    return SR_OK;
}

/* How a file is opened: for writing; for reading through a connection that could write
 * (query_only); for reading; or for reading as immutable. */
enum { OPEN_RW, OPEN_READER, OPEN_RO, OPEN_IMMUTABLE };

/* Whether a reader may open the file read-write. The last connection to close a WAL
 * database checkpoints it and removes PATH-wal and PATH-shm, but only a connection that
 * can write does: a read-only one leaves them beside the file. So a reader opens the file
 * read-write, refusing writes itself, where it could write the file, its directory and
 * those two files (a reader who cannot, e.g. another user, opens it read-only). */
static int reader_may_write(const char *path)
{
    char dir[4096], side[4200];
    parent_dir(path, dir, sizeof dir);
    if (access(path, W_OK) != 0 || access(dir, W_OK) != 0)
        return 0;
    static const char *ext[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", path, ext[i]);
        if (access(side, F_OK) == 0 && access(side, W_OK) != 0)
            return 0;
    }
    return 1;
}

static int open_db(const char *path, int mode, sqlite3 **db)
{
    if (mode == OPEN_RW)
        return sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (mode == OPEN_READER) {
        int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL);
        return rc == SQLITE_OK ? sqlite3_exec(*db, "PRAGMA query_only = ON", NULL, NULL, NULL) : rc;
    }
    if (mode == OPEN_RO)
        return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
    /* file: URI, with everything but unreserved characters and '/' percent-encoded */
    char uri[3 * 4096 + 32], *u = uri;
    u += sprintf(u, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c && u < uri + 3 * 4096; c++) {
        if (isalnum(*c) || strchr("/-._~", *c))
            *u++ = (char)*c;
        else
            u += sprintf(u, "%%%02X", *c);
    }
    sprintf(u, "?immutable=1");
    return sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
}

/* Reading a WAL database needs PATH-shm. Where it cannot be created (a read-only
 * directory or file system, a full disk) and there is no PATH-wal, the file alone holds
 * everything and nobody is writing it: it may be read as immutable. */
static int may_read_immutable(const char *path, sr_code failure)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat st;
    return failure == SR_ERR_IO && (stat(wal, &st) != 0 || st.st_size == 0);
}

static sr_code pragma_int(sr_store *s, const char *sql, long long *out, sr_err *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK)
        return store_fail(s->db, s->path, rc, err, "reading the database");
    return SR_OK;
}

/* Switches to WAL mode. Where two processes create the file at once, one finds it locked
 * and SQLite's busy handler does not wait here: retry for as long as it would. */
static int wal_mode(sqlite3 *db)
{
    int rc = SQLITE_BUSY;
    for (int waited = 0; waited <= BUSY_TIMEOUT_MS; waited += 10) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *mode = (const char *)sqlite3_column_text(st, 0);
            rc = mode && strcmp(mode, "wal") == 0 ? SQLITE_OK : SQLITE_CANTOPEN;
        }
        sqlite3_finalize(st);
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return rc;
}

/* Whose file and which schema version, checked before anything is written. */
static sr_code check_identity(sr_store *s, long long *version, sr_err *err)
{
    long long app = 0, objects = 0;
    /* One read transaction, so that a migration committed by another process meanwhile
     * is seen whole or not at all. */
    sr_code rc = store_exec(s, "BEGIN", "reading the database", err);
    if (rc == SR_OK && (rc = pragma_int(s, "PRAGMA application_id", &app, err)) == SR_OK &&
        (rc = pragma_int(s, "PRAGMA user_version", version, err)) == SR_OK)
        rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &objects, err);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SR_OK)
        return rc;
    if (app != SR_STORE_APPLICATION_ID && !(app == 0 && *version == 0 && objects == 0))
        return sr_err_set(err, SR_ERR_FORMAT,
                          "%s is a SQLite database but not a sparseroof one (application_id "
                          "0x%08llx, %lld schema objects); refusing to change it",
                          s->path, app, objects);
    int latest = sr_store_schema_version();
    if (*version > latest)
        return sr_err_set(err, SR_ERR_FORMAT,
                          "%s has schema version %lld, newer than the %d this sparseroof (%s) "
                          "knows; use a newer sparseroof (the file was left as it was)",
                          s->path, *version, latest, SR_VERSION);
    return SR_OK;
}

/* The migration for version v (1-based), checked to be numbered as it should. */
static const struct sr_embedded *migration(int v, sr_err *err)
{
    const struct sr_embedded *m = &sr_schema_sources[v - 1];
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%04d_", v % 10000);
    if (strncmp(m->name, prefix, 5) != 0) {
        sr_err_set(err, SR_ERR_FORMAT, "embedded migration %s should be numbered %04d", m->name,
                   v);
        return NULL;
    }
    return m;
}

static sr_code migrate(sr_store *s, long long from, sr_err *err)
{
    int latest = sr_store_schema_version();
    for (int v = (int)from + 1; v <= latest; v++) {
        const struct sr_embedded *m = migration(v, err);
        if (!m)
            return SR_ERR_FORMAT;
        sr_code rc = store_tx_begin(s, err);
        if (rc != SR_OK)
            return sr_err_prefix(err, "migrating to schema version %d", v);
        long long now = 0;
        rc = pragma_int(s, "PRAGMA user_version", &now, err);
        if (rc == SR_OK && now < v) { /* else another process migrated meanwhile */
            char pragmas[128];
            snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                     SR_STORE_APPLICATION_ID, v);
            int src = sqlite3_exec(s->db, m->data, NULL, NULL, NULL);
            if (src == SQLITE_OK)
                src = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
            if (src != SQLITE_OK)
                rc = store_fail(s->db, s->path, src, err, "applying migration %s", m->name);
        }
        if (rc == SR_OK)
            rc = store_tx_commit(s, err);
        else
            store_tx_rollback(s);
        if (rc != SR_OK)
            return rc;
    }
    return SR_OK;
}

/* Read-only opening of an older schema: the views and columns this build queries exist
 * only after migrating, so migrate a private copy in memory. */
static sr_code migrate_in_memory(sr_store *s, long long from, sr_err *err)
{
    sqlite3 *mem = NULL;
    int rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(mem, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(mem);
        } else {
            rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    if (rc != SQLITE_OK) {
        sr_code code = store_fail(mem, s->path, rc, err, "copying into memory to migrate it");
        sqlite3_close(mem);
        return code;
    }
    sqlite3_close(s->db);
    s->db = mem;
    s->readonly = 0; /* the copy is ours to change */
    sr_code code = store_exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err);
    if (code == SR_OK)
        code = migrate(s, from, err);
    s->readonly = 1;
    return code;
}

sr_code sr_store_open(const char *path, unsigned flags, sr_store **out, sr_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return sr_err_set(err, SR_ERR_ARG, "no database path given");
    int readonly = (flags & SR_STORE_READONLY) != 0;
    sr_code rc = check_path(path, readonly, err);
    if (rc != SR_OK)
        return rc;
    sr_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory opening %s", path);
    }
    s->readonly = readonly;
    long long version = 0;
    int first = !readonly ? OPEN_RW : reader_may_write(path) ? OPEN_READER : OPEN_RO;
    for (int mode = first;; mode = OPEN_IMMUTABLE) {
        int src = open_db(path, mode, &s->db);
        if (src != SQLITE_OK) {
            rc = store_fail(s->db, path, src, err, "opening");
        } else {
            sqlite3_extended_result_codes(s->db, 1);
            sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
            rc = check_identity(s, &version, err);
        }
        if (rc == SR_OK || mode == OPEN_RW || mode == OPEN_IMMUTABLE || !may_read_immutable(path, rc))
            break;
        sqlite3_close(s->db);
        s->db = NULL;
    }
    if (rc == SR_OK && readonly) {
        if (version < sr_store_schema_version())
            rc = migrate_in_memory(s, version, err);
        else
            rc = store_exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err);
    } else if (rc == SR_OK) {
        /* Only now may SQLite write: WAL mode changes the file header. */
        int src = wal_mode(s->db);
        if (src != SQLITE_OK)
            rc = store_fail(s->db, path, src, err, "switching to WAL mode");
        else if ((rc = store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL",
                                  "setting up the connection", err)) == SR_OK)
            rc = migrate(s, version, err);
    }
    if (rc != SR_OK) {
        sr_store_close(s);
        return rc;
    }
    *out = s;
    return SR_OK;
}

void sr_store_close(sr_store *s)
{
    if (!s)
        return;
    sr_store_discard(s);
    free(s->pending);
    while (s->tx_depth > 0)
        store_tx_rollback(s);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}
