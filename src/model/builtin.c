/* The built-in networks: the CSV files of db/networks, embedded into the binary at build time by
 * tools/embed.py (src/model/meson.build), listed here in the order `networks` shows them. */
#include <stdio.h>
#include <string.h>

#include "common/embedded.h"
#include "model/network.h"

extern const struct sr_embedded sr_network_sources[];

static const char *const builtin_names[] = {
    "resnet18", "resnet50", "mobilenet_v2", "convnext_tiny", "vit_b_16", "swin_t", "bert_base",
};
#define N_BUILTIN (sizeof builtin_names / sizeof builtin_names[0])

size_t sr_network_builtin_count(void)
{
    return N_BUILTIN;
}

const char *sr_network_builtin_name(size_t i)
{
    return i < N_BUILTIN ? builtin_names[i] : NULL;
}

static void list_builtin(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_BUILTIN && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", builtin_names[i]);
}

sr_code sr_network_builtin(const char *name, sr_network **out, sr_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < N_BUILTIN; i++) {
        if (strcmp(name, builtin_names[i]) != 0)
            continue;
        char file[128], source[160];
        snprintf(file, sizeof file, "%s.csv", name);
        snprintf(source, sizeof source, "built-in network %s", file);
        const struct sr_embedded *e = sr_embedded_find(sr_network_sources, file);
        if (!e)
            return sr_err_set(err, SR_ERR_NOTFOUND, "%s is not embedded in this build", source);
        return sr_network_parse(name, source, e->data, e->size, out, err);
    }
    char list[512];
    list_builtin(list, sizeof list);
    return sr_err_set(err, SR_ERR_NOTFOUND, "no built-in network '%s' (built-in: %s)", name, list);
}

sr_code sr_network_open(const char *name_or_file, sr_network **out, sr_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < N_BUILTIN; i++)
        if (strcmp(name_or_file, builtin_names[i]) == 0)
            return sr_network_builtin(name_or_file, out, err);
    FILE *f = fopen(name_or_file, "rb");
    if (!f) {
        char list[512];
        list_builtin(list, sizeof list);
        return sr_err_set(err, SR_ERR_NOTFOUND, "'%s' is neither a built-in network (%s) "
                          "nor a readable file", name_or_file, list);
    }
    fclose(f);
    return sr_network_load(name_or_file, out, err);
}
