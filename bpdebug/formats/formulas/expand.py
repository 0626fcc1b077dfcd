"""A formula's tree → one ``[[nodes]]`` table per operation, as a graph file would list them.

The tables come in the order the book draws the nodes (each operation after its inputs, left
to right); the last is the formula itself, under the name it was given, and the others are
named after it, ``price_1``, ``price_2`` …, skipping any name already taken. A generated
node that works on the formula's names and numbers alone is labelled with its part of it when
that is short (``x * w``, ``-x``); one built on other parts keeps its name, as the book names
``t = x + y`` in ``z = t²``: its part written out would fill the inspector with repeated text
(``∂(a * b + c * d)/∂(a * b)``, ``x * w + b = (x * w) + b``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bpdebug.core.ops import Op
from bpdebug.formats.formulas.parse import SYMBOL, Apply, FormulaError, Name, Number, Term, close_name

# how tightly each kind of term binds, as Python's grammar says: brackets go where it needs them
_BINDING = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "neg": 3, "pow": 4}
SHORT_LABEL = 12  # characters: `x * w`, `exp(x)`, `apple * 2`, `x @ W1`


def expand(
    term: Term,
    root_id: str,
    taken: set[str],
    resolve: Callable[[Name], str],
    ops: Mapping[str, Op],
) -> list[dict[str, Any]]:
    """The node tables of *term*, the last one named *root_id*; *resolve* gives the id a name
    refers to (or raises FormulaError); *taken* holds every id in use and gains the new ones."""
    if not isinstance(term, Apply):
        raise FormulaError("formula.nothing", name=root_id)
    tables: list[dict[str, Any]] = []
    counter = iter(range(1, 1_000_000))

    def fresh() -> str:
        while True:
            candidate = f"{root_id}_{next(counter)}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    def node_of(apply: Apply, node_id: str | None) -> str:
        op = _op(apply, ops)
        inputs: list[Any] = []
        for item in apply.inputs:
            if isinstance(item, Number):
                inputs.append(item.value)
            elif isinstance(item, Name):
                inputs.append(resolve(item))
            else:
                inputs.append(node_of(item, None))
        table: dict[str, Any] = {"id": node_id or fresh(), "op": op.name, "inputs": inputs, **apply.params}
        on_names = not any(isinstance(item, Apply) for item in apply.inputs)
        if node_id is None and on_names and len(text := show(apply)) <= SHORT_LABEL:
            table["label"] = text
        tables.append(table)
        return table["id"]

    taken.add(root_id)
    node_of(term, root_id)
    return tables


def _op(apply: Apply, ops: Mapping[str, Op]) -> Op:
    """The op a term applies, with the inputs and parameters it takes."""
    op = ops.get(apply.op)
    if op is None:
        raise FormulaError(
            "formula.unknown_function",
            apply.line,
            apply.column,
            name=apply.op,
            guess=close_name(apply.op, ops),
            names=", ".join(ops),
        )
    count = len(apply.inputs)
    if count < op.min_inputs or (op.max_inputs is not None and count > op.max_inputs):
        if op.max_inputs is None:
            raise FormulaError(
                "formula.arity.least", apply.line, apply.column, name=op.name, count=op.min_inputs
            )
        most = "" if op.max_inputs == op.min_inputs else f"–{op.max_inputs}"
        raise FormulaError(
            "formula.arity", apply.line, apply.column, name=op.name, count=f"{op.min_inputs}{most}", got=count
        )
    for key in apply.params:
        if key not in op.params:
            known = ", ".join(f"{p}=" for p in op.params) or "-"
            raise FormulaError(
                "formula.unknown_param", apply.line, apply.column, name=op.name, key=key, known=known
            )
    return op


def show(term: Term) -> str:
    """The term written as Python would read it back, with no more brackets than it needs."""
    if isinstance(term, Number):
        return _number(term.value)
    if isinstance(term, Name):
        return term.id
    if term.op in SYMBOL and len(term.inputs) == 2:
        left, right = term.inputs
        binding = _BINDING[term.op]
        return f"{_side(left, binding)} {SYMBOL[term.op]} {_side(right, binding + 1)}"
    if term.op == "neg":
        return "-" + _side(term.inputs[0], _BINDING["neg"])
    if term.op == "pow":
        return f"{_side(term.inputs[0], _BINDING['pow'] + 1)} ** {_number(term.params['exponent'])}"
    params = [f"{key}={_param(value)}" for key, value in term.params.items()]
    return f"{term.op}({', '.join([*map(show, term.inputs), *params])})"


def _side(term: Term, least: int) -> str:
    """An operand, in brackets if it binds less tightly than *least*."""
    if isinstance(term, Apply) and term.op in _BINDING and (term.op != "add" or len(term.inputs) == 2):
        binding = _BINDING[term.op]
    elif isinstance(term, Number) and term.value < 0:
        binding = _BINDING["neg"]
    else:
        binding = 5
    text = show(term)
    return f"({text})" if binding < least else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _param(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(map(_param, value)) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, bool):
        return str(value)
    return str(value) if isinstance(value, int) else _number(value)
