"""The trace as a readable table for ``bpdebug GRAPH --trace``."""

from __future__ import annotations

from typing import TextIO

from bpdebug.core.engine import ForwardStep, Trace
from bpdebug.core.nonfinite import first_nonfinite
from bpdebug.support.formatting import cell_width, fmt_value, pad_cells
from bpdebug.teach.explain import forward_text, gradient_table, group, sent_items, upstream_text


def print_trace(trace: Trace, out: TextIO) -> None:
    graph = trace.graph
    out.write(f"{graph.title}\n")
    out.write(f"output: {graph.display(graph.output)} = {fmt_value(trace.values[graph.output])}\n")
    width = max(cell_width(graph.display(s.node)) for s in trace.steps)
    phase = None
    for step in trace.steps:
        if step.phase != phase:
            phase = step.phase
            title = "FORWARD" if phase == "forward" else "BACKWARD  (the output receives ∂L/∂L = 1)"
            out.write(f"\n{title}\n")
        name = graph.display(step.node)
        if isinstance(step, ForwardStep):
            out.write(f"{step.index:>5}  {pad_cells(name, width)}  {forward_text(graph, step)}\n")
            continue
        upstream = upstream_text(step, graph)
        out.write(f"{step.index:>5}  {pad_cells(name, width)}  upstream ∂L/∂{group(name)} = {upstream}\n")
        pad = " " * (9 + width)
        for item in sent_items(graph, step):
            out.write(f"{pad}→ {item.name}: {item.sent_formula} = {item.arithmetic}\n")
    rows = gradient_table(trace)
    if rows:
        out.write(f"\nGRADIENTS of {graph.display(graph.output)}\n")
        name_width = max(cell_width(n) for n, _ in rows)
        for name, grad in rows:
            out.write(f"  ∂L/∂{pad_cells(name, name_width)}  {grad}\n")
    problem = first_nonfinite(trace)
    if problem:
        out.write(f"\nwarning: {problem}\n")
