"""The one-line editor of a what-if edit (`e`): ``apple = 101``, Enter applies, Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from bpdebug.teach.messages import say
from bpdebug.tui.focus import focus_now


class ValueEditor(Vertical):
    """Hidden until opened; says why an edit could not be made, and keeps the text to fix."""

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield Static(say("edit.prompt"), id="editor-note", markup=False)
        yield Input(id="editor-input", select_on_focus=False)

    @property
    def is_open(self) -> bool:
        return self.display

    def open(self, prefill: str) -> None:
        self.display = True
        note = self.query_one("#editor-note", Static)
        note.update(say("edit.prompt"))
        note.remove_class("-error")
        field = self.query_one(Input)
        field.value = prefill
        field.cursor_position = len(prefill)
        focus_now(field)

    def close(self) -> None:
        self.display = False

    def show_error(self, reason: str) -> None:
        note = self.query_one("#editor-note", Static)
        note.update(f"⚠ {reason}")
        note.add_class("-error")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))
