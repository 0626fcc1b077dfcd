"""Turn one row of a layout into pieces of text with a role each; no Textual here.

The view styles the pieces; tests read them as plain text. What each edge says comes from a
``Labels`` object (the value and gradient known at the cursor), so painting never computes.
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple, Protocol

from bpdebug.render.layout import BOX_CHARS, Box, E, Edge, Lane, Layout, Run, Total, W
from bpdebug.support.formatting import cell_width, pad_cells


class Labels(Protocol):
    def value(self, edge: Edge) -> str | None: ...
    def grad(self, edge: Edge) -> str | None: ...
    def total(self, total: Total) -> str | None: ...  # "7 = 6 + 1", fitted to total.width - 2


class Piece(NamedTuple):  # a tuple: a row of a dense graph makes dozens, on every scroll
    x: int
    text: str
    role: str  # "leaf" "node" "caption" "line" "value" "grad" "space"
    ref: str | Edge | frozenset[Edge] | None = None  # the node id or the edge(s) drawn


_x = itemgetter(0)  # a piece's x


def paint_row(layout: Layout, row: int, labels: Labels, x0: int = 0, x1: int | None = None) -> list[Piece]:
    """The pieces of *row* that reach into columns x0..x1-1, left to right, gaps not filled."""
    if x1 is None:
        x1 = layout.width
    pieces: list[Piece] = []
    runs: list[Run] = []
    for item in layout.items_between(row, x0, x1):
        if isinstance(item, Box):
            text = item.text
            pieces.append(Piece(item.x, text, "leaf" if item.is_leaf else "node", item.id))
            rest = item.width - cell_width(text)
            if rest > 0:
                pieces.append(
                    Piece(item.x + cell_width(text), "─" * rest, "line", _first_out(layout, item.id))
                )
        elif isinstance(item, Lane):
            pieces.extend(_lane_value(item, labels))
        elif isinstance(item, Run):
            runs.append(item)
        elif isinstance(item, Total):
            text = labels.total(item)
            if text:
                pieces.append(Piece(item.x, f"◀ {text}", "grad", frozenset(item.edges)))
    for item in layout.items_between(row + 1, x0, x1):
        if isinstance(item, Box) and item.caption:
            pieces.append(Piece(item.x, item.caption, "caption", item.id))
    for item in layout.items_between(row - 1, x0, x1):
        if isinstance(item, Lane):
            text = labels.grad(item.edge)
            if text:
                label = pad_cells(f"◀ {text}", item.width)[: item.width]
                pieces.append(Piece(item.x, label, "grad", item.edge))
    joints = layout.joints_between(row, x0 - layout.widest, x1)
    visible = sorted(joints)
    for run in runs:  # a run is cut where a vertical crosses it, and the crossing gets ┼
        start = run.x
        for col in (c for c in visible if run.x <= c < run.x + run.width):
            joints[col] = (joints[col][0] | E | W, joints[col][1] | {run.edge})
            if col > start:
                pieces.append(Piece(start, "─" * (col - start), "line", run.edge))
            start = col + 1
        if run.x + run.width > start:
            pieces.append(Piece(start, "─" * (run.x + run.width - start), "line", run.edge))
    for col, (bits, edges) in joints.items():
        pieces.append(Piece(col, BOX_CHARS[bits], "line", frozenset(edges)))
    pieces.sort(key=_x)
    return pieces


def _first_out(layout: Layout, node: str) -> Edge | None:
    for edge in layout.edges_of.get(node, ()):
        if edge[0] == node:
            return edge
    return None


def _lane_value(lane: Lane, labels: Labels) -> list[Piece]:
    text = labels.value(lane.edge)
    stub = lane.edge[1] == ""
    end = "▶" if stub else "─"
    if text is None:
        return [Piece(lane.x, "─" * (lane.width - 1) + end, "line", lane.edge)]
    label = f" {text} "
    if cell_width(label) > lane.width - 2:  # no room for the spaces: never spill past the lane
        label = label.strip()[: lane.width - 2]
    rest = max(1, lane.width - 1 - cell_width(label))
    return [
        Piece(lane.x, "─", "line", lane.edge),
        Piece(lane.x + 1, label, "value", lane.edge),
        Piece(lane.x + 1 + cell_width(label), "─" * (rest - 1) + end, "line", lane.edge),
    ]


def row_text(layout: Layout, row: int, labels: Labels) -> str:
    """The row as plain text (for tests and for reading a layout in a terminal)."""
    out = ""
    for piece in paint_row(layout, row, labels):
        if piece.x < cell_width(out):
            continue
        out = pad_cells(out, piece.x) + piece.text
    return out.rstrip()
