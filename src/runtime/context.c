/* An opened device: its context, an in-order profiling queue, and the programs built on
 * it, cached per (kernel file, build options) so that each is compiled once. */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE), a Linux extension */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "common/embedded.h"
#include "runtime/runtime.h"
#include "runtime/runtime_internal.h"

extern const struct sr_embedded sr_kernel_sources[];


double sr_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

sr_code sr_cl_open(const sr_device_info *dev, sr_cl **out, sr_err *err)
{
    *out = NULL;
    sr_cl *cl = calloc(1, sizeof *cl);
    if (!cl)
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory opening device %s", dev->name);
    cl->info = *dev;
    cl_int rc;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)dev->platform_id, 0};
    cl->context = clCreateContext(props, 1, &dev->device_id, NULL, NULL, &rc);
    if (rc != CL_SUCCESS) {
        free(cl);
        return sr_cl_fail(err, rc, "creating a context on %s", dev->name);
    }
    /* clCreateCommandQueue is deprecated in 2.0 but is the 1.2 call every driver has. */
    cl->queue = clCreateCommandQueue(cl->context, dev->device_id, CL_QUEUE_PROFILING_ENABLE, &rc);
    if (rc != CL_SUCCESS) {
        clReleaseContext(cl->context);
        free(cl);
        return sr_cl_fail(err, rc, "creating a profiling queue on %s", dev->name);
    }
    *out = cl;
    return SR_OK;
}

void sr_cl_close(sr_cl *cl)
{
    if (!cl)
        return;
    for (program_entry *p = cl->programs, *next; p; p = next) {
        next = p->next;
        clReleaseProgram(p->program);
        free(p->file);
        free(p->options);
        free(p);
    }
    clReleaseCommandQueue(cl->queue);
    clReleaseContext(cl->context);
    free(cl);
}

const sr_device_info *sr_cl_info(const sr_cl *cl) { return &cl->info; }

void sr_cl_program_counts(const sr_cl *cl, int *built, int *loaded)
{
    *built = cl->built;
    *loaded = cl->loaded;
}
cl_context sr_cl_context(const sr_cl *cl) { return cl->context; }
cl_command_queue sr_cl_queue(const sr_cl *cl) { return cl->queue; }

/* The kernel source: the embedded copy, or $SPARSEROOF_KERNEL_DIR/file while developing. */
char *sr_cl_load_source(const char *file, sr_err *err)
{
    const char *dir = getenv("SPARSEROOF_KERNEL_DIR");
    if (dir && *dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        FILE *f = fopen(path, "rb");
        if (!f) {
            sr_err_set(err, SR_ERR_IO, "cannot read kernel %s (SPARSEROOF_KERNEL_DIR is set)", path);
            return NULL;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *src = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (!src || fread(src, 1, (size_t)n, f) != (size_t)n) {
            free(src);
            fclose(f);
            sr_err_set(err, SR_ERR_IO, "cannot read kernel %s", path);
            return NULL;
        }
        src[n] = '\0';
        fclose(f);
        return src;
    }
    const struct sr_embedded *e = sr_embedded_find(sr_kernel_sources, file);
    if (!e) {
        sr_err_set(err, SR_ERR_NOTFOUND, "no embedded kernel source named %s", file);
        return NULL;
    }
    char *src = malloc(e->size + 1);
    if (!src) {
        sr_err_set(err, SR_ERR_NOMEM, "out of memory loading kernel %s", file);
        return NULL;
    }
    memcpy(src, e->data, e->size + 1);
    return src;
}

static sr_code build_log_fail(sr_cl *cl, cl_program prog, cl_int rc, const char *file,
                              const char *options, sr_err *err)
{
    char log[SR_ERR_MSG_MAX / 2] = "";
    size_t n = 0;
    clGetProgramBuildInfo(prog, cl->info.device_id, CL_PROGRAM_BUILD_LOG, sizeof log - 1, log, &n);
    log[sizeof log - 1] = '\0';
    return sr_cl_fail(err, rc, "building %s with \"%s\"; build log:\n%s", file, options, log);
}

static sr_code get_program(sr_cl *cl, const char *file, const char *options, cl_program *out,
                           double *build_seconds, sr_err *err)
{
    for (program_entry *p = cl->programs; p; p = p->next)
        if (strcmp(p->file, file) == 0 && strcmp(p->options, options) == 0) {
            *out = p->program;
            return SR_OK;
        }
    char *common = sr_cl_load_source("sr_common.cl", err);
    char *src = common ? sr_cl_load_source(file, err) : NULL;
    if (!src) {
        free(common);
        return err ? err->code : SR_ERR_IO;
    }
    cl_int rc = CL_SUCCESS;
    const char *srcs[] = {common, src};
    char cached[4200];
    const int cacheable = sr_binary_cache_path(cl, srcs, 2, options, cached, sizeof cached);
    double t0 = sr_wall_seconds();
    cl_program prog = cacheable ? sr_binary_cache_load(cl, cached, options) : NULL;
    if (prog) {
        cl->loaded++;
    } else {
        prog = clCreateProgramWithSource(cl->context, 2, srcs, NULL, &rc);
        if (rc == CL_SUCCESS)
            rc = clBuildProgram(prog, 1, &cl->info.device_id, options, NULL, NULL);
        if (rc == CL_SUCCESS && cacheable)
            sr_binary_cache_store(prog, cached);
        cl->built += rc == CL_SUCCESS;
    }
    free(common);
    free(src);
    if (build_seconds)
        *build_seconds = sr_wall_seconds() - t0;
    if (rc != CL_SUCCESS && !prog)
        return sr_cl_fail(err, rc, "creating program %s", file);
    if (rc != CL_SUCCESS) {
        sr_code c = build_log_fail(cl, prog, rc, file, options, err);
        clReleaseProgram(prog);
        return c;
    }
    program_entry *e = calloc(1, sizeof *e);
    if (e) {
        e->file = strdup(file);
        e->options = strdup(options);
    }
    if (!e || !e->file || !e->options) {
        if (e) {
            free(e->file);
            free(e->options);
        }
        free(e);
        clReleaseProgram(prog);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory caching program %s", file);
    }
    e->program = prog;
    e->next = cl->programs;
    cl->programs = e;
    *out = prog;
    return SR_OK;
}

sr_code sr_cl_kernel(sr_cl *cl, const char *file, const char *name, const char *options,
                     cl_kernel *out, double *build_seconds, sr_err *err)
{
    if (build_seconds)
        *build_seconds = 0;
    cl_program prog = NULL;
    sr_code c = get_program(cl, file, options ? options : "", &prog, build_seconds, err);
    if (c != SR_OK)
        return c;
    cl_int rc;
    *out = clCreateKernel(prog, name, &rc);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "creating kernel %s from %s", name, file);
    return SR_OK;
}

/* On a CPU device, buffers from HUGE_BYTES on live in memory allocated here, whole 2 MiB
 * pages marked for transparent huge pages where the system has them: a kernel that
 * reads X's panels at scattered block columns otherwise misses the TLB on most blocks
 * (a 2 MiB X spans 512 small pages). The memory is freed when the buffer is released. */
#define HUGE_BYTES ((size_t)1 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static void CL_CALLBACK free_host_memory(cl_mem buf, void *mem)
{
    (void)buf;
    free(mem);
}

static cl_mem huge_page_buffer(sr_cl *cl, cl_mem_flags flags, size_t bytes, const void *host, cl_int *rc)
{
    void *mem = NULL;
    const size_t whole = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (posix_memalign(&mem, HUGE_PAGE, whole) != 0) {
        *rc = CL_OUT_OF_HOST_MEMORY;
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    madvise(mem, whole, MADV_HUGEPAGE); /* advice only: small pages still work */
#endif
    if (host)
        memcpy(mem, host, bytes);
    cl_mem buf = clCreateBuffer(cl->context, flags | CL_MEM_USE_HOST_PTR, bytes, mem, rc);
    if (*rc == CL_SUCCESS)
        *rc = clSetMemObjectDestructorCallback(buf, free_host_memory, mem);
    if (*rc != CL_SUCCESS) {
        if (buf)
            clReleaseMemObject(buf); /* without the callback: mem is still ours */
        free(mem);
        return NULL;
    }
    return buf;
}

sr_code sr_cl_buffer(sr_cl *cl, cl_mem_flags flags, size_t bytes, const void *host, const char *what,
                     cl_mem *out, sr_err *err)
{
    cl_int rc;
    if (bytes == 0)
        bytes = 4; /* OpenCL refuses empty buffers; an all-zero matrix may have none */
    if (bytes >= HUGE_BYTES && strcmp(cl->info.type, "CPU") == 0)
        *out = huge_page_buffer(cl, flags, bytes, host, &rc);
    else
        *out = clCreateBuffer(cl->context, flags | (host ? CL_MEM_COPY_HOST_PTR : 0), bytes, (void *)host, &rc);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "allocating %zu bytes for %s on %s", bytes, what, cl->info.name);
    return SR_OK;
}

sr_code sr_cl_read(sr_cl *cl, cl_mem buf, size_t bytes, void *host, const char *what, sr_err *err)
{
    cl_int rc = clEnqueueReadBuffer(cl->queue, buf, CL_TRUE, 0, bytes, host, 0, NULL, NULL);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "reading back %s", what);
    return SR_OK;
}

sr_code sr_cl_arg(cl_kernel k, cl_uint i, size_t size, const void *value, const char *what, sr_err *err)
{
    cl_int rc = clSetKernelArg(k, i, size, value);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "setting argument %u of %s", (unsigned)i, what);
    return SR_OK;
}

sr_code sr_cl_launch(sr_cl *cl, cl_kernel k, cl_uint dims, const size_t *global, const size_t *local,
                     const char *what, cl_event *event, sr_err *err)
{
    cl_event ev;
    cl_int rc = clEnqueueNDRangeKernel(cl->queue, k, dims, NULL, global, local, 0, NULL, &ev);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "running %s", what);
    if (event)
        *event = ev;
    else
        clReleaseEvent(ev);
    return SR_OK;
}

sr_code sr_cl_finish(sr_cl *cl, const char *what, sr_err *err)
{
    cl_int rc = clFinish(cl->queue);
    if (rc != CL_SUCCESS)
        return sr_cl_fail(err, rc, "waiting for %s", what);
    return SR_OK;
}

double sr_cl_event_seconds(cl_event ev)
{
    cl_ulong start = 0, end = 0;
    if (clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL) != CL_SUCCESS ||
        clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) != CL_SUCCESS ||
        end < start)
        return -1.0;
    return 1e-9 * (double)(end - start);
}

void sr_cl_set_event_timer(sr_cl *cl, sr_event_timer_fn fn)
{
    cl->event_timer = fn;
}

double sr_cl_event_time(const sr_cl *cl, cl_event ev)
{
    return cl->event_timer ? cl->event_timer(ev) : sr_cl_event_seconds(ev);
}
