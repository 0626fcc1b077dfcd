"""``--export markdown``: a handout of the whole trace that reads like the book's chapter.

The graph drawn as text (the app's own layout) at the end of the forward pass and at the end,
then one section per step with the sentences the inspector says, then the gradients. Arrays
are summarised as the inspector does (shape, first numbers, statistics), so the 784-50-10
handout stays small.
"""

from __future__ import annotations

from bpdebug.core.trace import BackwardStep, ForwardStep, Trace
from bpdebug.export.graph_text import graph_rows
from bpdebug.support.formatting import paragraphs
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.explain import (
    gradient_table,
    in_place_warnings,
    step_lines,
    value_text,
)
from bpdebug.teach.messages import has, say
from bpdebug.teach.session import Session


def handout(trace: Trace) -> str:
    """The Markdown text of the handout."""
    graph = trace.graph
    parts = [f"# {_md(graph.title)}", ""]
    if graph.description:
        parts += [_md(line) for line in paragraphs(graph.description).splitlines()] + [""]
    output = graph.display(graph.output)
    parts += [say("trace.output", name=_md(output), value=_md(value_text(trace.values[graph.output]))), ""]
    parts += _graphs(trace)
    parts += [f"## {say('handout.steps')}", ""]
    for step in trace.steps:
        parts += _step(trace, step)
    parts += _gradients(trace)
    warnings = in_place_warnings(trace)
    if warnings:
        parts += [f"## {say('handout.warnings')}", "", *(f"- {_md(w)}" for w in warnings), ""]
    return "\n".join(parts).rstrip() + "\n"


def _graphs(trace: Trace) -> list[str]:
    """The graph as text at the end of the forward pass, and at the end."""
    session = Session(trace)
    parts = []
    for heading, cursor in (
        ("handout.graph.forward", trace.forward_count),
        ("handout.graph.done", session.total),
    ):
        session.go(cursor)
        rows = [escape_text(row) for row in graph_rows(session)]
        while rows and not rows[0]:
            rows.pop(0)
        while rows and not rows[-1]:
            rows.pop()
        parts += [f"## {say(heading)}", "", "```text", *rows, "```", ""]
    return parts


def _step(trace: Trace, step: ForwardStep | BackwardStep) -> list[str]:
    graph = trace.graph
    name = graph.display(step.node)
    phase = say(f"quiz.phase.{step.phase}")
    lines = [f"### {say('handout.step', index=step.index, phase=phase, name=_md(name))}", ""]
    for line in step_lines(graph, step):
        text = _code(line.text) if line.formula else _md(line.text)
        lines.append(f"{'  ' * line.depth}- {text}")
    if isinstance(step, ForwardStep):
        return [*lines, ""]
    op = graph.node(step.node).op.name
    if has(f"op.{op}"):
        lines += ["", f"> {_md(say(f'op.{op}'))}"]
    return [*lines, ""]


def _gradients(trace: Trace) -> list[str]:
    rows = gradient_table(trace)
    if not rows:
        return []
    output = trace.graph.display(trace.graph.output)
    lines = [f"## {say('handout.gradients', name=_md(output))}", ""]
    lines += [f"| {say('ui.gradients.input')} | {say('ui.gradients.gradient')} |", "|---|---|"]
    lines += [f"| {_md(name)} | {_code(f'∂L/∂{name} = {grad}', in_table=True)} |" for name, grad in rows]
    return [*lines, ""]


def _md(text: str) -> str:
    """Text from a file, safe as Markdown prose: no control characters, no markup."""
    text = escape_text(text)
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str, in_table: bool = False) -> str:
    """A formula as an inline code span (a backtick inside it lengthens the fence; in a table
    a pipe is escaped, which GitHub's tables read even inside code)."""
    text = escape_text(text)
    if in_table:
        text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"
