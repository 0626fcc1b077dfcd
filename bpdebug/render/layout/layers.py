"""Phase 1: which column (layer) each item stands in, and the one-layer segments every edge is
cut into, with a dummy item per layer an edge crosses, so that no edge runs through a node.

Longest-path layers; every leaf in the first column for small graphs (the book's look), or
just left of its first consumer for large ones, where a large graph also pulls each node right,
next to its first consumer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from bpdebug.core.graph import Graph
from bpdebug.render.layout.model import Edge

SMALL_GRAPH = 40  # nodes; up to this many, every leaf stands in the first column


class Segment(NamedTuple):  # a tuple: a big graph has hundreds of thousands
    source: str  # an item: a leaf, a node or a dummy
    target: str
    edge: Edge  # the edge of the graph the segment belongs to
    first: bool  # the segment leaving the edge's source: where its labels are written


@dataclass
class Layers:
    layer_of: dict[str, int]  # item -> column, dummies included
    columns: list[list[str]]  # the items of each column, in file order (ordering sorts them)
    segments: list[Segment]
    dummies: set[str]

    @property
    def count(self) -> int:
        return len(self.columns)


def layers(graph: Graph, leaves_left: bool) -> Layers:
    node_layer = _node_layers(graph, leaves_left)
    edges = [(i, node.id) for node in graph.nodes for i in dict.fromkeys(node.inputs)]
    first_user: dict[str, int] = {}
    for source, target in edges:
        layer = node_layer[target]
        first_user[source] = min(first_user.get(source, layer), layer)
    layer_of = dict(node_layer)
    for name, leaf in graph.leaves.items():
        if name not in first_user:
            if not leaf.anonymous:
                layer_of[name] = 0
        elif leaves_left and not leaf.anonymous:
            layer_of[name] = 0
        else:
            layer_of[name] = first_user[name] - 1

    segments: list[Segment] = []
    dummy_layer: dict[str, int] = {}
    for source, target in edges:
        chain = [source]
        for layer in range(layer_of[source] + 1, layer_of[target]):
            dummy = f"\0{source}\0{target}\0{layer}"
            dummy_layer[dummy] = layer
            chain.append(dummy)
        chain.append(target)
        for k in range(len(chain) - 1):
            segments.append(Segment(chain[k], chain[k + 1], (source, target), k == 0))
    layer_of.update(dummy_layer)

    columns: list[list[str]] = [[] for _ in range(max(layer_of.values(), default=0) + 1)]
    in_file_order = [n for n in graph.leaves if n in layer_of] + [n.id for n in graph.nodes]
    for item in in_file_order + list(dummy_layer):
        columns[layer_of[item]].append(item)
    return Layers(layer_of, columns, segments, set(dummy_layer))


def _node_layers(graph: Graph, leaves_left: bool) -> dict[str, int]:
    node_layer: dict[str, int] = {}
    for node in graph.nodes:
        layer = 1
        for i in node.inputs:
            if i in node_layer:
                layer = max(layer, node_layer[i] + 1)
        node_layer[node.id] = layer
    if not leaves_left:
        # big graphs: pull each node right, next to its first consumer, so that a node fed only
        # by late inputs does not sit in column 1 with an edge across the whole graph
        consumers: dict[str, list[str]] = defaultdict(list)
        for node in graph.nodes:
            for i in dict.fromkeys(node.inputs):
                consumers[i].append(node.id)
        for node in reversed(graph.nodes):
            users = consumers.get(node.id)
            if users:
                node_layer[node.id] = max(node_layer[node.id], min(node_layer[u] for u in users) - 1)
    return node_layer
