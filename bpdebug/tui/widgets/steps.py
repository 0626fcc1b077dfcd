"""The steps panel: every step of the trace, one line each, drawn only where visible."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from bpdebug.core.trace import ForwardStep
from bpdebug.teach.explain import backward_summary, forward_summary
from bpdebug.teach.messages import say
from bpdebug.teach.session import Session
from bpdebug.tui.widgets.styled_lines import StyledLines


class StepsView(StyledLines, can_focus=True):
    """Phase, node and a short summary per step; Enter or a click jumps there."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "steps--current",
        "steps--highlight",
        "steps--forward",
        "steps--backward",
        "steps--breakpoint",
        "steps--later",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", say("ui.key.page_down"), show=False),
        Binding("pageup", "move(-10)", say("ui.key.page_up"), show=False),
        Binding("enter", "jump", say("ui.key.jump"), show=False),
    ]

    class Jump(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.highlight = 0  # the row the keyboard is on (0-based step row)
        self._painted_cursor: int | None = None  # the cursor that the rows show
        self._summaries: dict[int, str] = {}
        self.digits = len(str(len(session.trace.steps)))
        self.phase_names = (say("ui.steps.forward"), say("ui.steps.backward"))
        self.virtual_size = Size(60, len(session.trace.steps))

    def use_session(self, session: Session) -> None:
        """Show another trace (a what-if edit, or the file reloaded)."""
        self.session = session
        self._summaries.clear()
        self._painted_cursor = None
        self.highlight = min(self.highlight, max(0, len(session.trace.steps) - 1))
        self.digits = len(str(len(session.trace.steps)))
        self.virtual_size = Size(60, len(session.trace.steps))
        self.refresh()

    def summary(self, row: int) -> str:
        """The step's line; a step not taken yet shows only its node, never its numbers."""
        if row >= self.session.cursor:
            name = self.session.trace.graph.display(self.session.step_nodes[row])
            phase = self.phase_names[row >= self.session.forward_count]
            return f"{row + 1:>{self.digits}} {phase}  {name}"
        text = self._summaries.get(row)
        if text is None:
            step = self.session.trace.steps[row]
            graph = self.session.trace.graph
            if isinstance(step, ForwardStep):
                text = f"{step.index:>{self.digits}} {self.phase_names[0]}  {forward_summary(graph, step)}"
            else:
                text = f"{step.index:>{self.digits}} {self.phase_names[1]}  {backward_summary(graph, step)}"
            self._summaries[row] = text
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        styles = self.role_styles()
        base = styles["base"]
        width = self.size.width
        session = self.session
        if row >= session.total:
            return Strip.blank(width, base)
        node = session.step_nodes[row]
        current = session.cursor - 1
        marker = "▸" if row == current else " "
        dot = "●" if node in session.breakpoints else " "
        phase_style = styles["forward" if row < session.forward_count else "backward"]
        style = base
        if row == current:
            style = base + styles["current"]
        elif row == self.highlight and self.has_focus:
            style = base + styles["highlight"]
        if row >= session.cursor:
            phase_style = styles["later"]
        segments = [
            Segment(dot, base + styles["breakpoint"]),
            Segment(marker, style),
            Segment(self.summary(row), style + phase_style if row != current else style),
        ]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def follow(self) -> None:
        """Keep the current step in view, with the keyboard highlight on it. Only the rows whose
        text or style changed are repainted."""
        row = max(0, self.session.cursor - 1)
        shown = None if self._painted_cursor is None else (self._painted_cursor, self.highlight)
        self._painted_cursor = self.session.cursor
        self.highlight = row
        height = self.size.height
        if height:
            top = int(self.scroll_y)
            if not top + 1 <= row <= top + height - 2:  # scroll (costly) only when it leaves view
                # a row of context either side, and the rest of the view on the side the cursor
                # moves to: it scrolls every few steps instead of every other one
                backwards = shown is not None and self.session.cursor < shown[0]
                if height < 3:
                    target = max(0, row - height // 2)
                else:
                    target = max(0, row - height + 2 if backwards else row - 1)
                if target != top:
                    self.scroll_to(y=target, animate=False, immediate=True)
                    shown = None
        if shown is None:
            self.repaint()
            return
        cursor, highlight = shown
        # the rows between the old and new cursor change from "later" to "done" or back, and
        # the old and new current and highlighted rows change their marker
        first = min(cursor, self.session.cursor) - 1
        last = max(cursor, self.session.cursor) - 1
        top = int(self.scroll_y)
        width = max(self.virtual_size.width, self.size.width)
        regions = [
            Region(0, a - top, width, b - a + 1)
            for a, b in ((max(first, top), min(last, top + height - 1)), (highlight, highlight))
            if b >= a and top <= a < top + height  # a jump may span thousands of rows
        ]
        if regions:
            self.refresh(*regions)  # one call: each costs Textual some bookkeeping

    def on_resize(self) -> None:
        self.follow()  # a smaller panel may have lost the current step from view

    def action_move(self, delta: int) -> None:
        self.highlight = max(0, min(len(self.session.trace.steps) - 1, self.highlight + delta))
        if self.highlight < self.scroll_y:
            self.scroll_to(y=self.highlight, animate=False, immediate=True)
        elif self.highlight >= self.scroll_y + self.size.height:
            self.scroll_to(y=self.highlight - self.size.height + 1, animate=False, immediate=True)
        self.refresh()

    def action_jump(self) -> None:
        self.post_message(self.Jump(self.highlight + 1))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + int(self.scroll_y)
        if 0 <= row < len(self.session.trace.steps):
            self.highlight = row
            self.post_message(self.Jump(row + 1))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
