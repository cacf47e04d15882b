/* Ceilings measured and stored once, for `peaks` and for every prediction that needs
 * them on the fly; and the lookup of what --device names. */
#include "session/ceilings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/host.h"

void sr_session_peaks_opts(const sr_device_info *dev, int thorough, sr_peaks_opts *o, uint64_t caches[4])
{
    sr_peaks_opts_default(o, thorough);
    if (strcmp(dev->type, "CPU") == 0) {
        o->n_cache = sr_host_cache_sizes(dev->compute_units, caches, 4);
        o->cache_bytes = caches;
    }
}

sr_code sr_session_measure_ceilings(sr_session *s, const sr_peaks_opts *o, sr_peaks_result *r, sr_err *err)
{
    memset(r, 0, sizeof *r);
    sr_code c = sr_peaks_measure(s->cl, o, r, err);
    if (c == SR_OK)
        c = sr_store_put_ceilings(s->store, s->device_uuid, s->run, &r->ceilings, err);
    if (c == SR_OK && r->wallclock) /* the stored run says how it was timed */
        c = sr_store_run_set_message(s->store, s->run, r->timing_note, err);
    return c;
}

static const char inline_prefix[] = "virtual:";

static int number(const char *s, const char *end, double *out)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *stop;
    errno = 0;
    *out = strtod(buf, &stop);
    return *stop == '\0' && errno == 0 && isfinite(*out);
}

/* virtual:GBPS:GFLOPS: one DRAM level, one compute figure for every data type. */
static sr_code inline_virtual(const char *device, sr_ceilings *out, sr_err *err)
{
    const char *a = device + strlen(inline_prefix), *colon = strchr(a, ':');
    double gbps, gflops;
    if (!colon || !number(a, colon, &gbps) || !number(colon + 1, colon + 1 + strlen(colon + 1), &gflops))
        return sr_err_set(err, SR_ERR_ARG, "--device %s: expected virtual:GBPS:GFLOPS, e.g. virtual:100:1000",
                          device);
    return sr_ceilings_simple(out, device, gbps, gflops, err);
}

sr_code sr_session_check_new_store_device(const char *db_path, const char *device, sr_err *err)
{
    struct stat st;
    if (stat(db_path, &st) == 0 || (device && strncmp(device, inline_prefix, strlen(inline_prefix)) == 0))
        return SR_OK;
    sr_session here;
    sr_session_init(&here, 0, NULL, NULL);
    sr_code c = sr_session_find_device(&here, device, err);
    if (c != SR_OK && device) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        c = sr_err_set(err, SR_ERR_NOTFOUND,
                       "--device %s: %s does not exist yet, so it holds no such device (a virtual one is made "
                       "with 'peaks --define NAME ...'), nor is it an OpenCL device here (%s)",
                       device, db_path, why);
    }
    sr_session_close(&here);
    return c;
}

/* Measures the chosen device of m (its store borrowed) under a run of its own. */
static sr_code measure(sr_session *m, sr_store *store, sr_peaks_progress_fn progress, sr_ceilings *out,
                       sr_err *err)
{
    m->store = store;
    uint64_t caches[4];
    sr_peaks_opts o;
    sr_peaks_result r;
    memset(&r, 0, sizeof r);
    fprintf(stderr, "sparseroof: no ceilings stored for %s; measuring them now (about a minute; "
                    "'sparseroof peaks' does this alone)\n", m->dev->name);
    sr_session_peaks_opts(m->dev, 0, &o, caches);
    o.progress = progress;
    o.stop = m->interrupted;
    sr_code c = sr_session_begin(m, err);
    if (c == SR_OK)
        c = sr_session_open_device(m, err);
    if (c == SR_OK)
        c = sr_session_measure_ceilings(m, &o, &r, err);
    c = sr_session_end(m, c, err);
    if (c == SR_OK)
        *out = r.ceilings;
    sr_peaks_result_free(&r);
    m->store = NULL;
    return c;
}

sr_code sr_session_device_ceilings(sr_store *store, int argc, char **argv, int (*interrupted)(void),
                                   const char *device, sr_peaks_progress_fn progress, sr_ceilings *out,
                                   char device_uuid[SR_UUID_LEN], sr_err *err)
{
    device_uuid[0] = '\0';
    if (device && strncmp(device, inline_prefix, strlen(inline_prefix)) == 0)
        return inline_virtual(device, out, err); /* not stored yet: device_uuid stays "" */
    /* a stored device: virtual ones, or a device of this or another machine by name/UUID
     * ("0" or "1:0" is always the OpenCL device at that position here) */
    if (device && !sr_device_spec_is_index(device) && sr_store_find_device(store, device, device_uuid, NULL) == SR_OK &&
        sr_store_get_ceilings(store, device_uuid, out, NULL) == SR_OK)
        return SR_OK;
    /* an OpenCL device here */
    sr_session here;
    sr_session_init(&here, argc, argv, interrupted);
    sr_code c = sr_session_find_device(&here, device, err);
    if (c != SR_OK && device) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        c = sr_err_set(err, SR_ERR_NOTFOUND,
                       "--device %s: no such device in %s (a virtual one is made with 'peaks --define NAME "
                       "...'), nor an OpenCL device here (%s)",
                       device, sr_store_path(store), why);
    }
    if (c == SR_OK) {
        sr_device_rec rec;
        sr_session_device_rec(here.dev, &rec);
        c = sr_store_put_device(store, &rec, NULL, device_uuid, err);
    }
    if (c == SR_OK && sr_store_get_ceilings(store, device_uuid, out, NULL) != SR_OK)
        c = measure(&here, store, progress, out, err);
    sr_session_close(&here);
    return c;
}

sr_code sr_session_ceilings(sr_session *s, sr_peaks_progress_fn progress, sr_ceilings *out, sr_err *err)
{
    if (!s->device_uuid[0]) {
        sr_device_rec rec;
        sr_session_device_rec(s->dev, &rec);
        const sr_code c = sr_store_put_device(s->store, &rec, NULL, s->device_uuid, err);
        if (c != SR_OK)
            return c;
    }
    if (sr_store_get_ceilings(s->store, s->device_uuid, out, NULL) == SR_OK)
        return SR_OK;
    sr_session m;
    sr_session_init(&m, s->argc, s->argv, s->interrupted);
    m.dev = s->dev;
    const sr_code c = measure(&m, s->store, progress, out, err);
    m.dev = NULL;
    sr_session_close(&m);
    return c;
}
