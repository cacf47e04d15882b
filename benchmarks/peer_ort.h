/* onnxruntime as a peer (peer_ort.c): benchmarks/ort_gemm.py run once, as a helper process
 * of the peers' virtual environment's python, and asked for each layer in turn. */
#ifndef SR_BENCHMARKS_PEER_ORT_H
#define SR_BENCHMARKS_PEER_ORT_H

#include <stddef.h>

#include "bench.h"

/* Loads case c's weights and inputs, already written to dir/w.f32 and dir/x.f32, into a
 * session of the helper (started at the first call with cfg's venv and threads).
 * *setup_s: building the model and the session; note: how it runs. */
sr_code peer_ort_load(const bench_config *cfg, const char *dir, const bench_case *c, double *setup_s, char *note,
                      size_t note_size, sr_err *err);

/* A warm-up and reps timed runs of the session of dir; save: Y to dir/y.f32. */
sr_code peer_ort_run(const char *dir, int reps, int save, double *median_s, sr_err *err);

/* Ends the helper (end of its input), if it runs. */
void peer_ort_stop(void);

#endif
