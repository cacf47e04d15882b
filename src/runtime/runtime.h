/* The OpenCL runtime: platforms and devices, one context and profiling queue per opened
 * device, programs built from the embedded kernels/ sources and cached per device and
 * option set, buffers, launches and their timing. The only layer that calls OpenCL.
 * Every failure names the OpenCL error, its number and what was being done:
 * "CL_OUT_OF_RESOURCES (-5) while running spmm_csr". */
#ifndef SR_RUNTIME_H
#define SR_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __APPLE__
#include <OpenCL/opencl.h>
#else
#include <CL/cl.h>
#endif

#include "common/status.h"

typedef struct {
    int platform, device; /* indices as listed by `sparseroof devices` */
    char platform_name[256], platform_vendor[256], platform_version[256];
    char name[256], vendor[256], version[256], driver_version[256], opencl_c_version[256];
    char type[16];        /* "CPU", "GPU", "ACCELERATOR", "OTHER" */
    unsigned compute_units;
    unsigned max_clock_mhz;
    uint64_t global_mem_bytes, max_alloc_bytes, local_mem_bytes, global_cache_bytes;
    size_t max_work_group_size;
    unsigned base_align_bytes; /* alignment of a buffer's start (CL_DEVICE_MEM_BASE_ADDR_ALIGN) */
    int fp64, fp16;       /* whether the device supports them */
    cl_platform_id platform_id;
    cl_device_id device_id;
} sr_device_info;

/* Every device of every platform. *out is malloc'ed (free() it); zero devices is not an
 * error (count 0). Sets POCL_AFFINITY=1 unless the environment already sets it (PoCL's
 * unpinned worker threads often leave a core out of short kernels). */
sr_code sr_device_list(sr_device_info **out, size_t *count, sr_err *err);

/* Picks a device by spec: NULL or "" = the first; "2" = the third overall; "1:0" =
 * platform 1, device 0; anything else = a case-insensitive substring of the device (or
 * platform) name. An unknown spec's message lists the devices. */
/* Whether spec picks a device by position ("2", "1:0") rather than by name. */
int sr_device_spec_is_index(const char *spec);

sr_code sr_device_find(const sr_device_info *list, size_t count, const char *spec,
                       size_t *index, sr_err *err);

typedef struct sr_cl sr_cl; /* an opened device */

/* A hash of every kernel source as programs are built from it (the embedded kernels/ files,
 * or $SPARSEROOF_KERNEL_DIR's): what decides, with their parameters, the kernels' speed. */
sr_code sr_cl_sources_hash(uint64_t *out, sr_err *err);

sr_code sr_cl_open(const sr_device_info *dev, sr_cl **out, sr_err *err);
void sr_cl_close(sr_cl *cl); /* NULL is a no-op */
const sr_device_info *sr_cl_info(const sr_cl *cl);
cl_context sr_cl_context(const sr_cl *cl);
cl_command_queue sr_cl_queue(const sr_cl *cl);

/* A kernel from the embedded source `file` ("spmm_csr.cl") built with `options`
 * ("-DTM=4 -DVW=16"). The program is built once per (file, options) and kept; the
 * returned kernel is new (release it with clReleaseKernel). build_seconds (may be NULL)
 * gets the build time when this call built the program, else 0. A failed build's
 * message carries the build log. If SPARSEROOF_KERNEL_DIR is set, sources are read from
 * that directory instead (for kernel development). */
sr_code sr_cl_kernel(sr_cl *cl, const char *file, const char *name, const char *options,
                     cl_kernel *out, double *build_seconds, sr_err *err);
/* Programs this opened device built from source, and loaded from the binary cache (the
 * driver's binaries of earlier builds, kept in $SPARSEROOF_CACHE_DIR, else
 * $XDG_CACHE_HOME or ~/.cache, under sparseroof/programs; SPARSEROOF_CACHE_DIR=off: none). */
void sr_cl_program_counts(const sr_cl *cl, int *built, int *loaded);

/* Buffers: `what` names the buffer in messages ("X", "CSR values"). */
sr_code sr_cl_buffer(sr_cl *cl, cl_mem_flags flags, size_t bytes, const void *host,
                     const char *what, cl_mem *out, sr_err *err);
sr_code sr_cl_read(sr_cl *cl, cl_mem buf, size_t bytes, void *host, const char *what,
                   sr_err *err);
/* Sets kernel argument i; `what` names the kernel in messages. */
sr_code sr_cl_arg(cl_kernel k, cl_uint i, size_t size, const void *value, const char *what,
                  sr_err *err);

/* Enqueues one launch (local may be NULL) with a profiling event. *event receives it
 * (release it) when non-NULL, else it is released here. Does not wait. */
sr_code sr_cl_launch(sr_cl *cl, cl_kernel k, cl_uint dims, const size_t *global,
                     const size_t *local, const char *what, cl_event *event, sr_err *err);
sr_code sr_cl_finish(sr_cl *cl, const char *what, sr_err *err);

/* Loops that end early. Mesa's llvmpipe (rusticl's CPU device) silently leaves every
 * loop of a kernel once they have run 65535 iterations in all (a driver defect: OpenCL
 * promises no such limit), so a long-looping kernel gives wrong results there.
 * sr_cl_loop_limit probes the device once (a kernel of one loop) and gives the count
 * where its loops stop, 0 if they ran to the end. sr_cl_loop_check, asked when kernel
 * `what` gave a wrong result, refuses it (SR_ERR_UNSUPPORTED, a message naming the
 * defect) if its work-items may loop `iterations` times in all (an upper bound: every
 * loop counted, none taken as unrolled, so it is asked only after a wrong result) and the
 * driver stops sooner; it probes only above SR_LOOP_LIMIT_LOWEST, the lowest limit known. */
#define SR_LOOP_LIMIT_LOWEST 65535.0
sr_code sr_cl_loop_limit(sr_cl *cl, uint64_t *limit, sr_err *err);
sr_code sr_cl_loop_check(sr_cl *cl, double iterations, const char *what, sr_err *err);

/* Seconds between an event's START and END profiling stamps (negative if the driver
 * gave no usable stamps). */
double sr_cl_event_seconds(cl_event ev);

/* The timer of an opened device's launches: sr_cl_event_seconds unless another was set.
 * Tests set a stand-in (e.g. one that lies, as some drivers' stamps do: rusticl's are
 * zero) to check that the timing survives it; NULL restores the stamps. */
typedef double (*sr_event_timer_fn)(cl_event ev);
void sr_cl_set_event_timer(sr_cl *cl, sr_event_timer_fn fn);
double sr_cl_event_time(const sr_cl *cl, cl_event ev);

/* Monotonic wall clock, seconds. */
double sr_wall_seconds(void);

/* Error name of an OpenCL code ("CL_OUT_OF_RESOURCES"). */
const char *sr_cl_errname(cl_int code);

/* Fills err with "<NAME> (<code>) while <what...>" and returns SR_ERR_CL. */
sr_code sr_cl_fail(sr_err *err, cl_int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
