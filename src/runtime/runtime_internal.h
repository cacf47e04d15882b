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
};

#endif
