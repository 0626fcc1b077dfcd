"""The matrix product and the Affine layer: gradients shaped like their inputs by a transpose."""

from __future__ import annotations

import math

import numpy as np

from bpdebug.core.ops.base import Op, ShapeError, need_array
from bpdebug.core.values import shape_str


class MatMul(Op):
    name, symbol = "matmul", "dot"
    min_inputs, max_inputs = 2, 2

    def infer_shape(self, shapes, params):
        a, b = shapes
        need_array(a, "the first input", (1, 2))
        need_array(b, "the second input", (1, 2))
        if a[-1] != b[0]:
            raise ShapeError(
                f"shapes {shape_str(a)} and {shape_str(b)} do not fit a matrix product: {a[-1]} ≠ {b[0]}"
            )
        return a[:-1] + b[1:]

    def forward(self, xs, params):
        return np.matmul(xs[0], xs[1]), xs  # keeps x and W

    def backward(self, xs, g, params, needs=None):
        x, w = xs
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        w2 = w.reshape(-1, 1) if w.ndim == 1 else w
        g2 = np.reshape(g, (x2.shape[0], w2.shape[1]))
        return [
            (g2 @ w2.T).reshape(x.shape) if needs is None or needs[0] else None,
            (x2.T @ g2).reshape(w.shape) if needs is None or needs[1] else None,
        ]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} · {names[1]}"

    def sent_formula(self, i, names, params, out="y"):
        return f"∂L/∂{out} · {names[1]}ᵀ" if i == 0 else f"{names[0]}ᵀ · ∂L/∂{out}"


class Affine(Op):
    name, symbol = "affine", "affine"
    min_inputs, max_inputs = 3, 3

    def infer_shape(self, shapes, params):
        x, w, b = shapes
        if len(x) < 2:
            raise ShapeError(f"X must have a batch axis (2 or more axes), got shape {shape_str(x)}")
        need_array(w, "W", (2,))
        need_array(b, "b", (1,))
        features = math.prod(x[1:])
        if features != w[0]:
            raise ShapeError(
                f"X of shape {shape_str(x)} has {features} features per sample but W has shape {shape_str(w)}"
            )
        if b[0] != w[1]:
            raise ShapeError(f"b of shape {shape_str(b)} does not fit W of shape {shape_str(w)}")
        return (x[0], w[1])

    def forward(self, xs, params):
        x, w, b = xs
        return (x if x.ndim == 2 else x.reshape(x.shape[0], -1)) @ w + b, (x, w)  # self.x, self.W

    def backward(self, saved, g, params, needs=None):
        # each numpy call costs microseconds even on small arrays: reshape only images (4-D X)
        x, w = saved
        every = needs is None
        flat = x.ndim == 2
        dx = g @ w.T if every or needs[0] else None
        return [
            dx if dx is None or flat else dx.reshape(x.shape),
            (x if flat else x.reshape(x.shape[0], -1)).T @ g if every or needs[1] else None,
            g.sum(axis=0) if every or needs[2] else None,
        ]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} · {names[1]} + {names[2]}"

    def sent_formula(self, i, names, params, out="y"):
        if i == 2:
            return None  # "Σ over the batch": words, in the catalog
        return f"∂L/∂{out} · {names[1]}ᵀ" if i == 0 else f"{names[0]}ᵀ · ∂L/∂{out}"
