"""What every op is: its arity, parameters and shape rule, a forward that returns the value and
what the backward pass will need, and that backward.

An op object holds no state of its own. What a book-style layer keeps between its forward and
its backward call (``self.x``, ``self.mask``, ``self.out``) is the second thing ``forward``
returns; the engine keeps it per node and hands it to ``backward``. One op object can therefore
serve every node of its kind.

The learner's sentences about an op are not here: they live in ``bpdebug.teach.messages``.
An op gives only the formulas' notation (``y = a × b``, ``∂y/∂a = b``), and ``None`` where the
formula needs words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from bpdebug.core.values import Shape, Value, mul, shape_of, shape_str, unbroadcast

Params = dict[str, Any]
Saved = Any  # what forward keeps for backward; its form is the op's own business


class ShapeError(ValueError):
    """The inputs' shapes do not fit the op; the message names the shapes."""


class InputError(ValueError):
    """Given inputs the op cannot take (class labels out of range); found at load time."""


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
    elementwise: ClassVar[bool] = False
    # input positions that receive no gradient (the labels t of softmax_with_loss)
    no_grad_positions: ClassVar[frozenset[int]] = frozenset()

    def infer_shape(self, shapes: Sequence[Shape], params: Params) -> Shape:
        try:
            return tuple(np.broadcast_shapes(*shapes))
        except ValueError:
            raise ShapeError(
                "shapes " + " and ".join(shape_str(s) for s in shapes) + " cannot be broadcast together"
            ) from None

    def check_inputs(self, known: Sequence[Value | None], shapes: Sequence[Shape], params: Params) -> None:
        """Refuse inputs the op cannot take, with ``InputError``. The loader calls it for every
        node, with the values of its inputs that are given in the file (None for the others)."""

    def intermediates(self, xs: Sequence[Value], params: Params) -> dict[str, Value]:
        """Values the forward pass makes on the way that a learner should see, by name
        (Softmax-with-Loss: y = softmax(x), the y of its backward y − t; N, the batch)."""
        return {}

    def forward(self, xs: Sequence[Value], params: Params) -> tuple[Value, Saved]:
        """The value, and what ``backward`` will need (the book's ``self.x``)."""
        raise NotImplementedError

    def backward(
        self, saved: Saved, g: Value, params: Params, needs: Sequence[bool] | None = None
    ) -> list[Value | None]:
        """The gradient each input receives, in the input's own shape (None for none).

        *needs* says which inputs want one (default: all); ops whose gradients cost real work
        (dot, affine) skip the others, as the gradient of a data batch is never shown.
        """
        raise NotImplementedError

    # --- notation: the formulas a learner reads -------------------------------------------------
    def formula(self, names: Sequence[str], params: Params, out: str = "y") -> str | None:
        raise NotImplementedError

    def local_formula(self, i: int, names: Sequence[str], params: Params, out: str = "y") -> str | None:
        """Right-hand side of ∂y/∂x_i, e.g. ``"b"`` for the first input of ``a × b``."""
        return None

    def sent_formula(self, i: int, names: Sequence[str], params: Params, out: str = "y") -> str | None:
        """Right-hand side of ∂L/∂x_i in terms of ∂L/∂out."""
        rhs = self.local_formula(i, names, params, out)
        if rhs is None:
            return None
        if rhs == "1":
            return f"∂L/∂{out}"
        if rhs == "−1":
            return f"−∂L/∂{out}"
        return f"∂L/∂{out} × {paren(rhs)}"


class Elementwise(Op):
    """An op whose every output element depends on the same element of each input, so that it
    has a local derivative ∂y/∂x_i of the output's shape, and what it sends back is exactly
    upstream × local (summed back to the input's shape where numpy broadcast it).

    Ops with one input keep what their local derivative needs; ops with several keep their
    inputs, whose shapes say where a gradient must be summed back.
    """

    elementwise = True

    def local(self, saved: Saved, params: Params) -> list[Value]:
        """∂y/∂x_i element-wise, broadcast to the output's shape."""
        raise NotImplementedError

    def backward(self, saved, g, params, needs=None):
        locals_ = self.local(saved, params)
        if self.max_inputs == 1:
            return [mul(g, locals_[0])]
        return [unbroadcast(mul(g, d), shape_of(x)) for x, d in zip(saved, locals_, strict=True)]


def paren(text: str | None) -> str:
    from bpdebug.support.formatting import group

    return group(text or "?")


def bare(name: str) -> str:
    """A name inside a function's own parentheses needs none of its own: exp(−x), not exp((−x))."""
    if name.startswith("(") and name.endswith(")"):
        depth = 0
        for i, char in enumerate(name):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and i < len(name) - 1:
                return name  # "(a) + (b)": the outer parentheses are not a pair
        return name[1:-1]
    return name


def num(x: float) -> str:
    from bpdebug.support.formatting import fmt_num

    return fmt_num(x)


def need_array(shape: Shape, what: str, ndims: Sequence[int]) -> None:
    if len(shape) not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ShapeError(f"{what} must be {wanted}, got shape {shape_str(shape)}")
