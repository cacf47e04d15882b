/* How many loop iterations one work-item of an SpMM kernel may run, in all: an upper
 * bound that counts every loop of the kernel source (sr_common.cl's helpers included) as
 * a loop, none as unrolled, each entry costing its trip count plus the final test. A
 * driver that ends loops early (sr_cl_loop_check) is asked with it before a launch. */
#ifndef SR_BENCH_LOOP_BOUND_H
#define SR_BENCH_LOOP_BOUND_H

#include "bench/params.h"
#include "sparse/format.h"

/* kp: the effective parameters (sr_kernel_params_effective) of the run. */
double sr_spmm_loop_bound(const sr_sparse *w, const sr_kernel_params *kp);

#endif
