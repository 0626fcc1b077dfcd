"""The inspector: everything about the focused node that is known at the cursor, in words."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region, Size
from textual.markup import escape as escape_markup
from textual.strip import Strip
from textual.visual import Visual

from bpdebug.core.engine import BackwardStep, ForwardStep
from bpdebug.core.nonfinite import first_nonfinite, is_finite, step_is_finite
from bpdebug.support.formatting import fmt_num, paragraphs, shape_text
from bpdebug.teach.explain import formula, forward_numbers, sent_items, upstream_text
from bpdebug.teach.session import Session
from bpdebug.tui.widgets.panel import Panel, span_text
from bpdebug.tui.widgets.quiet_scroll import QuietScrollView

GRID_ROWS, GRID_COLS, GRID_DIGITS = 8, 6, 3
DIGITS = 6  # significant digits for numbers in the inspector
WRAP_CACHE = 64  # wrapped texts kept, oldest dropped first
WRAPPED_LINES = 4096  # wrapped lines kept, oldest dropped first


def esc(text: str) -> str:
    """*text* (a name, label or title from a file) as markup that shows it as it is written.

    Textual's own escape guards the square brackets. A trailing backslash is what it cannot
    guard in Textual's parser, where a backslash before any ``[`` escapes it (``[b]C:\\[/]``
    would lose its closing tag and show the tag): such a text is followed by a space.
    """
    if not text.endswith("\\"):
        return escape_markup(text)
    body = text.rstrip("\\")
    return escape_markup(body) + "\\" * (len(text) - len(body)) + " "


def value_markup(value: Any, role: str = "value", width: int = 38) -> str:
    """A scalar inline; an array as its shape and a clipped grid of numbers *width* cells wide."""
    colour = "$text-success" if role == "value" else "$text-warning"
    if type(value) is float:
        return f"[b {colour}]{fmt_num(value, DIGITS)}[/]"
    # every line its own markup: the inspector parses and wraps its text line by line
    return "\n".join(f"[{colour}]{esc(line)}[/]" for line in grid(value, width).split("\n"))


def grid(value: np.ndarray, width: int = 38) -> str:
    """An array as its shape and a grid of at most GRID_ROWS rows, as many columns as fit."""
    matrix = value.reshape(1, -1) if value.ndim == 1 else value.reshape(value.shape[0], -1)
    rows, cols = matrix.shape
    sample = matrix[:GRID_ROWS, :GRID_COLS]
    cell = max(len(fmt_num(v, GRID_DIGITS)) for v in sample.reshape(-1).tolist())
    fit = max(1, min(GRID_COLS, (width - 4) // (cell + 1)))
    if fit < cols and (width - 2) // (cell + 1) >= cols:  # the " …" is not needed after all
        fit = cols
    cells = [[fmt_num(v, GRID_DIGITS).rjust(cell) for v in row] for row in matrix[:GRID_ROWS, :fit].tolist()]
    lines = ["  " + " ".join(row) + (" …" if cols > fit else "") for row in cells]
    if rows > GRID_ROWS:
        lines.append("  ⋮")
    note = f"[{shape_text(value.shape)}]"
    if value.ndim > 2:
        note += f" as {rows}×{cols}"
    if rows > GRID_ROWS or cols > fit:
        note += f"  (first {min(rows, GRID_ROWS)}×{min(cols, fit)})"
    return note + "\n" + "\n".join(lines)


class Inspector(QuietScrollView, can_focus=True):
    """The focused node: formula, inputs and value; upstream, local derivatives, what is sent.

    A line-API view: the text is wrapped to the panel's width once per step and its lines are
    painted as they scroll into view, so a step does not make Textual lay out the screen again.
    """

    def __init__(self, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Inspector.auto_links, False)  # no links; looking costs ~10% of a wrap
        self.session = session
        self._plain = ""
        self._grids: dict[tuple[int, str, int], tuple[Any, str]] = {}
        self._strips: list[Strip] = []
        self._base = None
        self._wrapped: dict[tuple[str, int], tuple[str, list[Strip]]] = {}  # (markup, width) -> text
        self._wrapped_lines: dict[tuple[str, int], tuple[str, list[Strip]]] = {}  # the same, a line

    def markup(self, value: Any, role: str = "value") -> str:
        width = self.scrollable_content_region.width - 1 if self.size.width > 10 else 38
        if type(value) is float:
            return value_markup(value, role, width)
        # An array is shown again and again (a node's value is the next one's input): its grid
        # is kept, by identity (the trace's arrays are read-only, and kept alive here).
        key = (id(value), role, width)
        kept = self._grids.get(key)
        if kept is None or kept[0] is not value:
            kept = value, value_markup(value, role, width)
            _remember(self._grids, key, kept, WRAP_CACHE)
        return kept[1]

    def show(self) -> None:
        """Show the focused node at the cursor, repainting only the lines that changed: a whole
        repaint of the panel costs Textual ~6 ms, most of a key press's budget."""
        if not self.is_attached or not self.size.width:
            return  # not laid out yet (wrapping to no width cost ~50 ms): on_resize shows it
        markup = self.text()
        before = self._strips
        scrolled = bool(self.scroll_y)
        self._wrap(markup)
        if scrolled:
            self.scroll_to(0, 0, animate=False, immediate=True)
            self.refresh()
            return
        changed = [
            row
            for row in range(max(len(before), len(self._strips)))
            if row >= len(before) or row >= len(self._strips) or before[row] != self._strips[row]
        ]
        if changed:  # one call: each refresh costs Textual some bookkeeping
            width = self.size.width
            self.refresh(*(Region(0, first, width, count) for first, count in _runs(changed)))

    def _panel(self) -> Panel | None:
        return self.parent if isinstance(self.parent, Panel) else None

    def _set_title(self, title: str) -> None:
        panel = self._panel()
        if panel is not None:
            panel.set_title(title)

    def _show_position(self) -> None:
        """Where the view is in a text taller than the panel, in the panel's bottom border. A
        scrollbar would be repainted whole whenever the text's length changes, ~2 ms a step."""
        panel = self._panel()
        if panel is None:
            return
        total, height = len(self._strips), self.scrollable_content_region.height
        text = ""
        if total > height > 0 and panel.has_bottom_border:
            text = span_text(int(self.scroll_y), height, total) + ("" if self.has_focus else " · i scrolls")
        panel.set_subtitle(text)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_position()

    def on_focus(self) -> None:
        self._show_position()

    def on_blur(self) -> None:
        self._show_position()

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None

    def _theme_changed(self) -> None:
        self._wrapped.clear()
        self._wrapped_lines.clear()
        self.show()
        self.refresh()

    def _wrap(self, markup: str) -> None:
        self._base = self.rich_style  # looked up once per step, not once per line
        width = max(1, self.scrollable_content_region.width)
        # Parsing and wrapping are the costly part. Stepping back and forth shows the same
        # texts again, and a new text shares many lines with others (a node's value is the
        # next node's input): both are kept, the lines by the thousand.
        key = (markup, width)
        cached = self._wrapped.get(key)
        if cached is None:
            lines = [self._wrap_line(line, width) for line in markup.split("\n")]
            cached = "\n".join(plain for plain, _ in lines), [s for _, strips in lines for s in strips]
            _remember(self._wrapped, key, cached, WRAP_CACHE)
        self._plain, self._strips = cached
        # a panel-high virtual size while the text fits: the scrollbar then stays as it is
        size = Size(width, max(len(self._strips), self.scrollable_content_region.height))
        if size != self.virtual_size:
            # virtual_size is a layout-refreshing reactive: setting it would lay out the whole
            # screen on every step. Only the scrollbars need to know, so tell them directly.
            self.set_reactive(Inspector.virtual_size, size)
            self._scroll_update(size)
        self._show_position()

    def _wrap_line(self, markup: str, width: int) -> tuple[str, list[Strip]]:
        key = (markup, width)
        cached = self._wrapped_lines.get(key)
        if cached is None:
            content = _line_content(markup)
            if content.cell_length <= width and "\t" not in content.plain:
                # most lines fit: their segments straight away, without the wrapping machinery
                # (a third of the cost of a new line)
                style = self.visual_style
                pieces = content.rstrip().render(style, end="")
                segments = [Segment(text, piece_style.rich_style) for text, piece_style in pieces]
                strips = [Strip(segments, content.rstrip().cell_length)]
            else:
                strips = Visual.to_strips(self, content, width, None, self.visual_style)
            cached = content.plain, strips
            _remember(self._wrapped_lines, key, cached, WRAPPED_LINES)
        return cached

    def on_resize(self) -> None:
        self.show()
        self.refresh()

    def plain(self) -> str:
        """What the panel says, as plain text."""
        return self._plain

    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if self._base is None:
            self._base = self.rich_style
        if row < len(self._strips):
            return self._strips[row].crop_extend(0, width, self._base)
        return Strip.blank(width, self._base)

    def text(self) -> str:
        """The inspector's text as markup (tests read it through ``Content.plain``)."""
        session = self.session
        graph = session.trace.graph
        node_id = session.focus_node
        if node_id is None:
            self._set_title("start")
            return self._start_text()
        if node_id in graph.leaves:
            self._set_title(esc(graph.display(node_id)))
            return self._leaf_text(node_id)
        node = graph.node(node_id)
        self._set_title(esc(f"{node.display} ({node.op.symbol})"))
        parts = []
        if session.selected:
            parts.append("[dim]selected node (the current step is elsewhere; n returns to it)[/]")
        named = "" if node.display == "y" else f"  [dim]y is {esc(node.display)}[/]"
        parts.append(f"[b]{esc(formula(graph, node, 'y'))}[/]{named}")
        forward = session.forward_step_of(node_id)
        if forward is None:
            at = session.forward_at[node_id]
            parts.append(f"\n[dim]not computed yet: its value appears at step {at} (press n)[/]")
            return "\n".join(parts)
        forward_lines = self._forward_lines(forward)
        backward = session.backward_step_of(node_id)
        if backward is None:
            parts += forward_lines
            if node_id in session.backward_at:
                parts.append(f"\n[dim]gradient: not sent back yet (step {session.backward_at[node_id]})[/]")
            elif session.phase in ("BACKWARD", "DONE"):
                parts.append("\n[dim]the output does not depend on this node: no gradient flows here[/]")
            return "\n".join(parts)
        # in the backward pass what just happened comes first: what the node sends back
        parts.append("")
        parts += self._backward_lines(backward)
        if not step_is_finite(backward):
            problem = first_nonfinite(session.trace) or "nan or inf"
            parts.append(f"\n[b $text-error]⚠ a gradient here holds nan or inf; {esc(problem)}[/]")
        parts.append(f"\n[i]{esc(node.op.explanation)}[/]")
        parts.append("\n[dim]forward:[/]")
        parts += forward_lines
        return "\n".join(parts)

    def _forward_lines(self, forward: ForwardStep) -> list[str]:
        graph = self.session.trace.graph
        node = graph.node(forward.node)
        lines = [""]
        for key, value in forward.inputs.items():
            name = graph.display(key) if key in graph.leaves or graph.is_node(key) else key
            lines.append(f"  {esc(name)} = {self.markup(value)}")
        if type(forward.value) is float and all(type(v) is float for v in forward.inputs.values()):
            lines.append(f"  [b]{esc(forward_numbers(graph, forward, DIGITS))}[/]")
        else:
            lines.append(f"  {esc(node.display)} = {self.markup(forward.value)}")
        if not is_finite(forward.value):
            problem = first_nonfinite(self.session.trace) or "nan or inf"
            lines.append(f"\n[b $text-error]⚠ {esc(problem)}[/]")
        return lines

    def _backward_lines(self, step: BackwardStep) -> list[str]:
        graph = self.session.trace.graph
        lines = []
        if not step.contributions and step.node == graph.output:
            lines.append("[b $accent]The backward pass starts here: the output receives ∂L/∂L = 1.[/]")
        upstream = upstream_text(step, graph, DIGITS)
        if type(step.upstream) is float:
            lines.append(f"upstream  ∂L/∂y = [b $text-warning]{esc(upstream)}[/]")
        else:
            lines.append(f"upstream  ∂L/∂y = {self.markup(step.upstream, 'grad')}")
            if len(step.contributions) > 1:
                sources = ", ".join(graph.display(c.source) for c in step.contributions)
                lines.append(f"  [dim](the sum of what {esc(sources)} sent back)[/]")
        for item in sent_items(graph, step, DIGITS, out="y"):
            lines.append(f"\n[b]→ {esc(item.name)}[/]")
            if item.local_formula:
                local = "" if item.local is None else f" = {self.markup(item.local)}"
                if type(item.local) is float and item.local_formula.endswith(
                    f"= {fmt_num(item.local, DIGITS)}"
                ):
                    local = ""  # "∂y/∂a = 1", not "= 1 = 1"
                if item.local is None and step.local is not None:
                    local = " [dim](broadcast: summed back to its shape)[/]"
                lines.append(f"  {esc(item.local_formula)}{local}")
            lines.append(f"  {esc(item.sent_formula)}")
            if type(item.grad) is float:
                lines.append(f"  = [b $text-warning]{esc(item.arithmetic)}[/]")
            else:
                lines.append(f"  = {self.markup(item.grad, 'grad')}")
        if not lines[-1].startswith("  ="):
            lines.append("\n[dim]nothing is sent back: every input is a constant[/]")
        return lines

    def _leaf_text(self, name: str) -> str:
        session = self.session
        leaf = session.trace.graph.leaves[name]
        parts = [f"[b]{esc(leaf.display)}[/]  [dim]input[/]", f"  value = {self.markup(leaf.value)}"]
        if not leaf.requires_grad:
            parts.append("\n[dim]a constant (grad = false): no gradient is shown for it[/]")
            return "\n".join(parts)
        received = ((c, session.sent(c, name)) for c in session.consumers.get(name, ()))
        sent = [(consumer, grad) for consumer, grad in received if grad is not None]
        if sent:
            parts.append("\n[b]gradient received so far[/]")
            for consumer, grad in sent:
                parts.append(
                    f"  from {esc(session.trace.graph.display(consumer))}: {self.markup(grad, 'grad')}"
                )
            if session.phase == "DONE" and name in session.trace.grads:
                parts.append(f"  ∂L/∂{esc(leaf.display)} = {self.markup(session.trace.grads[name], 'grad')}")
        return "\n".join(parts)

    def _start_text(self) -> str:
        graph = self.session.trace.graph
        lines = [
            "Nothing is computed yet. Press [b]n[/], [b]space[/] or [b]→[/] to compute the first "
            "node; [b]f[/] runs the whole forward pass, [b]?[/] shows every key.",
            "",
            f"[b]{esc(graph.title)}[/]",
        ]
        if graph.description:
            lines += ["", esc(paragraphs(graph.description))]
        return "\n".join(lines)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, count) runs: [1, 2, 3, 7] -> [(1, 3), (7, 1)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][0] + runs[-1][1] == row:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((row, 1))
    return runs


def _remember(cache: dict, key: object, value: object, size: int) -> None:
    if len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[key] = value


_SPAN = re.compile(r"\[([^\[\]/][^\[\]]*)\]([^\[\]\\]*)\[/\]")  # "[style]text[/]"


def _line_content(markup: str) -> Content:
    """A line of markup as Content. Most lines are plain text with a few "[style]text[/]"
    spans (no nesting, no escapes): those are assembled directly, as Textual's markup parser
    costs ~0.2 ms a line. Anything else goes to the parser."""
    if "[" not in markup:
        return Content(markup)
    if "\\" in markup:
        return Content.from_markup(markup)
    parts: list[str | tuple[str, str]] = []
    at = 0
    for span in _SPAN.finditer(markup):
        plain = markup[at : span.start()]
        if "[" in plain or "]" in plain:
            return Content.from_markup(markup)
        if plain:
            parts.append(plain)
        parts.append((span.group(2), span.group(1)))
        at = span.end()
    rest = markup[at:]
    if "[" in rest or "]" in rest:
        return Content.from_markup(markup)
    if rest:
        parts.append(rest)
    return Content.assemble(*parts)
