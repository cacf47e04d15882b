#!/usr/bin/env python3
"""onnxruntime's dense product, the dense peer of bench_kernels: one helper process that
bench_kernels starts once (with the peers' virtual environment's python) and talks to
through its standard input and output, one JSON line a reply.

The model is one ONNX node built here with onnx.helper (nothing is downloaded): a layer
as a framework exports it, Gemm(X^T, W, transB=1) = (W X)^T, W (m x k) a constant
initializer (onnxruntime may prepack it, as it does for a real layer) and X^T (n x k) the
input. Session options: `--threads` intra-op threads, one inter-op thread, every graph
optimization. Output and input are bound once (I/O binding), so a timed run is the
session's run alone.

Commands (one per line):
  load DIR M K N    reads DIR/w.f32 (m x k) and DIR/x.f32 (k x n), raw little-endian fp32,
                    builds the model and its session; replies {"setup_s": ...}
  run DIR REPS SAVE warm-up (at least 2 ms), then REPS timed runs; replies {"median_s":
                    ..., "min_s": ..., "max_s": ...}; SAVE=1 writes Y (m x n) to DIR/y.f32
Any failure replies {"error": "..."}; end of input ends the process.
"""
import argparse
import json
import os
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Layer:
    def __init__(self, ort, np, onnx, d, m, k, n, threads):
        from onnx import TensorProto, helper, numpy_helper

        def read(name, count):
            a = np.fromfile(os.path.join(d, name), dtype="<f4")
            if a.size != count:
                raise ValueError(f"{d}/{name} holds {a.size} values, expected {count}")
            return a

        w = read("w.f32", m * k).reshape(m, k)
        x = read("x.f32", k * n).reshape(k, n)
        t0 = time.perf_counter()
        node = helper.make_node("Gemm", ["XT", "W"], ["YT"], transB=1)
        graph = helper.make_graph(
            [node], "layer",
            [helper.make_tensor_value_info("XT", TensorProto.FLOAT, [n, k])],
            [helper.make_tensor_value_info("YT", TensorProto.FLOAT, [n, m])],
            [numpy_helper.from_array(w, name="W")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
        onnx.checker.check_model(model)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
        self.xt = ort.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(x.T))
        self.yt = ort.OrtValue.ortvalue_from_numpy(np.empty((n, m), dtype=np.float32))
        self.io = self.sess.io_binding()
        self.io.bind_ortvalue_input("XT", self.xt)
        self.io.bind_ortvalue_output("YT", self.yt)
        self.sess.run_with_iobinding(self.io)  # first run: allocations, prepacking
        self.setup_s = time.perf_counter() - t0
        self.np = np

    def run(self, d, reps, save):
        t_end = time.perf_counter() + 2e-3
        warm = 0
        while warm < 2 or time.perf_counter() < t_end:
            self.sess.run_with_iobinding(self.io)
            warm += 1
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            self.sess.run_with_iobinding(self.io)
            times.append(time.perf_counter() - t0)
        if save:
            y = self.yt.numpy()
            self.np.ascontiguousarray(y.T, dtype="<f4").tofile(os.path.join(d, "y.f32"))
        return {"median_s": float(self.np.median(times)), "min_s": min(times), "max_s": max(times)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
    except ImportError as e:
        reply({"error": f"{sys.executable}: {e} (tools/install-deps --peers)"})
        return
    reply({"ready": True, "onnxruntime": ort.__version__, "onnx": onnx.__version__})
    layers = {}
    for line in sys.stdin:
        f = line.split()
        try:
            if len(f) == 5 and f[0] == "load":
                m, k, n = (int(v) for v in f[2:])
                layers[f[1]] = Layer(ort, np, onnx, f[1], m, k, n, a.threads)
                reply({"setup_s": layers[f[1]].setup_s})
            elif len(f) == 4 and f[0] == "run" and f[1] in layers:
                reply(layers[f[1]].run(f[1], int(f[2]), f[3] == "1"))
            else:
                reply({"error": f"bad command: {line.strip()[:200]}"})
        except Exception as e:  # a reply, not a dead helper: bench_kernels says what failed
            reply({"error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
