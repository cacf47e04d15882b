/* What `study` leaves behind besides the database: the Sparsity Roofline and the roofline
 * as PNG, and the lab report as HTML, of the network and device the study just measured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_query.h"
#include "query/curve.h"
#include "query/lookup.h"
#include "query/report.h"
#include "query/roofline.h"

sr_code sr_study_check_dir(const char *dir, sr_err *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return sr_err_set(err, SR_ERR_ARG, "--out %s: not a directory", dir);
    if (access(dir, W_OK) != 0)
        return sr_err_set(err, SR_ERR_ARG, "--out %s: cannot write into it", dir);
    return SR_OK;
}

static sr_code curve_png(sr_store *s, const sr_speedup_set *set, const char *path, sr_err *err)
{
    sr_curve_opts o = {.network = set->network, .device = set->device_uuid};
    sr_curve_set *c = NULL;
    sr_code rc = sr_curve_build(s, &o, &c, err);
    if (rc == SR_OK)
        rc = sr_out_save(path, &sr_curve_writers, c, err);
    sr_curve_set_free(c);
    return rc;
}

static sr_code roofline_png(sr_store *s, const sr_speedup_set *set, const char *path, sr_err *err)
{
    sr_roofline_opts o = {.device = set->device_uuid, .network = set->network};
    sr_roofline *r = NULL;
    sr_code rc = sr_roofline_build(s, &o, &r, err);
    if (rc == SR_OK)
        rc = sr_out_save(path, &sr_roofline_writers, r, err);
    sr_roofline_free(r);
    return rc;
}

static sr_code report_html(sr_store *s, const sr_speedup_set *set, const char *path, sr_err *err)
{
    sr_report_opts o = {.network = set->network};
    return sr_report_save(s, &o, path, err);
}

int sr_study_outputs(const char *db, const char *network, const char *dir, FILE *msg)
{
    typedef sr_code (*writer)(sr_store *, const sr_speedup_set *, const char *, sr_err *);
    static const struct {
        const char *name;
        writer write;
    } outputs[] = {{"study-curve.png", curve_png}, {"study-roofline.png", roofline_png},
                   {"study.html", report_html}};
    sr_err err = {0};
    sr_store *s = NULL;
    sr_speedup_set *sets = NULL;
    size_t n = 0;
    /* the newest timings of the network (a network file's own name: the newest of any) */
    sr_code rc = sr_store_open(db, SR_STORE_READONLY, &s, &err);
    if (rc == SR_OK)
        rc = sr_store_speedup_sets(s, sr_query_network_known(s, network) ? network : NULL, &sets, &n, &err);
    if (rc == SR_OK && n == 0)
        rc = sr_err_set(&err, SR_ERR_NOTFOUND, "no timings of %s in %s to draw", network, db);
    int code = rc == SR_OK ? SR_EXIT_OK : sr_cli_fail("study", &err);
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs && rc == SR_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s%s", dir ? dir : "", dir && dir[strlen(dir) - 1] != '/' ? "/" : "",
                 outputs[i].name);
        sr_err e = {0};
        if (outputs[i].write(s, &sets[0], path, &e) == SR_OK)
            fprintf(msg, "wrote %s\n", path);
        else
            code = sr_cli_fail("study", &e);
    }
    free(sets);
    sr_store_close(s);
    return code;
}
