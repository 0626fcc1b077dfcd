"""``bpdebug GRAPH --check``: every leaf's gradient against a numerical one (end to end), then
every node's own backward on its own (``node_check_text``), with progress on long work."""

from __future__ import annotations

import time
from typing import TextIO

from bpdebug.core.gradcheck import ATOL, RTOL, check
from bpdebug.core.graph import Graph
from bpdebug.core.nodecheck import check_nodes
from bpdebug.core.trace import Trace
from bpdebug.export.node_check_text import print_node_check
from bpdebug.support.formatting import cell_width, fmt_num, pad_cells, pad_cells_left
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.messages import say

SEED = 0


class Progress:
    """``checking gradients: 120/400 elements (W1)`` on *err*, once work has taken 0.5 s."""

    def __init__(self, graph: Graph, err: TextIO, message: str) -> None:
        self.graph, self.err, self.message = graph, err, message
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.shown or time.monotonic() - self.started > 0.5:
            self.shown = True
            said = say(self.message, done=done, total=total, name=escape_text(self.graph.display(name)))
            self.err.write("\r" + said + "\x1b[K")
            self.err.flush()

    def clear(self) -> None:
        if self.shown:
            self.err.write("\r\x1b[K")


def run_check(
    graph: Graph,
    trace: Trace,
    samples: int,
    out: TextIO,
    err: TextIO,
    warnings: list[str] = (),  # type: ignore[assignment]
) -> bool:
    """Both checks, printed, with *warnings* between them (the last line is the node check's);
    True when every gradient and every node agrees."""
    progress = Progress(graph, err, "check.progress")
    results = check(graph, trace, samples=max(1, samples), seed=SEED, progress=progress)
    progress.clear()
    out.write(say("check.title", title=graph.title) + "\n")
    leaves_ok = _print_leaves(graph, results, out)
    for warning in warnings:
        out.write(say("trace.warning", problem=warning) + "\n")
    progress = Progress(graph, err, "nodecheck.progress")
    nodes = check_nodes(graph, trace, samples=max(1, samples), seed=SEED, progress=progress)
    progress.clear()
    nodes_wrong = print_node_check(graph, nodes, SEED, out)
    return leaves_ok and not nodes_wrong


def _print_leaves(graph: Graph, results: list, out: TextIO) -> bool:
    if not results:
        out.write(say("check.none") + "\n")
        return True
    heads = [say(f"check.head.{k}") for k in ("input", "checked", "abs", "rel")]
    width = max(10, cell_width(heads[0]), *(cell_width(graph.display(r.leaf)) for r in results))
    out.write(f"{pad_cells(heads[0], width)}  " + "  ".join(pad_cells_left(h, 15) for h in heads[1:]) + "\n")
    for r in results:
        checked = str(r.checked)
        if r.checked != r.total:
            checked = say("check.some", checked=r.checked, total=r.total)
        numbers = [checked, fmt_num(r.max_abs_error), fmt_num(r.max_rel_error)]
        mark = say("check.ok" if r.ok else "check.fail")
        row = "  ".join(pad_cells_left(n, 15) for n in numbers)
        out.write(f"{pad_cells(escape_text(graph.display(r.leaf)), width)}  {row}  {mark}\n")
    failed = [r for r in results if not r.ok]
    bounds = {"atol": f"{ATOL:g}", "rtol": f"{RTOL:g}"}
    if failed:
        out.write("\n" + say("check.failed", failed=len(failed), total=len(results), **bounds) + "\n")
        return False
    out.write("\n" + say("check.passed", total=len(results), **bounds) + "\n")
    return True
