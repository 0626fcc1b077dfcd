"""What-if edits: a leaf's value (or one element of an array leaf) changed, as a new graph.

``apple = 101`` and ``W1[0,3] = 0.5`` are parsed here, checked against the graph, and applied
to a copy of it; the graph itself is never changed. A value is a float64: ``nan`` and ``inf``
only when written as such (``1e999`` is too large, not infinity by accident). Errors carry a
message id and its arguments, for the catalog to say in the learner's language.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, replace

import numpy as np

from bpdebug.core.graph import Graph
from bpdebug.core.values import freeze
from bpdebug.support.formatting import shape_text

_EDIT = re.compile(r"\s*(?P<name>[^\[\]=]+?)\s*(?:\[(?P<index>[^\]]*)\])?\s*=\s*(?P<value>.*?)\s*\Z")
_ON_PURPOSE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


class EditError(ValueError):
    """An edit that cannot be made: *message_id* and *args* say why (see the catalogs' edit.*)."""

    def __init__(self, message_id: str, **args: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.args_ = args


@dataclass(frozen=True)
class Edit:
    name: str  # the leaf's id
    index: tuple[int, ...] | None  # one element of an array leaf, or None for a scalar
    value: float

    def target(self, graph: Graph) -> str:
        """``apple`` or ``W1[0, 3]``, by the leaf's label where it has one."""
        name = graph.display(self.name)
        return name if self.index is None else f"{name}[{', '.join(map(str, self.index))}]"


def parse_edit(text: str, graph: Graph) -> Edit:
    """``NAME = VALUE`` or ``NAME[i,j] = VALUE``, checked against *graph*'s leaves."""
    match = _EDIT.match(text)
    if match is None:
        raise EditError("edit.form", text=text.strip())
    name = _leaf_id(match["name"], graph)
    value = number_of(match["value"])
    leaf = graph.leaves[name]
    shape = leaf.shape
    if match["index"] is None:
        if shape:
            zeros = ", ".join("0" for _ in shape)
            raise EditError("edit.needs_index", name=leaf.display, shape=shape_text(shape), zeros=zeros)
        return Edit(name, None, value)
    if not shape:
        raise EditError("edit.not_an_array", name=leaf.display)
    index = _index(match["index"], leaf.display, shape)
    return Edit(name, index, value)


def apply_edits(graph: Graph, edits: list[Edit]) -> Graph:
    """A copy of *graph* with every edit made, in order (a later edit of a value wins)."""
    if not edits:
        return graph
    leaves = dict(graph.leaves)
    for edit in edits:
        leaf = leaves[edit.name]
        if edit.index is None:
            value: object = edit.value
        else:
            array = np.array(leaf.value, dtype=np.float64, copy=True)
            array[edit.index] = edit.value
            value = freeze(array)
        leaves[edit.name] = replace(leaf, value=value)
    return replace(graph, leaves=leaves)


def current_value(graph: Graph, edit: Edit) -> float:
    """The value the edit replaces, in *graph*."""
    value = graph.leaves[edit.name].value
    return float(value if edit.index is None else value[edit.index])


def _leaf_id(written: str, graph: Graph) -> str:
    name = written.strip()
    if name in graph.leaves and not graph.leaves[name].anonymous:
        return name
    by_label = {leaf.display: leaf.id for leaf in graph.leaves.values() if not leaf.anonymous}
    if name in by_label:
        return by_label[name]
    if graph.is_node(name) or any(node.display == name for node in graph.nodes):
        raise EditError("edit.node", name=name)
    close = difflib.get_close_matches(name, [*by_label, *graph.leaves], n=1, cutoff=0.6)
    if close:
        raise EditError("edit.unknown.guess", name=name, guess=close[0])
    raise EditError("edit.unknown", name=name, names=", ".join(by_label))


def split_edit(text: str) -> tuple[str, str | None, str] | None:
    """``W1[0,3] = 0.5`` → ("W1", "0,3", "0.5"); None when it is not of that form."""
    match = _EDIT.match(text)
    return None if match is None else (match["name"].strip(), match["index"], match["value"])


def number_of(text: str) -> float:
    """A value as an edit writes it (EditError when it is not a number, or too large)."""
    try:
        value = float(text)
    except ValueError:
        raise EditError("edit.not_a_number", value=text) from None
    if (math.isinf(value) or math.isnan(value)) and text.strip().lower() not in _ON_PURPOSE:
        raise EditError("edit.too_large", value=text)
    return value


def _index(text: str, name: str, shape: tuple[int, ...]) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",")]
    zeros = ", ".join("0" for _ in shape)
    if len(parts) != len(shape) or not all(re.fullmatch(r"[+-]?\d{1,18}", p) for p in parts):
        raise EditError("edit.bad_index", index=text, name=name, shape=shape_text(shape), zeros=zeros)
    index = tuple(int(p) for p in parts)
    if not all(-n <= i < n for i, n in zip(index, shape, strict=True)):
        raise EditError("edit.out_of_range", index=text, name=name, shape=shape_text(shape))
    return tuple(i % n for i, n in zip(index, shape, strict=True))
