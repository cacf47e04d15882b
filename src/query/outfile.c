/* Output files written whole (query/outfile.h). */
#include "query/outfile.h"

#include "query/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

sr_out_kind sr_out_kind_of(const char *path)
{
    static const struct {
        const char *ext;
        sr_out_kind kind;
    } kinds[] = {{".svg", SR_OUT_SVG},   {".png", SR_OUT_PNG},   {".pdf", SR_OUT_PDF},
                 {".csv", SR_OUT_CSV},   {".json", SR_OUT_JSON}, {".html", SR_OUT_HTML},
                 {".htm", SR_OUT_HTML}};
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || dot == path || dot[-1] == '/')
        return SR_OUT_UNKNOWN;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcasecmp(dot, kinds[i].ext) == 0)
            return kinds[i].kind;
    return SR_OUT_UNKNOWN;
}

int sr_out_is_plot(sr_out_kind k)
{
    return k == SR_OUT_SVG || k == SR_OUT_PNG || k == SR_OUT_PDF;
}

sr_code sr_out_write(const char *path, sr_out_fn fn, void *ctx, sr_err *err)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory writing %s", path);
    snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    sr_code rc = f ? fn(ctx, f, err) : sr_err_set(err, SR_ERR_IO, "cannot write %s", path);
    if (f) {
        if (ferror(f) && rc == SR_OK)
            rc = sr_err_set(err, SR_ERR_IO, "cannot write %s", path);
        if (fclose(f) != 0 && rc == SR_OK)
            rc = sr_err_set(err, SR_ERR_IO, "cannot write %s", path);
        if (rc == SR_OK && rename(tmp, path) != 0)
            rc = sr_err_set(err, SR_ERR_IO, "cannot write %s", path);
        if (rc != SR_OK)
            unlink(tmp);
    }
    free(tmp);
    return rc;
}

static sr_code put_json(void *ctx, FILE *f, sr_err *err)
{
    (void)err;
    fputs(json_object_to_json_string_ext(ctx, JSON_C_TO_STRING_PRETTY), f);
    fputc('\n', f);
    return SR_OK;
}

json_object *sr_out_json_number(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

sr_code sr_out_json(const char *path, json_object *o, sr_err *err)
{
    return sr_out_write(path, put_json, o, err);
}

typedef struct {
    const sr_out_writers *w;
    const void *ctx;
} csv_job;

static sr_code put_csv(void *job, FILE *f, sr_err *err)
{
    const csv_job *j = job;
    return j->w->csv(j->ctx, f, err);
}

sr_code sr_out_save(const char *path, const sr_out_writers *w, const void *ctx, sr_err *err)
{
    sr_out_kind k = sr_out_kind_of(path);
    if (sr_out_is_plot(k)) {
        sr_plot *pl = NULL;
        sr_code rc = w->chart(ctx, &pl, err);
        if (rc == SR_OK)
            rc = sr_plot_write(pl, path, err);
        sr_plot_free(pl);
        return rc;
    }
    if (k == SR_OUT_CSV) {
        csv_job j = {w, ctx};
        return sr_out_write(path, put_csv, &j, err);
    }
    if (k != SR_OUT_JSON)
        return sr_err_set(err, SR_ERR_ARG, "%s: expected a name ending in .svg, .png, .pdf, .csv or .json",
                          path);
    json_object *o = w->json(ctx);
    sr_code rc = sr_out_json(path, o, err);
    json_object_put(o);
    return rc;
}
