/* Reference for `sparseroof peaks`: a STREAM-style triad a[i] = b[i] + s*c[i] in plain C
 * with OpenMP, on arrays far beyond the last-level cache. Prints the best sustained GB/s
 * (3 arrays of doubles counted per element, as STREAM does) and the spread of the
 * repetitions. Built and run by tools/bench-peaks:
 *   cc -O3 -march=native -fopenmp ref_triad.c -o ref_triad
 *   ./ref_triad [MiB per array (default 1024)] [repetitions (default 10)] */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    double mib = argc > 1 ? atof(argv[1]) : 1024;
    int reps = argc > 2 ? atoi(argv[2]) : 10;
    if (!(mib >= 1) || reps < 1) {
        fprintf(stderr, "usage: ref_triad [MiB per array >= 1] [repetitions >= 1]\n");
        return 2;
    }
    size_t n = (size_t)(mib * 1024 * 1024 / sizeof(double));
    double *a = aligned_alloc(64, n * sizeof *a), *b = aligned_alloc(64, n * sizeof *b),
           *c = aligned_alloc(64, n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "ref_triad: cannot allocate 3 x %.0f MiB\n", mib);
        return 1;
    }
    /* first touch by the thread that will use each page */
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        a[i] = 0;
        b[i] = 1;
        c[i] = 2;
    }
    const double s = 3;
    double best = 1e30, worst = 0;
    for (int r = 0; r <= reps; r++) { /* r == 0 is the warm-up */
        double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
        double t = omp_get_wtime() - t0;
        if (r > 0) {
            best = t < best ? t : best;
            worst = t > worst ? t : worst;
        }
    }
    for (size_t i = 0; i < n; i += n / 7 + 1)
        if (a[i] != 7) {
            fprintf(stderr, "ref_triad: wrong result a[%zu] = %g\n", i, a[i]);
            return 1;
        }
    double bytes = 3.0 * (double)n * sizeof(double);
    printf("triad_gbps %.3f\nworst_gbps %.3f\nthreads %d\nbytes_per_array %zu\n",
           bytes / best / 1e9, bytes / worst / 1e9, omp_get_max_threads(), n * sizeof(double));
    free(a);
    free(b);
    free(c);
    return 0;
}
