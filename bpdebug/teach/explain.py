"""Each step of a trace in words and numbers, as a learner reads it.

The command line's ``--trace`` table and the app's inspector both draw from here, and everything
here is read from the trace: nothing is differentiated again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bpdebug.core.engine import BackwardStep, ForwardStep, Trace
from bpdebug.core.graph import Graph, Node
from bpdebug.support.formatting import fmt_num, fmt_short, fmt_value, group


def input_names(graph: Graph, node: Node) -> list[str]:
    """The names a formula uses: labels or ids, and the number itself for a constant."""
    names = []
    for input_id in node.inputs:
        leaf = graph.leaves.get(input_id)
        name = fmt_num(leaf.value) if leaf is not None and leaf.anonymous else graph.display(input_id)
        names.append(group(name))
    return names


def out_name(graph: Graph, node: Node) -> str:
    return group(node.display)


def formula(graph: Graph, node: Node, out: str | None = None) -> str:
    """``apple_price = apple × apple_num`` (or ``y = apple × apple_num`` with out="y")."""
    name = out or out_name(graph, node)
    text = node.op.formula(input_names(graph, node), node.params, name)
    return (out or node.display) + text[len(name) :]


def forward_numbers(graph: Graph, step: ForwardStep, digits: int = 12) -> str:
    """``= 100 × 2 = 200``: the formula with the numbers in; arrays by their shape."""
    node = graph.node(step.node)
    numbers = [group(_short(step.inputs[k], digits)) for k in node.keys]
    with_numbers = node.op.formula(numbers, node.params, "")[3:]
    value = _short(step.value, digits)
    if formula(graph, node).endswith(f"= {with_numbers}"):
        return f"= {value}"
    return f"= {with_numbers} = {value}"


def forward_text(graph: Graph, step: ForwardStep, digits: int = 12) -> str:
    """``apple_price = apple × apple_num = 100 × 2 = 200``."""
    return f"{formula(graph, graph.node(step.node))} {forward_numbers(graph, step, digits)}"


def _short(value: Any, digits: int) -> str:
    return fmt_num(value, digits) if type(value) is float else fmt_short(value)


@dataclass(frozen=True)
class Sent:
    """What one input receives from a node in the backward pass."""

    key: str
    name: str
    local_formula: str | None  # "∂y/∂apple = apple_num", or None where there is none
    local: Any  # the local derivative (None for broadcast inputs and non-element-wise ops)
    sent_formula: str  # "∂L/∂apple = ∂L/∂y × apple_num"
    arithmetic: str  # "1.1 × 2 = 2.2", or the value alone for arrays
    grad: Any


def upstream_text(step: BackwardStep, graph: Graph, digits: int = 12) -> str:
    """``1`` for the output; ``1.1 from price + 0.3 from z = 1.4`` on fan-out."""
    if not step.contributions:
        return _short(step.upstream, digits)
    if len(step.contributions) == 1:
        return _short(step.upstream, digits)
    parts = " + ".join(f"{_short(c.grad, digits)} from {graph.display(c.source)}" for c in step.contributions)
    return f"{parts} = {_short(step.upstream, digits)}"


def sent_items(graph: Graph, step: BackwardStep, digits: int = 12, out: str | None = None) -> list[Sent]:
    """What each differentiable input receives; *out* names the node in formulas (default:
    its own name, as in ``∂L/∂apple = ∂L/∂apple_price × apple_num``; the app passes ``y``)."""
    node = graph.node(step.node)
    names = input_names(graph, node)
    out = out or out_name(graph, node)
    items = []
    seen = set()
    for position, (input_id, key) in enumerate(zip(node.inputs, node.keys, strict=True)):
        if input_id not in step.downstream or input_id in seen:
            continue
        seen.add(input_id)
        name = names[position]
        rhs = node.op.local_formula(position, names, node.params, out)
        local = step.local.get(input_id) if step.local is not None else None
        grad = step.downstream[input_id]
        if local is not None and type(local) is float and type(step.upstream) is float:
            arithmetic = f"{_short(step.upstream, digits)} × {_short(local, digits)} = {_short(grad, digits)}"
        else:
            arithmetic = _short(grad, digits)
        items.append(
            Sent(
                key=key,
                name=name,
                local_formula=f"∂{out}/∂{name} = {rhs}" if rhs else None,
                local=local,
                sent_formula=f"∂L/∂{name} = {node.op.sent_formula(position, names, node.params, out)}",
                arithmetic=arithmetic,
                grad=grad,
            )
        )
    return items


def backward_summary(graph: Graph, step: BackwardStep, digits: int = 4) -> str:
    """One line: ``apple_price: 1.1 → apple 2.2, apple_num 110``."""
    sent = ", ".join(f"{s.name} {_short(s.grad, digits)}" for s in sent_items(graph, step, digits))
    head = f"{graph.display(step.node)}: {_short(step.upstream, digits)}"
    return f"{head} → {sent}" if sent else head


def forward_summary(graph: Graph, step: ForwardStep, digits: int = 4) -> str:
    return f"{graph.display(step.node)} = {_short(step.value, digits)}"


def gradient_table(trace: Trace) -> list[tuple[str, str]]:
    """(name, gradient) for every differentiable leaf, in file order."""
    graph = trace.graph
    return [
        (graph.display(name), fmt_value(trace.grads[name])) for name in graph.leaves if name in trace.grads
    ]
