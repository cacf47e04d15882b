#!/usr/bin/env python3
"""Every kernel must stay portable OpenCL C 1.2: the code PoCL runs here also goes to GPU
vendor drivers. Compiles each kernel (with sr_common.cl prepended, as the runtime does)
under clang's OpenCL 1.2 front end for two GPU targets, NVIDIA's (nvptx64) and AMD's
(amdgcn), with the build options the host passes: CPU and GPU defaults and edge cases
(narrow vectors, one-row tiles, K blocks, aligned Y). A construct only PoCL accepts, or a
-D combination that does not compile, fails here. clang comes with PoCL (libpocl2
depends on it); without it the test is skipped (77).

usage: test_kernels_portable.py KERNEL_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

TARGETS = ["nvptx64-nvidia-nvcl", "amdgcn-amd-amdhsa"]

# (kernel file, build options): what src/bench/spmm.c and peaks.c pass, CPU and GPU
# defaults and the corners of the parameter space
CASES = [
    ("pack.cl", "-DTN=64"),
    ("pack.cl", "-DTN=4"),
    ("gemm_dense.cl", "-DY_ALIGNED -DRT=6 -DTILES=1 -DKC=0 -DVW=16 -DNV=4"),
    ("gemm_dense.cl", "-DRT=2 -DTILES=3 -DKC=8 -DVW=4 -DNV=1"),
    ("spmm_csr.cl", "-DY_ALIGNED -DROWS=32 -DVW=16 -DNV=4"),
    ("spmm_csr.cl", "-DROWS=1 -DVW=4 -DNV=1"),
    ("spmm_csr.cl", "-DROWS=5 -DVW=2 -DNV=8"),
    ("spmm_bsr.cl", "-DY_ALIGNED -DY_STREAM -DCPU_PREFETCH -DBR=16 -DBC=16 -DRT=8 -DTILES=2 -DKC=0 -DVW=16 -DNV=2"),
    ("spmm_bsr.cl", "-DBR=4 -DBC=4 -DRT=1 -DTILES=4 -DKC=64 -DVW=16 -DNV=16"),
    ("spmm_bsr.cl", "-DBR=2 -DBC=1 -DRT=2 -DTILES=1 -DKC=0 -DVW=4 -DNV=1"),
    ("spmm_nm.cl", "-DY_ALIGNED -DNN=2 -DMM=4 -DRT=2 -DTILES=16 -DKC=64 -DVW=16 -DNV=8"),
    ("spmm_nm.cl", "-DNN=3 -DMM=7 -DRT=1 -DTILES=1 -DKC=0 -DVW=4 -DNV=1"),
    ("peak_fma.cl", "-DVW=16 -DNCH=16"),
    ("peak_fma.cl", "-DVW=4 -DNCH=8 -DSR_FP64"),
    ("peak_bw.cl", "-DVW=16 -DNACC=4 -DCONTIG=1"),
    ("peak_bw.cl", "-DVW=4 -DNACC=4 -DCONTIG=0"),
    ("peak_empty.cl", ""),
]


def find_clang():
    for name in ("clang-15", "clang-16", "clang-14", "clang"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    kdir = sys.argv[1]
    clang = find_clang()
    if not clang:
        print("skip: no clang (it comes with PoCL's libpocl2)")
        return 77
    with open(os.path.join(kdir, "sr_common.cl")) as f:
        common = f.read()
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in CASES:
            with open(os.path.join(kdir, name)) as f:
                source = common + f.read()
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(source)
            for target in TARGETS:
                cmd = [clang, "-x", "cl", "-cl-std=CL1.2", "-target", target, "-nogpulib",
                       "-Xclang", "-finclude-default-header", "-fsyntax-only", "-Werror"]
                cmd += options.split() + [path]
                r = subprocess.run(cmd, capture_output=True, text=True)
                checked += 1
                if r.returncode != 0:
                    failures += 1
                    print(f"FAIL {name} {options} for {target}:\n{r.stderr.strip()[:2000]}")
    print(f"kernels_portable: {checked} compilations, {failures} failed ({os.path.basename(clang)}, "
          f"OpenCL C 1.2, targets {', '.join(TARGETS)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
