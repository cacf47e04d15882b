/* Hosts, devices and the run lifecycle: a run starts 'running' with everything that
 * affects its timings, and ends 'complete' (with its pending measurements, atomically),
 * 'failed' or 'interrupted' (pending measurements dropped). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

static void u64_text(char *buf, size_t size, uint64_t v)
{
    snprintf(buf, size, "%llu", (unsigned long long)v);
}

static sr_code put_host(sr_store *s, const sr_host_info *h, char uuid[SR_UUID_LEN], sr_err *err)
{
    char cores[24], mem[24], now[32];
    u64_text(cores, sizeof cores, (uint64_t)(h->cores > 0 ? h->cores : 0));
    u64_text(mem, sizeof mem, h->memory_bytes);
    const char *parts[] = {"host", h->machine_id, h->hostname, h->cpu_model, cores, mem};
    store_uuid_derive(uuid, parts, sizeof parts / sizeof *parts);
    store_now(now);
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s,
                               "INSERT OR IGNORE INTO host (uuid, hostname, cpu_model, cores, "
                               "memory_bytes, os, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, h->hostname, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, h->cpu_model, -1, SQLITE_TRANSIENT);
    store_bind_int_pos(st, 4, h->cores);
    store_bind_int_pos(st, 5, (int64_t)h->memory_bytes);
    sqlite3_bind_text(st, 6, h->os, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_TRANSIENT);
    rc = store_step_done(s, st, "recording the host", err);
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_host(sr_store *s, const sr_host_info *host, char uuid[SR_UUID_LEN],
                          sr_err *err)
{
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    return store_tx_end(s, put_host(s, host, uuid, err), err);
}

static sr_code this_host(sr_store *s, char uuid[SR_UUID_LEN], sr_host_info *h, sr_err *err)
{
    sr_host_read(h);
    return put_host(s, h, uuid, err);
}

static sr_code put_device(sr_store *s, const sr_device_rec *d, const char *host_uuid,
                          char uuid[SR_UUID_LEN], sr_err *err)
{
    if (!d->name[0])
        return sr_err_set(err, SR_ERR_ARG, "a device needs a name");
    char host[SR_UUID_LEN] = "";
    sr_code rc;
    if (d->is_virtual) {
        const char *parts[] = {"virtual", d->name};
        store_uuid_derive(uuid, parts, 2);
    } else {
        if (host_uuid && *host_uuid) {
            snprintf(host, sizeof host, "%s", host_uuid);
        } else {
            sr_host_info h;
            if ((rc = this_host(s, host, &h, err)) != SR_OK)
                return rc;
        }
        const char *parts[] = {"device", host, d->platform_name, d->platform_version,
                               d->name, d->device_version, d->driver_version};
        store_uuid_derive(uuid, parts, sizeof parts / sizeof *parts);
    }
    char now[32];
    store_now(now);
    sqlite3_stmt *st;
    rc = store_prepare(s,
                       "INSERT OR IGNORE INTO device (uuid, host_uuid, is_virtual, name, vendor, "
                       "type, platform_name, platform_vendor, platform_version, device_version, "
                       "driver_version, opencl_c_version, compute_units, max_clock_mhz, "
                       "global_mem_bytes, local_mem_bytes, global_cache_bytes, max_alloc_bytes, "
                       "max_work_group_size, fp64, fp16, first_seen) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
                       "?21, ?22)",
                       &st, err);
    if (rc != SR_OK)
        return rc;
    int i = 1;
    sqlite3_bind_text(st, i++, uuid, -1, SQLITE_TRANSIENT);
    store_bind_text(st, i++, d->is_virtual ? "" : host);
    sqlite3_bind_int(st, i++, d->is_virtual ? 1 : 0);
    const char *texts[] = {d->name, d->vendor, d->type[0] ? d->type : (d->is_virtual ? "VIRTUAL" : ""),
                           d->platform_name, d->platform_vendor, d->platform_version,
                           d->device_version, d->driver_version, d->opencl_c_version};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        sqlite3_bind_text(st, i++, texts[t], -1, SQLITE_TRANSIENT);
    const uint64_t nums[] = {d->compute_units, d->max_clock_mhz, d->global_mem_bytes,
                             d->local_mem_bytes, d->global_cache_bytes, d->max_alloc_bytes,
                             d->max_work_group_size};
    for (size_t t = 0; t < sizeof nums / sizeof *nums; t++)
        store_bind_int_pos(st, i++, (int64_t)nums[t]);
    if (d->is_virtual) {
        sqlite3_bind_null(st, i++);
        sqlite3_bind_null(st, i++);
    } else {
        sqlite3_bind_int(st, i++, d->fp64 != 0);
        sqlite3_bind_int(st, i++, d->fp16 != 0);
    }
    sqlite3_bind_text(st, i, now, -1, SQLITE_TRANSIENT);
    rc = store_step_done(s, st, "recording the device", err);
    sqlite3_finalize(st);
    return rc;
}

sr_code sr_store_put_device(sr_store *s, const sr_device_rec *dev, const char *host_uuid,
                            char uuid[SR_UUID_LEN], sr_err *err)
{
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    return store_tx_end(s, put_device(s, dev, host_uuid, uuid, err), err);
}

/* Runs a one-column query with ?1 = spec; 1 and the value if a row came back. */
static int first_text(sr_store *s, const char *sql, const char *spec, char *out, size_t size,
                      int *rows)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, spec, -1, SQLITE_TRANSIENT);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 2) {
        if (n == 0)
            store_copy_text(out, size, st, 0);
        n++;
    }
    sqlite3_finalize(st);
    if (rows)
        *rows = n;
    return n > 0;
}

sr_code sr_store_find_device(sr_store *s, const char *spec, char uuid[SR_UUID_LEN],
                             sr_err *err)
{
    if (!spec || !*spec)
        return sr_err_set(err, SR_ERR_ARG, "no device given");
    if (first_text(s, "SELECT uuid FROM device WHERE uuid = lower(?1)", spec, uuid,
                   SR_UUID_LEN, NULL) ||
        first_text(s,
                   "SELECT d.uuid FROM device d WHERE d.name = ?1 ORDER BY (SELECT max(r.started_at) "
                   "FROM run r WHERE r.device_uuid = d.uuid) DESC NULLS LAST, d.first_seen DESC",
                   spec, uuid, SR_UUID_LEN, NULL))
        return SR_OK;
    size_t len = strlen(spec);
    int hex = len >= 4 && len < SR_UUID_LEN;
    for (const char *c = spec; *c && hex; c++)
        hex = isxdigit((unsigned char)*c) || *c == '-';
    int rows = 0;
    if (hex && first_text(s, "SELECT uuid FROM device WHERE uuid LIKE lower(?1) || '%'", spec,
                          uuid, SR_UUID_LEN, &rows)) {
        if (rows == 1)
            return SR_OK;
        return sr_err_set(err, SR_ERR_ARG, "device '%s' in %s is ambiguous: several UUIDs start so",
                          spec, s->path);
    }
    return sr_err_set(err, SR_ERR_NOTFOUND,
                      "no device '%s' in %s (give a name or UUID as `sparseroof runs` shows)",
                      spec, s->path);
}

/* argv joined with POSIX shell quoting, so the line can be pasted back. */
static char *command_line(int argc, char *const *argv)
{
    size_t size = 1;
    for (int i = 0; i < argc; i++)
        size += 4 * strlen(argv[i]) + 3;
    char *out = malloc(size), *p = out;
    if (!out)
        return NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int plain = *a != '\0';
        for (const char *c = a; *c && plain; c++)
            plain = isalnum((unsigned char)*c) || strchr("_@%+=:,./-", *c);
        if (i)
            *p++ = ' ';
        if (plain) {
            p += sprintf(p, "%s", a);
            continue;
        }
        *p++ = '\'';
        for (const char *c = a; *c; c++) {
            if (*c == '\'')
                p += sprintf(p, "'\\''");
            else
                *p++ = *c;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

static sr_code check_device(sr_store *s, const char *device_uuid, sr_err *err)
{
    char found[SR_UUID_LEN];
    if (!first_text(s, "SELECT uuid FROM device WHERE uuid = ?1", device_uuid, found,
                    sizeof found, NULL))
        return sr_err_set(err, SR_ERR_NOTFOUND, "no device %s in %s", device_uuid, s->path);
    return SR_OK;
}

static const char run_device_sql[] =
    "device_uuid = ?2, cl_platform = (SELECT platform_name FROM device WHERE uuid = ?2), "
    "cl_platform_version = (SELECT platform_version FROM device WHERE uuid = ?2), "
    "cl_driver_version = (SELECT driver_version FROM device WHERE uuid = ?2)";

/* Runs of this host left 'running' by a process that is gone (killed by SIGKILL, or the
 * machine restarted: its pid no longer names the same process) are closed as
 * 'interrupted'; their end time stays unknown. */
static sr_code close_stale_runs(sr_store *s, const char *host, sr_err *err)
{
    sqlite3_stmt *st, *up = NULL;
    sr_code rc = store_prepare(s,
                               "SELECT uuid, pid, process_start FROM run WHERE status = 'running' AND "
                               "host_uuid = ?1 AND pid IS NOT NULL AND process_start IS NOT NULL",
                               &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
    rc = store_prepare(s,
                       "UPDATE run SET status = 'interrupted', message = ?2 WHERE uuid = ?1 AND "
                       "status = 'running'",
                       &up, err);
    int step;
    while (rc == SR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const long pid = (long)sqlite3_column_int64(st, 1);
        char now_start[128], msg[192];
        sr_host_process_start(pid, now_start, sizeof now_start);
        if (strcmp(now_start, (const char *)sqlite3_column_text(st, 2)) == 0)
            continue; /* still going */
        snprintf(msg, sizeof msg,
                 "its process (pid %ld) ended without closing the run: killed, or the machine restarted", pid);
        sqlite3_reset(up);
        sqlite3_bind_text(up, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 2, msg, -1, SQLITE_TRANSIENT);
        rc = store_step_done(s, up, "closing a run whose process is gone", err);
    }
    if (rc == SR_OK && step != SQLITE_DONE)
        rc = store_fail(s->db, s->path, step, err, "looking for runs whose process is gone");
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    return rc;
}

static sr_code insert_run(sr_store *s, const sr_run_info *info, const char *uuid, sr_err *err)
{
    char host[SR_UUID_LEN], now[32], *env = NULL, *line = NULL;
    sr_host_info h;
    sr_code rc = this_host(s, host, &h, err);
    if (rc == SR_OK)
        rc = sr_host_environment(&env, err);
    if (rc == SR_OK && !(line = command_line(info->argc, info->argv)))
        rc = sr_err_set(err, SR_ERR_NOMEM, "out of memory recording the command line");
    if (rc == SR_OK)
        rc = close_stale_runs(s, host, err);
    sqlite3_stmt *st = NULL;
    if (rc == SR_OK)
        rc = store_prepare(s,
                           "INSERT INTO run (uuid, host_uuid, command, command_line, tool_version, "
                           "started_at, status, cpu_model, cores, governor, os_version, "
                           "environment, pid, process_start) VALUES (?1, ?3, ?4, ?5, ?6, ?7, "
                           "'running', ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                           &st, err);
    if (rc == SR_OK) {
        store_now(now);
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, host, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, info->command, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, line, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, SR_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, now, -1, SQLITE_TRANSIENT);
        store_bind_text(st, 8, h.cpu_model);
        store_bind_int_pos(st, 9, h.cores);
        store_bind_text(st, 10, h.governor);
        store_bind_text(st, 11, h.os_version);
        sqlite3_bind_text(st, 12, env, -1, SQLITE_TRANSIENT);
        char started[128];
        sr_host_process_start((long)getpid(), started, sizeof started);
        sqlite3_bind_int64(st, 13, (sqlite3_int64)getpid());
        store_bind_text(st, 14, started);
        rc = store_step_done(s, st, "recording the run", err);
    }
    sqlite3_finalize(st);
    free(env);
    free(line);
    return rc;
}

static sr_code set_device(sr_store *s, const char *run_uuid, const char *device_uuid,
                          sr_err *err)
{
    sr_code rc = check_device(s, device_uuid, err);
    if (rc != SR_OK)
        return rc;
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE run SET %s WHERE uuid = ?1", run_device_sql);
    sqlite3_stmt *st;
    if ((rc = store_prepare(s, sql, &st, err)) != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, device_uuid, -1, SQLITE_TRANSIENT);
    rc = store_step_done(s, st, "recording the run's device", err);
    sqlite3_finalize(st);
    if (rc == SR_OK && sqlite3_changes(s->db) != 1)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no run %s in %s", run_uuid, s->path);
    return rc;
}

sr_code sr_store_run_begin(sr_store *s, const sr_run_info *info, char uuid[SR_UUID_LEN],
                           sr_err *err)
{
    if (!info || !info->command || !*info->command)
        return sr_err_set(err, SR_ERR_ARG, "a run needs a command name");
    store_uuid_random(uuid);
    const char *dev = info->device_uuid && *info->device_uuid ? info->device_uuid : NULL;
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    rc = insert_run(s, info, uuid, err);
    if (rc == SR_OK && dev)
        rc = set_device(s, uuid, dev, err);
    if ((rc = store_tx_end(s, rc, err)) != SR_OK)
        return rc;
    snprintf(s->run, sizeof s->run, "%s", uuid);
    snprintf(s->run_device, sizeof s->run_device, "%s", dev ? dev : "");
    return SR_OK;
}

sr_code sr_store_run_set_device(sr_store *s, const char *run_uuid, const char *device_uuid,
                                sr_err *err)
{
    if (!run_uuid || !device_uuid)
        return sr_err_set(err, SR_ERR_ARG, "run and device UUIDs are needed");
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    rc = store_tx_end(s, set_device(s, run_uuid, device_uuid, err), err);
    if (rc == SR_OK && strcmp(run_uuid, s->run) == 0)
        snprintf(s->run_device, sizeof s->run_device, "%s", device_uuid);
    return rc;
}

/* Updates one text column of a run; NOTFOUND if there is no such run. */
static sr_code update_run(sr_store *s, const char *sql, const char *run_uuid, const char *a,
                          const char *b, sr_err *err)
{
    sqlite3_stmt *st;
    sr_code rc = store_prepare(s, sql, &st, err);
    if (rc != SR_OK)
        return rc;
    sqlite3_bind_text(st, 1, run_uuid, -1, SQLITE_TRANSIENT);
    store_bind_text(st, 2, a);
    store_bind_text(st, 3, b);
    rc = store_step_done(s, st, "updating the run", err);
    sqlite3_finalize(st);
    if (rc == SR_OK && sqlite3_changes(s->db) != 1)
        rc = sr_err_set(err, SR_ERR_NOTFOUND, "no run %s in %s", run_uuid, s->path);
    return rc;
}

sr_code sr_store_run_end(sr_store *s, const char *run_uuid, const char *status, sr_err *err)
{
    static const char *const ends[] = {"complete", "failed", "interrupted"};
    int known = 0;
    for (size_t i = 0; i < 3; i++)
        known |= status && strcmp(status, ends[i]) == 0;
    if (!run_uuid || !known)
        return sr_err_set(err, SR_ERR_ARG,
                          "a run ends 'complete', 'failed' or 'interrupted', not '%s'",
                          status ? status : "(none)");
    int complete = strcmp(status, "complete") == 0;
    if (!complete)
        store_drop_pending(s, run_uuid);
    char now[32];
    store_now(now);
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    if (complete)
        rc = store_write_pending(s, run_uuid, err);
    if (rc == SR_OK)
        rc = update_run(s, "UPDATE run SET status = ?2, ended_at = ?3 WHERE uuid = ?1", run_uuid,
                        status, now, err);
    if ((rc = store_tx_end(s, rc, err)) != SR_OK)
        return rc;
    if (complete)
        store_drop_pending(s, run_uuid); /* written now */
    if (strcmp(run_uuid, s->run) == 0)
        s->run[0] = s->run_device[0] = '\0';
    return SR_OK;
}

sr_code sr_store_run_set_message(sr_store *s, const char *run_uuid, const char *message,
                                 sr_err *err)
{
    sr_code rc = store_tx_begin(s, err);
    if (rc != SR_OK)
        return rc;
    return store_tx_end(s,
                        update_run(s, "UPDATE run SET message = ?2 WHERE uuid = ?1", run_uuid,
                                   message, NULL, err),
                        err);
}
