/* Devices side by side as data (query/compare.h): one CSV row per device, pattern and
 * sparsity; JSON with the devices and, per pattern and sparsity, each device's figures. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>

#include "common/csv.h"
#include "query/compare.h"

sr_code sr_compare_write_csv(const sr_compare *c, FILE *f, sr_err *err)
{
    fputs("network,batch,dtype,device,device_uuid,pattern,sparsity,predicted_speedup,"
          "measured_speedup,predicted_s,measured_s,predicted_dense_s,measured_dense_s\n", f);
    for (size_t i = 0; i < c->n_rows; i++)
        for (size_t d = 0; d < c->n_devs; d++) {
            const sr_compare_device *dev = &c->devs[d];
            const sr_compare_cell *cell = &c->rows[i].cells[d];
            sr_csv_put_text(f, c->network);
            fprintf(f, ",%d,%s,", c->batch, c->dtype);
            sr_csv_put_text(f, dev->device);
            fprintf(f, ",%s,%s,%.10g", dev->device_uuid, c->rows[i].pattern, c->rows[i].sparsity);
            const double v[] = {cell->predicted_speedup, cell->measured_speedup, cell->predicted_s,
                                cell->measured_s, dev->predicted_dense_s, dev->measured_dense_s};
            for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
                fputc(',', f);
                sr_csv_put_number(f, v[k]);
            }
            fputc('\n', f);
        }
    if (ferror(f))
        return sr_err_set(err, SR_ERR_IO, "writing the comparison's CSV failed");
    return SR_OK;
}

json_object *sr_compare_json(const sr_compare *c)
{
    json_object *root = json_object_new_object(), *devs = json_object_new_array(),
                *rows = json_object_new_array();
    json_object_object_add(root, "network", json_object_new_string(c->network));
    json_object_object_add(root, "batch", json_object_new_int(c->batch));
    json_object_object_add(root, "dtype", json_object_new_string(c->dtype));
    for (size_t d = 0; d < c->n_devs; d++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "device", json_object_new_string(c->devs[d].device));
        json_object_object_add(o, "device_uuid", json_object_new_string(c->devs[d].device_uuid));
        json_object_object_add(o, "predicted_dense_s", sr_out_json_number(c->devs[d].predicted_dense_s));
        json_object_object_add(o, "measured_dense_s", sr_out_json_number(c->devs[d].measured_dense_s));
        json_object_array_add(devs, o);
    }
    json_object_object_add(root, "devices", devs);
    for (size_t i = 0; i < c->n_rows; i++) {
        json_object *o = json_object_new_object(), *cells = json_object_new_array();
        json_object_object_add(o, "pattern", json_object_new_string(c->rows[i].pattern));
        json_object_object_add(o, "sparsity", json_object_new_double(c->rows[i].sparsity));
        for (size_t d = 0; d < c->n_devs; d++) {
            const sr_compare_cell *cell = &c->rows[i].cells[d];
            json_object *q = json_object_new_object();
            json_object_object_add(q, "device", json_object_new_string(c->devs[d].device));
            json_object_object_add(q, "predicted_speedup", sr_out_json_number(cell->predicted_speedup));
            json_object_object_add(q, "measured_speedup", sr_out_json_number(cell->measured_speedup));
            json_object_object_add(q, "predicted_s", sr_out_json_number(cell->predicted_s));
            json_object_object_add(q, "measured_s", sr_out_json_number(cell->measured_s));
            json_object_array_add(cells, q);
        }
        json_object_object_add(o, "devices", cells);
        json_object_array_add(rows, o);
    }
    json_object_object_add(root, "rows", rows);
    return root;
}

static sr_code chart(const void *c, struct sr_plot **out, sr_err *err)
{
    return sr_compare_chart(c, out, err);
}

static sr_code csv(const void *c, FILE *f, sr_err *err)
{
    return sr_compare_write_csv(c, f, err);
}

static json_object *json(const void *c)
{
    return sr_compare_json(c);
}

const sr_out_writers sr_compare_writers = {chart, csv, json};
