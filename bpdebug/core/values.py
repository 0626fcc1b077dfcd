"""Values as the engine keeps them: a Python ``float`` for every scalar (so that scalar graphs
run at the speed of plain Python), a read-only float64 numpy array with at least one axis for
the rest. One helper of each kind lives here: shapes, summing a broadcast gradient back,
freezing, and arithmetic that takes either kind.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

Value = Any  # float | np.ndarray; kept loose so the hot paths stay free of isinstance checks
Shape = tuple[int, ...]


def shape_of(value: Value) -> Shape:
    return () if type(value) is float else value.shape


def shape_str(shape: Shape) -> str:
    """A shape as Python writes it: ``()``, ``(3,)``, ``(2, 3)``."""
    if not shape:
        return "()"
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def ones_like(value: Value) -> Value:
    return 1.0 if type(value) is float else np.ones(value.shape)


def unbroadcast(grad: Value, shape: Shape) -> Value:
    """Sum *grad* back to *shape*: the book's "repeat" node run backwards."""
    if shape_of(grad) == shape:
        return grad
    if not shape:
        return float(np.sum(grad))
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    kept = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if kept:
        grad = grad.sum(axis=kept, keepdims=True)
    return grad


def freeze(value: Value) -> Value:
    """A value as the trace keeps it: floats as they are, 0-d arrays as floats, other arrays
    made read-only (so that a step record can hold a reference, never a copy)."""
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return float(value)
        value.setflags(write=False)  # asking first (value.flags) cost as much as setting it
        return value
    return float(value)


def _scalar_or_array(math_fn: Callable[..., float], np_fn: Callable[..., Any], arity: int) -> Callable:
    """A one- or two-argument function that uses *math_fn* on floats (fast), *np_fn* on arrays.

    Where Python's float maths raises (log 0, 1/0, exp overflow), numpy's IEEE result is
    used instead: bpdebug computes nan and inf and flags them; it never crashes on them.
    """

    def on_arrays(*xs: Value) -> Value:
        with np.errstate(all="ignore"):
            result = np_fn(*xs)
        return float(result) if np.ndim(result) == 0 else result

    def unary(x: Value) -> Value:
        if type(x) is float:
            try:
                return math_fn(x)
            except (ValueError, OverflowError, ZeroDivisionError):
                pass
        return on_arrays(x)

    def binary(a: Value, b: Value) -> Value:
        if type(a) is float and type(b) is float:
            try:
                return math_fn(a, b)
            except (ValueError, OverflowError, ZeroDivisionError):
                pass
        return on_arrays(a, b)

    return unary if arity == 1 else binary


def _stable_sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _np_sigmoid(x: Any) -> Any:
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))))


add = _scalar_or_array(operator.add, np.add, 2)
sub = _scalar_or_array(operator.sub, np.subtract, 2)
mul = _scalar_or_array(operator.mul, np.multiply, 2)
div = _scalar_or_array(operator.truediv, np.divide, 2)
power = _scalar_or_array(math.pow, np.power, 2)
exp = _scalar_or_array(math.exp, np.exp, 1)
log = _scalar_or_array(math.log, np.log, 1)
sigmoid = _scalar_or_array(_stable_sigmoid, _np_sigmoid, 1)
tanh = _scalar_or_array(math.tanh, np.tanh, 1)
