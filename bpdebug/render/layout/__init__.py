"""A left-to-right layered layout in terminal cells, as the book draws its graphs. Pure: no UI.

Sugiyama's method, kept plain, one module per phase, each returning a small dataclass:
``layers`` (columns, and edges cut into one-layer segments), ``ordering`` (the order down each
column), ``rows`` (texts, ports and rows) and ``routes`` (x positions and every edge's route,
drawn into a ``Layout``, which ``model`` defines with the queries the painter asks).
"""

from __future__ import annotations

from collections.abc import Callable

from bpdebug.core.graph import Graph
from bpdebug.render.layout.layers import SMALL_GRAPH, layers
from bpdebug.render.layout.model import (
    BOX_CHARS,
    MAX_CAPTION,
    Box,
    E,
    Edge,
    Lane,
    Layout,
    N,
    Run,
    S,
    Total,
    W,
    symbol_text,
)
from bpdebug.render.layout.ordering import SWEEP_NODES, order
from bpdebug.render.layout.routes import routes
from bpdebug.render.layout.rows import rows
from bpdebug.support.formatting import cell_width
from bpdebug.support.gcpause import paused_gc


def layout(graph: Graph, label_width: int, leaves_left: bool | None = None) -> Layout:
    """Lay out *graph*; *label_width* is the widest value or gradient text an edge will carry."""
    if leaves_left is None:
        leaves_left = len(graph.nodes) <= SMALL_GRAPH
    lane_width = label_width + 3  # "─ " + label + " " + "─"
    with paused_gc(len(graph.nodes)):
        layered = layers(graph, leaves_left)
        ordered = order(layered, len(graph.nodes))
        placed = rows(graph, layered, ordered, lane_width, leaves_left)
        dense = len(graph.nodes) > SWEEP_NODES
        return routes(layered, placed, placed.lane_width, label_width, dense, small=leaves_left)


def label_width_for(texts: Callable[[], list[str]], cap: int = 20) -> int:
    """The lane label width: the widest text, within [3, cap]."""
    return max(3, min(cap, max((cell_width(t) for t in texts()), default=3)))


__all__ = [
    "BOX_CHARS", "MAX_CAPTION", "Box", "E", "Edge", "Lane", "Layout", "N", "Run", "S", "Total", "W",
    "label_width_for", "layout", "symbol_text",
]  # fmt: skip
