/* A peer for the CSR case: the algorithm of kernels/spmm_csr.cl written in plain C (GCC
 * vector extensions, OpenMP, built -O3 -march=native), to tell how much of what the CPU
 * gives this algorithm our portable OpenCL kernel gets under its driver. Like ours it
 * packs X into 64-column panels inside the timed call and reads W cut into K blocks of
 * segments sorted by length; its own schedule is the one that ran fastest here in plain
 * C: 128 rows per task, K blocks of 256, tasks handed out dynamically panel by panel. */
#include "peer_plain_csr.h"

#include <stdlib.h>
#include <string.h>

#include "sparse/csr_segments.h"

#define TN 64
#define ROWS 128
#define KC 256

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4))); /* rows of Y: any alignment */

struct plain_csr {
    sr_csr_segments sg;
    int m, k, n, np; /* np: panels of TN columns */
    float *xp;       /* X in panels [np][k][TN], zero past n */
};

plain_csr *plain_csr_create(const sr_sparse *csr, int n, sr_err *err)
{
    plain_csr *p = calloc(1, sizeof *p);
    if (!p) {
        sr_err_set(err, SR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->m = csr->m, p->k = csr->k, p->n = n, p->np = (n + TN - 1) / TN;
    p->xp = aligned_alloc(64, (size_t)p->np * p->k * TN * sizeof(float));
    if (!p->xp) {
        sr_err_set(err, SR_ERR_NOMEM, "out of memory for X's panels");
        plain_csr_free(p);
        return NULL;
    }
    if (sr_csr_segments_build(csr, KC, ROWS, &p->sg, err) != SR_OK) {
        plain_csr_free(p);
        return NULL;
    }
    return p;
}

static void pack(plain_csr *p, const float *x)
{
#pragma omp parallel for schedule(static)
    for (int kk = 0; kk < p->k; kk++)
        for (int q = 0; q < p->np; q++) {
            float *dst = p->xp + ((size_t)q * p->k + kk) * TN;
            const int c0 = q * TN, w = p->n - c0 < TN ? p->n - c0 : TN;
            memcpy(dst, x + (size_t)kk * p->n + c0, (size_t)w * sizeof(float));
            memset(dst + w, 0, (size_t)(TN - w) * sizeof(float));
        }
}

/* One (panel, row group) task over every K block. */
static void task(const plain_csr *p, int q, int g0, float *y)
{
    const sr_csr_segments *sg = &p->sg;
    const float *xp = p->xp + (size_t)q * p->k * TN;
    const int c0 = q * TN, w = p->n - c0 < TN ? p->n - c0 : TN;
    const int nrows = p->m - g0 < ROWS ? p->m - g0 : ROWS;
    for (int b = 0; b < sg->nblocks; b++) {
        const size_t s0 = (size_t)b * p->m + g0;
        for (size_t s = s0; s < s0 + (size_t)nrows; s++) {
            float *yrow = y + (size_t)sg->seg_row[s] * p->n + c0;
            v16 a[4] = {0}, bb[4] = {0};
            if (b > 0 && w == TN)
                for (int v = 0; v < 4; v++)
                    a[v] = ((const v16u *)yrow)[v];
            else if (b > 0)
                memcpy(a, yrow, (size_t)w * sizeof(float));
            int j = sg->seg_ptr[s];
            const int end = sg->seg_ptr[s + 1];
            for (; j + 2 <= end; j += 2) { /* two accumulator sets: 8 independent FMA chains */
                const v16 *x0 = (const v16 *)(xp + (size_t)sg->colidx[j] * TN);
                const v16 *x1 = (const v16 *)(xp + (size_t)sg->colidx[j + 1] * TN);
                const float v0 = sg->vals[j], v1 = sg->vals[j + 1];
                for (int v = 0; v < 4; v++) {
                    a[v] += v0 * x0[v];
                    bb[v] += v1 * x1[v];
                }
            }
            if (j < end) {
                const v16 *x0 = (const v16 *)(xp + (size_t)sg->colidx[j] * TN);
                for (int v = 0; v < 4; v++)
                    a[v] += sg->vals[j] * x0[v];
            }
            for (int v = 0; v < 4; v++)
                a[v] += bb[v];
            if (w == TN)
                for (int v = 0; v < 4; v++)
                    ((v16u *)yrow)[v] = a[v];
            else
                memcpy(yrow, a, (size_t)w * sizeof(float));
        }
    }
}

void plain_csr_run(plain_csr *p, const float *x, float *y)
{
    pack(p, x);
    const int groups = (p->m + ROWS - 1) / ROWS;
#pragma omp parallel for collapse(2) schedule(dynamic, 1)
    for (int q = 0; q < p->np; q++)
        for (int g = 0; g < groups; g++)
            task(p, q, g * ROWS, y);
}

void plain_csr_free(plain_csr *p)
{
    if (!p)
        return;
    sr_csr_segments_free(&p->sg);
    free(p->xp);
    free(p);
}
