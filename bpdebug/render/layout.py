"""A left-to-right layered layout in terminal cells, as the book draws its graphs. Pure: no UI.

Steps (Sugiyama, kept plain): longest-path layers; every leaf in the first column for small
graphs (the book's look) or just left of its first consumer for large ones; long edges cut into
dummy items, one per layer crossed, so no edge runs through a node; a few barycenter sweeps to
keep crossings few (small graphs; a large one keeps the file's order down each column, so
stepping walks down a column instead of jumping about it); rows placed top-down near the rows
the inputs arrive from.

Each item (leaf, node, dummy) has one output *port* per edge leaving it, two rows apart: the port
row carries the edge line with the value written on it, the row below carries the gradient. The
first stretch of every edge after its source is its *lane*, where the two labels are drawn.
Between two columns each target that needs a vertical jog gets its own jog column.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bpdebug.core.graph import Graph
from bpdebug.support.formatting import cell_width
from bpdebug.support.gcpause import paused_gc

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
SMALL_GRAPH = 40  # nodes; up to this many, every leaf stands in the first column
MAX_CAPTION = 16
SWEEPS = 4
SWEEP_NODES = 500  # above this, columns keep the file's order
CONTRACT = 0.8  # in big graphs, the share of its inputs' rows a column aims for (the rest: row 0)

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


@dataclass
class Layout:
    width: int
    height: int
    boxes: dict[str, Box]
    lanes: dict[Edge, Lane]
    rows: dict[int, list[Box | Lane | Run]]  # what starts on each row (lanes on their value row)
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

    def items_between(self, row: int, x0: int, x1: int) -> list[Box | Lane | Run]:
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


def layout(graph: Graph, label_width: int, leaves_left: bool | None = None) -> Layout:
    """Lay out *graph*; *label_width* is the widest value or gradient text an edge will carry."""
    with paused_gc(len(graph.nodes)):
        return _layout(graph, label_width, leaves_left)


def _layout(graph: Graph, label_width: int, leaves_left: bool | None) -> Layout:
    if leaves_left is None:
        leaves_left = len(graph.nodes) <= SMALL_GRAPH
    W_LANE = label_width + 3  # "─ " + label + " " + "─"

    # --- items, edges and layers ----------------------------------------------------------------
    node_layer: dict[str, int] = {}
    for node in graph.nodes:
        layer = 1
        for i in node.inputs:
            if i in node_layer:
                layer = max(layer, node_layer[i] + 1)
        node_layer[node.id] = layer
    consumers: dict[str, list[str]] = defaultdict(list)
    edges: list[Edge] = []
    for node in graph.nodes:
        for i in dict.fromkeys(node.inputs):
            consumers[i].append(node.id)
            edges.append((i, node.id))
    if not leaves_left:
        # big graphs: pull each node right, next to its first consumer, so that a node fed only
        # by late inputs does not sit in column 1 with an edge across the whole graph
        for node in reversed(graph.nodes):
            users = consumers.get(node.id)
            if users:
                node_layer[node.id] = max(node_layer[node.id], min(node_layer[u] for u in users) - 1)
    layer_of = dict(node_layer)
    for name in graph.leaves:
        users = consumers.get(name)
        if not users:
            if graph.leaves[name].anonymous:
                continue
            layer_of[name] = 0
        elif leaves_left and not graph.leaves[name].anonymous:
            layer_of[name] = 0
        else:
            layer_of[name] = min(node_layer[u] for u in users) - 1

    # dummies: every edge becomes a chain of one-layer segments
    segments: list[tuple[str, str, Edge, bool]] = []  # (from item, to item, edge, first?)
    dummy_layer: dict[str, int] = {}
    for source, target in edges:
        chain = [source]
        for layer in range(layer_of[source] + 1, layer_of[target]):
            dummy = f"\0{source}\0{target}\0{layer}"
            dummy_layer[dummy] = layer
            chain.append(dummy)
        chain.append(target)
        for k in range(len(chain) - 1):
            segments.append((chain[k], chain[k + 1], (source, target), k == 0))
    layer_of.update(dummy_layer)

    count = max(layer_of.values(), default=0) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    seen_order = [n for n in graph.leaves if n in layer_of] + [n.id for n in graph.nodes]
    for item in seen_order + list(dummy_layer):
        layers[layer_of[item]].append(item)

    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for a, b, _, _ in segments:
        preds[b].append(a)
        succs[a].append(b)

    # --- order within layers: barycenter sweeps -----------------------------------------------
    position = {item: k for layer in layers for k, item in enumerate(layer)}

    def sweep(indices: range, neighbours: dict[str, list[str]]) -> None:
        for i in indices:
            layer = layers[i]
            keys = {}
            for item in layer:
                near = neighbours.get(item)
                keys[item] = sum(position[n] for n in near) / len(near) if near else position[item]
            layer.sort(key=keys.__getitem__)
            for k, item in enumerate(layer):
                position[item] = k

    # A graph this large is read a step at a time, not as one picture, and its crossings are
    # many whatever the order: the file's order (which is the step order) serves it better.
    if len(graph.nodes) <= SWEEP_NODES:
        for _ in range(SWEEPS):
            sweep(range(1, count), preds)
            sweep(range(count - 2, -1, -1), succs)
        sweep(range(1, count), preds)

    # --- boxes' text and column widths ------------------------------------------------------
    texts: dict[str, tuple[str, str, bool]] = {}  # item -> (text, caption, is leaf)
    for name, leaf in graph.leaves.items():
        if name in layer_of:
            # an anonymous constant needs no name: its edge already shows the number
            text = "" if leaf.anonymous else leaf.display
            texts[name] = (text if cell_width(text) <= MAX_CAPTION else _clip(text, MAX_CAPTION), "", True)
    col_width = [1] * count
    for item, (text, _, _) in texts.items():
        col_width[layer_of[item]] = max(col_width[layer_of[item]], cell_width(text))
    for node in graph.nodes:
        symbol = symbol_text(node.op.symbol)
        layer = layer_of[node.id]
        col_width[layer] = max(col_width[layer], cell_width(symbol))
    for node in graph.nodes:
        # the caption may reach over the lane to the right of the symbol, which is empty there
        room = min(MAX_CAPTION, col_width[layer_of[node.id]] + W_LANE)
        caption = node.display if cell_width(node.display) <= room else _clip(node.display, room)
        texts[node.id] = (symbol_text(node.op.symbol), caption, False)

    # --- ports: each edge leaving an item gets its own row, ordered by where it goes ----------
    out_order: dict[str, list[tuple[str, Edge, bool]]] = defaultdict(list)
    for a, b, edge, first in segments:
        out_order[a].append((b, edge, first))
    for item in out_order:
        out_order[item].sort(key=lambda t: position[t[0]])
    edges_to: dict[tuple[str, str], list[Edge]] = defaultdict(list)  # (from, to) -> edges, in port order
    for a, ports in out_order.items():
        for b, edge, _ in ports:
            edges_to[(a, b)].append(edge)
    if graph.output in layer_of:
        out_order[graph.output].append(("", (graph.output, ""), True))

    def height(item: str) -> int:
        return 2 * max(1, len(out_order.get(item, ())))

    # --- rows: column by column, each item near the rows its inputs arrive on -----------------
    # Items keep their order and spacing; within that, each column sits as close as it can to
    # where its inputs are (a least-squares fit), so columns do not drift apart in big graphs.
    y_of: dict[str, int] = {}
    port_row: dict[tuple[str, str, Edge], int] = {}
    for layer in layers:
        wanted: list[float | None] = []
        for item in layer:
            arriving = [port_row[(a, item, e)] for a in preds.get(item, ()) for e in edges_to[(a, item)]]
            if arriving:
                wanted.append(sum(arriving) / len(arriving) - (len(out_order.get(item, ())) - 1))
            else:
                wanted.append(None)
        if not leaves_left:  # big graphs: pull every column towards the top, so none drifts away
            wanted = [None if w is None else w * CONTRACT for w in wanted]
        for item, y in zip(layer, _pack(wanted, [height(item) + 1 for item in layer]), strict=True):
            y_of[item] = y
            for k, (b, edge, _) in enumerate(out_order.get(item, ())):
                port_row[(item, b, edge)] = y + 2 * k

    # --- columns ------------------------------------------------------------------------------
    jog_targets: list[dict[str, int]] = [dict() for _ in range(count)]
    for a, b, edge, _ in segments:
        if port_row[(a, b, edge)] != y_of[b]:
            jog_targets[layer_of[b]].setdefault(b, 0)
    for targets in jog_targets:
        for k, item in enumerate(sorted(targets, key=lambda t: y_of[t])):
            targets[item] = k
    x_of_layer = [0] * count
    x = 0
    for i in range(count):
        x_of_layer[i] = x
        jogs = len(jog_targets[i + 1]) if i + 1 < count else 0
        x += col_width[i] + 1 + W_LANE + jogs + 1

    # --- drawing primitives --------------------------------------------------------------------
    rows: dict[int, list[Box | Lane | Run]] = defaultdict(list)
    cells: dict[int, dict[int, list]] = defaultdict(dict)  # row -> col -> [bits, edges]
    vlines: dict[int, list[tuple[int, int, Edge]]] = defaultdict(list)  # col -> (rows, edge)
    spans: dict[Edge, list[int]] = {}
    boxes: dict[str, Box] = {}
    lanes: dict[Edge, Lane] = {}
    edges_of: dict[str, set[Edge]] = defaultdict(set)

    def joint(row: int, col: int, bits: int, edge: Edge) -> None:
        cell = cells[row].get(col)
        if cell is None:
            cells[row][col] = [bits, [edge]]
        else:
            cell[0] |= bits
            cell[1].append(edge)

    def hline(row: int, x0: int, x1: int, edge: Edge) -> None:
        """A straight stretch x0..x1-1; where a vertical crosses it, painting draws ┼."""
        if x1 > x0:
            rows[row].append(Run(edge, x0, row, x1 - x0))

    def vline(col: int, first: int, last: int, edge: Edge) -> None:
        """A vertical stretch of rows first..last; kept whole, cut into cells only when painted."""
        if last >= first:
            vlines[col].append((first, last, edge))

    def touch(edge: Edge, first: int, last: int) -> None:
        span = spans.get(edge)
        if span is None:
            spans[edge] = [first, last]
        else:
            span[0] = min(span[0], first)
            span[1] = max(span[1], last)

    for item, layer in layer_of.items():
        x0 = x_of_layer[layer]
        y = y_of[item]
        if item in texts:
            text, caption, is_leaf = texts[item]
            box = Box(item, x0, y, col_width[layer], text, caption, is_leaf)
            boxes[item] = box
            rows[y].append(box)
        else:  # a dummy: the edge passes straight through the column
            edge = next(e for _, e, _ in out_order[item])
            hline(y, x0, x0 + col_width[layer], edge)
            touch(edge, y, y)
        ports = out_order.get(item, ())
        split = x0 + col_width[layer]
        for k, (b, edge, first) in enumerate(ports):
            row = y + 2 * k
            bits = W if k == 0 else N
            if k + 1 < len(ports):
                bits |= S
            if len(ports) > 1:
                joint(row, split, bits | E, edge)
                if k + 1 < len(ports):
                    vline(split, row + 1, row + 1, edge)
            else:
                hline(row, split, split + 1, edge)
            lane_x = split + 1
            edges_of[edge[0]].add(edge)
            if edge[1]:
                edges_of[edge[1]].add(edge)
            if first:
                lane = Lane(edge, lane_x, row, W_LANE)
                lanes[edge] = lane
                rows[row].append(lane)
            else:
                hline(row, lane_x, lane_x + W_LANE, edge)
            if not b:
                touch(edge, row, row + 1)
                continue
            jog_start = lane_x + W_LANE
            next_x = x_of_layer[layer + 1]
            target_row = y_of[b]
            touch(edge, min(row, target_row), max(row + 1, target_row))
            if row == target_row:
                hline(row, jog_start, next_x, edge)
                continue
            jog = jog_start + jog_targets[layer + 1][b]
            hline(row, jog_start, jog, edge)
            down = target_row > row
            joint(row, jog, W | (S if down else N), edge)
            vline(jog, min(row, target_row) + 1, max(row, target_row) - 1, edge)
            joint(target_row, jog, E | (N if down else S), edge)
            hline(target_row, jog + 1, next_x, edge)

    width = x + 2
    height = max((y_of[i] + height(i) for i in layer_of), default=1)
    for row in rows.values():
        row.sort(key=lambda item: item.x)
    widest = max([MAX_CAPTION, W_LANE, *col_width, *(r.width for row in rows.values() for r in row)])
    return Layout(
        width,
        height,
        boxes,
        lanes,
        dict(rows),
        dict(cells),
        label_width,
        count,
        dict(edges_of),
        {edge: (a, b) for edge, (a, b) in spans.items()},
        widest,
        dict(vlines),
        dense=len(graph.nodes) > SWEEP_NODES,
    )


def _pack(wanted: list[float | None], spans: list[int], top: int = 1) -> list[int]:
    """Rows for items in order, each *spans[i]* rows below the last, as near *wanted* as can be.

    With offsets o_i (the rows the items above take), y_i = z_i + o_i and z non-decreasing;
    minimising Σ (y_i − wanted_i)² is then an isotonic regression, solved by pooling adjacent
    violators in linear time. Items that want nothing stay packed to the one above.
    """
    offsets, total = [], 0
    for span in spans:
        offsets.append(total)
        total += span
    known = [w - o for w, o in zip(wanted, offsets, strict=True) if w is not None]
    if not known:
        return [top + o for o in offsets]
    targets, last = [], known[0]
    for w, o in zip(wanted, offsets, strict=True):
        if w is not None:
            last = w - o
        targets.append(last)
    blocks: list[list[float]] = []  # [sum, count]
    for t in targets:
        blocks.append([t, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total_sum, count = blocks.pop()
            blocks[-1][0] += total_sum
            blocks[-1][1] += count
    rows = []
    for total_sum, count in blocks:
        z = max(top, round(total_sum / count))
        rows.extend([z] * int(count))
    return [z + o for z, o in zip(rows, offsets, strict=True)]


def _clip(text: str, width: int) -> str:
    out, used = "", 0
    for char in text:
        w = cell_width(char)
        if used + w > width - 1:
            return out + "…"
        out += char
        used += w
    return out


def label_width_for(texts: Callable[[], list[str]], cap: int = 14) -> int:
    """The lane label width: the widest text, within [3, cap]."""
    return max(3, min(cap, max((cell_width(t) for t in texts()), default=3)))
