/* Holding a CPU device's cores awake while its kernels are timed.
 *
 * PoCL's CPU workers sleep on a condition variable the moment a kernel ends, and the next
 * launch must wake them. In a virtual machine an idle core halts and waking it takes long
 * enough that on a kernel of a few hundred microseconds one worker often finds the work
 * gone: repetitions then fall into two clusters, one core's time and two cores'
 * (seen at 256x2304x196, block:4x4: medians of 0.13 and 0.23 ms from run to run). The
 * peers' runtimes spin for a while, but not across a pause (MKL then took up to 12x
 * longer), so the kernel benchmark holds the cores awake for them too. Here
 * one thread per core of the process's CPU set loops on sched_yield() at SCHED_IDLE, the
 * lowest priority: it runs only where the core would otherwise halt, and each yield hands
 * the core to any thread that became ready. (A loop of pause instructions instead left
 * woken workers waiting: kernels of a few microseconds took 20 to 30 us, some 2-4 ms,
 * and the calibration's smallest points ran up to 15x slower.) SPARSEROOF_KEEP_AWAKE=0
 * turns it off. */
#ifndef SR_KEEP_AWAKE_H
#define SR_KEEP_AWAKE_H

typedef struct sr_keep_awake sr_keep_awake;

/* Starts the spinning threads where device_type is "CPU" and SPARSEROOF_KEEP_AWAKE is not
 * "0"; NULL (nothing started) otherwise, or when no thread could start (best effort: the
 * timing goes on, and sr_keep_awake_cpus says 0). */
sr_keep_awake *sr_keep_awake_start(const char *device_type);

/* How many cores are held awake (0 for NULL). */
int sr_keep_awake_cpus(const sr_keep_awake *ka);

/* Stops and joins the threads; NULL is a no-op. */
void sr_keep_awake_stop(sr_keep_awake *ka);

#endif
