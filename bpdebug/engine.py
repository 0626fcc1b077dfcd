"""``run(graph) -> Trace``: the forward pass node by node, then the backward pass in reverse.

Every step is an immutable record; arrays are made read-only when recorded, so a record holds
references, never copies. Scalars stay Python floats all the way through.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from bpdebug.graph import Graph
from bpdebug.ops import shape_of


class ForwardStep(NamedTuple):
    index: int
    node: str
    op: str
    inputs: dict[str, Any]  # keyed by input id, or "#k" for an anonymous constant
    value: Any

    @property
    def phase(self) -> str:
        return "forward"


class Contribution(NamedTuple):
    """One consumer's share of a value's gradient: ``source`` sent ``grad``."""

    source: str
    grad: Any


class BackwardStep(NamedTuple):
    index: int
    node: str
    op: str
    upstream: Any  # ∂L/∂y: the sum of the contributions
    contributions: tuple[Contribution, ...]  # empty for the output, which receives ∂L/∂L = 1
    local: dict[str, Any] | None  # ∂y/∂x per differentiable input; None for non-element-wise ops
    downstream: dict[str, Any]  # what each differentiable input receives from this node

    @property
    def phase(self) -> str:
        return "backward"


Step = ForwardStep | BackwardStep


class Trace(NamedTuple):
    graph: Graph
    values: Mapping[str, Any]
    grads: Mapping[str, Any]
    steps: tuple[Step, ...]
    forward_count: int

    @property
    def title(self) -> str:
        return self.graph.title

    @property
    def output(self) -> str:
        return self.graph.output

    def contributions(self, value_id: str) -> tuple[Contribution, ...]:
        """Every consumer's share of *value_id*'s gradient, in backward order."""
        return tuple(
            Contribution(step.node, step.downstream[value_id])
            for step in self.steps[self.forward_count :]
            if value_id in step.downstream  # type: ignore[union-attr]
        )


def _freeze(value: Any) -> Any:
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return float(value)
        if value.flags.writeable:
            value.setflags(write=False)
        return value
    return float(value)


def _add(total: Any, more: Any) -> Any:
    return more if total is None else total + more


def differentiable(graph: Graph) -> tuple[set[str], set[str]]:
    """(leaves, nodes) that carry a gradient, as the graph format defines them."""
    leaves: set[str] = set()
    depends: set[str] = set()  # nodes that depend on a differentiable leaf
    for node in graph.nodes:
        for position, input_id in enumerate(node.inputs):
            if position in node.op.no_grad_positions:
                continue
            leaf = graph.leaves.get(input_id)
            if leaf is not None and leaf.requires_grad:
                leaves.add(input_id)
                depends.add(node.id)
            elif input_id in depends:
                depends.add(node.id)
    return leaves, depends & graph.ancestors(graph.output)


def run(graph: Graph) -> Trace:
    """Compute every value forward, then every gradient backward, recording each step."""
    values: dict[str, Any] = {name: leaf.value for name, leaf in graph.leaves.items()}
    steps: list[Step] = []
    index = 0
    for node in graph.nodes:
        args = [values[i] for i in node.inputs]
        y = _freeze(node.op.forward(args, node.params))
        values[node.id] = y
        index += 1
        steps.append(ForwardStep(index, node.id, node.op.name, dict(zip(node.keys, args, strict=True)), y))
    forward_count = index

    diff_leaves, diff_nodes = differentiable(graph)
    wanted = diff_leaves | diff_nodes
    on_path = graph.ancestors(graph.output)
    out_value = values[graph.output]
    received: dict[str, Any] = {
        graph.output: 1.0 if type(out_value) is float else _freeze(np.ones(out_value.shape))
    }
    sources: dict[str, list[Contribution]] = {}

    for node in reversed(graph.nodes):
        if node.id not in on_path:
            continue
        y = values[node.id]
        g = received.get(node.id)
        if g is None:  # on the path, but only through positions that carry no gradient
            g = 0.0 if type(y) is float else _freeze(np.zeros(y.shape))
        args = [values[i] for i in node.inputs]
        op = node.op
        sent, locals_ = op.backward_and_local(args, y, g, node.params)
        local: dict[str, Any] | None = None if locals_ is None else {}
        downstream: dict[str, Any] = {}
        for position, input_id in enumerate(node.inputs):
            grad = sent[position]
            if grad is None or (input_id not in wanted and input_id not in on_path):
                continue
            grad = _freeze(grad)
            if input_id in wanted:
                downstream[input_id] = _freeze(_add(downstream.get(input_id), grad))
                if local is not None:
                    d = locals_[position]  # type: ignore[index]
                    if shape_of(d) != shape_of(args[position]):
                        local[input_id] = None
                    elif input_id in local and local[input_id] is not None:
                        local[input_id] = _freeze(local[input_id] + d)
                    else:
                        local[input_id] = _freeze(d)
            received[input_id] = _add(received.get(input_id), grad)
        for input_id, grad in downstream.items():
            sources.setdefault(input_id, []).append(Contribution(node.id, grad))
        index += 1
        contributions = tuple(sources.get(node.id, ()))
        steps.append(BackwardStep(index, node.id, op.name, _freeze(g), contributions, local, downstream))

    grads: dict[str, Any] = {}
    for name in graph.leaves:
        if name in diff_leaves:
            grad = received.get(name)
            if grad is None:
                value = values[name]
                grad = 0.0 if type(value) is float else np.zeros(value.shape)
            grads[name] = _freeze(grad)
    for node in graph.nodes:
        if node.id in diff_nodes:
            grads[node.id] = _freeze(received[node.id])

    public_values = {k: v for k, v in values.items() if not graph.leaves.get(k, _NAMED).anonymous}
    return Trace(graph, MappingProxyType(public_values), MappingProxyType(grads), tuple(steps), forward_count)


class _Named:
    anonymous = False


_NAMED = _Named()
