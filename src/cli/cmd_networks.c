/* `sparseroof networks`: the built-in networks with their layer counts and dense GMACs,
 * or one network's layer table (a built-in name or a file). */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json_out.h"
#include "cli/cmd_model.h"

static const char networks_usage[] =
    "usage: sparseroof networks [--json] [NAME|FILE]\n"
    "\n"
    "Without NAME|FILE, lists the built-in networks: layers, prunable layers, dense GMACs per\n"
    "image or sequence. With one, prints its layer table (GEMM shapes per image).\n"
    "FILE is a CSV (name,kind,m,k,n,groups,prunable[,extra_bytes]) or a .json file; see\n"
    "db/networks/README.md and tools/export_torch.py.\n"
    "\n"
    "  --json    print JSON instead of a table\n"
    "  -h, --help\n";

static size_t n_prunable(const sr_network *net)
{
    size_t n = 0;
    for (size_t i = 0; i < sr_network_n_layers(net); i++)
        n += sr_network_layer(net, i)->prunable != 0;
    return n;
}

static json_object *network_summary(const sr_network *net)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(sr_network_name(net)));
    json_object_object_add(o, "description", json_object_new_string(sr_network_description(net)));
    json_object_object_add(o, "layers", json_object_new_int64((int64_t)sr_network_n_layers(net)));
    json_object_object_add(o, "prunable_layers", json_object_new_int64((int64_t)n_prunable(net)));
    json_object_object_add(o, "gmacs", sr_cli_json_num(sr_network_macs(net) / 1e9));
    return o;
}

static int list_builtin(int json)
{
    json_object *arr = json ? json_object_new_array() : NULL;
    if (!json)
        printf("%-14s %7s %9s %9s  %s\n", "network", "layers", "prunable", "GMACs", "description");
    for (size_t i = 0; i < sr_network_builtin_count(); i++) {
        sr_network *net;
        sr_err err;
        if (sr_network_builtin(sr_network_builtin_name(i), &net, &err) != SR_OK) {
            json_object_put(arr);
            return sr_cli_fail("networks", &err);
        }
        if (json)
            json_object_array_add(arr, network_summary(net));
        else
            printf("%-14s %7zu %9zu %9.3f  %s\n", sr_network_name(net), sr_network_n_layers(net),
                   n_prunable(net), sr_network_macs(net) / 1e9, sr_network_description(net));
        sr_network_free(net);
    }
    if (json) {
        json_object *root = json_object_new_object();
        json_object_object_add(root, "networks", arr);
        sr_cli_json_print(root);
    }
    return 0;
}

static int show_network(const char *arg, int json)
{
    sr_network *net;
    sr_err err;
    if (sr_cli_network_open(arg, &net, &err) != SR_OK)
        return sr_cli_fail("networks", &err);
    json_object *root = json ? network_summary(net) : NULL, *arr = NULL;
    if (json) {
        arr = json_object_new_array();
        json_object_object_add(root, "layer_table", arr);
    } else {
        printf("%s: %s\n%zu layers (%zu prunable), %.3f dense GMACs per image\n\n",
               sr_network_name(net), sr_network_description(net), sr_network_n_layers(net),
               n_prunable(net), sr_network_macs(net) / 1e9);
        printf("%-48s %-6s %7s %7s %7s %6s %8s %10s %12s\n", "layer", "kind", "m", "k", "n",
               "groups", "prunable", "MMACs", "extra_bytes");
    }
    for (size_t i = 0; i < sr_network_n_layers(net); i++) {
        const sr_layer *l = sr_network_layer(net, i);
        if (!json) {
            printf("%-48s %-6s %7lld %7lld %7lld %6lld %8s %10.3f %12.0f\n", l->name,
                   sr_layer_kind_name(l->kind), (long long)l->m, (long long)l->k, (long long)l->n,
                   (long long)l->groups, l->prunable ? "yes" : "no", sr_layer_macs(l) / 1e6,
                   l->extra_bytes);
            continue;
        }
        json_object *o = json_object_new_object();
        sr_cli_json_shape(o, l->name, l->kind, l->m, l->k, l->n, l->groups);
        json_object_object_add(o, "prunable", json_object_new_boolean(l->prunable));
        json_object_object_add(o, "extra_bytes", sr_cli_json_num(l->extra_bytes));
        json_object_object_add(o, "macs", sr_cli_json_num(sr_layer_macs(l)));
        json_object_array_add(arr, o);
    }
    if (json)
        sr_cli_json_print(root);
    sr_network_free(net);
    return 0;
}

int sr_cmd_networks(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': fputs(networks_usage, stdout); return SR_EXIT_OK;
        default: return sr_cli_usage("networks", "unknown option");
        }
    }
    if (argc - optind > 1)
        return sr_cli_usage("networks", "one network at a time (got %d)", argc - optind);
    return optind < argc ? show_network(argv[optind], json) : list_builtin(json);
}
