"""The trace as a readable table for ``bpdebug GRAPH --trace``: the same explanations the
inspector shows (``bpdebug.teach.explain``), one step to a line, sentences from the catalog."""

from __future__ import annotations

from typing import TextIO

from bpdebug.core.trace import Trace
from bpdebug.support.formatting import cell_width, pad_cells
from bpdebug.teach.explain import (
    first_nonfinite,
    gradient_table,
    in_place_warnings,
    step_lines,
    value_text,
)
from bpdebug.teach.messages import say


def print_trace(trace: Trace, out: TextIO) -> None:
    graph = trace.graph
    out.write(f"{graph.title}\n")
    output = graph.display(graph.output)
    out.write(say("trace.output", name=output, value=value_text(trace.values[graph.output])) + "\n")
    width = max(cell_width(graph.display(s.node)) for s in trace.steps)
    phase = None
    for step in trace.steps:
        if step.phase != phase:
            phase = step.phase
            heading = say("trace.forward" if phase == "forward" else "trace.backward", name=output)
            out.write(f"\n{heading}\n")
        head = f"{step.index:>5}  {pad_cells(graph.display(step.node), width)}  "
        pad = " " * (9 + width)
        for k, line in enumerate(step_lines(graph, step)):
            out.write((head if k == 0 else pad + "  " * line.depth) + line.text + "\n")
    rows = gradient_table(trace)
    if rows:
        out.write("\n" + say("trace.gradients", name=output) + "\n")
        name_width = max(cell_width(n) for n, _ in rows)
        for name, grad in rows:
            out.write(f"  ∂L/∂{pad_cells(name, name_width)}  {grad}\n")
    problems = [first_nonfinite(trace), *in_place_warnings(trace)]
    for k, problem in enumerate(p for p in problems if p):
        out.write(("\n" if k == 0 else "") + say("trace.warning", problem=problem) + "\n")
