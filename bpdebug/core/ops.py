"""Every operation a graph may use, each one object with its forward and backward side by side.

A value is a Python ``float`` (every scalar, so that scalar graphs run at the speed of plain
Python) or a numpy array of float64 with at least one axis. Each op says:

- how many inputs it takes and which parameters it declares (the loader checks both);
- the shape of its result (``infer_shape``, so that a bad graph fails at load time);
- ``forward`` and ``backward`` (the gradient each input receives, already summed back to
  the input's own shape when numpy broadcast it);
- ``local``: the element-wise local derivative ∂y/∂input, for the ops that have one;
- the text a learner reads: the formula, each local derivative, what is sent back.

The registry ``OPS`` is how the loader, the engine and the UI learn about ops: adding an op
means adding one class here (and its tests), nothing else.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, ClassVar

import numpy as np

Value = Any  # float | np.ndarray; kept loose so the hot paths stay free of isinstance checks
Shape = tuple[int, ...]
Params = dict[str, Any]


class ShapeError(ValueError):
    """The inputs' shapes do not fit the op; the message names the shapes."""


def shape_of(value: Value) -> Shape:
    return () if type(value) is float else value.shape


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


def _ones_like(value: Value) -> Value:
    return 1.0 if type(value) is float else np.ones(value.shape)


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


_add = _scalar_or_array(operator.add, np.add, 2)
_sub = _scalar_or_array(operator.sub, np.subtract, 2)
_mul = _scalar_or_array(operator.mul, np.multiply, 2)
_div = _scalar_or_array(operator.truediv, np.divide, 2)
_pow = _scalar_or_array(math.pow, np.power, 2)
_exp = _scalar_or_array(math.exp, np.exp, 1)
_log = _scalar_or_array(math.log, np.log, 1)
_sigmoid = _scalar_or_array(_stable_sigmoid, _np_sigmoid, 1)
_tanh = _scalar_or_array(math.tanh, np.tanh, 1)


@dataclass(frozen=True)
class Param:
    """A parameter an op declares: its TOML type check and its default."""

    kind: str  # "number" | "axis" | "bool"
    required: bool = False
    default: Any = None


class Op:
    """The interface every op fills in. Subclasses set the class attributes below."""

    name: ClassVar[str]
    symbol: ClassVar[str]  # drawn in the graph node: ×, +, σ, dot …
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1
    params: ClassVar[dict[str, Param]] = {}
    elementwise: ClassVar[bool] = True
    explanation: ClassVar[str] = ""
    # input positions that receive no gradient (the labels t of softmax_with_loss)
    no_grad_positions: ClassVar[frozenset[int]] = frozenset()

    def arity_text(self) -> str:
        if self.max_inputs is None:
            return f"{self.min_inputs} or more inputs"
        if self.min_inputs == self.max_inputs:
            return f"{self.min_inputs} input" + ("s" if self.min_inputs != 1 else "")
        return f"{self.min_inputs} to {self.max_inputs} inputs"

    def infer_shape(self, shapes: Sequence[Shape], params: Params) -> Shape:
        try:
            return tuple(np.broadcast_shapes(*shapes))
        except ValueError:
            raise ShapeError(
                "shapes " + " and ".join(_shape_str(s) for s in shapes) + " cannot be broadcast together"
            ) from None

    def forward(self, xs: Sequence[Value], params: Params) -> Value:
        raise NotImplementedError

    def backward(
        self, xs: Sequence[Value], y: Value, g: Value, params: Params, needs: Sequence[bool] | None = None
    ) -> list[Value | None]:
        """The gradient each input receives (None for an input that receives none).

        *needs* says which inputs want one (default: all); ops whose gradients cost real work
        (dot, affine) skip the others, as the gradient of a data batch is never shown.
        """
        return self.backward_and_local(xs, y, g, params)[0]

    def backward_and_local(
        self, xs: Sequence[Value], y: Value, g: Value, params: Params, needs: Sequence[bool] | None = None
    ) -> tuple[list[Value | None], list[Value] | None]:
        """The gradients sent back, and the local derivatives they came from (element-wise ops).

        For an element-wise op what is sent is exactly upstream × local, summed back to the
        input's shape where numpy broadcast it: the engine records both from this one call.
        """
        if not self.elementwise:
            return self.backward(xs, y, g, params, needs), None
        locals_ = self.local(xs, y, params)
        if type(g) is float:  # scalars: the hot path
            if len(locals_) == 1 and type(locals_[0]) is float:
                return [g * locals_[0]], locals_
            if all(type(d) is float for d in locals_):
                return [g * d for d in locals_], locals_
        return [unbroadcast(_mul(g, d), shape_of(x)) for x, d in zip(xs, locals_, strict=True)], locals_

    def local(self, xs: Sequence[Value], y: Value, params: Params) -> list[Value]:
        """∂y/∂x_i element-wise, broadcast to the output's shape (element-wise ops only)."""
        raise NotImplementedError

    # --- the text a learner reads -------------------------------------------------------------
    def formula(self, names: Sequence[str], params: Params, out: str = "y") -> str:
        raise NotImplementedError

    def local_formula(self, i: int, names: Sequence[str], params: Params, out: str = "y") -> str | None:
        """Right-hand side of ∂y/∂x_i, e.g. ``"b"`` for the first input of ``a × b``."""
        return None

    def sent_formula(self, i: int, names: Sequence[str], params: Params, out: str = "y") -> str:
        """Right-hand side of ∂L/∂x_i in terms of ∂L/∂out."""
        rhs = self.local_formula(i, names, params, out)
        if rhs == "1":
            return f"∂L/∂{out}"
        if rhs == "−1":
            return f"−∂L/∂{out}"
        return f"∂L/∂{out} × {_paren(rhs)}"


def _shape_str(shape: Shape) -> str:
    return (
        "()" if not shape else "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
    )


def _paren(text: str | None) -> str:
    from bpdebug.support.formatting import group

    return group(text or "?")


class Add(Op):
    name, symbol = "add", "+"
    min_inputs, max_inputs = 2, None
    explanation = (
        "An add node passes the upstream signal through unchanged to every input: each local derivative is 1."
    )

    def forward(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return xs[0] + xs[1]  # the scalar fast path: float + float never raises
        return reduce(_add, xs)

    def local(self, xs, y, params):
        return [_ones_like(y)] * len(xs)

    def formula(self, names, params, out="y"):
        return f"{out} = " + " + ".join(names)

    def local_formula(self, i, names, params, out="y"):
        return "1"


class Sub(Op):
    name, symbol = "sub", "−"
    min_inputs, max_inputs = 2, 2
    explanation = "A subtract node passes the upstream signal to a unchanged and to b with its sign flipped."

    def forward(self, xs, params):
        return _sub(xs[0], xs[1])

    def local(self, xs, y, params):
        one = _ones_like(y)
        return [one, _mul(-1.0, one)]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} − {names[1]}"

    def local_formula(self, i, names, params, out="y"):
        return "1" if i == 0 else "−1"


class Mul(Op):
    name, symbol = "mul", "×"
    min_inputs, max_inputs = 2, None
    explanation = (
        "A multiply node sends back the upstream signal times the other input: "
        "the inputs swap places on the way back."
    )

    def forward(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return xs[0] * xs[1]  # the scalar fast path: float × float never raises
        return reduce(_mul, xs)

    def local(self, xs, y, params):
        if len(xs) == 2 and type(y) is float:
            return [xs[1], xs[0]]  # "mul swaps"
        out = []
        for i in range(len(xs)):
            others = [x for j, x in enumerate(xs) if j != i]
            d = reduce(_mul, others)
            if shape_of(d) != shape_of(y):
                d = _mul(d, _ones_like(y))
            out.append(d)
        return out

    def formula(self, names, params, out="y"):
        return f"{out} = " + " × ".join(names)

    def local_formula(self, i, names, params, out="y"):
        return " × ".join(n for j, n in enumerate(names) if j != i)


class Div(Op):
    name, symbol = "div", "÷"
    min_inputs, max_inputs = 2, 2
    explanation = "A divide node sends g / b to the numerator and −g · a / b² to the denominator."

    def forward(self, xs, params):
        return _div(xs[0], xs[1])

    def local(self, xs, y, params):
        a, b = xs
        da = _div(1.0, b)
        db = _mul(-1.0, _div(a, _mul(b, b)))
        return [
            _mul(da, _ones_like(y)) if shape_of(da) != shape_of(y) else da,
            _mul(db, _ones_like(y)) if shape_of(db) != shape_of(y) else db,
        ]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} / {names[1]}"

    def local_formula(self, i, names, params, out="y"):
        a, b = names
        return f"1 / {b}" if i == 0 else f"−{a} / {b}²"


class Neg(Op):
    name, symbol = "neg", "−x"
    explanation = "A negate node flips the sign of the upstream signal."

    def forward(self, xs, params):
        return _mul(-1.0, xs[0])

    def local(self, xs, y, params):
        return [_mul(-1.0, _ones_like(y))]

    def formula(self, names, params, out="y"):
        return f"{out} = −{names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return "−1"


class Pow(Op):
    name, symbol = "pow", "xᵖ"
    params: ClassVar[dict[str, Param]] = {"exponent": Param("number", required=True)}
    explanation = "A power node sends back the upstream signal times p · x^(p−1)."

    def forward(self, xs, params):
        return _pow(xs[0], float(params["exponent"]))

    def local(self, xs, y, params):
        p = float(params["exponent"])
        return [_mul(p, _pow(xs[0], p - 1.0))]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]}^{_num(params['exponent'])}"

    def local_formula(self, i, names, params, out="y"):
        p = float(params["exponent"])
        if p == 2:
            return f"2 × {names[0]}"
        if p == 1:
            return "1"
        return f"{_num(p)} × {names[0]}^{_num(p - 1)}"


def _bare(name: str) -> str:
    """A name inside a function's own parentheses needs none of its own: exp(−x), not exp((−x))."""
    if name.startswith("(") and name.endswith(")"):
        depth = 0
        for i, char in enumerate(name):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and i < len(name) - 1:
                return name  # "(a) + (b)": the outer parentheses are not a pair
        return name[1:-1]
    return name


def _num(x: float) -> str:
    from bpdebug.support.formatting import fmt_num

    return fmt_num(x)


class Exp(Op):
    name, symbol = "exp", "exp"
    explanation = (
        "The exp node's derivative is its own output: it sends back the upstream signal times y = eˣ."
    )

    def forward(self, xs, params):
        return _exp(xs[0])

    def local(self, xs, y, params):
        return [y]

    def formula(self, names, params, out="y"):
        return f"{out} = exp({_bare(names[0])})"

    def local_formula(self, i, names, params, out="y"):
        return out


class Log(Op):
    name, symbol = "log", "log"
    explanation = "The log node sends back the upstream signal divided by its input."

    def forward(self, xs, params):
        return _log(xs[0])

    def local(self, xs, y, params):
        return [_div(1.0, xs[0])]

    def formula(self, names, params, out="y"):
        return f"{out} = ln {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"1 / {names[0]}"


class Reciprocal(Op):
    name, symbol = "reciprocal", "1/x"
    explanation = 'The "/" node (y = 1/x) sends back the upstream signal times −y².'

    def forward(self, xs, params):
        return _div(1.0, xs[0])

    def local(self, xs, y, params):
        return [_mul(-1.0, _mul(y, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = 1 / {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"−{out}²"


class Sigmoid(Op):
    name, symbol = "sigmoid", "σ"
    explanation = (
        "The sigmoid's derivative needs only its output: it sends back the upstream signal times y (1 − y)."
    )

    def forward(self, xs, params):
        return _sigmoid(xs[0])

    def local(self, xs, y, params):
        return [_mul(y, _sub(1.0, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = 1 / (1 + exp(−{names[0]}))"

    def local_formula(self, i, names, params, out="y"):
        return f"{out} (1 − {out})"


class Tanh(Op):
    name, symbol = "tanh", "tanh"
    explanation = "The tanh node sends back the upstream signal times 1 − y²."

    def forward(self, xs, params):
        return _tanh(xs[0])

    def local(self, xs, y, params):
        if type(y) is float:
            return [1.0 - y * y]
        return [_sub(1.0, _mul(y, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = tanh {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"1 − {out}²"


class Relu(Op):
    name, symbol = "relu", "ReLU"
    explanation = (
        "ReLU lets the upstream signal through where its input was positive and "
        "stops it (sends 0) everywhere else, like a switch."
    )

    def forward(self, xs, params):
        x = xs[0]
        if type(x) is float:
            return x if x > 0 else 0.0
        return np.maximum(x, 0.0)

    def local(self, xs, y, params):
        x = xs[0]
        if type(x) is float:
            return [1.0 if x > 0 else 0.0]
        return [(x > 0).astype(np.float64)]

    def backward(self, xs, y, g, params, needs=None):
        x = xs[0]
        if type(x) is float or type(g) is float:
            return super().backward(xs, y, g, params, needs)
        with np.errstate(all="ignore"):  # inf × 0 is nan, flagged by the engine, not a warning
            return [g * (x > 0)]  # the same numbers as g × local, without making the local array

    def formula(self, names, params, out="y"):
        return f"{out} = max(0, {names[0]})"

    def local_formula(self, i, names, params, out="y"):
        return f"1 if {names[0]} > 0, else 0"

    def sent_formula(self, i, names, params, out="y"):
        return f"∂L/∂{out} where {names[0]} > 0, else 0"


def _need_array(shape: Shape, what: str, ndims: Sequence[int]) -> None:
    if len(shape) not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ShapeError(f"{what} must be {wanted}, got shape {_shape_str(shape)}")


class MatMul(Op):
    name, symbol = "matmul", "dot"
    min_inputs, max_inputs = 2, 2
    elementwise = False
    explanation = (
        "The dot node sends back the upstream signal multiplied by the other input, "
        "transposed so that each gradient has the shape of its input."
    )

    def infer_shape(self, shapes, params):
        a, b = shapes
        _need_array(a, "the first input", (1, 2))
        _need_array(b, "the second input", (1, 2))
        if a[-1] != b[0]:
            raise ShapeError(
                f"shapes {_shape_str(a)} and {_shape_str(b)} do not fit a matrix product: {a[-1]} ≠ {b[0]}"
            )
        return a[:-1] + b[1:]

    def forward(self, xs, params):
        return np.matmul(xs[0], xs[1])

    def backward(self, xs, y, g, params, needs=None):
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
    elementwise = False
    explanation = (
        "The Affine layer is a dot node followed by a bias add: X and W get the dot node's "
        "gradients, and b gets the upstream signal summed over the batch."
    )

    def infer_shape(self, shapes, params):
        x, w, b = shapes
        if len(x) < 2:
            raise ShapeError(f"X must have a batch axis (2 or more axes), got shape {_shape_str(x)}")
        _need_array(w, "W", (2,))
        _need_array(b, "b", (1,))
        features = math.prod(x[1:])
        if features != w[0]:
            raise ShapeError(
                f"X of shape {_shape_str(x)} has {features} features per sample but W has shape "
                f"{_shape_str(w)}"
            )
        if b[0] != w[1]:
            raise ShapeError(f"b of shape {_shape_str(b)} does not fit W of shape {_shape_str(w)}")
        return (x[0], w[1])

    def forward(self, xs, params):
        x, w, b = xs
        return (x if x.ndim == 2 else x.reshape(x.shape[0], -1)) @ w + b

    def backward(self, xs, y, g, params, needs=None):
        # each numpy call costs microseconds even on small arrays: reshape only images (4-D X)
        x, w, _ = xs
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
        return (
            f"∂L/∂{out} · {names[1]}ᵀ",
            f"{names[0]}ᵀ · ∂L/∂{out}",
            f"Σ over the batch of ∂L/∂{out}",
        )[i]


def _axes(params: Params, ndim: int) -> tuple[int, ...] | None:
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
    elementwise = False
    explanation = "A sum node copies the upstream signal back to every element it added up."

    def infer_shape(self, shapes, params):
        (shape,) = shapes
        axes = _axes(params, len(shape))
        if axes is None:
            axes = tuple(range(len(shape)))
        if params.get("keepdims"):
            return tuple(1 if i in axes else n for i, n in enumerate(shape))
        return tuple(n for i, n in enumerate(shape) if i not in axes)

    def _reduce(self, x, params, fn):
        if type(x) is float:
            return x
        result = fn(x, axis=_axes(params, x.ndim), keepdims=bool(params.get("keepdims")))
        return float(result) if np.ndim(result) == 0 else result

    def forward(self, xs, params):
        return self._reduce(xs[0], params, np.sum)

    def _spread(self, x, g, params):
        if type(x) is float:
            return g
        axes = _axes(params, x.ndim)
        if axes is None:
            axes = tuple(range(x.ndim))
        if not params.get("keepdims"):
            g = np.expand_dims(g, axes)
        return np.broadcast_to(g, x.shape).copy()

    def backward(self, xs, y, g, params, needs=None):
        return [self._spread(xs[0], g, params)]

    def formula(self, names, params, out="y"):
        return f"{out} = Σ {names[0]}" + _axis_text(params)

    def sent_formula(self, i, names, params, out="y"):
        return f"∂L/∂{out} copied to every element"


def _axis_text(params: Params) -> str:
    axis = params.get("axis")
    return "" if axis is None else f"  (over axis {axis})"


class Mean(Sum):
    name, symbol = "mean", "mean"
    explanation = "A mean node sends back the upstream signal divided by n to each of the n elements."

    def forward(self, xs, params):
        return self._reduce(xs[0], params, np.mean)

    def backward(self, xs, y, g, params, needs=None):
        x = xs[0]
        if type(x) is float:
            return [g]
        n = x.size / (y.size if type(y) is not float else 1)
        return [self._spread(x, g, params) / n]

    def formula(self, names, params, out="y"):
        return f"{out} = mean {names[0]}" + _axis_text(params)

    def sent_formula(self, i, names, params, out="y"):
        return f"∂L/∂{out} / n to every element"


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class SoftmaxWithLoss(Op):
    name, symbol = "softmax_with_loss", "softmax+loss"
    min_inputs, max_inputs = 2, 2
    elementwise = False
    no_grad_positions = frozenset({1})
    explanation = (
        "Softmax-with-Loss sends back the neat difference (y − t) / batch: the softmax "
        "output minus the label, averaged over the batch. The labels t receive nothing."
    )

    def infer_shape(self, shapes, params):
        x, t = shapes
        _need_array(x, "the scores x", (1, 2))
        batch = x[:-1]
        if t != x and t != batch and not (len(x) == 1 and t in ((), (1,))):
            raise ShapeError(
                f"labels t of shape {_shape_str(t)} fit neither one-hot {_shape_str(x)} "
                f"nor class indices {_shape_str(batch or (1,))}"
            )
        return ()

    @staticmethod
    def _labels(x: np.ndarray, t: Value) -> np.ndarray | None:
        """Class indices as integers, one per row; None when t is one-hot (x's shape)."""
        if shape_of(t) == x.shape:
            return None
        index = np.asarray(t, dtype=np.float64).reshape(-1)
        classes = x.shape[-1]
        whole = index.astype(np.intp)
        if not np.array_equal(whole, index) or whole.min() < 0 or whole.max() >= classes:
            from bpdebug.support.errors import GraphError

            raise GraphError(f"labels t must be whole numbers from 0 to {classes - 1}")
        return whole

    _last: tuple = ()  # (x, t, rows, labels, log softmax) of the last call
    _last_labels: tuple = ()  # (t, x's shape, labels) of the last read-only t checked

    def _checked_labels(self, x: np.ndarray, t: Value) -> tuple[np.ndarray, np.ndarray] | None:
        """The labels as (row numbers, class indices), checked once per label array: a
        graph's t is a read-only leaf, and --check and the benchmarks run the graph again and
        again."""
        last = self._last_labels
        if last and last[0] is t and last[1] == x.shape:
            return last[2]
        labels = self._labels(x, t)
        picked = None if labels is None else (np.arange(len(labels)), labels)
        if isinstance(t, np.ndarray) and not t.flags.writeable:
            self._last_labels = (t, x.shape, picked)
        return picked

    def _parts(self, x: np.ndarray, t: Value) -> tuple[np.ndarray, tuple | None, np.ndarray]:
        """x's rows, the labels' (row, class) indices and the log softmax. The backward pass
        asks for the same arrays (read-only, held here) the forward pass did: it gets them
        without the work. Called under np.errstate."""
        last = self._last
        if last and last[0] is x and last[1] is t:
            return last[2], last[3], last[4]
        rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
        picked = self._checked_labels(x, t)
        log_p = _log_softmax(rows)
        if not x.flags.writeable and not getattr(t, "flags", x.flags).writeable:
            self._last = (x, t, rows, picked, log_p)
        return rows, picked, log_p

    def forward(self, xs, params):
        x, t = xs
        with np.errstate(all="ignore"):
            rows, picked, log_p = self._parts(x, t)
            if picked is None:
                return float(-(np.reshape(t, rows.shape) * log_p).sum() / len(rows))
            return float(-log_p[picked].sum() / len(rows))

    def backward(self, xs, y, g, params, needs=None):
        x, t = xs
        with np.errstate(all="ignore"):
            rows, picked, log_p = self._parts(x, t)
            grad = np.exp(log_p)  # the softmax output y
            if picked is None:
                grad -= np.reshape(t, rows.shape)
            else:
                grad[picked] -= 1.0
            grad *= g / len(rows)
        return [grad if x.ndim == 2 else grad.reshape(x.shape), None]

    def formula(self, names, params, out="y"):
        return f"{out} = cross_entropy(softmax({_bare(names[0])}), {_bare(names[1])})"

    def sent_formula(self, i, names, params, out="y"):
        return f"∂L/∂{out} × (softmax({names[0]}) − {names[1]}) / batch" if i == 0 else "nothing"


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Add(),
        Sub(),
        Mul(),
        Div(),
        Neg(),
        Pow(),
        Exp(),
        Log(),
        Reciprocal(),
        Sigmoid(),
        Tanh(),
        Relu(),
        MatMul(),
        Affine(),
        Sum(),
        Mean(),
        SoftmaxWithLoss(),
    )
}
