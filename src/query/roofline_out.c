/* The roofline as data (query/roofline.h): its points as CSV, ceilings and points as JSON. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>

#include "common/csv.h"
#include "query/outfile.h"
#include "query/roofline.h"

sr_code sr_roofline_write_csv(const sr_roofline *r, FILE *f, sr_err *err)
{
    fputs("device,network,layer,layer_name,m,k,n,pattern,sparsity,dtype,batch,kind,flops,bytes,ai,"
          "gflops,roof_gflops,bound,above_roof,run\n", f);
    for (size_t i = 0; i < r->n_pts; i++) {
        const sr_roofline_pt *q = &r->pts[i];
        const sr_roofline_row *p = &q->p;
        sr_csv_put_text(f, r->device);
        fputc(',', f);
        sr_csv_put_text(f, p->network);
        fputc(',', f);
        if (p->layer >= 0)
            fprintf(f, "%d", p->layer);
        fputc(',', f);
        sr_csv_put_text(f, p->layer_name);
        fprintf(f, ",%lld,%lld,%lld,%s,%.10g,%s,%d,%s,", (long long)p->m, (long long)p->k,
                (long long)p->n, p->pattern, p->sparsity, p->dtype, p->batch,
                p->measured ? "measured" : "predicted");
        const double v[] = {p->flops, p->bytes, p->ai, q->gflops, q->roof_gflops};
        for (size_t j = 0; j < sizeof v / sizeof *v; j++) {
            sr_csv_put_number(f, v[j]);
            fputc(',', f);
        }
        sr_csv_put_text(f, p->bound);
        fprintf(f, ",%d,%s\n", q->above_roof, p->run_uuid);
    }
    if (ferror(f))
        return sr_err_set(err, SR_ERR_IO, "writing the roofline's CSV failed");
    return SR_OK;
}

static json_object *roof_json(const sr_roof *f)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(sr_roof_kind_name(f->kind)));
    json_object_object_add(o, "name", json_object_new_string(f->name));
    if (f->dtype[0])
        json_object_object_add(o, "dtype", json_object_new_string(f->dtype));
    json_object_object_add(o, "value", sr_out_json_number(f->value));
    json_object_object_add(o, "unit", json_object_new_string(f->kind == SR_ROOF_BANDWIDTH ? "GB/s" : "GFLOP/s"));
    return o;
}

static json_object *point_json(const sr_roofline_pt *q)
{
    const sr_roofline_row *p = &q->p;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(p->measured ? "measured" : "predicted"));
    json_object_object_add(o, "network", p->network[0] ? json_object_new_string(p->network) : NULL);
    json_object_object_add(o, "layer", p->layer >= 0 ? json_object_new_int(p->layer) : NULL);
    json_object_object_add(o, "layer_name", p->layer_name[0] ? json_object_new_string(p->layer_name) : NULL);
    json_object_object_add(o, "m", json_object_new_int64(p->m));
    json_object_object_add(o, "k", json_object_new_int64(p->k));
    json_object_object_add(o, "n", json_object_new_int64(p->n));
    json_object_object_add(o, "pattern", json_object_new_string(p->pattern));
    json_object_object_add(o, "sparsity", json_object_new_double(p->sparsity));
    json_object_object_add(o, "dtype", json_object_new_string(p->dtype));
    json_object_object_add(o, "batch", json_object_new_int(p->batch));
    json_object_object_add(o, "flops", sr_out_json_number(p->flops));
    json_object_object_add(o, "bytes", sr_out_json_number(p->bytes));
    json_object_object_add(o, "ai", sr_out_json_number(p->ai));
    json_object_object_add(o, "gflops", sr_out_json_number(q->gflops));
    json_object_object_add(o, "roof_gflops", sr_out_json_number(q->roof_gflops));
    json_object_object_add(o, "bound", p->bound[0] ? json_object_new_string(p->bound) : NULL);
    json_object_object_add(o, "above_roof", json_object_new_boolean(q->above_roof));
    json_object_object_add(o, "run", json_object_new_string(p->run_uuid));
    return o;
}

json_object *sr_roofline_json(const sr_roofline *r)
{
    json_object *root = json_object_new_object(), *roofs = json_object_new_array(),
                *pts = json_object_new_array();
    json_object_object_add(root, "device", json_object_new_string(r->device));
    json_object_object_add(root, "device_uuid", json_object_new_string(r->device_uuid));
    json_object_object_add(root, "virtual", json_object_new_boolean(r->is_virtual));
    json_object_object_add(root, "network", r->network[0] ? json_object_new_string(r->network) : NULL);
    json_object_object_add(root, "run", r->run[0] ? json_object_new_string(r->run) : NULL);
    for (size_t i = 0; i < r->n_roofs; i++)
        json_object_array_add(roofs, roof_json(&r->roofs[i]));
    json_object_object_add(root, "ceilings", roofs);
    for (size_t i = 0; i < r->n_pts; i++)
        json_object_array_add(pts, point_json(&r->pts[i]));
    json_object_object_add(root, "points", pts);
    json_object_object_add(root, "measured", json_object_new_int64((int64_t)r->measured));
    json_object_object_add(root, "predicted", json_object_new_int64((int64_t)r->predicted));
    json_object_object_add(root, "above_roof", json_object_new_int64((int64_t)r->above));
    return root;
}

static sr_code chart(const void *r, struct sr_plot **out, sr_err *err)
{
    return sr_roofline_chart(r, out, err);
}

static sr_code csv(const void *r, FILE *f, sr_err *err)
{
    return sr_roofline_write_csv(r, f, err);
}

static json_object *json(const void *r)
{
    return sr_roofline_json(r);
}

const sr_out_writers sr_roofline_writers = {chart, csv, json};
