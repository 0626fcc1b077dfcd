"""The header's status line and the footer's key bar: one line each, painted by themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from bpdebug.support.formatting import cell_width, last_cells
from bpdebug.teach.messages import say
from bpdebug.tui.keys import FOOTER, KEYS, footer_label, key_text


class StatusLine(Widget):
    """The phase and step in the header, right-aligned. Unlike a Label, changing it lays
    nothing out again, and it paints its one line itself, without Textual's text pipeline."""

    text: reactive[str] = reactive("", layout=False)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        text = last_cells(self.text, width)
        return Strip([Segment(" " * (width - cell_width(text)), style), Segment(text, style)], width)


class KeyBar(Widget):
    """The keys along the bottom, clickable. Textual's Footer rebuilds its widgets whenever the
    bindings are refreshed, which made every step lay out the screen again."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--label"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, str]] = []  # (first cell, end, action)

    def render(self) -> Content:
        parts, self._spans, x = [], [], 0
        entries = [(keys, action) for keys, action, _ in KEYS if action in FOOTER]
        entries.append(("^p", "app.command_palette"))
        for keys, action in entries:
            key = key_text(keys).split()[0]
            label = footer_label(action) if action in FOOTER else say("ui.footer.palette")
            gap = "  " if parts else " "
            text = Content.assemble((f"{gap}{key}", "$footer-key-foreground bold"), f" {label}")
            self._spans.append((x, x + text.cell_length, action))
            parts.append(text)
            x += text.cell_length
        return Content("").join(parts)

    async def on_click(self, event: events.Click) -> None:
        for first, end, action in self._spans:
            if first <= event.x < end:
                target = self.app if action.startswith("app.") else self.screen
                await self.app.run_action(action.removeprefix("app."), target)  # type: ignore[arg-type]
                return
