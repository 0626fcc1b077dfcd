"""Functions of one input: exp, log, 1/x, sigmoid, tanh and ReLU.

Each keeps what the book's layer keeps: the output where the derivative is made of it
(``Sigmoid.out``: y (1 − y)), the input where it is made of that (log: 1 / x), the mask for ReLU.
"""

from __future__ import annotations

import numpy as np

from bpdebug.core.ops.base import Elementwise, bare
from bpdebug.core.values import div, exp, log, mul, sigmoid, sub, tanh


class Exp(Elementwise):
    name, symbol = "exp", "exp"

    def forward(self, xs, params):
        y = exp(xs[0])
        return y, y

    def local(self, y, params):
        return [y]

    def formula(self, names, params, out="y"):
        return f"{out} = exp({bare(names[0])})"

    def local_formula(self, i, names, params, out="y"):
        return out


class Log(Elementwise):
    name, symbol = "log", "log"

    def forward(self, xs, params):
        return log(xs[0]), xs[0]

    def local(self, x, params):
        return [div(1.0, x)]

    def formula(self, names, params, out="y"):
        return f"{out} = ln {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"1 / {names[0]}"


class Reciprocal(Elementwise):
    name, symbol = "reciprocal", "1/x"

    def forward(self, xs, params):
        y = div(1.0, xs[0])
        return y, y

    def local(self, y, params):
        return [mul(-1.0, mul(y, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = 1 / {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"−{out}²"


class Sigmoid(Elementwise):
    name, symbol = "sigmoid", "σ"

    def forward(self, xs, params):
        y = sigmoid(xs[0])
        return y, y

    def local(self, y, params):
        return [mul(y, sub(1.0, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = 1 / (1 + exp(−{names[0]}))"

    def local_formula(self, i, names, params, out="y"):
        return f"{out} (1 − {out})"


class Tanh(Elementwise):
    name, symbol = "tanh", "tanh"

    def forward(self, xs, params):
        y = tanh(xs[0])
        return y, y

    def local(self, y, params):
        if type(y) is float:
            return [1.0 - y * y]
        return [sub(1.0, mul(y, y))]

    def formula(self, names, params, out="y"):
        return f"{out} = tanh {names[0]}"

    def local_formula(self, i, names, params, out="y"):
        return f"1 − {out}²"


class Relu(Elementwise):
    name, symbol = "relu", "ReLU"

    def forward(self, xs, params):
        x = xs[0]
        if type(x) is float:
            return (x if x > 0 else 0.0), x > 0
        mask = x > 0
        return np.maximum(x, 0.0), mask  # the book keeps the opposite mask, x <= 0

    def local(self, mask, params):
        if type(mask) is bool:
            return [1.0 if mask else 0.0]
        return [mask.astype(np.float64)]

    def backward(self, mask, g, params, needs=None):
        if type(mask) is bool or type(g) is float:
            return super().backward(mask, g, params, needs)
        with np.errstate(all="ignore"):  # inf × 0 is nan, flagged by the engine, not a warning
            return [g * mask]  # the same numbers as g × local, without making the local array

    def formula(self, names, params, out="y"):
        return f"{out} = max(0, {names[0]})"
