"""The inputs of a graph file: numbers, nested arrays, generated arrays and arrays from data
files, each checked against the per-array and the whole-graph budget before it is allocated.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from bpdebug.core.graph import Graph, Leaf
from bpdebug.core.values import freeze
from bpdebug.formats.toml.data_files import read_data_file
from bpdebug.formats.toml.document import MAX_NDIM, Document, limit, raise_hint, type_name
from bpdebug.support.errors import GraphError, did_you_mean

FLOAT_MAX = sys.float_info.max
LEAF_KEYS = ("value", "label", "grad")
INIT_KEYS = ("init", "shape", "scale", "seed")
INITS = ("normal", "uniform", "zeros", "ones")


class Values:
    """Reads the values of one document, keeping count of the numbers its leaves hold."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.leaf_elements = 0  # numbers held by the leaves made so far: the total budget

    def leaf(self, name: str, spec: Any) -> Leaf:
        what = f"input {name!r}"
        label, grad = None, True
        if isinstance(spec, dict) and "value" in spec:
            self.doc.check_keys(spec, LEAF_KEYS, what, name)
            label = self.doc.text(spec, "label", what, name)
            grad = spec.get("grad", True)
            if not isinstance(grad, bool):
                raise self.doc.fail(f"{what}: 'grad' must be true or false", name, "grad")
            spec = spec["value"]
        elif isinstance(spec, dict) and ("label" in spec or "grad" in spec):
            # extension: label and grad next to init/file, without a `value` wrapper
            label = self.doc.text(spec, "label", what, name)
            grad = spec.get("grad", True)
            if not isinstance(grad, bool):
                raise self.doc.fail(f"{what}: 'grad' must be true or false", name, "grad")
            spec = {k: v for k, v in spec.items() if k not in ("label", "grad")}
        return Leaf(name, self.value(spec, what, name), label, grad)

    def value(self, spec: Any, what: str, *near: str) -> Any:
        if isinstance(spec, bool):
            raise self.doc.fail(f"{what}: expected a number or an array, got a boolean", *near)
        if isinstance(spec, int | float):
            return self.float_of(spec, what, *near)
        if isinstance(spec, list):
            return freeze(self.nested_array(spec, what, *near))
        if isinstance(spec, dict):
            if "init" in spec:
                return freeze(self.generated(spec, what, *near))
            if "file" in spec:
                return freeze(read_data_file(self, spec, what, *near))
            raise self.doc.fail(
                f"{what}: a table value needs 'value', 'init' or 'file'"
                + (f"; unknown key {next(iter(spec))!r}" if spec else ""),
                *near,
            )
        raise self.doc.fail(f"{what}: expected a number or an array, got {type_name(spec)}", *near)

    def nested_array(self, spec: list, what: str, *near: str) -> Any:
        shape: list[int] = []
        level: Any = spec
        while isinstance(level, list):
            if not level:
                raise self.doc.fail(f"{what}: an empty array is not allowed", *near)
            shape.append(len(level))
            if len(shape) > MAX_NDIM:
                raise self.doc.fail(f"{what}: the array has more than {MAX_NDIM} axes", *near)
            level = level[0]
        # walk every element: ragged rows and non-numbers get a clear message, not numpy's
        stack = [(spec, 0, ())]
        while stack:
            items, depth, index = stack.pop()
            if len(items) != shape[depth]:
                raise self.doc.fail(
                    f"{what}: ragged array: row {index_text(index)} has {len(items)} items, "
                    f"expected {shape[depth]} (rows must all be the same length)",
                    *near,
                )
            for k, item in enumerate(items):
                if depth + 1 < len(shape):
                    if not isinstance(item, list):
                        raise self.doc.fail(
                            f"{what}: ragged array: item {index_text((*index, k))} is a number "
                            "where a row was expected",
                            *near,
                        )
                    stack.append((item, depth + 1, (*index, k)))
                elif isinstance(item, bool) or not isinstance(item, int | float):
                    kind = "a row" if isinstance(item, list) else type_name(item)
                    raise self.doc.fail(
                        f"{what}: item {index_text((*index, k))} is {kind}, expected a number",
                        *near,
                    )
                elif isinstance(item, int) and abs(item) > FLOAT_MAX:
                    self.float_of(item, f"{what}: item {index_text((*index, k))}", *near)
        self.count_leaf(math.prod(shape), what, *near)
        return np.array(spec, dtype=np.float64)

    def float_of(self, value: int | float, what: str, *near: str) -> float:
        """A TOML number as float64; an integer beyond float64's range is refused, not rounded."""
        try:
            return float(value)
        except OverflowError:
            digits = len(str(abs(value))) if abs(value).bit_length() < 14_000 else "thousands of"
            raise self.doc.fail(
                f"{what}: the number ({digits} digits) is too large for float64, whose largest "
                f"value is about {FLOAT_MAX:.3g}",
                *near,
            ) from None

    def generated(self, spec: dict, what: str, *near: str) -> Any:
        self.doc.check_keys(spec, INIT_KEYS, what, *near)
        init = spec["init"]
        if init not in INITS:
            raise self.doc.fail(
                f"{what}: unknown init {init!r}{did_you_mean(str(init), INITS)}; "
                f"expected one of: {', '.join(INITS)}",
                *near,
                "init",
            )
        shape = spec.get("shape")
        if shape is None:
            raise self.doc.fail(f"{what}: init = {init!r} needs a shape, e.g. shape = [2, 3]", *near)
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = [shape]
        if not isinstance(shape, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in shape
        ):
            raise self.doc.fail(
                f"{what}: 'shape' must be a list of whole numbers, e.g. [2, 3]", *near, "shape"
            )
        if len(shape) > MAX_NDIM:
            raise self.doc.fail(f"{what}: the shape has more than {MAX_NDIM} axes", *near, "shape")
        if any(n < 0 for n in shape):
            raise self.doc.fail(f"{what}: 'shape' {shape} has a negative length", *near, "shape")
        if any(n == 0 for n in shape):
            raise self.doc.fail(
                f"{what}: 'shape' {shape} makes an empty array, which is not allowed", *near, "shape"
            )
        self.check_size(math.prod(shape), what, *near)
        self.count_leaf(math.prod(shape), what, *near)
        if init in ("zeros", "ones"):
            for key in ("scale", "seed"):
                if key in spec:
                    raise self.doc.fail(f"{what}: init = {init!r} takes no {key!r}", *near, key)
            return (np.zeros if init == "zeros" else np.ones)(shape)
        scale = spec.get("scale", 1.0)
        if not is_finite_number(scale):
            raise self.doc.fail(f"{what}: 'scale' must be a finite number", *near, "scale")
        seed = spec.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise self.doc.fail(f"{what}: 'seed' must be a whole number ≥ 0", *near, "seed")
        rng = np.random.default_rng(seed)
        if init == "normal":
            return rng.normal(0.0, float(scale), shape)
        return rng.uniform(-float(scale), float(scale), shape)

    def check_size(self, elements: int, what: str, *near: str) -> None:
        most = limit("MAX_ELEMENTS", 100_000_000)
        if elements > most:
            raise self.doc.fail(
                f"{what}: the array would hold {elements:,} elements; the limit is {most:,} per "
                f"array ({raise_hint('MAX_ELEMENTS')})",
                *near,
            )

    def count_leaf(self, elements: int, what: str, *near: str) -> None:
        """Add a leaf's numbers to the total, refusing it before its memory is allocated."""
        self.leaf_elements += elements
        most = limit("MAX_TOTAL_ELEMENTS", 200_000_000)
        if self.leaf_elements > most:
            raise self.doc.fail(
                f"{what}: the inputs would hold {self.leaf_elements:,} numbers in all; the limit "
                f"for a whole graph is {most:,} ({gigabytes(most)}) ({raise_hint('MAX_TOTAL_ELEMENTS')})",
                *near,
            )


def check_total(doc: Document, graph: Graph) -> None:
    """All the numbers the trace will hold: every value, and every gradient sent along an edge
    (a value read by k nodes receives k of them), checked before anything is computed."""
    shapes = {name: leaf.shape for name, leaf in graph.leaves.items()}
    total = sum(math.prod(s) for s in shapes.values())
    for node in graph.nodes:
        shapes[node.id] = node.shape
        total += math.prod(node.shape) + sum(math.prod(shapes[i]) for i in node.inputs)
    most = limit("MAX_TOTAL_ELEMENTS", 200_000_000)
    if total > most:
        raise GraphError(
            f"{doc.name}: error: the graph's values and gradients would hold about {total:,} "
            f"numbers ({gigabytes(total)}); the limit is {most:,} ({raise_hint('MAX_TOTAL_ELEMENTS')})"
        )


def is_finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= FLOAT_MAX if isinstance(value, int) else math.isfinite(value)


def gigabytes(elements: int) -> str:
    return f"{elements * 8 / 1e9:.1f} GB of float64"


def index_text(index: tuple[int, ...]) -> str:
    return "[" + "][".join(map(str, index)) + "]" if index else "[]"
