/* Reference for `sparseroof peaks`: fp32 FMA throughput in plain C, one OpenMP thread per
 * core, each running many independent accumulators through fmaf() so that the compiler
 * vectorises them (-O3 -march=native) and no chain waits on the latency of another.
 * Prints the best GFLOP/s (an FMA counts as 2 FLOPs) and the spread of the repetitions.
 * Built and run by tools/bench-peaks:
 *   cc -O3 -march=native -mprefer-vector-width=512 -fopenmp ref_fma.c -o ref_fma -lm
 *   ./ref_fma [iterations (default 20000000)] [repetitions (default 5)] */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

/* 16 vectors of 16 lanes: enough independent chains for 2 FMA units of 4-cycle latency
 * at 512 bits, and more than enough at 256 */
#define NACC 256

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 20000000;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (iters < 1 || reps < 1) {
        fprintf(stderr, "usage: ref_fma [iterations >= 1] [repetitions >= 1]\n");
        return 2;
    }
    int threads = omp_get_max_threads();
    double best = 1e30, worst = 0, sink = 0;
    for (int r = 0; r <= reps; r++) { /* r == 0 is the warm-up */
        double t0 = omp_get_wtime(), sum = 0;
        long it_r = r == 0 ? iters / 10 + 1 : iters;
#pragma omp parallel reduction(+ : sum)
        {
            float acc[NACC];
            const float b = 0.999f, c = 0.001f * (float)(1 + omp_get_thread_num());
            for (int j = 0; j < NACC; j++)
                acc[j] = (float)j / NACC;
            for (long i = 0; i < it_r; i++)
                for (int j = 0; j < NACC; j++)
                    acc[j] = fmaf(acc[j], b, c);
            for (int j = 0; j < NACC; j++)
                sum += acc[j];
        }
        double t = omp_get_wtime() - t0;
        sink += sum;
        if (r > 0) {
            best = t < best ? t : best;
            worst = t > worst ? t : worst;
        }
    }
    double flops = 2.0 * NACC * (double)iters * threads;
    printf("fma_gflops %.3f\nworst_gflops %.3f\nthreads %d\nsink %g\n", flops / best / 1e9,
           flops / worst / 1e9, threads, sink);
    return 0;
}
