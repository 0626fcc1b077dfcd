"""The ``[[nodes]]`` of a graph file: each node's op from the graph's registry, its parameters,
its inputs (ids, or numbers that become anonymous constants), then its shape, worked out in
forward order so that a shape fault surfaces at load time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bpdebug.core.graph import Leaf, Node
from bpdebug.core.layers import LayerOp
from bpdebug.core.ops import InputError, Op, Param, ShapeError
from bpdebug.core.values import shape_of
from bpdebug.formats.toml.document import Document, type_name
from bpdebug.formats.toml.layer_nodes import LayerNodes
from bpdebug.formats.toml.values import Values, is_finite_number
from bpdebug.support.errors import did_you_mean

NODE_KEYS = ("id", "op", "inputs", "label")


def arity_text(op: Op) -> str:
    if op.max_inputs is None:
        return f"{op.min_inputs} or more inputs"
    if op.min_inputs == op.max_inputs:
        return f"{op.min_inputs} input" + ("s" if op.min_inputs != 1 else "")
    return f"{op.min_inputs} to {op.max_inputs} inputs"


class Nodes(LayerNodes):
    """Reads the nodes of one document; anonymous constants join *leaves* as they are met."""

    def __init__(
        self,
        doc: Document,
        values: Values,
        ops: Mapping[str, Op],
        leaves: dict[str, Leaf],
        layers: Mapping[str, type] | None = None,
    ):
        self.doc, self.values, self.ops, self.leaves = doc, values, ops, leaves
        self.layers = layers  # the --layers classes by name; None when no file was given
        self._layer_ops: dict[str, LayerOp] = {}  # one op per class

    def read(self, raw_nodes: list[dict]) -> list[Node]:
        ids = set(self.leaves)
        declared = {n.get("id") for n in raw_nodes if isinstance(n.get("id"), str)} | ids
        nodes = []
        for index, raw in enumerate(raw_nodes):
            node_id = raw.get("id")
            if node_id is None:
                raise self.doc.fail(f"node #{index + 1} (counting from 1) has no 'id'")
            self.doc.check_id(node_id, f"node #{index + 1}", "id", str(node_id))
            if node_id in ids:
                kind = "an input" if node_id in self.leaves else "another node"
                raise self.doc.fail(
                    f"node {node_id!r}: duplicate id; {node_id!r} is already {kind}", "id", node_id
                )
            ids.add(node_id)
            nodes.append(self.node(index, node_id, raw, declared))
        return nodes

    def node(self, index: int, node_id: str, raw: dict, declared: set) -> Node:
        what = f"node {node_id!r}"
        if "layer" in raw:
            return self.layer_node(index, node_id, raw, declared)
        op = self.op(raw.get("op"), what, node_id)
        self.doc.check_keys(raw, NODE_KEYS + tuple(op.params), what, "id", node_id)
        params = self.params(op, raw, what, node_id)
        label = self.doc.text(raw, "label", what, "id", node_id)
        raw_inputs = raw.get("inputs")
        if raw_inputs is None:
            raise self.doc.fail(
                f"{what}: missing 'inputs'; op {op.name!r} takes {arity_text(op)}", "id", node_id
            )
        if not isinstance(raw_inputs, list):
            raise self.doc.fail(f"{what}: 'inputs' must be a list of ids", "id", node_id, "inputs")
        count = len(raw_inputs)
        if count < op.min_inputs or (op.max_inputs is not None and count > op.max_inputs):
            raise self.doc.fail(
                f"{what}: op {op.name!r} takes {arity_text(op)}, got {count}", "id", node_id, "inputs"
            )
        input_ids, keys = self.inputs(raw_inputs, what, node_id, declared)
        return Node(node_id, op, tuple(input_ids), tuple(keys), params, label, (), index)

    def op(self, op_name: Any, what: str, node_id: str) -> Op:
        op = self.ops.get(op_name) if isinstance(op_name, str) else None
        if op is not None:
            return op
        names = ", ".join(self.ops)
        if op_name is None:
            raise self.doc.fail(f"{what}: missing 'op'; expected one of: {names}", "id", node_id)
        raise self.doc.fail(
            f"{what}: unknown op {op_name!r}{did_you_mean(str(op_name), self.ops)}; expected one of: {names}",
            "id",
            node_id,
            "op",
        )

    def inputs(self, raw_inputs: list, what: str, node_id: str, declared: set) -> tuple[list[str], list[str]]:
        """Each input's id and the key the trace names it by (``#k`` for a number)."""
        input_ids, keys = [], []
        for position, item in enumerate(raw_inputs, start=1):
            if isinstance(item, str):
                if item not in declared:
                    raise self.doc.fail(
                        f"{what}: unknown input {item!r}{did_you_mean(item, declared)}",
                        "id",
                        node_id,
                        "inputs",
                    )
                input_ids.append(item)
                keys.append(item)
            elif isinstance(item, int | float) and not isinstance(item, bool):
                const_id = f"{node_id}#{position}"
                number = self.values.float_of(item, f"{what}: input {position}", "id", node_id, "inputs")
                self.leaves[const_id] = Leaf(const_id, number, None, False, anonymous=True)
                input_ids.append(const_id)
                keys.append(f"#{position}")
            else:
                raise self.doc.fail(
                    f"{what}: input {position} is {type_name(item)}; expected an id or a number",
                    "id",
                    node_id,
                    "inputs",
                )
        return input_ids, keys

    def params(self, op: Op, raw: dict, what: str, node_id: str) -> dict:
        params = {}
        for key, spec in op.params.items():
            if key not in raw:
                if spec.required:
                    raise self.doc.fail(f"{what}: op {op.name!r} needs {key!r}", "id", node_id)
                if spec.default is not None:
                    params[key] = spec.default
                continue
            params[key] = self.param(spec, raw[key], f"{what}: {key!r}", "id", node_id, key)
        return params

    def param(self, spec: Param, value: Any, what: str, *near: str) -> Any:
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise self.doc.fail(f"{what} must be true or false", *near)
            return value
        if spec.kind == "number":
            if not is_finite_number(value):
                raise self.doc.fail(f"{what} must be a finite number", *near)
            if abs(value) > 1e6:
                raise self.doc.fail(
                    f"{what} {value} is too large; the limit is ±1,000,000 (powers beyond it "
                    "overflow float64 for any input other than 0 and ±1)",
                    *near,
                )
            return float(value)
        # an axis: an integer or a list of integers
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
            raise self.doc.fail(f"{what} must be a whole number or a list of whole numbers", *near)
        return value

    def with_shapes(self, ordered: list[Node]) -> list[Node]:
        """Each node's shape (no arithmetic), and each op's own check of the inputs given. A
        layer's shape is what its forward returns: a graph with layers is run forward once."""
        leaves = self.leaves
        shapes = {name: leaf.shape for name, leaf in leaves.items()}
        values = self.layer_values(ordered)
        result = []
        for node in ordered:
            in_shapes = [shapes[i] for i in node.inputs]
            try:
                shape = (
                    shape_of(values[node.id])
                    if isinstance(node.op, LayerOp)
                    else node.op.infer_shape(in_shapes, node.params)
                )
            except ShapeError as error:
                described = ", ".join(
                    f"{k} {_shape_of(s)}" for k, s in zip(node.keys, in_shapes, strict=True)
                )
                raise self.doc.fail(
                    f"node {node.id!r}: shape mismatch for {node.op.name!r}: {error} (inputs: {described})",
                    "id",
                    node.id,
                ) from None
            self.values.check_size(math.prod(shape), f"node {node.id!r}", "id", node.id)
            if type(node.op).check_inputs is not Op.check_inputs:  # most ops check nothing: skip them
                known = [leaves[i].value if i in leaves else None for i in node.inputs]
                try:
                    node.op.check_inputs(known, in_shapes, node.params)
                except InputError as error:
                    raise self.doc.fail(f"node {node.id!r}: {error}", "id", node.id) from None
            shapes[node.id] = shape
            result.append(_with_shape(node, shape))
        return result


def _with_shape(node: Node, shape: tuple[int, ...]) -> Node:
    return Node(node.id, node.op, node.inputs, node.keys, node.params, node.label, shape, node.file_index)


def _shape_of(shape: tuple[int, ...]) -> str:
    return (
        "scalar" if not shape else "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    )
