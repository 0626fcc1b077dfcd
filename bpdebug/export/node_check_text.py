"""``--check``'s second table: each node's own backward, and the first node that is wrong."""

from __future__ import annotations

from typing import TextIO

from bpdebug.core.gradcheck import ATOL, RTOL
from bpdebug.core.graph import Graph
from bpdebug.core.layers import LayerOp
from bpdebug.core.nodecheck import H, InputCheck, NodeCheck, first_wrong
from bpdebug.support.formatting import cell_width, fmt_num, pad_cells, pad_cells_left
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.explain import check_mark
from bpdebug.teach.messages import say

COLUMNS = ("node", "input", "at", "analytic", "numerical", "difference", "rel", "eps")


def method_of(graph: Graph, node_id: str) -> str:
    """``Tanh.backward`` for a layer, ``tanh`` for a built-in op."""
    op = graph.node(node_id).op
    return f"{op.class_name}.backward" if isinstance(op, LayerOp) else say("nodecheck.builtin", op=op.name)


def index_text(check: InputCheck) -> str:
    return check.index_text or "—"


def print_node_check(graph: Graph, results: list[NodeCheck], seed: int, out: TextIO) -> bool:
    """The table, a warning per kink, and the last line: the first wrong node, or that every
    node agrees. True when some node is wrong."""
    out.write("\n" + say("nodecheck.title", seed=seed) + "\n")
    rows = []
    for result in results:
        for check in result.inputs:
            numbers = (check.analytic, check.numerical, check.difference, check.rel_error, check.eps)
            rows.append(
                [
                    escape_text(graph.display(result.node)),
                    escape_text(_input_name(graph, result.node, check.key)),
                    index_text(check),
                    *(fmt_num(n) for n in numbers),
                    check_mark(check),
                ]
            )
    heads = [say(f"nodecheck.head.{c}") for c in COLUMNS]
    widths = [max(cell_width(h), *(cell_width(r[k]) for r in rows)) for k, h in enumerate(heads)]
    out.write(_row(heads, widths) + "\n")
    for row in rows:
        out.write(_row(row[:-1], widths) + f"  {row[-1]}\n")
    for result in results:
        for check in result.inputs:
            if check.kink:
                name = escape_text(graph.display(result.node))
                said = say("nodecheck.kink_warning", name=name, input=check.key, index=index_text(check))
                out.write(said + "\n")
    bounds = {"atol": f"{ATOL:g}", "rtol": f"{RTOL:g}", "h": f"{H:g}"}
    out.write(say("nodecheck.tolerance", **bounds) + "\n")
    wrong = first_wrong(results)
    if wrong is None:
        out.write(say("nodecheck.all_right", total=len(results)) + "\n")
        return False
    check = wrong.wrong
    assert check is not None
    where = f" {say('nodecheck.at', index=index_text(check))}" if check.index else ""
    said = say(
        "nodecheck.first_wrong",
        name=escape_text(graph.display(wrong.node)),
        method=method_of(graph, wrong.node),
        input=escape_text(_input_name(graph, wrong.node, check.key)),
        rel=fmt_num(check.rel_error),
    )
    out.write(said + where + "\n")
    return True


def _input_name(graph: Graph, node_id: str, key: str) -> str:
    if key in graph.leaves or graph.is_node(key):
        return graph.display(key)
    return key  # "#2": a number written in the file


def _row(cells: list[str], widths: list[int]) -> str:
    text = [pad_cells(c, w) for c, w in zip(cells[:3], widths[:3], strict=True)]
    text += [pad_cells_left(c, w) for c, w in zip(cells[3:], widths[3:], strict=True)]
    return "  ".join(text)
