"""Check each node's own backward, not only the whole graph's: which node is wrong.

For a node with inputs x and a random upstream u (seeded; the output's own upstream is 1, as
the backward pass gives it), the backward must send ∂⟨forward(x), u⟩/∂x: compared with the
central difference of ⟨forward(x), u⟩ at the inputs the trace recorded. A ones upstream would
hide errors (the rows of softmax's Jacobian sum to zero). Near a kink (ReLU at 0), where the
one-sided differences disagree, a difference is a warning, not a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bpdebug.core.gradcheck import ATOL, RTOL
from bpdebug.core.graph import Graph, Node
from bpdebug.core.trace import Trace

H = 1e-5  # the step is H · max(1, |x|)
KINK = 1e-3  # one-sided slopes this far apart (relatively) mean a kink between them


@dataclass(frozen=True)
class InputCheck:
    key: str  # the input, as the trace names it
    checked: int
    total: int
    index: tuple[int, ...]  # the worst element (() for a number)
    analytic: float
    numerical: float
    rel_error: float
    eps: float
    ok: bool
    kink: bool  # not ok, but at a kink: a warning

    @property
    def difference(self) -> float:
        return self.analytic - self.numerical

    @property
    def outcome(self) -> str:
        """``ok``, ``kink`` (a difference at a kink: a warning) or ``fail``."""
        return "ok" if self.ok else ("kink" if self.kink else "fail")

    @property
    def index_text(self) -> str:
        """``[2, 1]``, the worst element, or "" for a number."""
        return "[" + ", ".join(map(str, self.index)) + "]" if self.index else ""


@dataclass(frozen=True)
class NodeCheck:
    node: str
    inputs: list[InputCheck]

    @property
    def wrong(self) -> InputCheck | None:
        """The worst input that fails (kinks aside), or None when the backward is right."""
        failing = [i for i in self.inputs if not i.ok and not i.kink]
        return max(failing, key=lambda i: i.rel_error) if failing else None


def check_nodes(
    graph: Graph,
    trace: Trace,
    samples: int = 40,
    seed: int = 0,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[NodeCheck]:
    """Every node on the output's path, in backward order, each input checked at up to
    *samples* elements (drawn at random, seeded)."""
    values = {name: leaf.value for name, leaf in graph.leaves.items()} | dict(trace.values)
    rng = np.random.default_rng(seed)
    order = [graph.node(node_id) for node_id in trace.steps.node_ids()[trace.forward_count :]]
    results = []
    for done, node in enumerate(order, start=1):
        xs = [values[i] for i in node.inputs]
        with np.errstate(all="ignore"):
            results.append(NodeCheck(node.id, _check_node(graph, node, xs, rng, samples)))
        if progress:
            progress(done, len(order), node.id)
    return results


def _check_node(graph: Graph, node: Node, xs: list[Any], rng: np.random.Generator, samples: int):
    value, saved = node.op.forward(xs, node.params)
    if node.id == graph.output and type(value) is float:
        u: Any = 1.0
    elif type(value) is float:
        u = float(rng.standard_normal())
    else:
        u = rng.standard_normal(value.shape)
    wanted = [
        position not in node.op.no_grad_positions and (i in graph.grad_leaves or graph.is_node(i))
        for position, i in enumerate(node.inputs)
    ]
    analytic = node.op.backward(saved, u, node.params, wanted)

    def pairing(position: int, x: Any) -> float:
        args = list(xs)
        args[position] = x
        return float(np.sum(np.asarray(node.op.forward(args, node.params)[0]) * u))

    checks = []
    for position, key in enumerate(node.keys):
        if not wanted[position] or analytic[position] is None:
            continue
        size = int(np.size(xs[position]))
        indices = (
            range(size) if size <= samples else sorted(rng.choice(size, samples, replace=False).tolist())
        )
        checks.append(_check_input(key, xs[position], analytic[position], list(indices), position, pairing))
    return checks


def _check_input(key: str, x: Any, analytic: Any, indices: list[int], position: int, pairing) -> InputCheck:
    scalar = type(x) is float
    base = pairing(position, x)
    flat_analytic = np.asarray(analytic, dtype=np.float64).reshape(-1)
    worst = None
    for flat in indices:
        point = x if scalar else x.reshape(-1)[flat]
        eps = H * max(1.0, abs(float(point)))
        plus = pairing(position, _moved(x, flat, eps))
        minus = pairing(position, _moved(x, flat, -eps))
        numerical = (plus - minus) / (2 * eps)
        a = float(flat_analytic[flat])
        error = abs(a - numerical)
        scale = max(abs(a), abs(numerical))
        ok = error <= ATOL + RTOL * scale
        slopes = ((plus - base) / eps, (base - minus) / eps)
        kink = abs(slopes[0] - slopes[1]) > KINK * max(1.0, *map(abs, slopes))
        rel = error / scale if scale > 0 else 0.0
        # the worst: a failure before a pass, then the larger relative error
        rank = (not ok and not kink, not ok, rel)
        if worst is None or rank > worst[0]:
            index = () if scalar else tuple(int(i) for i in np.unravel_index(flat, x.shape))
            worst = (rank, index, a, numerical, rel, eps, ok, kink)
    _, index, a, numerical, rel, eps, ok, kink = worst  # type: ignore[misc]
    return InputCheck(
        key, len(indices), 1 if scalar else x.size, index, a, numerical, rel, eps, ok, kink and not ok
    )


def _moved(x: Any, flat: int, step: float) -> Any:
    if type(x) is float:
        return x + step
    moved = np.array(x, dtype=np.float64)
    moved.reshape(-1)[flat] += step
    return moved


def first_wrong(results: list[NodeCheck]) -> NodeCheck | None:
    """The first node, in backward order, whose own backward is wrong."""
    return next((r for r in results if r.wrong is not None), None)
