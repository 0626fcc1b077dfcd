"""The inspector: everything about the focused node that is known at the cursor, in words."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual

from bpdebug.support.formatting import cell_width, fmt_num, is_small, pad_cells_left, shape_text
from bpdebug.teach.explain import array_stats
from bpdebug.teach.focus import focus
from bpdebug.teach.messages import say
from bpdebug.teach.session import Session
from bpdebug.tui.explanation_markup import esc, line_markup
from bpdebug.tui.widgets.panel import Panel, span_text
from bpdebug.tui.widgets.quiet_scroll import QuietScrollView

GRID_ROWS, GRID_COLS = 8, 6
WRAP_CACHE = 64  # wrapped texts kept, oldest dropped first
WRAPPED_LINES = 4096  # wrapped lines kept, oldest dropped first


def value_markup(value: Any, role: str = "value", width: int = 38) -> str:
    """A scalar inline; an array as its shape and a clipped grid of numbers *width* cells wide."""
    colour = "$text-success" if role == "value" else "$text-warning"
    if type(value) is float:
        return f"[b {colour}]{fmt_num(value)}[/]"
    # every line its own markup: the inspector parses and wraps its text line by line
    return "\n".join(f"[{colour}]{esc(line)}[/]" for line in grid(value, width).split("\n"))


def grid(value: np.ndarray, width: int = 38) -> str:
    """An array as its shape and a grid of at most GRID_ROWS rows, as many columns as fit; an
    array too big to write out also gets its summary."""
    matrix = value.reshape(1, -1) if value.ndim == 1 else value.reshape(value.shape[0], -1)
    rows, cols = matrix.shape
    sample = matrix[:GRID_ROWS, :GRID_COLS]
    cell = max(cell_width(fmt_num(v)) for v in sample.reshape(-1).tolist())
    fit = max(1, min(GRID_COLS, (width - 4) // (cell + 1)))
    if fit < cols and (width - 2) // (cell + 1) >= cols:  # the " …" is not needed after all
        fit = cols
    shown = matrix[:GRID_ROWS, :fit].tolist()
    cells = [[pad_cells_left(fmt_num(v), cell) for v in row] for row in shown]
    lines = ["  " + " ".join(row) + (" …" if cols > fit else "") for row in cells]
    if rows > GRID_ROWS:
        lines.append("  ⋮")
    note = f"[{shape_text(value.shape)}]"
    if value.ndim > 2:
        note += say("array.as_matrix", rows=rows, cols=cols)
    if rows > GRID_ROWS or cols > fit:
        note += "  " + say("array.first", rows=min(rows, GRID_ROWS), cols=min(cols, fit))
    if not is_small(value):
        lines.append("  " + array_stats(value))
    return note + "\n" + "\n".join(lines)


class Inspector(QuietScrollView, can_focus=True):
    """The focused node: formula, inputs and value; upstream, local derivatives, what is sent.

    A line-API view: the text is wrapped to the panel's width once per step and its lines are
    painted as they scroll into view, so a step does not make Textual lay out the screen again.
    """

    def __init__(self, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Inspector.auto_links, False)  # no links: looking for them is work
        self.session = session
        self._plain = ""
        self._grids: dict[tuple[int, str, int], tuple[Any, str]] = {}
        self._strips: list[Strip] = []
        self._base = None
        self._wrapped: dict[tuple[str, int], tuple[str, list[Strip]]] = {}  # (markup, width) -> text
        self._wrapped_lines: dict[tuple[str, int], tuple[str, list[Strip]]] = {}  # the same, a line

    def use_session(self, session: Session) -> None:
        """Show another trace (a what-if edit, or the file reloaded); the next show() writes it."""
        self.session = session

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
        repaint of the panel would cost most of a key press's budget."""
        if not self.is_attached or not self.size.width:
            return  # not laid out yet (wrapping to no width is slow): on_resize shows it
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
        scrollbar would be repainted whole whenever the text's length changes."""
        panel = self._panel()
        if panel is None:
            return
        total, height = len(self._strips), self.scrollable_content_region.height
        text = ""
        if total > height > 0 and panel.has_bottom_border:
            hint = "" if self.has_focus else " · " + say("ui.span.scroll_hint")
            text = span_text(int(self.scroll_y), height, total) + hint
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
            self._size_changed(size)
        self._show_position()

    def _size_changed(self, size: Size) -> None:
        """What a new virtual size means for the scrollbar (shown in narrow terminals only) and
        for the scroll position, told with Textual's public attributes."""
        if self.styles.scrollbar_size_vertical:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = size.height
            bar.window_size = self.container_size.height - self.scrollbar_size_horizontal
            bar.refresh()
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

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
        title, lines = focus(self.session)
        self._set_title(esc(title))
        return "\n".join(line_markup(line, self.markup) for line in lines)


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
    spans (no nesting, no escapes): those are assembled directly, faster than Textual's
    markup parser. Anything else goes to the parser."""
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
