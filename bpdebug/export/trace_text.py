"""The trace as a readable table for ``bpdebug GRAPH --trace``: the same explanations the
inspector shows (``bpdebug.teach.explain``), one step to a line, sentences from the catalog."""

from __future__ import annotations

from typing import TextIO

from bpdebug.core.trace import ForwardStep, Trace
from bpdebug.support.formatting import cell_width, is_small, pad_cells
from bpdebug.teach.explain import (
    first_nonfinite,
    forward_text,
    gradient_table,
    group,
    in_place_warnings,
    intermediates,
    local_text,
    sent_items,
    upstream_text,
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
        name = graph.display(step.node)
        head = f"{step.index:>5}  {pad_cells(name, width)}  "
        if isinstance(step, ForwardStep):
            out.write(f"{head}{forward_text(graph, step)}\n")
            if not is_small(step.value):  # the formula shows its shape: here are its numbers
                out.write(" " * (9 + width) + f"= {value_text(step.value)}\n")
            for message, args in intermediates(graph, step):
                out.write(" " * (9 + width) + say(message, args, value=value_text(args["value"])) + "\n")
            continue
        out.write(head + say("trace.upstream", name=group(name), value=upstream_text(step, graph)) + "\n")
        pad = " " * (9 + width)
        for item in sent_items(graph, step):
            out.write(pad + say("trace.send_to", name=item.name) + "\n")
            local = local_text(item)
            if local:
                out.write(f"{pad}  " + say("trace.local", formula=local) + "\n")
            sent = say("trace.sent", formula=item.sent_formula, value=item.arithmetic)
            out.write(f"{pad}  {sent}\n")
            if not is_small(item.grad):
                out.write(f"{pad}    " + say("trace.array", value=value_text(item.grad)) + "\n")
    rows = gradient_table(trace)
    if rows:
        out.write("\n" + say("trace.gradients", name=output) + "\n")
        name_width = max(cell_width(n) for n, _ in rows)
        for name, grad in rows:
            out.write(f"  ∂L/∂{pad_cells(name, name_width)}  {grad}\n")
    problems = [first_nonfinite(trace), *in_place_warnings(trace)]
    for k, problem in enumerate(p for p in problems if p):
        out.write(("\n" if k == 0 else "") + say("trace.warning", problem=problem) + "\n")
