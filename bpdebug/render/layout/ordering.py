"""Phase 2: the order of the items down each column. A few barycenter sweeps keep crossings few
in small graphs; a large graph keeps the file's order (which is the step order), so that
stepping walks down a column instead of jumping about it, and its crossings are many anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bpdebug.render.layout.layers import Layers

SWEEPS = 4
SWEEP_NODES = 500  # above this, columns keep the file's order


@dataclass
class Order:
    position: dict[str, int]  # item -> its place down its column
    preds: dict[str, list[str]]  # item -> the items its segments come from
    succs: dict[str, list[str]]


def order(layered: Layers, nodes: int) -> Order:
    """Sort each column of *layered* in place; *nodes* is the graph's size."""
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for segment in layered.segments:
        preds[segment.target].append(segment.source)
        succs[segment.source].append(segment.target)
    position = {item: k for column in layered.columns for k, item in enumerate(column)}
    if nodes <= SWEEP_NODES:
        count = layered.count
        for _ in range(SWEEPS):
            _sweep(layered.columns, range(1, count), preds, position)
            _sweep(layered.columns, range(count - 2, -1, -1), succs, position)
        _sweep(layered.columns, range(1, count), preds, position)
    return Order(position, preds, succs)


def _sweep(
    columns: list[list[str]], indices: range, neighbours: dict[str, list[str]], position: dict
) -> None:
    """Each column of *indices* sorted by the mean place of its items' *neighbours*."""
    for i in indices:
        column = columns[i]
        keys = {}
        for item in column:
            near = neighbours.get(item)
            keys[item] = sum(position[n] for n in near) / len(near) if near else position[item]
        column.sort(key=keys.__getitem__)
        for k, item in enumerate(column):
            position[item] = k
