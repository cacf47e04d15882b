/* Curves as words, CSV and JSON (query/curve.h). */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/csv.h"
#include "query/curve.h"
#include "query/outfile.h"

void sr_curve_answer_text(const sr_curve_set *c, size_t b, char *buf, size_t size)
{
    const sr_curve_answer *a = &c->answers[b];
    if (!a->found) {
        snprintf(buf, size, "within %g point%s of %s: no sparse figure with a timing on %s; "
                 "stay dense", a->budget, a->budget == 1 ? "" : "s", c->metric, c->set.device);
        return;
    }
    snprintf(buf, size, "within %g point%s of %s: %s at %.4g%% sparsity, %.2fx %s%s "
             "(%.2f against its source's dense %.2f, %s)", a->budget, a->budget == 1 ? "" : "s",
             c->metric, a->pattern, 100 * a->sparsity, a->speedup,
             a->measured ? "measured" : "predicted", a->interpolated ? ", interpolated" : "",
             a->accuracy, a->dense_accuracy, a->source);
}

sr_code sr_curve_write_csv(const sr_curve_set *c, FILE *f, sr_err *err)
{
    fputs("network,device,batch,dtype,pattern,sparsity,source,method,dataset,metric,accuracy,"
          "dense_accuracy,predicted_speedup,measured_speedup,interpolated\n", f);
    for (size_t i = 0; i < c->n_curves; i++) {
        const sr_curve *k = &c->curves[i];
        for (size_t j = 0; j < k->n; j++) {
            const sr_curve_point *p = &k->pts[j];
            sr_csv_put_text(f, c->set.network);
            fputc(',', f);
            sr_csv_put_text(f, c->set.device);
            fprintf(f, ",%d,%s,%s,%.10g,", c->set.batch, c->set.dtype, j == 0 &&
                    p->sparsity == 0 && !isnan(k->dense_accuracy) ? "dense" : k->pattern, p->sparsity);
            sr_csv_put_text(f, k->source);
            fputc(',', f);
            sr_csv_put_text(f, k->method);
            fputc(',', f);
            sr_csv_put_text(f, c->dataset);
            fprintf(f, ",%s,", c->metric);
            sr_csv_put_number(f, p->accuracy);
            fputc(',', f);
            sr_csv_put_number(f, k->dense_accuracy);
            fputc(',', f);
            sr_csv_put_number(f, p->predicted);
            fputc(',', f);
            sr_csv_put_number(f, p->measured);
            fprintf(f, ",%d\n", p->interpolated);
        }
    }
    if (ferror(f))
        return sr_err_set(err, SR_ERR_IO, "writing the curve's CSV failed");
    return SR_OK;
}

static json_object *answers_json(const sr_curve_set *c)
{
    json_object *arr = json_object_new_array();
    for (size_t b = 0; b < SR_CURVE_BUDGETS; b++) {
        const sr_curve_answer *a = &c->answers[b];
        json_object *o = json_object_new_object();
        char text[1024];
        sr_curve_answer_text(c, b, text, sizeof text);
        json_object_object_add(o, "budget_points", json_object_new_double(a->budget));
        json_object_object_add(o, "found", json_object_new_boolean(a->found));
        if (a->found) {
            json_object_object_add(o, "pattern", json_object_new_string(a->pattern));
            json_object_object_add(o, "sparsity", json_object_new_double(a->sparsity));
            json_object_object_add(o, "speedup", json_object_new_double(a->speedup));
            json_object_object_add(o, "speedup_kind",
                                   json_object_new_string(a->measured ? "measured" : "predicted"));
            json_object_object_add(o, "interpolated", json_object_new_boolean(a->interpolated));
            json_object_object_add(o, "accuracy", json_object_new_double(a->accuracy));
            json_object_object_add(o, "dense_accuracy", json_object_new_double(a->dense_accuracy));
            json_object_object_add(o, "source", json_object_new_string(a->source));
        }
        json_object_object_add(o, "text", json_object_new_string(text));
        json_object_array_add(arr, o);
    }
    return arr;
}

json_object *sr_curve_json(const sr_curve_set *c)
{
    json_object *root = json_object_new_object(), *curves = json_object_new_array();
    json_object_object_add(root, "network", json_object_new_string(c->set.network));
    json_object_object_add(root, "device", json_object_new_string(c->set.device));
    json_object_object_add(root, "batch", json_object_new_int(c->set.batch));
    json_object_object_add(root, "dtype", json_object_new_string(c->set.dtype));
    json_object_object_add(root, "with_accuracy", json_object_new_boolean(c->with_accuracy));
    json_object_object_add(root, "metric", c->with_accuracy ? json_object_new_string(c->metric) : NULL);
    json_object_object_add(root, "dataset", c->with_accuracy ? json_object_new_string(c->dataset) : NULL);
    json_object_object_add(root, "relative", json_object_new_boolean(c->relative));
    for (size_t i = 0; i < c->n_curves; i++) {
        const sr_curve *k = &c->curves[i];
        json_object *o = json_object_new_object(), *pts = json_object_new_array();
        json_object_object_add(o, "pattern", json_object_new_string(k->pattern));
        json_object_object_add(o, "source", json_object_new_string(k->source));
        json_object_object_add(o, "method", json_object_new_string(k->method));
        json_object_object_add(o, "dense_accuracy", sr_out_json_number(k->dense_accuracy));
        for (size_t j = 0; j < k->n; j++) {
            const sr_curve_point *p = &k->pts[j];
            json_object *q = json_object_new_object();
            json_object_object_add(q, "sparsity", json_object_new_double(p->sparsity));
            json_object_object_add(q, "accuracy", sr_out_json_number(p->accuracy));
            json_object_object_add(q, "predicted_speedup", sr_out_json_number(p->predicted));
            json_object_object_add(q, "measured_speedup", sr_out_json_number(p->measured));
            json_object_object_add(q, "interpolated", json_object_new_boolean(p->interpolated));
            json_object_array_add(pts, q);
        }
        json_object_object_add(o, "points", pts);
        json_object_array_add(curves, o);
    }
    json_object_object_add(root, "curves", curves);
    if (c->answered)
        json_object_object_add(root, "answers", answers_json(c));
    json_object *notes = json_object_new_array();
    for (size_t i = 0; i < c->n_notes; i++)
        json_object_array_add(notes, json_object_new_string(c->notes[i]));
    json_object_object_add(root, "left_out", notes);
    return root;
}

static sr_code chart(const void *c, struct sr_plot **out, sr_err *err)
{
    return sr_curve_chart(c, out, err);
}

static sr_code csv(const void *c, FILE *f, sr_err *err)
{
    return sr_curve_write_csv(c, f, err);
}

static json_object *json(const void *c)
{
    return sr_curve_json(c);
}

const sr_out_writers sr_curve_writers = {chart, csv, json};
