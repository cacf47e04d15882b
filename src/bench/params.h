/* Kernel parameters: the tile shape a kernel is built with (-D options). Defaults per
 * device type here; `tune` (later) finds better ones per device. */
#ifndef SR_BENCH_PARAMS_H
#define SR_BENCH_PARAMS_H

#include <stddef.h>

#include "common/pattern.h"
#include "common/status.h"

typedef struct {
    int vw;   /* vector width: 2, 4, 8, 16 */
    int nv;   /* vectors per row; the panel width is vw*nv columns of X */
    int rows;  /* rows of the register tile (a divisor of the block height for BSR) */
    int wg;    /* local size along the row dimension; 0 lets the driver choose */
    int tiles; /* register tiles per work-item: it computes rows*tiles rows (BSR: at most
                  that many, the most that divide the block height into equal parts) */
    int kc;    /* columns of W per K block, so that the block's slice of X stays in L1 while
                  all of a work-item's tiles (CSR: rows) use it; 0: all of K at once. N:M
                  rounds it down to whole groups, BSR to whole blocks */
    int x;     /* how the kernel reads X: SR_X_AUTO (0, the host decides by the shape),
                  SR_X_PANELS (repacked into panels before each product) or SR_X_IN_PLACE */
    int mv;    /* dense only: 1 = vectors along M (gemm_dense_wt.cl: W laid out in panels of
                  vw*nv rows, X read in place, each element broadcast), 0 = along N */
    int ct;    /* with mv: columns of Y per tile (the tile is vw*nv rows by ct columns; tiles
                  such tiles per work-item, over K blocks of kc); 0: chosen by N */
    int pad;   /* 1: rows of X and Y padded to whole vectors (N rounded up to vw floats, zeros
                  in X's padding), the layout a layer run so hands the next; 0: N floats.
                  Only where vectors run along N and N is wider than one, unaligned */
} sr_kernel_params;

enum { SR_X_AUTO = 0, SR_X_PANELS = 1, SR_X_IN_PLACE = 2 };

/* Built-in defaults for a pattern on a device type ("CPU", "GPU", ...). */
void sr_kernel_params_default(const sr_pattern *p, const char *device_type, sr_kernel_params *out);

/* Dense on a CPU runs with vectors along M where its SR_ALONG_M_PANEL-column panels would
 * pad N by SR_ALONG_M_PAD_PCT percent or more (the device model mirrors the rule). */
#define SR_ALONG_M_PANEL 64
#define SR_ALONG_M_PAD_PCT 15
/* Dense along N reads X in place up to this many rows (sr_kernel_params_x_in_place). */
#define SR_DENSE_IN_PLACE_ROWS 256

/* The defaults for a product of M rows and N columns: as above, but dense on a CPU runs
 * with vectors along M (mv=1) where 64-column panels would pad N by 15% or more (N = 20,
 * 49, 100, 196; not 300 or 784), and in tiles of 8 x 48 where it reads X in place (up to
 * 256 rows) and 48-column panels pad N little more than 64-column ones (784, 3136). */
void sr_kernel_params_default_for(const sr_pattern *p, const char *device_type, int m, int n,
                                  sr_kernel_params *out);

/* The vectors per row (nv, from lo to hi, at kp's vector width and padding) whose panels
 * cover a row of n columns (padded as sr_kernel_params_row_floats says) with the fewest
 * columns, the widest of those; kp->nv where none covers it with fewer than kp->nv does. */
int sr_kernel_params_fit_nv(const sr_kernel_params *kp, const sr_pattern *p, int n, int lo, int hi);

/* Another start for `tune` where the pattern has a second kernel layout on this device
 * type (dense on a CPU at N > 1: the layout sr_kernel_params_default_for does not take);
 * 0 where there is none. */
int sr_kernel_params_alternative(const sr_pattern *p, const char *device_type, int n, sr_kernel_params *out);

/* "vw=16,nv=4,rows=4,wg=8,tiles=1,kc=0[,x=2][,mv=1,ct=7][,pad=1]"; keys may be omitted
 * (they keep *out's values); x is written only when it is not SR_X_AUTO, mv and ct only
 * with mv=1, pad only when 1 (text stored before pad existed reads as unpadded). */
sr_code sr_kernel_params_parse(const char *text, sr_kernel_params *out, sr_err *err);
void sr_kernel_params_format(const sr_kernel_params *kp, char *buf, size_t size);

/* Largest private tile of partial sums (rows*tiles x vw*nv floats) a work-item may keep. */
#define SR_MAX_TILE_BYTES (64 * 1024)

/* Checks the parameters fit the pattern (e.g. rows divides the block height) and the
 * private tile fits SR_MAX_TILE_BYTES. */
sr_code sr_kernel_params_check(const sr_kernel_params *kp, const sr_pattern *p, sr_err *err);

/* The parameters a run with N columns really uses (after the check): vectors no wider
 * than N needs (halved down to 4), a panel no wider than N rounded up to whole vectors,
 * and for BSR the most tiles, up to kp->tiles, that divide the block height's br/rows
 * tiles (a work-item stays inside one block row); for CSR only the rows per item count
 * (rows*tiles rows in one tile); with mv=1, the columns per tile (ct=0: those that pad
 * N the least), vectors untouched. Candidates with the same effective parameters run
 * the same kernel. */
void sr_kernel_params_effective(const sr_kernel_params *kp, const sr_pattern *p, int n, sr_kernel_params *out);

/* Floats from one row of X (and of Y) to the next in a run of the effective parameters
 * eff with n columns: n, or with eff->pad n rounded up to whole vectors where vectors run
 * along N (not the GEMVs, not dense along M) and n is wider than one vector and not a
 * whole number of them. The kernels then run on that many columns (X's padding is zeros),
 * every row on a vector boundary: no element-by-element edge, no repacking for alignment. */
int sr_kernel_params_row_floats(const sr_kernel_params *eff, const sr_pattern *p, int n);

/* As a run applies kp to n columns: the floats per row of X and Y it uses (returned:
 * sr_kernel_params_row_floats) and the effective parameters at that width (*eff). */
int sr_kernel_params_run_width(const sr_kernel_params *kp, const sr_pattern *p, int n, sr_kernel_params *eff);

/* Whether a panel of X read in place at a row stride of n floats crowds into few cache
 * sets (the rule sr_kernel_params_x_in_place applies to CSR's panel) for pattern p's
 * kernel: CSR and dense along N, whose loads of X's rows set their pace, where the panel
 * (the effective parameters eff's) is narrower than the row and the rows start on fewer
 * than a quarter of a way's line positions, a stride of a multiple of 512 B (n = 128: a
 * 64-float panel reaches half the sets). They ran slower there than at the widths around
 * (CSR at N = 128: 1.37x at sparsity 0.5, 1.15x at 0.9; dense at 128 x 4096 x 128: 164
 * GFLOP/s, 300 at N = 64, 237 at 192); the device model calibrates such strides apart. */
int sr_kernel_params_x_crowded(const sr_kernel_params *eff, const sr_pattern *p, int n);

/* Whether a product of n columns of pattern p runs a GEMV (a kernel with its vectors
 * along K, X read in place): dense and N:M with N a power of two, at n = 1. */
int sr_kernel_params_gemv(const sr_pattern *p, int n);

/* Whether a run of the effective parameters eff on an M x K x N product reads X in place
 * (1) or repacked into panels (0): dense at N = 1 always in place (its GEMV has no
 * panels); otherwise as eff->x says, and for SR_X_AUTO by the shape: BSR
 * always; N:M where X's rows start on vector boundaries; CSR there too, where a panel's
 * rows do not crowd into too few cache sets; dense where the rows are aligned, when one
 * panel covers N or W has few rows; none where a row stride of whole KiB would make a
 * long panel thrash the cache. */
int sr_kernel_params_x_in_place(const sr_kernel_params *eff, const sr_pattern *p, int m, int k, int n);

#endif
