#!/usr/bin/env python3
"""Every kernel must stay portable OpenCL C 1.2: the code PoCL runs here also goes to GPU
vendor drivers and to Mesa's rusticl. Compiles each kernel (with sr_common.cl prepended,
as the runtime does) under clang's OpenCL 1.2 front end with the build options the host
passes, CPU and GPU defaults and edge cases (narrow vectors, one-row tiles, K blocks,
aligned Y):
- for NVIDIA's (nvptx64) and AMD's (amdgcn) GPU targets, syntax only;
- to SPIR-V, as rusticl and several GPU drivers do: clang -target spir64, then
  llvm-spirv (the version matching clang), after checking that the preprocessed kernel
  calls no __builtin_ function (clang's builtins are not OpenCL C; llvm-spirv rejects
  some, such as __builtin_prefetch, and silently drops others, such as
  __builtin_nontemporal_store);
- with -DPOCL_CPU (the option the host passes on PoCL's CPU device only, which lets
  clang builtins in), for the host CPU, as PoCL does.
A construct only PoCL or only clang accepts, or a -D combination that does not compile,
fails here. clang comes with PoCL (libpocl2 depends on it), llvm-spirv with
tools/install-deps; without clang the test is skipped (77), without llvm-spirv it runs
the rest and then reports a skip.

usage: test_kernels_portable.py KERNEL_DIR
       test_kernels_portable.py --self-test FIXTURE.cl
         the SPIR-V check must reject FIXTURE built with -DUSE_PREFETCH and with
         -DUSE_NONTEMPORAL (clang builtins) and accept it built with neither"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

GPU_TARGETS = ["nvptx64-nvidia-nvcl", "amdgcn-amd-amdhsa"]
POCL_ONLY = "-DPOCL_CPU"

# (kernel file, build options): what src/bench/spmm.c and peaks.c pass, CPU and GPU
# defaults and the corners of the parameter space
CASES = [
    ("pack.cl", "-DTN=64"),
    ("pack.cl", "-DTN=4"),
    ("gemm_dense.cl", "-DY_ALIGNED -DY_STREAM -DPOCL_CPU -DRT=6 -DTILES=1 -DKC=0 -DVW=16 -DNV=4"),
    ("gemm_dense.cl", "-DRT=2 -DTILES=3 -DKC=8 -DVW=4 -DNV=1"),
    ("spmm_csr.cl", "-DY_ALIGNED -DPOCL_CPU -DROWS=32 -DVW=16 -DNV=4"),
    ("spmm_csr.cl", "-DROWS=1 -DVW=4 -DNV=1"),
    ("spmm_csr.cl", "-DROWS=5 -DVW=2 -DNV=8"),
    ("spmm_bsr.cl", "-DY_ALIGNED -DY_STREAM -DPOCL_CPU -DBR=16 -DBC=16 -DRT=8 -DTILES=2 -DKC=0 -DVW=16 -DNV=2"),
    ("spmm_bsr.cl", "-DBR=4 -DBC=4 -DRT=1 -DTILES=4 -DKC=64 -DVW=16 -DNV=16"),
    ("spmm_bsr.cl", "-DBR=2 -DBC=1 -DRT=2 -DTILES=1 -DKC=0 -DVW=4 -DNV=1"),
    ("spmm_nm.cl", "-DY_ALIGNED -DY_STREAM -DPOCL_CPU -DNN=2 -DMM=4 -DRT=2 -DTILES=16 -DKC=64 -DVW=16 -DNV=8"),
    ("spmm_nm.cl", "-DNN=3 -DMM=7 -DRT=1 -DTILES=1 -DKC=0 -DVW=4 -DNV=1"),
    ("gemv_dense.cl", "-DX_IN_PLACE -DY_ALIGNED -DY_STREAM -DPOCL_CPU -DRT=6 -DTILES=1 -DKC=0 -DVW=16 -DNV=1"),
    ("gemv_dense.cl", "-DRT=1 -DTILES=3 -DKC=8 -DVW=4 -DNV=1"),
    # X read in place (row stride N, no pack)
    ("gemm_dense.cl", "-DX_IN_PLACE -DPOCL_CPU -DRT=6 -DTILES=1 -DKC=0 -DVW=16 -DNV=4"),
    ("gemm_dense.cl", "-DX_IN_PLACE -DRT=2 -DTILES=3 -DKC=8 -DVW=4 -DNV=1"),
    ("spmm_csr.cl", "-DX_IN_PLACE -DROWS=32 -DVW=16 -DNV=4"),
    ("spmm_bsr.cl", "-DX_IN_PLACE -DY_ALIGNED -DY_STREAM -DPOCL_CPU -DBR=4 -DBC=4 -DRT=4 -DTILES=1 -DKC=0 -DVW=16 -DNV=4"),
    ("spmm_bsr.cl", "-DX_IN_PLACE -DBR=16 -DBC=16 -DRT=8 -DTILES=2 -DKC=64 -DVW=4 -DNV=2"),
    ("spmm_nm.cl", "-DX_IN_PLACE -DNN=2 -DMM=4 -DRT=2 -DTILES=16 -DKC=64 -DVW=16 -DNV=8"),
    # N:M's GEMV (N = 1, N a power of two)
    ("gemv_nm.cl", "-DX_IN_PLACE -DY_ALIGNED -DY_STREAM -DPOCL_CPU -DNN=2 -DMM=4 -DRT=2 -DTILES=16 -DKC=64 -DVW=4 -DNV=1"),
    ("gemv_nm.cl", "-DNN=1 -DMM=4 -DRT=1 -DTILES=1 -DKC=0 -DVW=8 -DNV=1"),
    # dense with vectors along M (W in row panels, X in place)
    ("gemm_dense_wt.cl", "-DX_IN_PLACE -DPOCL_CPU -DVW=16 -DNV=2 -DCT=7 -DTILES=7 -DKC=256"),
    ("gemm_dense_wt.cl", "-DVW=4 -DNV=1 -DCT=1 -DTILES=1 -DKC=0"),
    ("peak_fma.cl", "-DVW=16 -DNCH=16"),
    ("peak_fma.cl", "-DVW=4 -DNCH=8 -DSR_FP64"),
    ("peak_bw.cl", "-DVW=16 -DNACC=4 -DCONTIG=1"),
    ("peak_bw.cl", "-DVW=4 -DNACC=4 -DCONTIG=0"),
    ("peak_empty.cl", ""),
]

CL = ["-x", "cl", "-cl-std=CL1.2"]
HEADER = ["-Xclang", "-finclude-default-header"]


def find_clang():
    for name in ("clang-15", "clang-16", "clang-14", "clang"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_llvm_spirv(clang):
    """The translator for clang's LLVM version (its bitcode format)."""
    out = subprocess.run([clang, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"clang version (\d+)", out)
    names = ([f"llvm-spirv-{m.group(1)}"] if m else []) + ["llvm-spirv"]
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, (r.stderr + r.stdout).strip()[:2000]


def gpu_errors(clang, path, options, target):
    rc, out = run([clang] + CL + ["-target", target, "-nogpulib"] + HEADER +
                  ["-fsyntax-only", "-Werror"] + options + [path])
    return out if rc else None


def host_errors(clang, path, options):
    rc, out = run([clang] + CL + HEADER + ["-fsyntax-only", "-Werror"] + options + [path])
    return out if rc else None


def spirv_errors(clang, spirv, path, options, tmp):
    """Why this kernel would not reach a SPIR-V driver intact, or None."""
    # clang's builtins, in the code left after the preprocessor (without the default
    # header, so that only the kernel's own code is searched)
    pre = subprocess.run([clang] + CL + ["-target", "spir64", "-E", "-P"] + options + [path],
                         capture_output=True, text=True)
    if pre.returncode:
        return pre.stderr.strip()[:2000]
    builtins = sorted(set(re.findall(r"\b__builtin_\w+", pre.stdout)))
    if builtins:
        return f"clang-only builtin(s) {', '.join(builtins)}: not OpenCL C, not portable to SPIR-V"
    bc = os.path.join(tmp, "kernel.bc")
    rc, out = run([clang] + CL + ["-target", "spir64"] + HEADER + ["-c", "-emit-llvm", "-Werror"] +
                  options + [path, "-o", bc])
    if rc:
        return out
    rc, out = run([spirv, bc, "-o", os.path.join(tmp, "kernel.spv")])
    return f"llvm-spirv: {out}" if rc else None


def self_test(clang, spirv, fixture):
    """The SPIR-V check must catch each builtin in the fixture and pass it without them."""
    if not spirv:
        print("skip: no llvm-spirv (tools/install-deps installs it)")
        return 77
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for define, want_reject in (("-DUSE_PREFETCH", True), ("-DUSE_NONTEMPORAL", True), ("", False)):
            why = spirv_errors(clang, spirv, fixture, [define] if define else [], tmp)
            if bool(why) != want_reject:
                bad += 1
                print(f"FAIL {os.path.basename(fixture)} {define or '(no builtin)'}: "
                      f"{'accepted' if not why else 'rejected: ' + why}")
            else:
                print(f"ok   {os.path.basename(fixture)} {define or '(no builtin)'}: "
                      f"{why or 'accepted'}")
    return 1 if bad else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--self-test":
        clang = find_clang()
        if not clang:
            print("skip: no clang (it comes with PoCL's libpocl2)")
            return 77
        return self_test(clang, find_llvm_spirv(clang), sys.argv[2])
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    kdir = sys.argv[1]
    clang = find_clang()
    if not clang:
        print("skip: no clang (it comes with PoCL's libpocl2)")
        return 77
    spirv = find_llvm_spirv(clang)
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
            # what the host passes off PoCL's CPU device
            portable = [o for o in options.split() if o != POCL_ONLY]
            checks = [(t, lambda t=t: gpu_errors(clang, path, portable, t)) for t in GPU_TARGETS]
            if spirv:
                checks.append(("spir64 + llvm-spirv", lambda: spirv_errors(clang, spirv, path, portable, tmp)))
            if POCL_ONLY in options.split():
                checks.append(("the host CPU (PoCL)", lambda: host_errors(clang, path, options.split())))
            for target, check in checks:
                why = check()
                checked += 1
                if why:
                    failures += 1
                    print(f"FAIL {name} {' '.join(portable) if 'PoCL' not in target else options} "
                          f"for {target}:\n{why}")
    print(f"kernels_portable: {checked} compilations, {failures} failed ({os.path.basename(clang)}, "
          f"OpenCL C 1.2, targets {', '.join(GPU_TARGETS)}"
          f"{', spir64 via ' + os.path.basename(spirv) if spirv else ''}, host CPU with {POCL_ONLY})")
    if failures:
        return 1
    if not spirv:
        print("skip: no llvm-spirv matching clang (tools/install-deps installs it): SPIR-V not checked")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
