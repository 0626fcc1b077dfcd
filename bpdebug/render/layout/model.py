"""What a layout is: boxes, lanes and runs on rows, line joints in cells, and the queries the
painter asks of them (what reaches into a window of columns, which rows a node's look spans)."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from bpdebug.support.formatting import cell_width

# direction bits of a line-drawing cell
N, S, E, W = 1, 2, 4, 8
BOX_CHARS = {
    N | S: "│",
    E | W: "─",
    S | E: "╭",
    S | W: "╮",
    N | E: "╰",
    N | W: "╯",
    N | S | E: "├",
    N | S | W: "┤",
    E | W | S: "┬",
    E | W | N: "┴",
    N | S | E | W: "┼",
    N: "│",
    S: "│",
    E: "─",
    W: "─",
}
MAX_CAPTION = 16  # cells: a name longer than this is clipped with "…"

Edge = tuple[str, str]  # (source id, target id); target "" is the output's stub


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    x: int
    y: int
    width: int
    text: str  # a node's symbol "(×)", or a leaf's name
    caption: str  # a node's name, drawn on the row above its symbol; "" for leaves
    is_leaf: bool


@dataclass(frozen=True, slots=True)
class Lane:
    """Where an edge's value (row y) and gradient (row y + 1) are written."""

    edge: Edge
    x: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Run:
    """A plain horizontal stretch of an edge's line."""

    edge: Edge
    x: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Total:
    """Where a leaf used more than once writes its total gradient and its parts
    (``◀ 7 = 6 + 1``), on the row below its last edge; *edges* in the order they are drawn."""

    leaf: str
    edges: tuple[Edge, ...]
    x: int
    y: int
    width: int


Item = Box | Lane | Run | Total


@dataclass
class Layout:
    width: int
    height: int
    boxes: dict[str, Box]
    lanes: dict[Edge, Lane]
    rows: dict[int, list[Item]]  # what starts on each row (lanes on their value row)
    # corners and verticals: row -> col -> (direction bits, edges); a Run through one adds E|W
    cells: dict[int, dict[int, list]]  # [bits, set of edges]
    label_width: int
    layers: int = 0
    edges_of: dict[str, set[Edge]] = field(default_factory=dict)  # node -> its in and out edges
    edge_rows: dict[Edge, tuple[int, int]] = field(default_factory=dict)  # first and last row drawn
    widest: int = MAX_CAPTION  # no item (or caption) is wider: bounds a search by x
    vlines: dict[int, list[tuple[int, int, Edge]]] = field(default_factory=dict)  # col -> rows, edge
    _row_xs: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _cell_cols: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _vline_cols: list[int] | None = field(default=None, repr=False)
    # a graph read a step at a time (over SWEEP_NODES): its edges' verticals are not
    # highlighted, so a step changes the rows where its edges run across, not their height
    dense: bool = False
    _across_rows: dict[Edge, list[int]] | None = field(default=None, repr=False)
    totals: dict[str, Total] = field(default_factory=dict)  # leaf -> where its total is written

    def items_between(self, row: int, x0: int, x1: int) -> list[Item]:
        """The items of *row* that reach into columns x0..x1-1 (rows are sorted by x)."""
        items = self.rows.get(row)
        if not items:
            return []
        xs = self._row_xs.get(row)
        if xs is None:
            xs = self._row_xs[row] = [item.x for item in items]
        return items[bisect_left(xs, x0 - self.widest) : bisect_left(xs, x1)]

    def joints_between(self, row: int, x0: int, x1: int) -> dict[int, tuple[int, set[Edge]]]:
        """The line joints of *row* within columns x0..x1-1: corners, and verticals passing."""
        cols = self._cell_cols.get(row)
        if cols is None:
            cols = self._cell_cols[row] = sorted(self.cells.get(row, ()))
        found: dict[int, tuple[int, set[Edge]]] = {}
        corners = self.cells.get(row, {})
        for col in cols[bisect_left(cols, x0) : bisect_left(cols, x1)]:
            bits, edges = corners[col]
            found[col] = (bits, set(edges))
        if self._vline_cols is None:
            self._vline_cols = sorted(self.vlines)
        vcols = self._vline_cols
        for col in vcols[bisect_left(vcols, x0) : bisect_left(vcols, x1)]:
            for first, last, edge in self.vlines[col]:
                if first <= row <= last:
                    bits, edges = found.get(col, (0, set()))
                    edges.add(edge)
                    found[col] = (bits | N | S, edges)
        return found

    def all_joint_cells(self) -> set[tuple[int, int]]:
        """Every (col, row) a joint or vertical covers (for tests and checks)."""
        covered = {(col, row) for row, cols in self.cells.items() for col in cols}
        for col, runs in self.vlines.items():
            for first, last, _ in runs:
                covered |= {(col, r) for r in range(first, last + 1)}
        return covered

    def rows_of(self, node: str) -> list[tuple[int, int]]:
        """Row ranges whose look depends on *node*: its box, caption, and its edges."""
        ranges = []
        box = self.boxes.get(node)
        if box is not None:
            ranges.append((box.y - 1, box.y + 1))
        ranges.extend(self.edge_rows[e] for e in self.edges_of.get(node, ()) if e in self.edge_rows)
        return ranges

    def rows_across_of(self, node: str) -> list[tuple[int, int]]:
        """Like rows_of, but of the node's edges only the rows where they run across (their
        lanes, value and gradient rows, and runs): what a step changes in a dense graph."""
        if self._across_rows is None:
            across: dict[Edge, list[int]] = defaultdict(list)
            for row, items in self.rows.items():
                for item in items:
                    if isinstance(item, (Lane, Run)):
                        across[item.edge].append(row)
                    elif isinstance(item, Total):
                        for edge in item.edges:
                            across[edge].append(row)
            self._across_rows = dict(across)
        ranges = []
        box = self.boxes.get(node)
        if box is not None:
            ranges.append((box.y - 1, box.y + 1))
        for edge in self.edges_of.get(node, ()):
            ranges.extend((row, row + 1) for row in self._across_rows.get(edge, ()))
            source = self.boxes.get(edge[0])
            if source is not None:  # the line from the source's symbol to its first lane
                ranges.append((source.y, source.y))
        return ranges

    def box_at(self, x: int, y: int) -> Box | None:
        for item in self.rows.get(y, ()):
            if isinstance(item, Box) and item.x <= x < item.x + item.width:
                return item
        for item in self.rows.get(y + 1, ()):  # a node's caption row
            if isinstance(item, Box) and item.caption and item.x <= x < item.x + cell_width(item.caption):
                return item
        return None


def symbol_text(symbol: str) -> str:
    return f"({symbol})"


def clip(text: str, width: int) -> str:
    """*text* cut to *width* cells, ending in "…"."""
    out, used = "", 0
    for char in text:
        w = cell_width(char)
        if used + w > width - 1:
            return out + "…"
        out += char
        used += w
    return out
