"""What a run leaves behind: the steps of the trace, in order, and the trace itself.

The step records of the contract are built from what the ops returned on first access and
kept: a debugger looks at a few steps at a time, and a large graph should not pay for records
it may never show (docs/performance.md has the figures). A record holds references to the
read-only values, never copies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple, overload

import numpy as np

from bpdebug.core.graph import Graph, Node
from bpdebug.core.values import freeze, shape_of


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


class RawBackward(NamedTuple):
    """What one backward step computed, as the op returned it (one entry per input position)."""

    node: Node
    upstream: Any
    sent: list[Any]
    locals: Any  # list | None, or LATER: an element-wise op on arrays, asked when shown
    saved: Any  # what the node's forward kept: LATER asks the op with it


# An element-wise op's local derivatives of arrays are as big as its inputs, and only a step
# that is shown needs them: they are computed from the recorded values when its record is
# built (the 784-50-10 net's ReLU made a 100×50 array for nothing on every run).
LATER = object()


class Steps(Sequence[Step]):
    """The trace's steps in order: forward steps, then backward steps; records built on access."""

    def __init__(self, graph: Graph, values: dict[str, Any], backward: list[RawBackward], wanted: set[str]):
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
        if locals_ is LATER:
            with np.errstate(all="ignore"):  # non-finite values are flagged, not warned about
                locals_ = node.op.local(raw.saved, node.params)
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
                    found[input_id] = grad if input_id not in found else freeze(found[input_id] + grad)
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
    # (node, "forward" or "backward", argument): a layer's code changed an argument in place
    in_place: tuple[tuple[str, str, str], ...] = ()

    @property
    def title(self) -> str:
        return self.graph.title

    @property
    def output(self) -> str:
        return self.graph.output

    def contributions(self, value_id: str) -> tuple[Contribution, ...]:
        """Every consumer's share of *value_id*'s gradient, in backward order."""
        return tuple(self.steps.sources().get(value_id, ()))


def _record_local(local: dict[str, Any], input_id: str, d: Any, arg: Any) -> None:
    """∂y/∂input into *local*: totalled when an input appears twice, None when it was broadcast."""
    if type(d) is float and type(arg) is float:
        local[input_id] = local[input_id] + d if input_id in local else d
    elif shape_of(d) != shape_of(arg):
        local[input_id] = None
    elif local.get(input_id) is not None:
        local[input_id] = freeze(local[input_id] + d)
    else:
        local[input_id] = freeze(d)
