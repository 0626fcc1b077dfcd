"""``run(graph) -> Trace``: the forward pass node by node, then the backward pass in reverse.

Running computes every value and every gradient once. Each node's forward returns its value
and what its backward will need (the book's ``self.x``), kept here per node until the backward
pass has used it. Arrays are made read-only when computed; scalars stay Python floats.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import numpy as np

from bpdebug.core.graph import Graph, Node
from bpdebug.core.layers import LayerOp, LayerState
from bpdebug.core.trace import LATER, RawBackward, Steps, Trace
from bpdebug.core.values import freeze
from bpdebug.support.errors import GraphError
from bpdebug.support.gcpause import paused_gc

_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__: a hot path


def run(graph: Graph) -> Trace:
    """Compute every value forward, then every gradient backward, recording each step.

    Raises ``GraphError`` naming the file and the node when an op cannot compute (class labels
    computed out of range, memory running out); nan and inf are computed and flagged instead.
    """
    # numpy's "invalid value encountered" warnings would only repeat what the trace flags
    with np.errstate(all="ignore"), paused_gc(len(graph.nodes)):
        values, saved = _forward(graph)
        received, backward, on_path = _backward(graph, values, saved)
        trace = _trace(graph, values, received, backward, on_path)
    in_place = tuple(
        (node.id, method, argument)
        for node, kept in zip(graph.nodes, saved, strict=True)
        if type(kept) is LayerState
        for method, argument in kept.in_place
    )
    return trace._replace(in_place=in_place) if in_place else trace


def _node_error(graph: Graph, node: Node, phase: str, error: Exception) -> GraphError:
    where = str(graph.path) if graph.path is not None else "<graph>"
    if isinstance(error, MemoryError):
        reason = "out of memory (its arrays are too large for this machine)"
    else:
        reason = str(error) or type(error).__name__
    kind = f"layer {node.op.class_name}" if isinstance(node.op, LayerOp) else node.op.name
    return GraphError(f"{where}: error: node {node.id!r} ({kind}), {phase} pass: {reason}")


def _forward(graph: Graph) -> tuple[dict[str, Any], list[Any]]:
    """Every node's value, and what each node's forward kept for its backward, by position."""
    values: dict[str, Any] = {name: leaf.value for name, leaf in graph.leaves.items()}
    saved = []
    node = graph.nodes[0]
    try:  # one try around the loop: free while nothing fails, and `node` says where it did
        for node in graph.nodes:
            y, kept = node.op.forward([values[i] for i in node.inputs], node.params)
            saved.append(kept)
            values[node.id] = y if type(y) is float else freeze(y)
    except Exception as error:
        raise _node_error(graph, node, "forward", error) from None
    return values, saved


def _send(node: Node, saved: Any, g: Any, wanted) -> tuple[list[Any], Any]:
    """What *node* sends each input, and its local derivatives (None, or LATER for arrays)."""
    op = node.op
    if not op.elementwise:  # no element-wise local derivative: what each input receives, and only that
        return op.backward(saved, g, node.params, [wanted(i) for i in node.inputs]), None
    if type(g) is not float:  # arrays: the local derivatives are made when a step is shown
        return op.backward(saved, g, node.params), LATER
    locals_ = op.local(saved, node.params)
    if all(type(d) is float for d in locals_):
        return [g * d for d in locals_], locals_
    return op.backward(saved, g, node.params), locals_


def _backward(graph: Graph, values: dict[str, Any], saved: list[Any]):
    """Every node on the output's path in reverse order: what it received and what it sent."""
    diff_leaves = graph.grad_leaves
    is_node = graph.is_node

    def wanted(input_id: str) -> bool:
        return input_id in diff_leaves or is_node(input_id)

    out_value = values[graph.output]
    received: dict[str, Any] = {
        graph.output: 1.0 if type(out_value) is float else freeze(np.ones(out_value.shape))
    }
    on_path = {graph.output}  # grows as we go: reversed order reaches consumers first
    backward: list[RawBackward] = []
    nodes = graph.nodes
    node = graph.node(graph.output)
    try:
        for k in range(len(nodes) - 1, -1, -1):
            node = nodes[k]
            node_id = node.id
            if node_id not in on_path:
                continue
            g = received.get(node_id)  # read-only already: frozen when it was sent or summed
            if g is None:  # on the path, but only through positions that carry no gradient
                y = values[node_id]
                g = 0.0 if type(y) is float else freeze(np.zeros(y.shape))
            op = node.op
            if op.elementwise and type(g) is float:  # the scalar hot path: upstream × local, inline
                locals_ = op.local(saved[k], node.params)
                if len(locals_) == 2 and type(locals_[0]) is float and type(locals_[1]) is float:
                    sent = [g * locals_[0], g * locals_[1]]
                elif len(locals_) == 1 and type(locals_[0]) is float:
                    sent = [g * locals_[0]]
                else:
                    sent, locals_ = _send(node, saved[k], g, wanted)
            else:
                sent, locals_ = _send(node, saved[k], g, wanted)
            for position, input_id in enumerate(node.inputs):
                if is_node(input_id):  # a node read by a node on the path is on the path
                    on_path.add(input_id)
                elif input_id not in diff_leaves:
                    continue
                grad = sent[position]
                if grad is None:
                    continue
                if type(grad) is not float:
                    grad = sent[position] = freeze(grad)
                previous = received.get(input_id)
                received[input_id] = grad if previous is None else freeze(previous + grad)
            kept = saved[k] if locals_ is LATER else None
            backward.append(_new(RawBackward, (node, g, sent, locals_, kept)))
    except Exception as error:
        raise _node_error(graph, node, "backward", error) from None
    return received, backward, on_path


def _trace(graph: Graph, values: dict[str, Any], received: dict[str, Any], backward, on_path) -> Trace:
    diff_leaves = graph.grad_leaves
    diff_nodes = graph.grad_dependent & on_path
    grads: dict[str, Any] = {}
    for name in graph.leaves:
        if name in diff_leaves:
            grad = received.get(name)
            if grad is None:
                value = values[name]
                grad = 0.0 if type(value) is float else freeze(np.zeros(value.shape))
            grads[name] = grad
    for node in graph.nodes:
        if node.id in diff_nodes:
            grads[node.id] = received[node.id]

    public_values = dict(values)  # a copy in C, then the few anonymous constants out
    for name, leaf in graph.leaves.items():
        if leaf.anonymous:
            del public_values[name]
    steps = Steps(graph, values, backward, diff_leaves | diff_nodes)
    return Trace(graph, MappingProxyType(public_values), MappingProxyType(grads), steps, len(graph.nodes))
