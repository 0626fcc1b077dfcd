"""Phase 4: the columns' x positions and every edge's route, drawn into a ``Layout``.

Between two columns each target that needs a vertical jog gets its own jog column. The first
stretch of every edge after its source is its *lane*, where its value and gradient are written;
the rest are plain runs, corners and verticals (kept whole, cut into cells only when painted).
"""

from __future__ import annotations

from collections import defaultdict

from bpdebug.render.layout.layers import Layers
from bpdebug.render.layout.model import MAX_CAPTION, Box, E, Edge, Item, Lane, Layout, N, Run, S, Total, W
from bpdebug.render.layout.rows import Rows


class _Canvas:
    """The drawing primitives a route is made of, collected by row and column."""

    def __init__(self) -> None:
        self.rows: dict[int, list[Item]] = defaultdict(list)
        self.cells: dict[int, dict[int, list]] = defaultdict(dict)  # row -> col -> [bits, edges]
        self.vlines: dict[int, list[tuple[int, int, Edge]]] = defaultdict(list)  # col -> (rows, edge)
        self.spans: dict[Edge, list[int]] = {}
        self.edges_of: dict[str, set[Edge]] = defaultdict(set)

    def joint(self, row: int, col: int, bits: int, edge: Edge) -> None:
        cell = self.cells[row].get(col)
        if cell is None:
            self.cells[row][col] = [bits, [edge]]
        else:
            cell[0] |= bits
            cell[1].append(edge)

    def hline(self, row: int, x0: int, x1: int, edge: Edge) -> None:
        """A straight stretch x0..x1-1; where a vertical crosses it, painting draws ┼."""
        if x1 > x0:
            self.rows[row].append(Run(edge, x0, row, x1 - x0))

    def vline(self, col: int, first: int, last: int, edge: Edge) -> None:
        if last >= first:
            self.vlines[col].append((first, last, edge))

    def touch(self, edge: Edge, first: int, last: int) -> None:
        span = self.spans.get(edge)
        if span is None:
            self.spans[edge] = [first, last]
        else:
            span[0] = min(span[0], first)
            span[1] = max(span[1], last)


def routes(
    layered: Layers, placed: Rows, lane_width: int, label_width: int, dense: bool, small: bool
) -> Layout:
    x_of_layer, width, jog_targets = _columns(layered, placed, lane_width)
    canvas = _Canvas()
    boxes: dict[str, Box] = {}
    lanes: dict[Edge, Lane] = {}
    totals: dict[str, Total] = {}
    texts, col_width, y_of, all_ports = placed.texts, placed.col_width, placed.y_of, placed.ports
    rows, edges_of = canvas.rows, canvas.edges_of
    for item, layer in layered.layer_of.items():
        x0, y = x_of_layer[layer], y_of[item]
        if item in texts:
            text, caption, is_leaf = texts[item]
            box = Box(item, x0, y, col_width[layer], text, caption, is_leaf)
            boxes[item] = box
            rows[y].append(box)
        else:  # a dummy: the edge passes straight through the column
            edge = next(e for _, e, _ in all_ports[item])
            canvas.hline(y, x0, x0 + col_width[layer], edge)
            canvas.touch(edge, y, y)
        split = x0 + col_width[layer]
        lane_x = split + 1
        ports = all_ports.get(item, ())
        for k, (b, edge, first) in enumerate(ports):
            row = y + 2 * k
            _leave(canvas, split, row, k, len(ports), edge)
            edges_of[edge[0]].add(edge)
            if edge[1]:
                edges_of[edge[1]].add(edge)
            if first:
                lane = lanes[edge] = Lane(edge, lane_x, row, lane_width)
                rows[row].append(lane)
            else:
                canvas.hline(row, lane_x, lane_x + lane_width, edge)
            if not b:
                canvas.touch(edge, row, row + 1)
            else:
                jog = lane_x + lane_width + jog_targets[layer + 1].get(b, 0)
                _reach(canvas, row, lane_x + lane_width, jog, x_of_layer[layer + 1], y_of[b], edge)
        if len(ports) > 1 and placed.is_leaf(item):
            row = y + 2 * len(ports)
            totals[item] = Total(
                item, tuple(edge for _, edge, _ in ports), x0, row, split + 1 + lane_width - x0
            )

    _place_totals(totals, canvas, lanes, widen=small)
    height = max((placed.y_of[i] + placed.height(i) for i in layered.layer_of), default=1)
    for row in rows.values():
        row.sort(key=lambda item: item.x)
    widest = max(
        [MAX_CAPTION, lane_width, *placed.col_width, *(r.width for row in rows.values() for r in row)]
    )
    spans = {edge: (a, b) for edge, (a, b) in canvas.spans.items()}
    return Layout(
        width, height, boxes, lanes, dict(rows), dict(canvas.cells), label_width, layered.count,
        dict(canvas.edges_of), spans, widest, dict(canvas.vlines), dense=dense, totals=totals,
    )  # fmt: skip


def _place_totals(totals: dict[str, Total], canvas: _Canvas, lanes: dict[Edge, Lane], widen: bool) -> None:
    for leaf, total in totals.items():
        if widen:  # a big graph's totals keep to their column: widening scans the whole row
            total = totals[leaf] = _widen(total, canvas, lanes)
        canvas.rows[total.y].append(total)
        for edge in total.edges:
            canvas.touch(edge, total.y, total.y)


MAX_TOTAL = 32  # cells: "◀ 0.4700 = 0.2350 + 0.2350" and a little more


def _widen(total: Total, canvas: _Canvas, lanes: dict[Edge, Lane]) -> Total:
    """Let a leaf's total reach right over the empty cells of its row, up to MAX_TOTAL."""
    row, start = total.y, total.x + total.width
    ends = [total.x + MAX_TOTAL]
    ends += [item.x for item in canvas.rows.get(row, ()) if item.x >= start]
    ends += [col for col in canvas.cells.get(row, {}) if col >= start]
    ends += [
        col
        for col, spans in canvas.vlines.items()
        if col >= start and any(a <= row <= b for a, b, _ in spans)
    ]
    ends += [lane.x for lane in lanes.values() if lane.y + 1 == row and lane.x >= start]  # gradient rows
    end = min(ends) - 1  # a blank cell before whatever comes next
    return Total(total.leaf, total.edges, total.x, row, max(total.width, end - total.x))


def _columns(layered: Layers, placed: Rows, lane_width: int) -> tuple[list[int], int, list[dict[str, int]]]:
    """Each column's x, the layout's width, and each target's jog column (by column)."""
    count = layered.count
    jog_targets: list[dict[str, int]] = [{} for _ in range(count)]
    for s in layered.segments:
        if placed.port_row[(s.source, s.target, s.edge)] != placed.y_of[s.target]:
            jog_targets[layered.layer_of[s.target]].setdefault(s.target, 0)
    for targets in jog_targets:
        for k, item in enumerate(sorted(targets, key=lambda t: placed.y_of[t])):
            targets[item] = k
    x_of_layer = [0] * count
    x = 0
    for i in range(count):
        x_of_layer[i] = x
        jogs = len(jog_targets[i + 1]) if i + 1 < count else 0
        # a line's stretch after the jogs, before the next column's box ("├─(+)")
        x += placed.col_width[i] + 1 + lane_width + jogs + (1 if jogs else 0)
    return x_of_layer, x + 1, jog_targets  # and a blank column after the output's arrow


def _leave(canvas: _Canvas, split: int, row: int, k: int, ports: int, edge: Edge) -> None:
    """Port k of an item: a plain stub, or the fork that several ports share."""
    if ports == 1:
        canvas.hline(row, split, split + 1, edge)
        return
    bits = (W if k == 0 else N) | E
    if k + 1 < ports:
        bits |= S
        canvas.vline(split, row + 1, row + 1, edge)
    canvas.joint(row, split, bits, edge)


def _reach(canvas: _Canvas, row: int, start: int, jog: int, next_x: int, target_row: int, edge: Edge) -> None:
    """From the end of a lane on *row* to the next column at *target_row*, jogging at *jog*."""
    canvas.touch(edge, min(row, target_row), max(row + 1, target_row))
    if row == target_row:
        canvas.hline(row, start, next_x, edge)
        return
    canvas.hline(row, start, jog, edge)
    down = target_row > row
    canvas.joint(row, jog, W | (S if down else N), edge)
    canvas.vline(jog, min(row, target_row) + 1, max(row, target_row) - 1, edge)
    canvas.joint(target_row, jog, E | (N if down else S), edge)
    canvas.hline(target_row, jog + 1, next_x, edge)
