#!/usr/bin/env python3
"""SciPy's CSR product Y = W @ X (fp32), timed: the CSR peer of bench_kernels.

Two ways to get W and X:
  --load DIR   the matrices bench_kernels runs (DIR/rowptr.i32, colidx.i32, vals.f32 and
               x.f32, raw little-endian; shape from --m --k --n); --save-y writes the
               product to DIR/y.f32 so bench_kernels can check it against its reference.
  otherwise    random, seeded: W uniform in [-1, 1), magnitude-pruned to --sparsity;
               X uniform in [-1, 1).
Prints one JSON object: median, min and max seconds of --reps products (after a warm-up),
GFLOP/s of useful work (2 * nnz * N) and the versions. SciPy's product is single-threaded.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse


def load(d, m, k, n):
    def read(name, dtype, count):
        a = np.fromfile(os.path.join(d, name), dtype=np.dtype(dtype).newbyteorder("<"))
        if a.size != count:
            sys.exit(f"scipy_csr.py: {d}/{name} holds {a.size} values, expected {count}")
        return a

    rowptr = read("rowptr.i32", np.int32, m + 1)
    nnz = int(rowptr[-1])
    colidx = read("colidx.i32", np.int32, nnz)
    vals = read("vals.f32", np.float32, nnz)
    x = read("x.f32", np.float32, k * n).reshape(k, n)
    return scipy.sparse.csr_matrix((vals, colidx, rowptr), shape=(m, k)), x


def random(m, k, n, sparsity, seed):
    rng = np.random.default_rng(seed)
    w = rng.uniform(-1.0, 1.0, size=(m, k)).astype(np.float32)
    keep = int(round((1.0 - sparsity) * m * k))
    if keep < m * k:
        flat = np.abs(w).ravel()
        drop = np.argpartition(flat, m * k - keep)[: m * k - keep]
        w.ravel()[drop] = 0.0
    x = rng.uniform(-1.0, 1.0, size=(k, n)).astype(np.float32)
    return scipy.sparse.csr_matrix(w), x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--m", type=int, default=2048)
    ap.add_argument("--k", type=int, default=2048)
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--sparsity", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--load", metavar="DIR")
    ap.add_argument("--save-y", action="store_true")
    a = ap.parse_args()
    if min(a.m, a.k, a.n, a.reps) < 1 or not 0.0 <= a.sparsity <= 1.0:
        ap.error("--m, --k, --n, --reps must be >= 1 and --sparsity in [0, 1]")
    if a.save_y and not a.load:
        ap.error("--save-y needs --load DIR")

    w, x = load(a.load, a.m, a.k, a.n) if a.load else random(a.m, a.k, a.n, a.sparsity, a.seed)
    y = w @ x  # warm-up
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        y = w @ x
        times.append(time.perf_counter() - t0)
    if a.save_y:
        np.ascontiguousarray(y, dtype="<f4").tofile(os.path.join(a.load, "y.f32"))
    med = float(np.median(times))
    print(json.dumps({
        "m": a.m, "k": a.k, "n": a.n, "nnz": int(w.nnz),
        "sparsity": 1.0 - w.nnz / (a.m * a.k),
        "reps": a.reps, "median_s": med, "min_s": min(times), "max_s": max(times),
        "gflops": 2.0 * w.nnz * a.n / med * 1e-9,
        "scipy": scipy.__version__, "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
