"""A formula's text → a small tree of numbers, names and op applications; nothing is evaluated.

Python's ``ast`` reads the text (it knows precedence and brackets as the learner does), and
only a whitelist of its node types is accepted: numbers, names, ``+ - * / ** @``, unary ``-``
and calls of the ops by name. Anything else is refused with the column it starts at. The text
is measured before ``ast`` sees it, so that no formula can make the parser recurse too deep.
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_CHARS = 1000  # ast.parse of any 1,000 characters stays far below the recursion limit
MAX_BRACKETS = 40  # brackets inside brackets
MAX_DEPTH = 100  # operations inside operations (x + x + … counts one per +)

BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.MatMult: "matmul"}
SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/", "matmul": "@"}
# what a refused piece of Python is called, by ast class (the message ids of the catalogs)
REFUSED = {
    ast.Attribute: "attribute",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Compare: "compare",
    ast.BoolOp: "logic",
    ast.IfExp: "conditional",
    ast.List: "container",
    ast.Tuple: "container",
    ast.Dict: "container",
    ast.Set: "container",
    ast.Starred: "star",
    ast.NamedExpr: "walrus",
    ast.JoinedStr: "string",
    ast.Await: "keyword",
    ast.Yield: "keyword",
    ast.YieldFrom: "keyword",
}


class FormulaError(ValueError):
    """A formula that cannot be read: *message_id* and *args* say why (the catalogs' formula.*),
    at *line* and *column* (both counted from 1) of the text."""

    def __init__(self, message_id: str, line: int = 1, column: int = 1, **args: Any) -> None:
        super().__init__(message_id)
        self.message_id, self.line, self.column, self.args_ = message_id, line, column, args

    def said(self) -> str:
        """The reason, in the language being spoken."""
        from bpdebug.support.catalogs import say

        args = dict(self.args_)
        if "what" in args:
            args["what"] = say(f"formula.what.{args['what']}")
        if "guess" in args:
            args["guess"] = say("formula.guess", name=args["guess"]) if args["guess"] else ""
        return say(self.message_id, args)


def close_name(name: str, names: Iterable[str]) -> str:
    """The name most like *name* (a typo's likely intent), or ""."""
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return close[0] if close else ""


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Name:
    id: str
    line: int
    column: int


@dataclass(frozen=True)
class Apply:
    """An op applied to its inputs, with the op's parameters (``axis=0``, ``exponent=2``)."""

    op: str
    inputs: tuple[Number | Name | Apply, ...]
    params: dict[str, Any] = field(default_factory=dict)
    line: int = 1
    column: int = 1


Term = Number | Name | Apply


@dataclass(frozen=True)
class Assignment:
    target: str
    value: Term
    line: int
    column: int  # of the value, for "computes nothing"
    target_column: int = 1


def parse_formula(text: str) -> Term:
    """One formula without a name, as a graph file's ``expr = "..."`` holds it."""
    module = _parse(text, "eval")
    return _Reader(text).term(module.body)


def parse_assignments(text: str) -> list[Assignment]:
    """``NAME = formula`` statements, one per line or separated by ``;``."""
    module = _parse(text, "exec")
    reader = _Reader(text)
    return [reader.assignment(statement) for statement in module.body]


def _parse(text: str, mode: str) -> ast.AST:
    if len(text) > MAX_CHARS:
        raise FormulaError("formula.too_long", 1, MAX_CHARS + 1, chars=len(text), limit=MAX_CHARS)
    _check_brackets(text)
    try:
        return _quiet_parse(text, mode)
    except SyntaxError as error:
        if mode == "eval" and _is_assignment(text):
            raise FormulaError("formula.expr_assigns") from None
        line = error.lineno or 1
        lines = text.split("\n")
        column = error.offset or len(lines[min(line, len(lines)) - 1]) + 1  # 0: the text ended too soon
        raise FormulaError("formula.syntax", line, column) from None
    except (RecursionError, MemoryError):  # within the limits above this does not happen
        raise FormulaError("formula.too_deep", depth="?", limit=MAX_DEPTH) from None


def _check_brackets(text: str) -> None:
    depth, line, column = 0, 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif char in "([{":
            depth += 1
            if depth > MAX_BRACKETS:
                raise FormulaError("formula.too_deep", line, column, depth=depth, limit=MAX_BRACKETS)
        elif char in ")]}":
            depth -= 1


def _is_assignment(text: str) -> bool:
    try:
        _quiet_parse(text, "exec")
    except SyntaxError:
        return False
    return True


def _quiet_parse(text: str, mode: str) -> ast.AST:
    """ast.parse without its warnings: they would print the user's text raw (``invalid escape
    sequence '\\]'``), and a string in a formula is refused anyway."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, mode=mode)


class _Reader:
    """Turns the accepted ast nodes into terms; refuses the rest where it stands."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def where(self, node: ast.AST) -> tuple[int, int]:
        """Line and column (of characters, where ast counts bytes), both from 1."""
        line = getattr(node, "lineno", 1)
        start = self.lines[line - 1].encode("utf-8")[: getattr(node, "col_offset", 0)]
        return line, len(start.decode("utf-8", errors="replace")) + 1

    def fail(self, node: ast.AST, message_id: str, **args: Any) -> FormulaError:
        return FormulaError(message_id, *self.where(node), **args)

    def assignment(self, statement: ast.stmt) -> Assignment:
        if isinstance(statement, ast.Expr):
            raise self.fail(statement, "formula.not_assignment")
        if not isinstance(statement, ast.Assign):
            raise self.fail(statement, "formula.statement")
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            raise self.fail(statement, "formula.target")
        target = statement.targets[0]
        _check_depth(statement.value, self)
        line, column = self.where(statement.value)
        return Assignment(target.id, self.term(statement.value), line, column, self.where(target)[1])

    def term(self, node: ast.expr) -> Term:
        _check_depth(node, self)
        return self._term(node)

    def _term(self, node: ast.expr) -> Term:
        if isinstance(node, ast.Constant):
            return Number(self.number(node))
        if isinstance(node, ast.Name):
            return Name(node.id, *self.where(node))
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(node, "formula.refused", what=REFUSED.get(type(node), "other"))

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if isinstance(value, str | bytes):
            raise self.fail(node, "formula.refused", what="string")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, "formula.refused", what="other")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(node, "formula.number", text=ast.get_source_segment("\n".join(self.lines), node))
        return number

    def unary(self, node: ast.UnaryOp) -> Term:
        if isinstance(node.op, ast.UAdd):
            return self._term(node.operand)
        if not isinstance(node.op, ast.USub):
            raise self.fail(
                node, "formula.refused", what="logic" if isinstance(node.op, ast.Not) else "other"
            )
        inner = self._term(node.operand)
        if isinstance(inner, Number) and isinstance(node.operand, ast.Constant):
            return Number(-inner.value)  # -1 is a number, not neg(1)
        return Apply("neg", (inner,), {}, *self.where(node))

    def binary(self, node: ast.BinOp) -> Apply:
        if isinstance(node.op, ast.Pow):
            exponent = self.constant(node.right)
            if exponent is None:
                raise self.fail(node.right, "formula.exponent")
            return Apply("pow", (self._term(node.left),), {"exponent": exponent}, *self.where(node))
        op = BINARY.get(type(node.op))
        if op is None:
            raise self.fail(node, "formula.operator")
        return Apply(op, (self._term(node.left), self._term(node.right)), {}, *self.where(node))

    def constant(self, node: ast.expr) -> float | None:
        """A number written as one (``2``, ``-0.5``), else None."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.constant(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool | str | bytes):
            return self.number(node)
        return None

    def call(self, node: ast.Call) -> Apply:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node.func, "formula.refused", what=REFUSED.get(type(node.func), "call"))
        params = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.fail(keyword, "formula.refused", what="star")
            params[keyword.arg] = self.param(keyword.value)
        inputs = tuple(self._term(arg) for arg in node.args)
        return Apply(node.func.id, inputs, params, *self.where(node))

    def param(self, node: ast.expr) -> Any:
        """A parameter's value as a graph file writes it: a number, true/false, or a list of
        whole numbers (``axis=(0, 1)``); what the op accepts is checked where the node is made."""
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Tuple | ast.List):
            return [self.param(item) for item in node.elts]
        number = self.constant(node)
        if number is None:
            raise self.fail(node, "formula.param")
        return int(number) if number.is_integer() and _written_whole(node) else number


def _written_whole(node: ast.expr) -> bool:
    while isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int)


def _check_depth(root: ast.expr, reader: _Reader) -> None:
    """Refuse a formula nested deeper than MAX_DEPTH, without recursing to find out."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise reader.fail(node, "formula.too_deep", depth=f"> {MAX_DEPTH}", limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
