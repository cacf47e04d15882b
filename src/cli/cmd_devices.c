/* `sparseroof devices`: the OpenCL platforms and devices, and the index to pick each. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "runtime/runtime.h"

static const char *help =
    "usage: sparseroof devices [--json]\n"
    "\n"
    "Lists every OpenCL device of every platform. Pick one in other commands with\n"
    "--device INDEX (the first column), --device PLATFORM:DEVICE (e.g. 1:0), or a\n"
    "case-insensitive part of its name (e.g. --device pthread).\n"
    "\n"
    "  --json      one JSON object: {\"devices\": [...]}\n"
    "  -h, --help  show this help\n";

static json_object *device_json(size_t index, const sr_device_info *d)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "index", json_object_new_int64((int64_t)index));
    json_object_object_add(o, "platform_index", json_object_new_int(d->platform));
    json_object_object_add(o, "device_index", json_object_new_int(d->device));
    json_object_object_add(o, "name", json_object_new_string(d->name));
    json_object_object_add(o, "type", json_object_new_string(d->type));
    json_object_object_add(o, "vendor", json_object_new_string(d->vendor));
    json_object_object_add(o, "platform", json_object_new_string(d->platform_name));
    json_object_object_add(o, "platform_version", json_object_new_string(d->platform_version));
    json_object_object_add(o, "device_version", json_object_new_string(d->version));
    json_object_object_add(o, "driver_version", json_object_new_string(d->driver_version));
    json_object_object_add(o, "opencl_c_version", json_object_new_string(d->opencl_c_version));
    json_object_object_add(o, "compute_units", json_object_new_int64(d->compute_units));
    json_object_object_add(o, "max_clock_mhz", json_object_new_int64(d->max_clock_mhz));
    json_object_object_add(o, "global_mem_bytes", json_object_new_int64((int64_t)d->global_mem_bytes));
    json_object_object_add(o, "max_alloc_bytes", json_object_new_int64((int64_t)d->max_alloc_bytes));
    json_object_object_add(o, "local_mem_bytes", json_object_new_int64((int64_t)d->local_mem_bytes));
    json_object_object_add(o, "fp64", json_object_new_boolean(d->fp64));
    json_object_object_add(o, "fp16", json_object_new_boolean(d->fp16));
    return o;
}

int sr_cmd_devices(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': fputs(help, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("devices", "bad option");
        }
    }
    if (optind < argc)
        return sr_cli_usage("devices", "unexpected argument '%s'", argv[optind]);

    sr_err err = {0};
    sr_device_info *list = NULL;
    size_t n = 0;
    if (sr_device_list(&list, &n, &err) != SR_OK)
        return sr_cli_fail("devices", &err);
    if (json) {
        json_object *root = json_object_new_object(), *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++)
            json_object_array_add(arr, device_json(i, &list[i]));
        json_object_object_add(root, "devices", arr);
        puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(root);
    } else if (n == 0) {
        puts("No OpenCL device found. Install a driver (on Debian: pocl-opencl-icd for the CPU).");
    } else {
        printf("%-5s %-5s %-4s %-44s %5s %9s  %s\n", "index", "p:d", "type", "name", "CUs", "memory", "platform");
        for (size_t i = 0; i < n; i++) {
            const sr_device_info *d = &list[i];
            char pd[16];
            snprintf(pd, sizeof pd, "%d:%d", d->platform, d->device);
            printf("%-5zu %-5s %-4s %-44.44s %5u %6.1f GiB  %s (%s)\n", i, pd, d->type, d->name, d->compute_units,
                   (double)d->global_mem_bytes / (1 << 30), d->platform_name, d->driver_version);
        }
    }
    free(list);
    return SR_EXIT_OK;
}
