"""The ``[[nodes]]`` that name a class of a --layers file (``layer = "Affine"``) instead of an op.

A layer's shape is what its forward returns, so a graph with layer nodes is run forward once
while it loads; the user's code runs only because the user named its file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bpdebug.core.graph import Node
from bpdebug.core.layers import LayerOp, constructor_names
from bpdebug.support.catalogs import say
from bpdebug.support.errors import closest

LAYER_KEYS = ("id", "layer", "inputs", "args", "label")


class LayerNodes:
    """Mixed into ``Nodes``, which has the document, the leaves and the --layers classes."""

    def layer_node(self, index: int, node_id: str, raw: dict, declared: set) -> Node:
        """``forward(*inputs)``, with ``args`` given to the class's constructor."""
        doc = self.doc  # type: ignore[attr-defined]
        what = f"node {node_id!r}"
        if "op" in raw:
            raise doc.fail(say("layer.both", node=node_id), "id", node_id)
        doc.check_keys(raw, LAYER_KEYS, what, "id", node_id)
        op = self.layer_op(raw["layer"], node_id)
        label = doc.text(raw, "label", what, "id", node_id)
        lists = []
        for key in ("inputs", "args"):
            items = raw.get(key, [])
            if not isinstance(items, list):
                raise doc.fail(say("layer.not_a_list", node=node_id, key=key), "id", node_id, key)
            lists.append(items)
        raw_inputs, raw_args = lists
        if not raw_inputs:
            raise doc.fail(say("layer.no_inputs", node=node_id), "id", node_id)
        names = constructor_names(op.cls)
        if len(raw_args) > len(names):
            said = say(
                "layer.too_many_args",
                node=node_id,
                layer=op.class_name,
                count=len(names),
                names=", ".join(names) or "—",
                given=len(raw_args),
            )
            raise doc.fail(said, "id", node_id, "args")
        input_ids, keys = self.inputs([*raw_inputs, *raw_args], what, node_id, declared)  # type: ignore[attr-defined]
        params = {
            "forward_inputs": len(raw_inputs),
            "arg_names": tuple(names[: len(raw_args)]),
            "keys": tuple(keys),
        }
        return Node(node_id, op, tuple(input_ids), tuple(keys), params, label, (), index)

    def layer_op(self, class_name: Any, node_id: str) -> LayerOp:
        """The op of every node of one class (made once)."""
        doc, layers = self.doc, self.layers  # type: ignore[attr-defined]
        if not isinstance(class_name, str):
            raise doc.fail(say("layer.not_a_name", node=node_id), "id", node_id, "layer")
        if layers is None:
            raise doc.fail(say("layer.needs_file", node=node_id, layer=class_name), "id", node_id, "layer")
        cls = layers.get(class_name)
        if cls is None:
            close = closest(class_name, layers)
            said = say(
                "layer.unknown",
                node=node_id,
                layer=class_name,
                guess=say("layer.guess", guess=close) if close else "",
                defined=", ".join(layers) or say("layer.none_defined"),
            )
            raise doc.fail(said, "id", node_id, "layer")
        ops = self._layer_ops  # type: ignore[attr-defined]
        if class_name not in ops:
            ops[class_name] = LayerOp(cls)
        return ops[class_name]

    def layer_values(self, ordered: list[Node]) -> dict:
        """Every value, by running the forward pass, when some node is a layer; else {}."""
        if not any(isinstance(node.op, LayerOp) for node in ordered):
            return {}
        values = {name: leaf.value for name, leaf in self.leaves.items()}  # type: ignore[attr-defined]
        for node in ordered:
            try:
                with np.errstate(all="ignore"):
                    values[node.id] = node.op.forward([values[i] for i in node.inputs], node.params)[0]
            except Exception as error:  # the user's code, or an op on what it returned
                kind = f"layer {node.op.class_name}" if isinstance(node.op, LayerOp) else node.op.name
                said = say("layer.load_forward", node=node.id, kind=kind, reason=str(error))
                raise self.doc.fail(said, "id", node.id) from None  # type: ignore[attr-defined]
        return values
