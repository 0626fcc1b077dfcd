"""Add, subtract, multiply, divide, negate and power: the nodes of the book's shopping problems.

Each keeps its inputs for the backward pass, as the book's ``MulLayer`` keeps ``self.x`` and
``self.y``: their shapes also say where a broadcast gradient is summed back.
"""

from __future__ import annotations

from functools import reduce
from typing import ClassVar

import numpy as np

from bpdebug.core.ops.base import Elementwise, Param, num
from bpdebug.core.values import add, div, mul, ones_like, power, shape_of, sub, unbroadcast


def _ones_of_output(xs) -> object:
    """Ones in the shape of the inputs broadcast together: an add node's local derivative."""
    if all(type(x) is float for x in xs):
        return 1.0
    return np.ones(np.broadcast_shapes(*(shape_of(x) for x in xs)))


def _to_output(d, xs):
    """*d* broadcast to the output's shape, where it is smaller."""
    shape = np.broadcast_shapes(*(shape_of(x) for x in xs))
    return d if shape_of(d) == shape else mul(d, np.ones(shape))


class Add(Elementwise):
    name, symbol = "add", "+"
    min_inputs, max_inputs = 2, None

    def forward(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return xs[0] + xs[1], xs  # the scalar fast path: float + float never raises
        return reduce(add, xs), xs

    def local(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return [1.0, 1.0]  # the scalar fast path
        return [_ones_of_output(xs)] * len(xs)

    def backward(self, xs, g, params, needs=None):
        return [unbroadcast(g, shape_of(x)) for x in xs]  # g × 1, without making the ones

    def formula(self, names, params, out="y"):
        return f"{out} = " + " + ".join(names)

    def local_formula(self, i, names, params, out="y"):
        return "1"


class Sub(Elementwise):
    name, symbol = "sub", "−"
    min_inputs, max_inputs = 2, 2

    def forward(self, xs, params):
        return sub(xs[0], xs[1]), xs

    def local(self, xs, params):
        one = _ones_of_output(xs)
        return [one, mul(-1.0, one)]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} − {names[1]}"

    def local_formula(self, i, names, params, out="y"):
        return "1" if i == 0 else "−1"


class Mul(Elementwise):
    name, symbol = "mul", "×"
    min_inputs, max_inputs = 2, None

    def forward(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return xs[0] * xs[1], xs  # the scalar fast path: float × float never raises
        return reduce(mul, xs), xs

    def local(self, xs, params):
        if len(xs) == 2 and type(xs[0]) is float and type(xs[1]) is float:
            return [xs[1], xs[0]]  # "mul swaps"
        return [_to_output(reduce(mul, [x for j, x in enumerate(xs) if j != i]), xs) for i in range(len(xs))]

    def formula(self, names, params, out="y"):
        return f"{out} = " + " × ".join(names)

    def local_formula(self, i, names, params, out="y"):
        return " × ".join(n for j, n in enumerate(names) if j != i)


class Div(Elementwise):
    name, symbol = "div", "÷"
    min_inputs, max_inputs = 2, 2

    def forward(self, xs, params):
        return div(xs[0], xs[1]), xs

    def local(self, xs, params):
        a, b = xs
        da = div(1.0, b)
        db = mul(-1.0, div(a, mul(b, b)))
        return [_to_output(da, xs), _to_output(db, xs)]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]} / {names[1]}"

    def local_formula(self, i, names, params, out="y"):
        a, b = names
        return f"1 / {b}" if i == 0 else f"−{a} / {b}²"


class Neg(Elementwise):
    name, symbol = "neg", "−x"

    def forward(self, xs, params):
        return mul(-1.0, xs[0]), xs[0]  # keeps x for its shape

    def local(self, x, params):
        return [mul(-1.0, ones_like(x))]

    def formula(self, names, params, out="y"):
        return f"{out} = −{names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return "−1"


class Pow(Elementwise):
    name, symbol = "pow", "xᵖ"
    params: ClassVar[dict[str, Param]] = {"exponent": Param("number", required=True)}

    def forward(self, xs, params):
        return power(xs[0], float(params["exponent"])), xs[0]

    def local(self, x, params):
        p = float(params["exponent"])
        return [mul(p, power(x, p - 1.0))]

    def formula(self, names, params, out="y"):
        return f"{out} = {names[0]}^{num(params['exponent'])}"

    def local_formula(self, i, names, params, out="y"):
        p = float(params["exponent"])
        if p == 2:
            return f"2 × {names[0]}"
        if p == 1:
            return "1"
        return f"{num(p)} × {names[0]}^{num(p - 1)}"
