#!/bin/sh
# Which of the benchmark's build-time peers this machine has: one line each, "none" where
# absent. meson (benchmarks/meson.build) links what this finds and keeps its answer in
# BUILDDIR/benchmarks/peers.found; tools/bench-kernels runs it again and reconfigures the
# build folder when the answer changed (say, after tools/install-deps --peers).
# Usage: find_peers.sh VENV [OUTFILE]   (VENV: the peers' virtual environment, see
# tools/install-deps; OUTFILE: also write the answer there)
venv=${1:?usage: find_peers.sh VENV [OUTFILE]}
has_header() { printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1; }
version() { pkg-config --modversion "$1" 2>/dev/null || { has_header "$2" && echo header; } || echo none; }
# MKL from PyPI: the single dynamic library (its soname's version moves between releases)
mkl_rt=none
for f in "$venv"/lib/libmkl_rt.so.*; do
  [ -f "$f" ] && [ -f "$venv/include/mkl.h" ] && mkl_rt=$f
done
answer="venv $venv
openblas $(version openblas cblas.h)
clblast $(version clblast clblast_c.h)
mkl_rt $mkl_rt"
[ -n "${2:-}" ] && printf '%s\n' "$answer" > "$2"
printf '%s\n' "$answer"
