"""Each step of a trace in words and numbers, as a learner reads it: structured lines that name
their sentences by message id (``bpdebug.teach.messages``) with their numbers as arguments.

The inspector and ``--trace`` render the same structures, each its own way; everything here is
read from the trace, nothing is differentiated again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from bpdebug.core.graph import Graph, Node
from bpdebug.core.nonfinite import first_nonfinite_step
from bpdebug.core.trace import BackwardStep, ForwardStep, Trace
from bpdebug.support.formatting import fmt_num, fmt_short, group, is_small, shape_text
from bpdebug.teach.messages import has, say


class Shown(NamedTuple):
    """A number, an array or a worked sum, written in the colour of its *role*."""

    value: Any  # float | np.ndarray | str (already written out: "1.1 × 2 = 2.2")
    role: str = "value"  # "value" (forward) or "grad" (backward)


class Key(NamedTuple):
    """A key the learner can press, as the sentence names it."""

    name: str


class Line(NamedTuple):
    """One line of an explanation: what it is (*kind*, which the renderer styles), its sentence
    (*message*, an id in the catalog) and the sentence's arguments: str for names and
    formulas, ``Shown`` for numbers, ``Key`` for keys. *aside* is a second, quieter sentence on
    the same line; *gap* a blank line before it."""

    kind: str
    message: str
    args: dict[str, Any]
    aside: str | None = None
    gap: bool = False


# --- formulas ---------------------------------------------------------------------------------
def _catalog_or_op(key: str, names: list[str], params: dict, out: str) -> str | None:
    if not has(key):
        return None
    slots = {f"x{i}": n for i, n in enumerate(names)}
    return say(key, slots, out=out, axis=params.get("axis"))


def _formula(node: Node, names: list[str], out: str) -> str:
    key = f"formula.{node.op.name}" + (".axis" if node.params.get("axis") is not None else "")
    text = _catalog_or_op(key, names, node.params, out)
    return text if text is not None else node.op.formula(names, node.params, out)


def local_formula(node: Node, i: int, names: list[str], out: str) -> str | None:
    text = _catalog_or_op(f"local.{node.op.name}.{i}", names, node.params, out)
    return text if text is not None else node.op.local_formula(i, names, node.params, out)


def sent_formula(node: Node, i: int, names: list[str], out: str) -> str | None:
    text = _catalog_or_op(f"sent.{node.op.name}.{i}", names, node.params, out)
    return text if text is not None else node.op.sent_formula(i, names, node.params, out)


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
    text = _formula(node, input_names(graph, node), name)
    left = out or node.display
    if text[len(name) :] == f" = {left}":  # a label that is its own formula, "exp(−x)": the id
        left = node.id
    return left + text[len(name) :]


def with_numbers(graph: Graph, step: ForwardStep) -> str:
    """``100 × 2``: the formula's right-hand side with the inputs' numbers put in."""
    node = graph.node(step.node)
    numbers = [group(short(step.inputs[k])) for k in node.keys]
    return _formula(node, numbers, "")[3:]


def forward_numbers(graph: Graph, step: ForwardStep) -> str:
    """``= 100 × 2 = 200``: the formula with the numbers in; arrays by their shape."""
    node = graph.node(step.node)
    numbers = with_numbers(graph, step)
    value = short(step.value)
    if formula(graph, node).endswith(f"= {numbers}"):
        return f"= {value}"
    return f"= {numbers} = {value}"


def intermediates(graph: Graph, step: ForwardStep) -> list[tuple[str, dict[str, Any]]]:
    """What the op made on the way, as (message id, arguments): Softmax-with-Loss's
    ``y = softmax(x)`` and its batch N. Only what the catalog has a sentence for."""
    node = graph.node(step.node)
    made = node.op.intermediates([step.inputs[k] for k in node.keys], node.params)
    names = input_names(graph, node)
    found = []
    for key, value in made.items():
        message = f"intermediate.{node.op.name}.{key}"
        if has(message):
            found.append((message, {"x0": names[0], "value": value}))
    return found


def forward_text(graph: Graph, step: ForwardStep) -> str:
    """``apple_price = apple × apple_num = 100 × 2 = 200``."""
    return f"{formula(graph, graph.node(step.node))} {forward_numbers(graph, step)}"


def short(value: Any) -> str:
    """How a value stands in a formula: a number, a small array's numbers, a big one's shape."""
    return fmt_short(value)


def value_text(value: Any) -> str:
    """A value standing alone: as in a formula, but a big array shows its first numbers and a
    summary (``[50×10: 0.1 0.2 0.3 …; min −0.1, max 0.3, mean 0.01, norm 1.2]``)."""
    if is_small(value):
        return fmt_short(value)
    corner = " ".join(fmt_num(v) for v in value.reshape(-1)[:3].tolist())
    return say("array.summary", shape=shape_text(value.shape), corner=corner, stats=array_stats(value))


def array_stats(value: Any) -> str:
    """``min −0.1, max 0.3, mean 0.01, norm 1.2``: what a grid of a big array leaves out."""
    numbers = {k: fmt_num(float(f(value))) for k, f in _STATS.items()}
    return say("array.stats", **numbers)


_STATS = {
    "min": lambda a: a.min(),
    "max": lambda a: a.max(),
    "mean": lambda a: a.mean(),
    "norm": lambda a: (a * a).sum() ** 0.5,
}


def total_text(total: Any, parts: list[Any]) -> str:
    """A leaf's gradient: ``7 = 6 + 1`` when several scalar parts make it, else its value."""
    if len(parts) > 1 and all(type(p) is float for p in parts):
        return f"{fmt_num(total)} = " + " + ".join(group(fmt_num(p)) for p in parts)
    return value_text(total)


def gradient_parts(trace: Trace, name: str) -> list[Any]:
    """What each node reading *name* sent back to it, in forward order (as the graph draws them)."""
    sent = {
        step.node: step.downstream[name]
        for step in trace.steps
        if isinstance(step, BackwardStep) and name in step.downstream
    }
    return [sent[node] for node in trace.graph.consumers().get(name, ()) if node in sent]


# --- what a backward step sends ---------------------------------------------------------------
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


def upstream_text(step: BackwardStep, graph: Graph) -> str:
    """``1`` for the output; ``1.1 from price + 0.3 from z = 1.4`` on fan-out."""
    if len(step.contributions) <= 1:
        return short(step.upstream)
    parts = " + ".join(
        say("fan_out.part", value=short(c.grad), name=graph.display(c.source)) for c in step.contributions
    )
    return f"{parts} = {short(step.upstream)}"


def sent_items(graph: Graph, step: BackwardStep, out: str | None = None) -> list[Sent]:
    """What each differentiable input receives; *out* names the node in formulas (default:
    its own name, as in ``∂L/∂apple = ∂L/∂apple_price × apple_num``; the app passes ``y``)."""
    node = graph.node(step.node)
    names = input_names(graph, node)
    out = out or out_name(graph, node)
    items = []
    for input_id, positions in _positions(node).items():
        if input_id not in step.downstream:
            continue
        name = names[positions[0]]
        rhs = _summed(local_formula(node, p, names, out) for p in positions)
        local = step.local.get(input_id) if step.local is not None else None
        grad = step.downstream[input_id]
        if local is not None and type(local) is float and type(step.upstream) is float:
            arithmetic = f"{short(step.upstream)} × {short(local)} = {short(grad)}"
        else:
            arithmetic = short(grad)
        if len(positions) > 1 and rhs is not None:  # a value used twice: its local derivatives add
            sent = f"∂L/∂{out} × ({rhs})"
        else:
            sent = _summed(sent_formula(node, p, names, out) for p in positions)
        items.append(
            Sent(
                key=node.keys[positions[0]],
                name=name,
                local_formula=f"∂{out}/∂{name} = {rhs}" if rhs else None,
                local=local,
                sent_formula=f"∂L/∂{name} = {sent}",
                arithmetic=arithmetic,
                grad=grad,
            )
        )
    return items


def local_text(item: Sent) -> str | None:
    """``∂apple_price/∂apple = apple_num = 2``: the local derivative with its number, where it
    has one (``∂t/∂x = 1`` is not written ``= 1 = 1``; a big array keeps its formula alone)."""
    if item.local_formula is None:
        return None
    if item.local is None or item.local_formula.endswith(f"= {short(item.local)}"):
        return item.local_formula
    if type(item.local) is not float and not is_small(item.local):
        return item.local_formula
    return f"{item.local_formula} = {short(item.local)}"


def _positions(node: Node) -> dict[str, list[int]]:
    """Each input's positions in the node: ``mul(x, x)`` reads x at 0 and 1."""
    found: dict[str, list[int]] = {}
    for position, input_id in enumerate(node.inputs):
        found.setdefault(input_id, []).append(position)
    return found


def _summed(formulas) -> str | None:
    """``x + x`` for the formulas of an input read twice; None if one is missing."""
    parts = list(formulas)
    if any(p is None for p in parts):
        return None
    return " + ".join(parts) if len(parts) > 1 else parts[0]


class StepLine(NamedTuple):
    """One line of what a step says in ``--trace`` and the handout."""

    depth: int  # 0: the step's own lines; 1: what it sends one input; 2: an array under that
    text: str
    formula: bool = True  # False for ``→ apple``, which names the input the next lines are about


def step_lines(graph: Graph, step: ForwardStep | BackwardStep) -> list[StepLine]:
    """A step line by line: the forward formula with its numbers, or the upstream signal and,
    for each input, the local derivative and what is sent back (arrays summarised)."""
    if isinstance(step, ForwardStep):
        lines = [StepLine(0, forward_text(graph, step))]
        if not is_small(step.value):  # the formula shows its shape: here are its numbers
            lines.append(StepLine(0, f"= {value_text(step.value)}"))
        for message, args in intermediates(graph, step):
            lines.append(StepLine(0, say(message, args, value=value_text(args["value"]))))
        return lines
    name = group(graph.display(step.node))
    lines = [StepLine(0, say("trace.upstream", name=name, value=upstream_text(step, graph)))]
    for item in sent_items(graph, step):
        lines.append(StepLine(0, say("trace.send_to", name=item.name), formula=False))
        local = local_text(item)
        if local:
            lines.append(StepLine(1, say("trace.local", formula=local)))
        lines.append(StepLine(1, say("trace.sent", formula=item.sent_formula, value=item.arithmetic)))
        if not is_small(item.grad):
            lines.append(StepLine(2, say("trace.array", value=value_text(item.grad))))
    return lines


SUMMARY_ARRAY = 18  # cells: an array in a one-line summary, written out only up to this wide


def backward_summary(graph: Graph, step: BackwardStep) -> str:
    """One line: ``apple_price: 1.1 → apple 2.2, apple_num 110``."""
    items = [f"{s.name} {fmt_short(s.grad, SUMMARY_ARRAY)}" for s in sent_items(graph, step)]
    head = say(
        "summary.upstream", name=graph.display(step.node), value=fmt_short(step.upstream, SUMMARY_ARRAY)
    )
    return say("summary.sent", head=head, sent=say("summary.separator").join(items)) if items else head


def forward_summary(graph: Graph, step: ForwardStep) -> str:
    return f"{graph.display(step.node)} = {fmt_short(step.value, SUMMARY_ARRAY)}"


def gradient_table(trace: Trace) -> list[tuple[str, str]]:
    """(name, gradient) for every differentiable leaf, in file order."""
    graph = trace.graph
    return [
        (graph.display(name), total_text(trace.grads[name], gradient_parts(trace, name)))
        for name in graph.leaves
        if name in trace.grads
    ]


def first_nonfinite(trace: Trace) -> str | None:
    """A sentence naming the first step whose result holds nan or inf, or None."""
    found = first_nonfinite_step(trace)
    if found is None:
        return None
    name = trace.graph.display(found["node"])
    if found["what"] == "input":
        return say("nonfinite.input", name=name)
    op = trace.graph.node(found["node"]).op.name
    what = say(f"nonfinite.what.{found['what']}")
    return say("nonfinite.first", step=found["step"], what=what, name=name, op=op)


def in_place_warnings(trace: Trace, node_id: str | None = None) -> list[str]:
    """What a layer's code changed in place (every node's, or *node_id*'s), one sentence each:
    a gradient (``dout``), or a value its forward or constructor was given."""
    graph = trace.graph
    return [
        say(
            "in_place" if (method, argument) == ("backward", "dout") else "in_place.value",
            name=graph.display(node),
            layer=graph.node(node).op.class_name,  # type: ignore[attr-defined]
            method=method,
            argument=argument,
        )
        for node, method, argument in trace.in_place
        if node_id is None or node == node_id
    ]


_CHECK_MARKS = {"ok": "check.ok", "kink": "nodecheck.kink", "fail": "check.fail"}


def check_mark(check: Any) -> str:
    """``ok``, ``kink`` or ``FAIL`` for one input of the node check (a ``nodecheck.InputCheck``)."""
    return say(_CHECK_MARKS[check.outcome])
