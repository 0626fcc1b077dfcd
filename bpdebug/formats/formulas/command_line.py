"""``bpdebug -e "z = (x + y) ** 2" --set x=1 --set y=2``: assignments typed on the command line
(or on the start screen) → the graph they describe.

Each ``-e`` is one line. A name used before it is assigned is an input (a leaf), in the order
the names are first used; ``x = 1`` gives an input its value, and so does ``--set x=1``. Every
other assignment is a node, written out as a graph file's ``[[nodes]]`` would be, and read by
the graph file's own rules. The last assignment is the output unless ``output`` names another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bpdebug.core.graph import Graph
from bpdebug.core.ops import Op, builtin_ops
from bpdebug.formats.formulas.expand import expand
from bpdebug.formats.formulas.parse import Apply, FormulaError, Name, Number, close_name, parse_assignments
from bpdebug.formats.toml.document import ID_PATTERN
from bpdebug.support.errors import GraphError

SOURCE = "-e"  # how errors name the command line, as a file's errors name the file


def formula_graph(
    texts: Sequence[str],
    settings: Sequence[str] = (),
    output: str | None = None,
    ops: Mapping[str, Op] | None = None,
    lang: str | None = None,
) -> tuple[Graph, list[str]]:
    """The graph of the assignments in *texts* (one line each), and the ``--set`` texts of
    *settings* that did not give an input its first value (what-if edits, for the caller)."""
    from bpdebug.formats.toml import graph_of
    from bpdebug.formats.toml.document import Document

    ops = builtin_ops() if ops is None else ops
    lines = [text.replace("\r", " ") for text in texts]
    builder = _Builder(ops)
    try:
        for assignment in parse_assignments("\n".join(lines)):
            builder.add(assignment)
        remaining = builder.settle(settings)
        if output is not None and output not in builder.nodes_written:
            guess = close_name(output, builder.nodes_written)
            raise FormulaError("formula.output", 0, 0, name=output, guess=guess)
    except FormulaError as error:
        where = f"{SOURCE}:{error.line}:{error.column}" if error.line else SOURCE
        raise GraphError(f"{where}: error: {error.said()}") from None
    table = {
        "title": "; ".join(line.strip() for line in lines),
        "inputs": {name: {"value": value} for name, value in builder.values.items()},
        "nodes": builder.tables,
        "output": output or builder.tables[-1]["id"],
    }
    return graph_of(Document(Path(SOURCE)), table, ops, lang), remaining


class _Builder:
    """The inputs and the node tables of the assignments read so far."""

    def __init__(self, ops: Mapping[str, Op]) -> None:
        self.ops = ops
        self.leaves: list[str] = []  # in the order they are first used
        self.values: dict[str, float | None] = {}
        self.tables: list[dict[str, Any]] = []
        self.nodes_written: list[str] = []
        self.taken: set[str] = set()
        self.writing = ""  # the target of the assignment being read

    def add(self, assignment) -> None:
        target = assignment.target
        if not ID_PATTERN.match(target):
            raise FormulaError("formula.bad_name", assignment.line, assignment.target_column, name=target)
        if target in self.nodes_written or self.values.get(target) is not None:
            raise FormulaError("formula.redefined", assignment.line, assignment.target_column, name=target)
        value = assignment.value
        if isinstance(value, Number):
            self._use(target)
            self.values[target] = value.value
            return
        if target in self.values:
            raise FormulaError("formula.used_before", assignment.line, assignment.target_column, name=target)
        if not isinstance(value, Apply):
            raise FormulaError("formula.nothing", assignment.line, assignment.column, name=target)
        self.taken.add(target)
        self.writing = target
        self.tables += expand(value, target, self.taken, self._resolve, self.ops)
        self.nodes_written.append(target)

    def _resolve(self, name: Name) -> str:
        if name.id == self.writing:
            raise FormulaError("formula.uses_itself", name.line, name.column, name=name.id)
        if name.id in self.nodes_written or (name.id in self.taken and name.id not in self.values):
            return name.id  # a node, written or generated (z_1 of z = (x + y) ** 2)
        if not ID_PATTERN.match(name.id):
            raise FormulaError("formula.bad_name", name.line, name.column, name=name.id)
        self._use(name.id)
        return name.id

    def _use(self, name: str) -> None:
        if name not in self.values:
            self.leaves.append(name)
            self.values[name] = None
            self.taken.add(name)

    def settle(self, settings: Sequence[str]) -> list[str]:
        """Give the inputs without a value theirs from *settings*; the rest are returned."""
        from bpdebug.core.edits import EditError, number_of, split_edit

        remaining = []
        for text in settings:
            parts = split_edit(text)
            if parts is not None and parts[1] is None and self.values.get(parts[0], 0) is None:
                try:
                    self.values[parts[0]] = number_of(parts[2])
                except EditError as error:
                    raise GraphError(f"error: --set: {_say(error)}") from None
            else:
                remaining.append(text)
        missing = [name for name in self.leaves if self.values[name] is None]
        if missing:
            first = missing[0]
            raise FormulaError("formula.no_value", 0, 0, names=", ".join(missing), name=first)
        if not self.tables:
            raise FormulaError("formula.no_node", 0, 0)
        return remaining


def _say(error) -> str:
    from bpdebug.support.catalogs import say

    return say(error.message_id, error.args_)
