"""``--export dot``: the graph for Graphviz, left to right as the book draws it, each edge
labelled with its value and, under it, ``◀`` its gradient (``dot -Tsvg`` renders it)."""

from __future__ import annotations

from bpdebug.core.trace import Trace
from bpdebug.support.formatting import fmt_short
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.session import Session

LABEL_CELLS = 20  # a small array's numbers on an edge, as the app's lanes allow
FONT = "Noto Sans Mono CJK SC, WenQuanYi Zen Hei Mono, DejaVu Sans Mono, monospace"
END = "__output__"  # the arrow out of the output node: an invisible point


def dot(trace: Trace) -> str:
    graph = trace.graph
    session = Session(trace)
    session.go(session.total)
    lines = [
        "digraph bpdebug {",
        f"  label={_quoted(graph.title)}; labelloc=t; rankdir=LR;",
        *(f"  {kind} [fontname={_quoted(FONT)}];" for kind in ("graph", "node", "edge")),
    ]
    used = {i for node in graph.nodes for i in node.inputs}
    for name, leaf in graph.leaves.items():
        if name not in used:
            continue
        if leaf.anonymous:  # a number written in the file
            number = _quoted(fmt_short(leaf.value))
            lines.append(f"  {_quoted(name)} [shape=plaintext, fontcolor=gray40, label={number}];")
        else:
            style = "rounded" if leaf.requires_grad else "rounded,dashed"
            lines.append(
                f"  {_quoted(name)} [shape=box, style={_quoted(style)}, label={_quoted(leaf.display)}];"
            )
    for node in graph.nodes:
        label = f"{node.op.symbol}\\n{_text(node.display)}"
        lines.append(f'  {_quoted(node.id)} [shape=circle, margin=0.02, label="{label}"];')
    for node in graph.nodes:
        for source in dict.fromkeys(node.inputs):
            label = _edge_label(trace, session, source, node.id)
            lines.append(f'  {_quoted(source)} -> {_quoted(node.id)} [label="{label}"];')
    lines.append(f"  {_quoted(END)} [shape=point, style=invis];")
    output = graph.output
    lines.append(
        f'  {_quoted(output)} -> {_quoted(END)} [label="{_edge_label(trace, session, output, "")}"];'
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge_label(trace: Trace, session: Session, source: str, target: str) -> str:
    """``100\\n◀ 2.2``: the value above, the gradient below (none for a constant)."""
    graph = trace.graph
    value = graph.leaves[source].value if source in graph.leaves else trace.values[source]
    text = _text(fmt_short(value, LABEL_CELLS))
    grad = (1.0 if session.output_grad_known() else None) if not target else session.sent(target, source)
    return text if grad is None else f"{text}\\n◀ {_text(fmt_short(grad, LABEL_CELLS - 2))}"


def _text(text: str) -> str:
    """Text from a file inside a DOT string: no control characters, quotes and backslashes escaped."""
    return escape_text(text).replace("\\", "\\\\").replace('"', '\\"')


def _quoted(text: str) -> str:
    return f'"{_text(text)}"'
