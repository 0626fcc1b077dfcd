"""The engine's benchmark cases, each run in a process of its own by run.py.

    python -m benchmarks.engine_cases scalar      # bpdebug.run vs micrograd, 10,000 nodes
    python -m benchmarks.engine_cases mnist       # bpdebug.run vs hand-written numpy, 784-50-10
    python -m benchmarks.engine_cases layers      # --layers nodes vs the same classes by hand
    python -m benchmarks.engine_cases memory bpdebug|numpy

Each prints one JSON line of seconds (or bytes).
"""

from __future__ import annotations

import gc
import json
import math
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MNIST = ROOT / "bpdebug" / "graphs" / "data" / "mnist_batch.npz"


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        del result
    return times


def interleaved(candidates: dict, repeat: int) -> dict[str, list[float]]:
    """Alternate the candidates so that a slow moment of the machine hits both alike."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, fn in candidates.items():
            times[name] += timed(fn, 1)
    return times


# --- bpdebug.run vs micrograd on a 10,000-node scalar network ------------------------------


def micrograd_builder(graph):
    """micrograd building and back-propagating the same graph, op for op.

    PyPI's micrograd 0.1.0 has no tanh; it gets the one from Karpathy's lecture, written the
    way its other ops are (a closure per node).
    """
    from micrograd.engine import Value

    if not hasattr(Value, "tanh"):

        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,), "tanh")

            def _backward() -> None:
                self.grad += (1 - t * t) * out.grad

            out._backward = _backward
            return out

        Value.tanh = tanh
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))  # its topological sort recurses
    leaves = {name: leaf.value for name, leaf in graph.leaves.items()}
    plan = [(node.id, node.op.name, node.inputs) for node in graph.nodes]

    def build_and_backprop():
        values = {name: Value(v) for name, v in leaves.items()}
        for node_id, op, inputs in plan:
            args = [values[i] for i in inputs]
            if op == "add":
                out = args[0]
                for a in args[1:]:
                    out = out + a
            elif op == "mul":
                out = args[0] * args[1]
            else:
                out = args[0].tanh()
            values[node_id] = out
        values[graph.output].backward()
        return values

    return build_and_backprop


def scalar_case() -> dict:
    import bpdebug
    from bpdebug.formats.generated import random_scalar_graph

    graph = bpdebug.loads(random_scalar_graph(10_000))
    times = interleaved({"bpdebug": lambda: bpdebug.run(graph), "micrograd": micrograd_builder(graph)}, 15)
    return {k: statistics.median(v) for k, v in times.items()} | {
        f"{k}_spread": [min(v), max(v)] for k, v in times.items()
    }


# --- bpdebug.run vs hand-written numpy on the 784-50-10 net ----------------------------------


def numpy_two_layer():
    """The book's TwoLayerNet forward and backward in plain numpy, on the same numbers."""
    import numpy as np

    data = np.load(MNIST, allow_pickle=False)
    x, t = data["x"].astype(np.float64), data["t"]
    w1 = np.random.default_rng(1).normal(0.0, 0.01, (784, 50))
    b1 = np.zeros(50)
    w2 = np.random.default_rng(2).normal(0.0, 0.01, (50, 10))
    b2 = np.zeros(10)

    def forward_backward():
        a1 = x @ w1 + b1
        h = np.maximum(a1, 0.0)
        a2 = h @ w2 + b2
        shifted = a2 - a2.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        batch = x.shape[0]
        loss = -log_softmax[np.arange(batch), t].mean()
        onehot = np.zeros_like(a2)
        onehot[np.arange(batch), t] = 1.0
        da2 = (np.exp(log_softmax) - onehot) / batch
        dw2, db2, dh = h.T @ da2, da2.sum(axis=0), da2 @ w2.T
        da1 = dh * (a1 > 0)
        dw1, db1 = x.T @ da1, da1.sum(axis=0)
        return loss, dw1, db1, dw2, db2, a1, h, a2

    return forward_backward


MNIST_RUNS = 150  # each ~1 ms: enough runs that the median moves by a few percent, not tens


def mnist_case() -> dict:
    import bpdebug

    graph = bpdebug.load("mnist_784_50_10")
    times = interleaved({"bpdebug": lambda: bpdebug.run(graph), "numpy": numpy_two_layer()}, MNIST_RUNS)
    return {k: statistics.median(v) for k, v in times.items()} | {
        f"{k}_spread": [min(v), max(v)] for k, v in times.items()
    }


# --- the same net as --layers nodes vs the same classes called by hand ---------------------

LAYERED = """
title = "784-50-10 as book-style layers"
[inputs]
x = {{ value = {{ file = "{data}", key = "x" }}, grad = false }}
t = {{ value = {{ file = "{data}", key = "t" }}, grad = false }}
W1 = {{ init = "normal", shape = [784, 50], scale = 0.01, seed = 1 }}
b1 = {{ init = "zeros", shape = [50] }}
W2 = {{ init = "normal", shape = [50, 10], scale = 0.01, seed = 2 }}
b2 = {{ init = "zeros", shape = [10] }}
[[nodes]]
id = "Affine1"
layer = "Affine"
inputs = ["x"]
args = ["W1", "b1"]
[[nodes]]
id = "Relu1"
layer = "Relu"
inputs = ["Affine1"]
[[nodes]]
id = "Affine2"
layer = "Affine"
inputs = ["Relu1"]
args = ["W2", "b2"]
[[nodes]]
id = "loss"
layer = "SoftmaxWithLoss"
inputs = ["Affine2", "t"]
"""


def layered_graph(folder: Path):
    """The net as layer nodes, with one-hot labels (as the book's chapter 5 loads MNIST)."""
    import numpy as np

    import bpdebug

    data = np.load(MNIST, allow_pickle=False)
    labels = data["t"].astype(int)
    np.savez(folder / "batch.npz", x=data["x"].astype(np.float64), t=np.eye(10)[labels])
    (folder / "net.toml").write_text(LAYERED.format(data="batch.npz"), encoding="utf-8")
    return bpdebug.load(folder / "net.toml", layers=[ROOT / "benchmarks" / "book_style_layers.py"])


def by_hand(graph):
    """The book's TwoLayerNet.gradient: its layers made once, forward then backward."""
    from benchmarks.book_style_layers import Affine, Relu, SoftmaxWithLoss

    value = {name: leaf.value for name, leaf in graph.leaves.items()}
    layers = [Affine(value["W1"], value["b1"]), Relu(), Affine(value["W2"], value["b2"])]
    last = SoftmaxWithLoss()
    x, t = value["x"], value["t"]

    def gradient():
        out = x
        for layer in layers:
            out = layer.forward(out)
        loss = last.forward(out, t)
        dout = last.backward(1)
        for layer in reversed(layers):
            dout = layer.backward(dout)
        return loss, layers[0].dW, layers[0].db, layers[2].dW, layers[2].db

    return gradient


def layers_case() -> dict:
    import tempfile

    import bpdebug
    from bpdebug.core.nodecheck import check_nodes

    with tempfile.TemporaryDirectory() as folder:
        graph = layered_graph(Path(folder))
    times = interleaved({"bpdebug": lambda: bpdebug.run(graph), "by_hand": by_hand(graph)}, MNIST_RUNS)
    trace = bpdebug.run(graph)
    start = time.perf_counter()
    check_nodes(graph, trace)
    check = time.perf_counter() - start
    return {k: statistics.median(v) for k, v in times.items()} | {"node_check": check}


def memory_case(who: str) -> dict:
    """Peak resident memory of a process that loads the net and runs it forward and backward."""
    if who == "bpdebug":
        import bpdebug

        trace = bpdebug.run(bpdebug.load("mnist_784_50_10"))
        assert trace.grads["W1"].shape == (784, 50)
    else:
        result = numpy_two_layer()()
        assert result[1].shape == (784, 50)
    return {"peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    case = sys.argv[1]
    if case == "scalar":
        print(json.dumps(scalar_case()))
    elif case == "mnist":
        print(json.dumps(mnist_case()))
    elif case == "layers":
        print(json.dumps(layers_case()))
    elif case == "memory":
        print(json.dumps(memory_case(sys.argv[2])))
    else:
        raise SystemExit(f"unknown case {case!r}")
