"""A book-style layer class (``forward(*inputs)``, ``backward(dout)``, ``self.dW``) as an op.

Each node gets its own instance, made in its forward with the node's ``args``; the instance is
what the forward keeps for the backward, as the book's layers keep ``self.x``. The trace never
changes under user code: its constructor and forward are handed the trace's arrays read-only,
and its backward a writable copy of ``dout`` (the book's ``Relu.backward`` writes into it).
A call that fails on read-only memory, or fails at all, is run once more from a fresh instance
on writable copies, which is what the book's code would be handed by hand; a copy that comes
back changed is reported (``in place``): harmless here, a real bug where another node shares
that value or gradient.
Values and gradients are exactly what the user's code computes, turned into float64.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bpdebug.core.ops.base import Op, Params
from bpdebug.core.values import Shape, shape_of
from bpdebug.support.allocator import keep_freed_memory
from bpdebug.support.catalogs import say
from bpdebug.support.formatting import shape_text

_OWN = str(Path(__file__).resolve().parents[1])  # bpdebug's own files: never the user's frames


class LayerCodeError(Exception):
    """The user's layer code failed, or returned what cannot be a value or a gradient."""


@dataclass
class LayerState:
    """What a layer node's forward keeps: its instance, what it was given, the writable copies
    it was made and run on (None while it runs on read-only views), and the arguments its code
    changed in place."""

    instance: Any
    given: list[Any]
    shapes: list[Shape]
    handed: list[Any] | None = None
    in_place: list[tuple[str, str]] = field(default_factory=list)  # ("backward", "dout")


def constructor_names(cls: type) -> list[str]:
    """The names of the constructor's parameters (``W``, ``b`` of the book's Affine)."""
    import inspect  # only for a graph with layers: not on every start-up's path

    try:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


class LayerOp(Op):
    """The op of every node made with one class. Per node, ``params`` says how many of its
    inputs are ``forward``'s (the rest are the constructor's ``args``), their names, and the
    constructor parameter each arg fills."""

    name = "layer"
    min_inputs = 0
    max_inputs = None

    def __init__(self, cls: type) -> None:
        keep_freed_memory()  # the copies below, made on every run, reuse memory
        self.cls = cls
        self.class_name = cls.__name__
        self.symbol = cls.__name__  # type: ignore[misc]

    # --- running the user's code ----------------------------------------------------------
    def forward(self, xs: Sequence[Any], params: Params) -> tuple[Any, LayerState]:
        given = list(xs)
        state = LayerState(None, given, [shape_of(x) for x in given])
        try:
            state.instance, value = self._made_and_run(given, params, _read_only)
        except LayerCodeError:  # perhaps it wrote into what it was handed: once more, on copies
            state.handed = [_copy(x) for x in given]
            state.instance, value = self._made_and_run(state.handed, params, _as_it_is)
            state.in_place += _changes("forward", params["keys"], given, state.handed)
        return self._value(value, "forward"), state

    def backward(
        self, saved: LayerState, g: Any, params: Params, needs: Sequence[bool] | None = None
    ) -> list:
        n, keys = params["forward_inputs"], params["keys"]
        dout = _copy(g)
        try:
            returned = self._call("backward", lambda: saved.instance.backward(dout))
        except LayerCodeError:
            if saved.handed is not None:
                raise
            # perhaps it wrote into what its forward kept (self.x): the node once more, on copies
            saved.handed = [_copy(x) for x in saved.given]
            saved.instance, _ = self._made_and_run(saved.handed, params, _as_it_is)
            dout = _copy(g)
            returned = self._call("backward", lambda: saved.instance.backward(dout))
        if saved.handed is not None:  # each argument is reported once, by the first call seen to change it
            seen = {key for _, key in saved.in_place}
            changed = _changes("backward", keys, saved.given, saved.handed)
            saved.in_place += [(method, key) for method, key in changed if key not in seen]
        if _changed(g, dout):
            saved.in_place.append(("backward", "dout"))
        if returned is None:
            raise LayerCodeError(say("layer.returned_none.backward", layer=self.class_name))
        grads = list(returned) if isinstance(returned, tuple | list) else [returned]
        if len(grads) > n:
            inputs = ", ".join(keys[:n])
            raise LayerCodeError(
                say("layer.too_many", layer=self.class_name, count=len(grads), n=n, inputs=inputs)
            )
        grads += [None] * (n - len(grads))
        for arg, key in zip(params["arg_names"], keys[n:], strict=True):
            grads.append(self._arg_grad(saved.instance, arg, key))
        wanted = needs if needs is not None else [True] * len(grads)
        return [
            self._grad(grad, key, shape) if want and grad is not None else None
            for grad, key, shape, want in zip(grads, keys, saved.shapes, wanted, strict=True)
        ]

    def _made_and_run(self, xs: list[Any], params: Params, hand: Callable[[Any], Any]) -> tuple[Any, Any]:
        """A fresh instance made with the node's args, and its forward's value."""
        n = params["forward_inputs"]
        inputs, args = [hand(x) for x in xs[:n]], [hand(a) for a in xs[n:]]
        instance = self._call("__init__", lambda: self.cls(*args))
        return instance, self._call("forward", lambda: instance.forward(*inputs))

    def _arg_grad(self, instance: Any, arg: str, key: str) -> Any:
        grad = getattr(instance, f"d{arg}", None)
        if grad is None:
            raise LayerCodeError(say("layer.no_grad_attr", layer=self.class_name, arg=arg, key=key))
        return grad

    def _call(self, method: str, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except Exception as error:  # the user's code: any exception at all is theirs to see
            raised = f"{type(error).__name__}: {error}"
            where = user_frames(error) or "—"
            said = say("layer.raised", layer=self.class_name, method=method, error=raised, where=where)
            raise LayerCodeError(said) from None

    def _value(self, value: Any, method: str) -> Any:
        if value is None:
            raise LayerCodeError(say("layer.returned_none.forward", layer=self.class_name))
        try:
            # forward's value is copied: the instance may keep it (self.out) and change it in
            # its backward; nothing runs on the instance after its backward, so what that
            # returns is taken as it is
            array = np.array(value, dtype=np.float64, copy=method == "forward" or None)
        except (TypeError, ValueError):
            raise LayerCodeError(
                say("layer.not_a_value", layer=self.class_name, method=method, type=type(value).__name__)
            ) from None
        return float(array) if array.ndim == 0 else array

    def _grad(self, grad: Any, key: str, shape: Shape) -> Any:
        value = self._value(grad, "backward")
        if shape_of(value) != shape:
            got, wanted = shape_text(shape_of(value)), shape_text(shape)
            raise LayerCodeError(say("layer.shape", layer=self.class_name, key=key, got=got, shape=wanted))
        return value

    # --- notation ---------------------------------------------------------------------------
    def formula(self, names: Sequence[str], params: Params, out: str = "y") -> str:
        n = params["forward_inputs"]
        return f"{out} = {self.class_name}({', '.join(names[n:])}).forward({', '.join(names[:n])})"

    def sent_formula(self, i: int, names: Sequence[str], params: Params, out: str = "y") -> str:
        n = params["forward_inputs"]
        if i >= n:
            return f"self.d{params['arg_names'][i - n]}"
        return f"{self.class_name}.backward(∂L/∂{out})" + (f"[{i}]" if n > 1 else "")


def user_frames(error: BaseException) -> str:
    """``layers.py:12 in forward ← functions.py:30 in softmax``: where in the user's files it
    failed, innermost last, without bpdebug's frames or the libraries'."""
    import traceback

    libraries = (str(Path(np.__file__).resolve().parents[1]), str(Path(traceback.__file__).resolve().parent))
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if not f.filename.startswith(_OWN) and not f.filename.startswith(libraries)
    ]
    return " ← ".join(f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in frames[-3:])


def _short(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _copy(value: Any) -> Any:
    return value if type(value) is float else np.array(value)  # a writable copy


def _read_only(value: Any) -> Any:
    if type(value) is float:
        return value
    view = value.view()  # a view, so that user code cannot make the trace's own array writable
    view.flags.writeable = False
    return view


def _as_it_is(value: Any) -> Any:
    return value


def _changes(method: str, keys: Sequence[str], given: Sequence[Any], handed: Sequence[Any]) -> list:
    return [(method, key) for key, x, copy in zip(keys, given, handed, strict=True) if _changed(x, copy)]


def _changed(given: Any, handed: Any) -> bool:
    if type(given) is float:
        return False  # a float cannot be changed in place
    # equal_nan costs 40 times more (docs/performance.md): only when the plain test says no
    return not np.array_equal(given, handed) and not np.array_equal(given, handed, equal_nan=True)
