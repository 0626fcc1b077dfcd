"""The start screen's formula: the text typed → the trace of its graph, or what is wrong with
it, in the words of the command line's ``-e`` (one formula, assignments separated by ``;``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bpdebug.core.trace import Trace
from bpdebug.teach.messages import language, say

_WHERE = re.compile(r"-e(?::(?P<line>\d+):(?P<column>\d+))?: error: (?P<reason>.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class FormulaProblem:
    reason: str
    column: int | None  # in the text typed, from 1

    def said(self) -> str:
        if self.column is None:
            return self.reason
        return say("ui.start.formula.error", column=self.column, reason=self.reason)


def formula_trace(text: str) -> Trace | FormulaProblem:
    """The trace of the graph *text* writes, or the problem, pointed at where it is."""
    from bpdebug.core.engine import run
    from bpdebug.formats.formulas.command_line import formula_graph
    from bpdebug.support.errors import GraphError

    if not text.strip():
        return FormulaProblem(say("formula.no_node"), None)
    try:
        graph, _ = formula_graph([text], lang=language())
        return run(graph)
    except GraphError as error:
        said = str(error)
        match = _WHERE.match(said)
        if match is None:
            return FormulaProblem(said, None)
        column = int(match["column"]) if match["column"] else None
        return FormulaProblem(match["reason"], column)
