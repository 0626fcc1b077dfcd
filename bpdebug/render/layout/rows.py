"""Phase 3: each item's text and its column's width, its output ports, and its row.

Each item (leaf, node, dummy) has one output *port* per edge leaving it, two rows apart: the port
row carries the edge line with the value written on it, the row below carries the gradient.
Items keep their order and spacing down a column; within that, each column sits as close as it
can to the rows its inputs arrive on (a least-squares fit), so columns do not drift apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bpdebug.core.graph import Graph
from bpdebug.render.layout.layers import Layers
from bpdebug.render.layout.model import MAX_CAPTION, Edge, clip, symbol_text
from bpdebug.render.layout.ordering import Order
from bpdebug.support.formatting import cell_width

CONTRACT = 0.8  # in big graphs, the share of its inputs' rows a column aims for (the rest: row 0)

Port = tuple[str, Edge, bool]  # (the item the segment goes to, its edge, first segment?)


@dataclass
class Rows:
    texts: dict[str, tuple[str, str, bool]]  # item -> (text, caption, is leaf); dummies have none
    col_width: list[int]
    ports: dict[str, list[Port]]  # item -> its ports, top to bottom
    y_of: dict[str, int]  # item -> its top row
    port_row: dict[tuple[str, str, Edge], int]  # (item, next item, edge) -> the row it leaves on
    lane_width: int  # widened in small graphs so that no caption is cut

    def height(self, item: str) -> int:
        """Two rows per port, and a row for the total of a leaf used more than once."""
        ports = len(self.ports.get(item, ()))
        return 2 * max(1, ports) + (1 if ports > 1 and self.is_leaf(item) else 0)

    def is_leaf(self, item: str) -> bool:
        text = self.texts.get(item)
        return text is not None and text[2]


def rows(graph: Graph, layered: Layers, ordered: Order, lane_width: int, leaves_left: bool) -> Rows:
    texts, col_width, lane_width = _texts(graph, layered, lane_width, widen=leaves_left)
    ports: dict[str, list[Port]] = defaultdict(list)
    for s in layered.segments:
        ports[s.source].append((s.target, s.edge, s.first))
    position = ordered.position
    for item in ports:
        ports[item].sort(key=lambda port: position[port[0]])
    edges_to: dict[tuple[str, str], list[Edge]] = defaultdict(list)  # (from, to) -> edges, in port order
    for a, item_ports in ports.items():
        for b, edge, _ in item_ports:
            edges_to[(a, b)].append(edge)
    if graph.output in layered.layer_of:
        ports[graph.output].append(("", (graph.output, ""), True))
    placed = Rows(texts, col_width, ports, {}, {}, lane_width)
    for column in layered.columns:
        _place(placed, column, ordered.preds, edges_to, leaves_left)
    return placed


def _place(placed: Rows, column: list[str], preds, edges_to, leaves_left: bool) -> None:
    """Rows for one column's items, near the mean row their inputs arrive on."""
    port_row, ports, y_of = placed.port_row, placed.ports, placed.y_of
    wanted: list[float | None] = []
    every_arrival: set[int] = set()
    for item in column:
        arriving = [port_row[(a, item, e)] for a in preds.get(item, ()) for e in edges_to[(a, item)]]
        if arriving:
            wanted.append(sum(arriving) / len(arriving) - (len(ports.get(item, ())) - 1))
            every_arrival.update(arriving)
        else:
            wanted.append(None)
    if not leaves_left:  # big graphs: pull every column towards the top, so none drifts away
        wanted = [None if w is None else w * CONTRACT for w in wanted]
    spans = [placed.height(item) + 1 for item in column]
    ys = pack(wanted, spans)
    if every_arrival:
        _clear_gradient_rows(ys, spans, column, placed, every_arrival)
    for item, y in zip(column, ys, strict=True):
        y_of[item] = y
        for k, (b, edge, _) in enumerate(ports.get(item, ())):
            port_row[(item, b, edge)] = y + 2 * k


def _clear_gradient_rows(
    ys: list[int], spans: list[int], column: list[str], placed: Rows, arriving: set[int]
) -> None:
    """Move a node a row up or down where its gradient row would be a row an edge arrives on
    (*arriving*): drawn after that edge's line, the gradient reads as that edge's (problem 2's
    orange_num)."""

    def clear(i: int, y: int) -> bool:
        ports = max(1, len(placed.ports.get(column[i], ())))
        return all(y + 2 * k + 1 not in arriving for k in range(ports))

    for i, item in enumerate(column):
        if item not in placed.texts or clear(i, ys[i]):
            continue  # a dummy carries no labels
        for y in (ys[i] - 1, ys[i] + 1):
            above_ok = y >= 1 and (i == 0 or ys[i - 1] + spans[i - 1] <= y)
            below_ok = i + 1 == len(ys) or y + spans[i] <= ys[i + 1]
            if above_ok and below_ok and clear(i, y):
                ys[i] = y
                break


def _texts(graph: Graph, layered: Layers, lane_width: int, widen: bool) -> tuple[dict, list[int], int]:
    """What each box says (a leaf's name, a node's symbol and caption), each column's width and
    the lanes' width: in a small graph (*widen*), wide enough for every caption up to
    MAX_CAPTION; a big graph keeps its lanes narrow and clips."""
    layer_of = layered.layer_of
    texts: dict[str, tuple[str, str, bool]] = {}
    for name, leaf in graph.leaves.items():
        if name in layer_of:
            # an anonymous constant needs no name: its edge already shows the number
            text = "" if leaf.anonymous else leaf.display
            texts[name] = (text if cell_width(text) <= MAX_CAPTION else clip(text, MAX_CAPTION), "", True)
    col_width = [1] * layered.count
    for item, (text, _, _) in texts.items():
        col_width[layer_of[item]] = max(col_width[layer_of[item]], cell_width(text))
    for node in graph.nodes:
        layer = layer_of[node.id]
        col_width[layer] = max(col_width[layer], cell_width(symbol_text(node.op.symbol)))
    if widen:
        for node in graph.nodes:
            wanted = min(MAX_CAPTION, cell_width(node.display)) - col_width[layer_of[node.id]]
            lane_width = max(lane_width, wanted)
    for node in graph.nodes:
        # the caption may reach over the lane to the right of the symbol, which is empty there
        room = min(MAX_CAPTION, col_width[layer_of[node.id]] + lane_width)
        caption = node.display if cell_width(node.display) <= room else clip(node.display, room)
        texts[node.id] = (symbol_text(node.op.symbol), caption, False)
    return texts, col_width, lane_width


def pack(wanted: list[float | None], spans: list[int], top: int = 1) -> list[int]:
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
