"""The graph model: immutable leaves and nodes in an order that respects their inputs."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpdebug.core.ops import Op, Params
from bpdebug.core.values import Shape


@dataclass(frozen=True, slots=True)
class Leaf:
    """A given value. Anonymous constants (``inputs = ["e", 1]``) are leaves too, with an
    internal id such as ``node#2`` that never reaches the trace's ``values`` or ``grads``."""

    id: str
    value: Any  # float | read-only np.ndarray
    label: str | None = None
    requires_grad: bool = True
    anonymous: bool = False

    @property
    def display(self) -> str:
        return self.label or self.id

    @property
    def shape(self) -> Shape:
        return () if type(self.value) is float else self.value.shape


@dataclass(frozen=True, slots=True)
class Node:
    """An operation on earlier values. ``keys`` are how the trace names each input: the input's
    id, or ``#k`` (k counted from 1) for an anonymous constant."""

    id: str
    op: Op
    inputs: tuple[str, ...]
    keys: tuple[str, ...]
    params: Params = field(default_factory=dict)
    label: str | None = None
    shape: Shape = ()
    file_index: int = 0

    @property
    def display(self) -> str:
        return self.label or self.id


@dataclass(frozen=True)
class Graph:
    title: str
    description: str
    output: str
    leaves: dict[str, Leaf]
    nodes: tuple[Node, ...]  # in forward order
    path: Path | None = None
    ops: Mapping[str, Op] = field(default_factory=dict)  # the registry the graph was loaded with
    lang: str = "en"  # the language its title, description and labels were read in

    # derived from the above in __post_init__
    is_node: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    grad_leaves: frozenset[str] = field(init=False, repr=False, compare=False)
    grad_dependent: frozenset[str] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {n.id: n for n in self.nodes}
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "is_node", by_id.__contains__)  # a bound C method: fast
        # where gradients can flow, a fact of the graph's structure (see graph-format.md):
        # trainable leaves read other than as labels t, and the nodes that depend on them
        trainable = {name for name, leaf in self.leaves.items() if leaf.requires_grad}
        grad_leaves: set[str] = set()
        grad_dependent: set[str] = set()
        for node in self.nodes:
            skip = node.op.no_grad_positions
            for position, input_id in enumerate(node.inputs):
                if skip and position in skip:
                    continue
                if input_id in trainable:
                    grad_leaves.add(input_id)
                    grad_dependent.add(node.id)
                elif input_id in grad_dependent:
                    grad_dependent.add(node.id)
        object.__setattr__(self, "grad_leaves", frozenset(grad_leaves))
        object.__setattr__(self, "grad_dependent", frozenset(grad_dependent))

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def display(self, value_id: str) -> str:
        if value_id in self.leaves:
            return self.leaves[value_id].display
        return self.node(value_id).display

    def shape(self, value_id: str) -> Shape:
        if value_id in self.leaves:
            return self.leaves[value_id].shape
        return self.node(value_id).shape

    def consumers(self) -> dict[str, list[str]]:
        """For every value id, the nodes that read it (each once, in forward order)."""
        users: dict[str, list[str]] = {}
        for node in self.nodes:
            for input_id in dict.fromkeys(node.inputs):
                users.setdefault(input_id, []).append(node.id)
        return users

    def ancestors(self, node_id: str) -> set[str]:
        """Every node *node_id* depends on, itself included (leaves excluded). No recursion."""
        by_id = self._by_id
        seen = {node_id}
        stack = [node_id]
        while stack:
            for input_id in by_id[stack.pop()].inputs:
                if input_id not in seen and input_id in by_id:
                    seen.add(input_id)
                    stack.append(input_id)
        return seen


class CycleFound(Exception):
    def __init__(self, members: list[str]) -> None:
        super().__init__(" → ".join(members))
        self.members = members


def forward_order(nodes: Sequence[Node]) -> list[Node]:
    """Kahn's algorithm, taking the earliest node in the file among those that are ready.

    Raises ``CycleFound`` with the members of one cycle when there is no such order.
    """
    by_id = {n.id: n for n in nodes}
    waiting = {n.id: len({i for i in n.inputs if i in by_id}) for n in nodes}
    users: dict[str, list[Node]] = {}
    for n in nodes:
        for i in dict.fromkeys(n.inputs):
            if i in by_id:
                users.setdefault(i, []).append(n)
    ready = [(n.file_index, n.id) for n in nodes if waiting[n.id] == 0]
    heapq.heapify(ready)
    order: list[Node] = []
    while ready:
        _, node_id = heapq.heappop(ready)
        order.append(by_id[node_id])
        for user in users.get(node_id, ()):
            waiting[user.id] -= 1
            if waiting[user.id] == 0:
                heapq.heappush(ready, (user.file_index, user.id))
    if len(order) != len(nodes):
        raise CycleFound(_find_cycle(by_id, {i for i, w in waiting.items() if w > 0}))
    return order


def _find_cycle(by_id: dict[str, Node], stuck: set[str]) -> list[str]:
    """Walk backwards through inputs from a stuck node until a node repeats."""
    start = min(stuck, key=lambda i: by_id[i].file_index)
    path: list[str] = []
    position: dict[str, int] = {}
    current = start
    while current not in position:
        position[current] = len(path)
        path.append(current)
        current = next(i for i in by_id[current].inputs if i in stuck)
    cycle = path[position[current] :]
    cycle.reverse()  # now each member feeds the next
    first = min(range(len(cycle)), key=lambda k: by_id[cycle[k]].file_index)
    cycle = cycle[first:] + cycle[:first]
    return [*cycle, cycle[0]]
