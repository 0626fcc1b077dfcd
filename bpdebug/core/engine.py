"""``run(graph) -> Trace``: the forward pass node by node, then the backward pass in reverse.

Running computes every value and every gradient once, keeping only what the ops returned (a
value per node; the upstream signal, the gradients sent and the local derivatives per backward
step). The step records of the contract are built from those on first access and kept: a
debugger looks at a few steps at a time, and a 100,000-node graph should not pay for 200,000
dictionaries it may never show. Arrays are made read-only when computed, so a record holds
references, never copies. Scalars stay Python floats all the way through.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, overload

import numpy as np

from bpdebug.core.graph import Graph, Node
from bpdebug.core.ops import shape_of
from bpdebug.support.errors import GraphError
from bpdebug.support.gcpause import paused_gc


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


class _Backward(NamedTuple):
    """What one backward step computed, as the op returned it (one entry per input position)."""

    node: Node
    upstream: Any
    sent: list[Any]
    locals: Any  # list | None, or _LATER: an element-wise op on arrays, asked when shown


# An element-wise op's local derivatives of arrays are as big as its inputs, and only a step
# that is shown needs them: they are computed from the recorded values when its record is
# built (the 784-50-10 net's ReLU made a 100×50 array for nothing on every run).
_LATER = object()


class Steps(Sequence[Step]):
    """The trace's steps in order: forward steps, then backward steps; records built on access."""

    def __init__(self, graph: Graph, values: dict[str, Any], backward: list[_Backward], wanted: set[str]):
        self._graph = graph
        self._values = values
        self._backward = backward
        self._wanted = wanted
        self._forward_count = len(graph.nodes)
        self._records: list[Step | None] = [None] * (self._forward_count + len(backward))
        self._sources: dict[str, list[Contribution]] | None = None
        self._downstreams: list[dict[str, Any] | None] = [None] * len(backward)

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...
    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        record = self._records[index]  # raises IndexError as a sequence should
        if record is None:
            record = self._records[index] = self._build(index)
        return record

    def __iter__(self) -> Iterator[Step]:
        for index in range(len(self)):
            yield self[index]

    def node_ids(self) -> list[str]:
        """The node of each step, in order, without building the records."""
        return [n.id for n in self._graph.nodes] + [raw.node.id for raw in self._backward]

    def _build(self, index: int) -> Step:
        if index < self._forward_count:
            node = self._graph.nodes[index]
            values = self._values
            inputs = {key: values[i] for key, i in zip(node.keys, node.inputs, strict=True)}
            return ForwardStep(index + 1, node.id, node.op.name, inputs, values[node.id])
        raw = self._backward[index - self._forward_count]
        node = raw.node
        local: dict[str, Any] | None = None
        locals_ = raw.locals
        if locals_ is _LATER:
            values = self._values
            with np.errstate(all="ignore"):  # non-finite values are flagged, not warned about
                locals_ = node.op.local([values[i] for i in node.inputs], values[node.id], node.params)
        if locals_ is not None:
            local = {}
            for position, input_id in enumerate(node.inputs):
                if raw.sent[position] is not None and input_id in self._wanted:
                    _record_local(local, input_id, locals_[position], self._values[input_id])
        downstream = self._downstream(index - self._forward_count)
        contributions = tuple(self.sources().get(node.id, ()))
        return BackwardStep(index + 1, node.id, node.op.name, raw.upstream, contributions, local, downstream)

    def _downstream(self, k: int) -> dict[str, Any]:
        """What backward step k sent to each differentiable input (totalled for mul(x, x))."""
        found = self._downstreams[k]
        if found is None:
            raw = self._backward[k]
            found = {}
            for position, input_id in enumerate(raw.node.inputs):
                grad = raw.sent[position]
                if grad is not None and input_id in self._wanted:
                    found[input_id] = grad if input_id not in found else _freeze(found[input_id] + grad)
            self._downstreams[k] = found
        return found

    def sources(self) -> dict[str, list[Contribution]]:
        """For each differentiable value, what each consumer sent it, in backward order."""
        if self._sources is None:
            sources: dict[str, list[Contribution]] = {}
            for k, raw in enumerate(self._backward):
                for input_id, grad in self._downstream(k).items():
                    sources.setdefault(input_id, []).append(Contribution(raw.node.id, grad))
            self._sources = sources
        return self._sources


class Trace(NamedTuple):
    graph: Graph
    values: Mapping[str, Any]
    grads: Mapping[str, Any]
    steps: Steps
    forward_count: int

    @property
    def title(self) -> str:
        return self.graph.title

    @property
    def output(self) -> str:
        return self.graph.output

    def contributions(self, value_id: str) -> tuple[Contribution, ...]:
        """Every consumer's share of *value_id*'s gradient, in backward order."""
        return tuple(self.steps.sources().get(value_id, ()))


_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__: a hot path


def _freeze(value: Any) -> Any:
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return float(value)
        value.setflags(write=False)  # asking first (value.flags) cost as much as setting it
        return value
    return float(value)


def _record_local(local: dict[str, Any], input_id: str, d: Any, arg: Any) -> None:
    """∂y/∂input into *local*: totalled when an input appears twice, None when it was broadcast."""
    if type(d) is float and type(arg) is float:
        local[input_id] = local[input_id] + d if input_id in local else d
    elif shape_of(d) != shape_of(arg):
        local[input_id] = None
    elif local.get(input_id) is not None:
        local[input_id] = _freeze(local[input_id] + d)
    else:
        local[input_id] = _freeze(d)


def run(graph: Graph) -> Trace:
    """Compute every value forward, then every gradient backward, recording each step.

    Raises ``GraphError`` naming the file and the node when an op cannot compute (class labels
    computed out of range, memory running out); nan and inf are computed and flagged instead.
    """
    # numpy's "invalid value encountered" warnings would only repeat what the trace flags
    with np.errstate(all="ignore"):
        if len(graph.nodes) < 1000:  # small graphs: the pause would save nothing
            return _run(graph)
        with paused_gc():
            return _run(graph)


def _node_error(graph: Graph, node: Node, phase: str, error: Exception) -> GraphError:
    where = str(graph.path) if graph.path is not None else "<graph>"
    if isinstance(error, MemoryError):
        reason = "out of memory (its arrays are too large for this machine)"
    else:
        reason = str(error) or type(error).__name__
    return GraphError(f"{where}: error: node {node.id!r} ({node.op.name}), {phase} pass: {reason}")


def _run(graph: Graph) -> Trace:
    values: dict[str, Any] = {name: leaf.value for name, leaf in graph.leaves.items()}
    arguments = []  # each node's input values, kept for its backward step
    node = graph.nodes[0]
    try:  # one try around the loop: free while nothing fails, and `node` says where it did
        for node in graph.nodes:
            args = [values[i] for i in node.inputs]
            arguments.append(args)
            y = node.op.forward(args, node.params)
            values[node.id] = y if type(y) is float else _freeze(y)
    except Exception as error:
        raise _node_error(graph, node, "forward", error) from None
    return _backward(graph, values, arguments)


def _backward(graph: Graph, values: dict[str, Any], arguments: list[list[Any]]) -> Trace:
    diff_leaves = graph.grad_leaves  # type: ignore[attr-defined]

    out_value = values[graph.output]
    received: dict[str, Any] = {
        graph.output: 1.0 if type(out_value) is float else _freeze(np.ones(out_value.shape))
    }
    on_path = {graph.output}  # grows as we go: reversed order reaches consumers first
    is_node = graph.is_node
    backward: list[_Backward] = []
    nodes = graph.nodes
    node = graph.node(graph.output)
    try:
        for k in range(len(nodes) - 1, -1, -1):
            node = nodes[k]
            node_id = node.id
            if node_id not in on_path:
                continue
            y = values[node_id]
            g = received.get(node_id)  # read-only already: frozen when it was sent or summed
            if g is None:  # on the path, but only through positions that carry no gradient
                g = 0.0 if type(y) is float else _freeze(np.zeros(y.shape))
            op = node.op
            if op.elementwise and type(g) is float:  # the scalar hot path, without the call
                locals_ = op.local(arguments[k], y, node.params)
                if len(locals_) == 2 and type(locals_[0]) is float and type(locals_[1]) is float:
                    sent = [g * locals_[0], g * locals_[1]]
                elif len(locals_) == 1 and type(locals_[0]) is float:
                    sent = [g * locals_[0]]
                else:
                    sent, locals_ = op.backward_and_local(arguments[k], y, g, node.params)
            elif op.elementwise:  # arrays: the local derivatives are made when a step is shown
                sent, locals_ = op.backward(arguments[k], y, g, node.params), _LATER
            else:  # no element-wise local derivative: what each input receives, and only that
                needs = [i in diff_leaves or is_node(i) for i in node.inputs]
                sent, locals_ = op.backward(arguments[k], y, g, node.params, needs), None
            for position, input_id in enumerate(node.inputs):
                if is_node(input_id):  # a node read by a node on the path is on the path
                    on_path.add(input_id)
                elif input_id not in diff_leaves:
                    continue
                grad = sent[position]
                if grad is None:
                    continue
                if type(grad) is not float:
                    grad = sent[position] = _freeze(grad)
                previous = received.get(input_id)
                received[input_id] = grad if previous is None else _freeze(previous + grad)
            backward.append(_new(_Backward, (node, g, sent, locals_)))
    except Exception as error:
        raise _node_error(graph, node, "backward", error) from None
    diff_nodes = graph.grad_dependent & on_path  # type: ignore[attr-defined]
    wanted = diff_leaves | diff_nodes

    grads: dict[str, Any] = {}
    for name in graph.leaves:
        if name in diff_leaves:
            grad = received.get(name)
            if grad is None:
                value = values[name]
                grad = 0.0 if type(value) is float else _freeze(np.zeros(value.shape))
            grads[name] = grad
    for node in graph.nodes:
        if node.id in diff_nodes:
            grads[node.id] = received[node.id]

    public_values = dict(values)  # a copy in C, then the few anonymous constants out
    for name, leaf in graph.leaves.items():
        if leaf.anonymous:
            del public_values[name]
    steps = Steps(graph, values, backward, wanted)
    return Trace(graph, MappingProxyType(public_values), MappingProxyType(grads), steps, len(graph.nodes))
