"""The book's sentence made live: what an edit changed, next to what the gradient predicted.

∂price/∂apple = 2.2 says "when an apple costs 1 yen more, the price goes up 2.2 yen". After an
edit, the change of the output is set beside that first-order prediction, made from the trace
before the edit: ``apple 100 → 101: price 715 → 717.2, Δ +2.2; predicted … = 2.2 × 1 = +2.2``.
"""

from __future__ import annotations

from bpdebug.core.edits import Edit, apply_edits, current_value, parse_edit
from bpdebug.core.engine import run
from bpdebug.core.graph import Graph
from bpdebug.core.trace import Trace
from bpdebug.support.formatting import fmt_num, group
from bpdebug.teach.messages import say


def signed(x: float) -> str:
    return f"+{fmt_num(x)}" if x >= 0 else fmt_num(x)


def edit_result(before: Trace, after: Trace, edit: Edit, old: float) -> list[str]:
    """One line for what changed (two when the prediction is only first order)."""
    graph = before.graph
    output = graph.display(graph.output)
    name = edit.target(graph)
    y0, y1 = before.values[graph.output], after.values[graph.output]
    args = {"name": name, "old": fmt_num(old), "new": fmt_num(edit.value), "output": output}
    grad = before.grads.get(edit.name)
    if type(y0) is not float or type(y1) is not float or grad is None:
        shown = {k: fmt_num(v) if type(v) is float else "…" for k, v in (("before", y0), ("after", y1))}
        delta = signed(y1 - y0) if type(y0) is float and type(y1) is float else "…"
        return [say("edit.result.plain", args, **shown, delta=delta)]
    slope = float(grad if edit.index is None else grad[edit.index])
    change = edit.value - old
    predicted, actual = slope * change, y1 - y0
    lines = [
        say(
            "edit.result",
            args,
            before=fmt_num(y0),
            after=fmt_num(y1),
            delta=signed(actual),
            grad=fmt_num(slope),
            change=group(fmt_num(change)),
            predicted=signed(predicted),
        )
    ]
    if abs(actual - predicted) > 1e-9 * max(1.0, abs(actual)):
        lines.append(say("edit.first_order", name=name))
    return lines


class WhatIf:
    """The edits made so far to a graph, stacked: apply one, undo the last, say what is edited."""

    def __init__(self, base: Graph, edits: list[Edit] | None = None) -> None:
        self.base = base
        self.edits: list[Edit] = list(edits or [])

    def apply(self, text: str, before: Trace) -> tuple[Trace, list[str]]:
        """The trace with the edit *text* made on top of the others, and what it changed;
        EditError (or GraphError, when the edited graph cannot run) leaves everything as it was."""
        current = before.graph
        edit = parse_edit(text, current)
        old = current_value(current, edit)
        after = run(apply_edits(self.base, [*self.edits, edit]))
        self.edits.append(edit)
        return after, edit_result(before, after, edit, old)

    def undo(self) -> tuple[Trace, str] | None:
        """The trace without the last edit, and a line saying so (None when nothing is edited)."""
        if not self.edits:
            return None
        edit = self.edits.pop()
        graph = apply_edits(self.base, self.edits)
        line = say("edit.undone", name=edit.target(graph), value=fmt_num(current_value(graph, edit)))
        return run(graph), line

    def rebase(self, base: Graph) -> Graph:
        """The same edits on a reloaded graph (--watch): the edited graph, or EditError."""
        edits = [parse_edit(f"{e.target(base)} = {e.value!r}", base) for e in self.edits]
        self.base, self.edits = base, edits
        return apply_edits(base, edits)

    def summary(self) -> str:
        """``edited: apple = 101, tax = 1.2`` for the header, or "" when nothing is edited."""
        if not self.edits:
            return ""
        graph = apply_edits(self.base, self.edits)
        latest = {e.target(graph): e.value for e in self.edits}  # a value edited twice: once
        return say("edit.edited", edits=", ".join(f"{k} = {fmt_num(v)}" for k, v in latest.items()))
