/* The opened device's state, shared by the runtime's own files (context.c, loop_limit.c);
 * outside src/runtime/ it stays opaque. */
#ifndef SR_RUNTIME_INTERNAL_H
#define SR_RUNTIME_INTERNAL_H

#include "runtime/runtime.h"

typedef struct program_entry {
    char *file, *options;
    cl_program program;
    struct program_entry *next;
} program_entry;

struct sr_cl {
    sr_device_info info;
    cl_context context;
    cl_command_queue queue;
    program_entry *programs;
    int loop_probed;     /* sr_cl_loop_limit ran: loop_limit holds its answer */
    uint64_t loop_limit; /* 0: none found */
    sr_event_timer_fn event_timer; /* NULL: the profiling stamps (sr_cl_event_seconds) */
    int built, loaded;   /* programs built from source, and loaded from the binary cache */
};

/* context.c: the source of kernel file `file` as programs are built from it (malloc'ed;
 * NULL and err set when it cannot be had). */
char *sr_cl_load_source(const char *file, sr_err *err);

/* binary_cache.c: the file that holds (or will hold) the binary of the program built from
 * srcs with options on cl's device; 0 when there is no cache (SPARSEROOF_CACHE_DIR=off,
 * no folder to be had). */
int sr_binary_cache_path(const sr_cl *cl, const char *const *srcs, int n_srcs, const char *options, char *path,
                         size_t size);
/* The program built from the binary in path, or NULL (missing, unreadable, refused). */
cl_program sr_binary_cache_load(const sr_cl *cl, const char *path, const char *options);
/* Writes prog's binary to path (whole, or not at all; failures are silent). */
void sr_binary_cache_store(cl_program prog, const char *path);

#endif
