"""The built-in ops, split by family as DeZero splits its functions, and the registry a graph
is loaded with: a fresh one per graph, seeded with the built-ins, so that a user's layers can
join it without touching anyone else's."""

from __future__ import annotations

from bpdebug.core.ops.arithmetic import Add, Div, Mul, Neg, Pow, Sub
from bpdebug.core.ops.base import Elementwise, InputError, Op, Param, Params, ShapeError
from bpdebug.core.ops.functions import Exp, Log, Reciprocal, Relu, Sigmoid, Tanh
from bpdebug.core.ops.linalg import Affine, MatMul
from bpdebug.core.ops.losses import SoftmaxWithLoss
from bpdebug.core.ops.reductions import Mean, Sum

BUILTIN_OPS: tuple[type[Op], ...] = (
    Add, Sub, Mul, Div, Neg, Pow,
    Exp, Log, Reciprocal, Sigmoid, Tanh, Relu,
    MatMul, Affine,
    Sum, Mean,
    SoftmaxWithLoss,
)  # fmt: skip


def builtin_ops() -> dict[str, Op]:
    """A new registry holding one object of each built-in op, by name, in the order above."""
    return {op.name: op() for op in BUILTIN_OPS}


__all__ = ["BUILTIN_OPS", "Elementwise", "InputError", "Op", "Param", "Params", "ShapeError", "builtin_ops"]
