/* Kernel parameters by the fallback chain of params.h. */
#include "session/params.h"

#include <stdio.h>
#include <string.h>


const char *sr_params_source_name(sr_params_source s)
{
    switch (s) {
    case SR_PARAMS_GIVEN: return "--params";
    case SR_PARAMS_TUNED: return "tuned";
    case SR_PARAMS_TUNED_DRIVER: return "tuned under another driver";
    case SR_PARAMS_TUNED_SIMILAR: return "tuned on a similar device";
    case SR_PARAMS_DEFAULT_FIT: return "default (tuned exceed a device limit here)";
    case SR_PARAMS_DEFAULT: break;
    }
    return "default";
}

sr_code sr_session_params(const sr_session *s, const sr_pattern *p, int m, int k, int n, const char *given,
                          sr_kernel_params *out, sr_params_source *source, sr_err *err)
{
    sr_kernel_params_default_for(p, s->dev ? s->dev->type : "CPU", m, n, out);
    *source = SR_PARAMS_DEFAULT;
    if (given) {
        *source = SR_PARAMS_GIVEN;
        return sr_kernel_params_parse(given, out, err);
    }
    if (!s->store || !s->device_uuid[0])
        return SR_OK;
    char name[SR_NAME_MAX];
    sr_pattern_name(p, name, sizeof name);
    sr_tuned_rec t;
    sr_kernel_params kp = *out;
    if (sr_store_get_tuned(s->store, s->device_uuid, name, SR_DTYPE_FP32, m, k, n, &t, NULL) == SR_OK &&
        sr_kernel_params_parse(t.params, &kp, NULL) == SR_OK && sr_kernel_params_check(&kp, p, NULL) == SR_OK) {
        *out = kp;
        *source = t.tier == SR_TUNED_EXACT       ? SR_PARAMS_TUNED
                  : t.tier == SR_TUNED_SAME_NAME ? SR_PARAMS_TUNED_DRIVER
                                                 : SR_PARAMS_TUNED_SIMILAR;
    }
    return SR_OK;
}

sr_code sr_session_params_fit(const sr_session *s, sr_kernel_spec *spec, int m, int k, int n, int groups,
                              const char *given, sr_params_source *source, char *note, size_t note_size,
                              sr_err *err)
{
    if (note_size)
        note[0] = '\0';
    sr_code c = sr_session_params(s, &spec->pattern, m, k, n, given, &spec->params, source, err);
    if (c != SR_OK || !s->dev || *source == SR_PARAMS_GIVEN || *source == SR_PARAMS_DEFAULT)
        return c;
    sr_err why = {0};
    if (sr_kernel_check(s->dev, m, k, n, groups, spec, &why) == SR_OK)
        return SR_OK;
    sr_kernel_spec def = *spec;
    sr_kernel_params_default_for(&spec->pattern, s->dev->type, m, n, &def.params);
    if (sr_kernel_check(s->dev, m, k, n, groups, &def, NULL) != SR_OK)
        return SR_OK;
    char tuned[128];
    sr_kernel_params_format(&spec->params, tuned, sizeof tuned);
    snprintf(note, note_size, "ran with the defaults: the parameters %s (%s) cannot run at %d x %d x %d: %s", tuned,
             sr_params_source_name(*source), m, k, n, why.msg);
    spec->params = def.params;
    *source = SR_PARAMS_DEFAULT_FIT;
    return SR_OK;
}
