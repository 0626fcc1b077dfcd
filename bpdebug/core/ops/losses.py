"""Softmax-with-Loss: the last layer of the book's networks, and its neat backward (y − t)."""

from __future__ import annotations

import numpy as np

from bpdebug.core.ops.base import InputError, Op, ShapeError, bare, need_array
from bpdebug.core.values import shape_of, shape_str


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _class_indices(x: np.ndarray, t) -> tuple[np.ndarray, np.ndarray] | None:
    """The labels as (row numbers, class indices); None when t is one-hot (x's shape)."""
    if shape_of(t) == x.shape:
        return None
    index = np.asarray(t, dtype=np.float64).reshape(-1)
    classes = x.shape[-1]
    whole = index.astype(np.intp)
    if not np.array_equal(whole, index) or whole.min() < 0 or whole.max() >= classes:
        raise ValueError(f"labels t must be whole numbers from 0 to {classes - 1}")
    return np.arange(len(whole)), whole


class SoftmaxWithLoss(Op):
    name, symbol = "softmax_with_loss", "softmax+loss"
    min_inputs, max_inputs = 2, 2
    no_grad_positions = frozenset({1})

    def infer_shape(self, shapes, params):
        x, t = shapes
        need_array(x, "the scores x", (1, 2))
        batch = x[:-1]
        if t != x and t != batch and not (len(x) == 1 and t in ((), (1,))):
            raise ShapeError(
                f"labels t of shape {shape_str(t)} fit neither one-hot {shape_str(x)} "
                f"nor class indices {shape_str(batch or (1,))}"
            )
        return ()

    def check_inputs(self, known, shapes, params):
        t = known[1]
        if t is None or np.shape(t) == shapes[0]:
            return
        t = np.asarray(t)
        classes = shapes[0][-1]
        if not np.all((t == np.round(t)) & (t >= 0) & (t < classes)):
            raise InputError(f"class labels t must be whole numbers from 0 to {classes - 1}")

    def intermediates(self, xs, params):
        x = xs[0]
        rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
        with np.errstate(all="ignore"):
            y = np.exp(_log_softmax(rows)).reshape(x.shape)
        y.setflags(write=False)
        return {"y": y, "N": float(len(rows))}

    def forward(self, xs, params):
        """The loss, keeping what the book's layer keeps: the softmax (as its log) and t."""
        x, t = xs
        with np.errstate(all="ignore"):
            rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            picked = _class_indices(x, t)
            log_p = _log_softmax(rows)
            if picked is None:
                one_hot = np.reshape(t, rows.shape)
                loss = float(-(one_hot * log_p).sum() / len(rows))
            else:
                one_hot = None
                loss = float(-log_p[picked].sum() / len(rows))
        return loss, (log_p, picked, one_hot, x.shape)

    def backward(self, saved, g, params, needs=None):
        log_p, picked, one_hot, shape = saved
        with np.errstate(all="ignore"):
            grad = np.exp(log_p)  # the softmax output y
            if picked is None:
                grad -= one_hot
            else:
                grad[picked] -= 1.0
            grad *= g / len(log_p)
        return [grad if len(shape) == 2 else grad.reshape(shape), None]

    def formula(self, names, params, out="y"):
        return f"{out} = cross_entropy(softmax({bare(names[0])}), {bare(names[1])})"

    def sent_formula(self, i, names, params, out="y"):
        return None  # words, in the catalog
