/* Cutting CSR into K-block segments ordered by length (csr_segments.h). */
#include "sparse/csr_segments.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int32_t len, row;
} seg_key;

static int by_length(const void *a, const void *b)
{
    const seg_key *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row); /* same length: row order, reproducible */
}

sr_code sr_csr_segments_build(const sr_sparse *csr, int kc, int rows, sr_csr_segments *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    if (!csr || csr->pattern.kind != SR_PAT_UNSTRUCTURED)
        return sr_err_set(err, SR_ERR_ARG, "CSR segments need an unstructured (CSR) matrix");
    if (rows < 1)
        return sr_err_set(err, SR_ERR_ARG, "CSR segments: rows per group must be at least 1 (got %d)", rows);
    const int m = csr->m, k = csr->k;
    if (kc <= 0 || kc > k)
        kc = k;
    const int nb = (k + kc - 1) / kc;
    const size_t nseg = (size_t)nb * (size_t)m;
    int32_t *start = malloc(nseg * sizeof *start), *len = malloc(nseg * sizeof *len);
    seg_key *keys = malloc((size_t)(rows < m ? rows : m) * sizeof *keys);
    out->seg_row = malloc(nseg * sizeof *out->seg_row);
    out->seg_ptr = malloc((nseg + 1) * sizeof *out->seg_ptr);
    out->colidx = malloc((csr->nnz ? csr->nnz : 1) * sizeof *out->colidx);
    out->vals = malloc((csr->nnz ? csr->nnz : 1) * sizeof *out->vals);
    if (!start || !len || !keys || !out->seg_row || !out->seg_ptr || !out->colidx || !out->vals) {
        free(start), free(len), free(keys);
        sr_csr_segments_free(out);
        return sr_err_set(err, SR_ERR_NOMEM, "out of memory cutting a %dx%d CSR matrix into K blocks", m, k);
    }
    /* columns ascend within a row, so each (block, row) is a contiguous run of it */
    for (int r = 0; r < m; r++) {
        int j = csr->rowptr[r];
        for (int b = 0; b < nb; b++) {
            const int j0 = j, limit = (b + 1) * kc;
            while (j < csr->rowptr[r + 1] && csr->colidx[j] < limit)
                j++;
            start[(size_t)b * m + r] = j0;
            len[(size_t)b * m + r] = j - j0;
        }
    }
    size_t s = 0, o = 0;
    for (int b = 0; b < nb; b++)
        for (int g0 = 0; g0 < m; g0 += rows) {
            const int n = m - g0 < rows ? m - g0 : rows;
            for (int i = 0; i < n; i++)
                keys[i] = (seg_key){len[(size_t)b * m + g0 + i], g0 + i};
            qsort(keys, (size_t)n, sizeof *keys, by_length);
            for (int i = 0; i < n; i++, s++) {
                const size_t from = (size_t)start[(size_t)b * m + keys[i].row];
                out->seg_row[s] = keys[i].row;
                out->seg_ptr[s] = (int32_t)o;
                memcpy(out->colidx + o, csr->colidx + from, (size_t)keys[i].len * sizeof *out->colidx);
                memcpy(out->vals + o, csr->vals + from, (size_t)keys[i].len * sizeof *out->vals);
                o += (size_t)keys[i].len;
            }
        }
    out->seg_ptr[s] = (int32_t)o;
    free(start), free(len), free(keys);
    out->m = m, out->k = k, out->kc = kc, out->rows = rows, out->nblocks = nb, out->nnz = o;
    return SR_OK;
}

void sr_csr_segments_free(sr_csr_segments *s)
{
    if (!s)
        return;
    free(s->seg_row);
    free(s->seg_ptr);
    free(s->colidx);
    free(s->vals);
    memset(s, 0, sizeof *s);
}
