"""What-if in the debugger: `e` edits an input's value, `u` undoes; the trace is recomputed and
the cursor stays on its step, with the change shown next to the gradient's prediction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpdebug.core.edits import EditError
from bpdebug.support.errors import GraphError
from bpdebug.support.formatting import fmt_num
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.messages import say
from bpdebug.tui.widgets.editor import ValueEditor

if TYPE_CHECKING:
    from textual.widgets import Static

    from bpdebug.teach.whatif import WhatIf


class WhatIfActions:
    """Mixed into DebuggerScreen: the editor's keys and what an edit does to the screen."""

    def _whatif(self) -> WhatIf | None:
        return getattr(self.app, "whatif", None)  # type: ignore[attr-defined]

    def prefill(self) -> str:
        """``apple = 100`` for the selected input (its first element for an array), else ""."""
        session = self.session  # type: ignore[attr-defined]
        graph = session.trace.graph
        leaf = graph.leaves.get(session.focus_node or "")
        if leaf is None or leaf.anonymous:
            return ""
        if type(leaf.value) is float:
            return f"{leaf.display} = {fmt_num(leaf.value, 17)}"
        zeros = ", ".join("0" for _ in leaf.shape)
        return f"{leaf.display}[{zeros}] = {fmt_num(float(leaf.value.reshape(-1)[0]), 17)}"

    def action_edit(self) -> None:
        if self._whatif() is None:
            self.app.bell()  # type: ignore[attr-defined]
            return
        self.query_one(ValueEditor).open(self.prefill())  # type: ignore[attr-defined]

    def editor_is_open(self) -> bool:
        """Whether the value editor has the keys (False before the screen is composed, when
        Textual may already ask which bindings apply; it asks for every binding on every key,
        so the editor is not looked up in the DOM here)."""
        editor = self.editor_widget  # type: ignore[attr-defined]
        return editor.is_mounted and editor.is_open

    def close_editor(self) -> None:
        self.query_one(ValueEditor).close()  # type: ignore[attr-defined]
        self.graph_view.focus()  # type: ignore[attr-defined]

    async def on_value_editor_submitted(self, message: ValueEditor.Submitted) -> None:
        whatif = self._whatif()
        editor = self.query_one(ValueEditor)  # type: ignore[attr-defined]
        if whatif is None:
            return
        try:
            trace, lines = whatif.apply(message.text, self.session.trace)  # type: ignore[attr-defined]
        except EditError as error:
            editor.show_error(say(error.message_id, error.args_))
            return
        except GraphError as error:
            editor.show_error(say("edit.cannot_run", reason=str(error)))
            return
        self.close_editor()
        await self.show_edited(trace, "\n".join(lines))

    async def action_undo_edit(self) -> None:
        whatif = self._whatif()
        undone = whatif.undo() if whatif is not None else None
        if undone is None:
            self.app.bell()  # type: ignore[attr-defined]
            self.notify(say("edit.nothing_to_undo"), timeout=2, markup=False)  # type: ignore[attr-defined]
            return
        trace, line = undone
        await self.show_edited(trace, line)

    async def show_edited(self, trace, said: str) -> None:
        """The recomputed trace at the same step, and what the edit did, under the panels."""
        self.app.trace, self.app.graph = trace, trace.graph  # type: ignore[attr-defined]
        self.replace_trace(trace)  # type: ignore[attr-defined]
        note: Static = self.query_one("#whatif")  # type: ignore[attr-defined]
        note.update(escape_text(said))
        note.display = True
