"""Sum and mean, over every element or over some axes: the gradient is copied back out."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from bpdebug.core.ops.base import Op, Param, ShapeError
from bpdebug.core.values import shape_of


def axes_of(params: dict, ndim: int) -> tuple[int, ...] | None:
    """The ``axis`` parameter as sorted, non-negative axes (None: every axis)."""
    axis = params.get("axis")
    if axis is None:
        return None
    axes = [axis] if isinstance(axis, int) else list(axis)
    normal = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ShapeError(f"axis {a} is out of range for an input with {ndim} axes")
        normal.append(a % ndim)
    if len(set(normal)) != len(normal):
        raise ShapeError(f"axis {axis} names the same axis twice")
    return tuple(sorted(normal))


class Sum(Op):
    name, symbol = "sum", "Σ"
    params: ClassVar[dict[str, Param]] = {"axis": Param("axis"), "keepdims": Param("bool", default=False)}

    def infer_shape(self, shapes, params):
        (shape,) = shapes
        axes = axes_of(params, len(shape))
        if axes is None:
            axes = tuple(range(len(shape)))
        if params.get("keepdims"):
            return tuple(1 if i in axes else n for i, n in enumerate(shape))
        return tuple(n for i, n in enumerate(shape) if i not in axes)

    def _reduce(self, x, params, fn):
        if type(x) is float:
            return x
        result = fn(x, axis=axes_of(params, x.ndim), keepdims=bool(params.get("keepdims")))
        return float(result) if np.ndim(result) == 0 else result

    def forward(self, xs, params):
        return self._reduce(xs[0], params, np.sum), shape_of(xs[0])

    def _spread(self, shape, g, params):
        if not shape:
            return g
        axes = axes_of(params, len(shape))
        if axes is None:
            axes = tuple(range(len(shape)))
        if not params.get("keepdims"):
            g = np.expand_dims(g, axes)
        return np.broadcast_to(g, shape).copy()

    def backward(self, shape, g, params, needs=None):
        return [self._spread(shape, g, params)]

    def formula(self, names, params, out="y"):
        return None  # "Σ x (over axis 1)": words, in the catalog


class Mean(Sum):
    name, symbol = "mean", "mean"

    def forward(self, xs, params):
        x = xs[0]
        y = self._reduce(x, params, np.mean)
        n = 1.0 if type(x) is float else x.size / (y.size if type(y) is not float else 1)
        return y, (shape_of(x), n)

    def backward(self, saved, g, params, needs=None):
        shape, n = saved
        if not shape:
            return [g]
        return [self._spread(shape, g, params) / n]
