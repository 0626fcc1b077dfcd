"""What is known about the focused node at the cursor, as explanation lines (``explain.Line``):
the inspector renders them, and a handout can later render the same ones.

At the start: what to press, and the graph's title and description. A node: its formula, then
its forward step (inputs, the numbers worked out) once taken, and, once its backward step is
taken, that first: the upstream signal, and for each input the local derivative and what is
sent, with the op's one-sentence explanation. A leaf: its value and the gradients received.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bpdebug.core.nonfinite import is_finite, step_is_finite
from bpdebug.core.trace import BackwardStep, ForwardStep
from bpdebug.support.formatting import fmt_num, group, paragraphs
from bpdebug.teach.explain import (
    Key,
    Line,
    Shown,
    check_mark,
    first_nonfinite,
    formula,
    forward_numbers,
    in_place_warnings,
    intermediates,
    out_name,
    sent_items,
    short,
    upstream_text,
)
from bpdebug.teach.messages import say
from bpdebug.teach.paths import chain_paths
from bpdebug.teach.session import Session


class Focus(NamedTuple):
    title: str  # the panel's title: the node and its symbol, a leaf's name, or "start"
    lines: list[Line]


def focus(session: Session) -> Focus:
    graph = session.trace.graph
    node_id = session.focus_node
    if node_id is None:
        return Focus(say("title.start"), _start_lines(session))
    if node_id in graph.leaves:
        return Focus(graph.display(node_id), _leaf_lines(session, node_id))
    node = graph.node(node_id)
    return Focus(f"{node.display} ({node.op.symbol})", _node_lines(session, node_id))


def _node_lines(session: Session, node_id: str) -> list[Line]:
    graph = session.trace.graph
    node = graph.node(node_id)
    lines = []
    if session.selected:
        lines.append(Line("note", "selected", {}))
    elif session.asking == node_id:
        lines.append(Line("note", "quiz.asking", {}))
    lines.append(Line("formula", "formula", {"formula": formula(graph, node)}))
    lines += _check_lines(session, node_id)
    forward = session.forward_step_of(node_id)
    if forward is None:
        if session.asking == node_id:  # the quiz asks for this value: no "press n" here
            return lines
        lines.append(Line("note", "not_computed", {"step": session.forward_at[node_id]}, gap=True))
        return lines
    forward_lines = _forward_lines(session, forward)
    backward = session.backward_step_of(node_id)
    if backward is None:
        lines += forward_lines
        if node_id in session.backward_at:
            lines.append(_waiting_line(session, node_id))
        elif session.phase in ("BACKWARD", "DONE"):
            lines.append(Line("note", "no_gradient_flows", {}, gap=True))
        return lines
    # in the backward pass what just happened comes first: what the node sends back
    backward_lines = _backward_lines(session, backward)
    lines.append(backward_lines[0]._replace(gap=True))
    lines += backward_lines[1:]
    if not step_is_finite(backward):
        problem = first_nonfinite(session.trace) or say("nonfinite.somewhere")
        lines.append(Line("warning", "nonfinite.gradient", {"problem": problem}, gap=True))
    lines.append(Line("explanation", f"op.{node.op.name}", {}, gap=True))
    lines.append(Line("heading", "heading.forward", {}, gap=True))
    return lines + forward_lines


def _check_lines(session: Session, node_id: str) -> list[Line]:
    """What the node check (`k`) found for this node's own backward, and what the user's layer
    changed in place."""
    lines = [
        Line("warning", "nonfinite.value", {"problem": said}, gap=True)
        for said in in_place_warnings(session.trace, node_id)
    ]
    check = session.node_checks.get(node_id)
    if check is None:
        return lines
    heading = "ui.check.node_ok" if check.wrong is None else "ui.check.node_wrong"
    lines.append(Line("warning" if check.wrong else "note", heading, {}, gap=True))
    for item in check.inputs:
        numbers = {k: fmt_num(getattr(item, k)) for k in ("analytic", "numerical", "rel_error")}
        args = {"input": item.key, "index": item.index_text, "mark": check_mark(item), **numbers}
        lines.append(Line("input", "ui.check.input", args))
    return lines


def _forward_lines(session: Session, forward: ForwardStep) -> list[Line]:
    graph = session.trace.graph
    node = graph.node(forward.node)
    lines = []
    for key, value in forward.inputs.items():
        name = graph.display(key) if key in graph.leaves or graph.is_node(key) else key
        lines.append(Line("input", "input", {"name": name, "value": Shown(value)}))
    for message, args in intermediates(graph, forward):
        lines.append(Line("input", message, {**args, "value": Shown(args["value"])}))
    if type(forward.value) is float and all(type(v) is float for v in forward.inputs.values()):
        lines.append(Line("arithmetic", "arithmetic", {"arithmetic": forward_numbers(graph, forward)}))
    else:
        lines.append(Line("input", "input", {"name": node.display, "value": Shown(forward.value)}))
    lines[0] = lines[0]._replace(gap=True)
    if not is_finite(forward.value):
        problem = first_nonfinite(session.trace) or say("nonfinite.somewhere")
        lines.append(Line("warning", "nonfinite.value", {"problem": problem}, gap=True))
    return lines


def _waiting_line(session: Session, node_id: str) -> Line:
    """Before a node's backward step: what it has received so far, and when it sends it on."""
    graph = session.trace.graph
    step = session.backward_at[node_id]
    arrived, _ = session.received(node_id)
    if not arrived:
        return Line("note", "not_sent_yet", {"step": step}, gap=True)
    total = _sum_of(arrived)
    names = ", ".join(graph.display(c) for c, _ in arrived)
    value = Shown(short(total) if type(total) is float else total, "grad")
    args = {"name": out_name(graph, graph.node(node_id)), "value": value, "names": names, "step": step}
    return Line("received_so_far", "received_so_far", args, gap=True)


def _sum_of(arrived: list[tuple[str, Any]]) -> Any:
    """The parts of a gradient added up (one part stays the very value that was sent)."""
    return arrived[0][1] if len(arrived) == 1 else sum(g for _, g in arrived)


def _backward_lines(session: Session, step: BackwardStep) -> list[Line]:
    graph = session.trace.graph
    node = graph.node(step.node)
    lines = []
    if not step.contributions and step.node == graph.output:
        lines.append(Line("start_backward", "backward.starts_here", {"name": graph.display(graph.output)}))
    upstream = {"name": out_name(graph, node), "output": graph.display(graph.output)}
    if type(step.upstream) is float:
        upstream["value"] = Shown(upstream_text(step, graph), "grad")
    else:
        upstream["value"] = Shown(step.upstream, "grad")
    lines.append(Line("upstream", "upstream", upstream))
    if step.node != graph.output:  # the output's own step says it already
        lines.append(Line("fan_out", "upstream.l_is", {"output": graph.display(graph.output)}))
    if type(step.upstream) is not float and len(step.contributions) > 1:
        sources = ", ".join(graph.display(c.source) for c in step.contributions)
        lines.append(Line("fan_out", "upstream.sum_of", {"names": sources}))
    for item in sent_items(graph, step):
        lines.append(Line("send_to", "send_to", {"name": item.name}, gap=True))
        if item.local_formula:
            lines.append(_local_line(item, step))
        lines.append(Line("sent", "sent", {"formula": item.sent_formula}))
        value = item.arithmetic if type(item.grad) is float else item.grad
        lines.append(Line("sent_value", "sent.value", {"value": Shown(value, "grad")}))
    if lines[-1].kind != "sent_value":
        lines.append(Line("note", "nothing_sent", {}, gap=True))
    return lines


def _local_line(item, step: BackwardStep) -> Line:
    if item.local is None:
        broadcast = "local.broadcast" if step.local is not None else None
        return Line("local", "local", {"formula": item.local_formula}, broadcast)
    if type(item.local) is float and item.local_formula.endswith(f"= {fmt_num(item.local)}"):
        return Line("local", "local", {"formula": item.local_formula})  # "∂y/∂a = 1", not "= 1 = 1"
    return Line("local", "local.value", {"formula": item.local_formula, "value": Shown(item.local)})


def _leaf_lines(session: Session, name: str) -> list[Line]:
    graph = session.trace.graph
    leaf = graph.leaves[name]
    lines = [
        Line("leaf", "leaf", {"name": leaf.display}, "leaf.aside"),
        Line("leaf_value", "leaf.value", {"value": Shown(leaf.value)}),
    ]
    if not leaf.requires_grad:
        lines.append(Line("note", "leaf.constant", {}, gap=True))
        return lines
    sent, complete = session.received(name)
    if sent:
        lines.append(Line("received", "leaf.received", {}, gap=True))
        for consumer, grad in sent:
            lines.append(
                Line(
                    "leaf_from", "leaf.from", {"name": graph.display(consumer), "value": Shown(grad, "grad")}
                )
            )
        if session.phase == "DONE" and name in session.trace.grads:
            total = Shown(session.trace.grads[name], "grad")
            lines.append(Line("leaf_from", "leaf.total", {"name": leaf.display, "value": total}))
            lines.append(Line("fan_out", "upstream.l_is", {"output": graph.display(graph.output)}))
        if complete:
            lines += _chain_lines(session, name)
    return lines


def _chain_lines(session: Session, name: str) -> list[Line]:
    """The chain rule for an input, path by path, once its gradient is complete."""
    paths = chain_paths(session.trace, session.consumers, session.backward_at, name)
    if not paths:
        return []
    graph = session.trace.graph
    names = {"out": group(graph.display(graph.output)), "name": group(graph.display(name))}
    lines = [Line("received", "chain.heading", {}, gap=True)]
    for k, path in enumerate(paths, start=1):
        product = short(path.product)
        value = Shown(product if "·" not in path.numbers else f"{path.numbers} = {product}", "grad")
        message = "chain.path" if len(paths) == 1 else "chain.path.numbered"
        lines.append(Line("leaf_from", message, {**names, "formula": path.formula, "value": value, "k": k}))
    if len(paths) > 1:
        total = sum(p.product for p in paths)
        parts = " + ".join(short(p.product) for p in paths)
        value = Shown(f"{parts} = {short(total)}", "grad")
        lines.append(Line("leaf_from", "chain.sum", {**names, "value": value}))
    return lines


def _start_lines(session: Session) -> list[Line]:
    graph = session.trace.graph
    keys = {"n": Key("n"), "space": Key("space"), "right": Key("→"), "f": Key("f"), "help": Key("?")}
    lines = [
        Line("start", "start.keys", keys),
        Line("title", "graph.title", {"name": graph.title}, gap=True),
    ]
    if graph.description:
        lines.append(
            Line("description", "graph.description", {"text": paragraphs(graph.description)}, gap=True)
        )
    return lines


class LeafGradient(NamedTuple):
    name: str  # the leaf's label or id
    value: Any  # the sum of what has arrived (None: nothing yet)
    complete: bool  # every consumer has sent its part
    parts: tuple[Any, ...] = ()  # what each consumer sent, in the order they were drawn


def leaf_gradients(session: Session) -> list[LeafGradient]:
    """Every input that takes a gradient, in file order, with what it has received so far."""
    graph = session.trace.graph
    rows = []
    for name in graph.leaves:
        if name in session.trace.grads:
            arrived, complete = session.received(name)
            # once every part is in, the total the engine made; before, what has arrived
            value = session.trace.grads[name] if complete else (_sum_of(arrived) if arrived else None)
            parts = tuple(grad for _, grad in arrived)
            rows.append(LeafGradient(graph.display(name), value, complete, parts))
    return rows
