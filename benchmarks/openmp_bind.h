/* GNU OpenMP's threads bound to cores for the in-process peers that use it (MKL, plain C).
 *
 * Unbound, a team's two threads could share one core of this 2-core virtual machine:
 * whole rounds of MKL calls then took 8 ms each instead of 0.2 to 0.7 ms (2 to 7 of 24
 * rounds on four ResNet-50 shapes in five runs, with the cores held awake; none of 24
 * bound). libgomp
 * reads OMP_PROC_BIND once, as it loads, and binds the first thread to the first core:
 * so the benchmark sets it and starts itself again, gives every thread it has then its
 * CPU set back (OpenBLAS's threads, started before main, ran 2x slower all on one core;
 * so did onnxruntime's helper process, which inherits it), and binds the calling thread
 * to its first core only while such a peer runs. The caller's own OMP_PROC_BIND wins. */
#ifndef BENCH_OPENMP_BIND_H
#define BENCH_OPENMP_BIND_H

/* At the start of main: returns only in the process that goes on (the one started again,
 * or this one where the caller set OMP_PROC_BIND or starting again failed). */
void openmp_bind_start(char **argv);

/* Whether it is bound (openmp_bind_start started the process again). */
int openmp_bind_active(void);

/* Binds the calling thread to the first core of its set (OpenMP's first place), and
 * back to its whole set; no-ops unless active. */
void openmp_bind_enter(void);
void openmp_bind_leave(void);

#endif
