"""The debugger's screen: the graph, the inspector and the steps, a cursor over one trace."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from bpdebug.core.trace import Trace
from bpdebug.support.formatting import cell_width
from bpdebug.support.gcpause import freeze_live_objects, thaw_objects
from bpdebug.teach.messages import say
from bpdebug.teach.quiz import Quiz
from bpdebug.teach.session import Session
from bpdebug.tui.arrangement import NARROW, arrange
from bpdebug.tui.check_actions import CheckActions
from bpdebug.tui.dialogs import GradientsScreen, HelpScreen, StartScreen
from bpdebug.tui.keys import FOOTER, KEYS, footer_label, key_text
from bpdebug.tui.quiz_actions import QuizActions
from bpdebug.tui.whatif_actions import WhatIfActions
from bpdebug.tui.widgets.bars import KeyBar, StatusLine
from bpdebug.tui.widgets.editor import ValueEditor
from bpdebug.tui.widgets.graph_view import GraphView
from bpdebug.tui.widgets.inspector import Inspector
from bpdebug.tui.widgets.notices import Notices
from bpdebug.tui.widgets.panel import Panel
from bpdebug.tui.widgets.quiz_box import QuizBox
from bpdebug.tui.widgets.steps import StepsView

MIN_WIDTH, MIN_HEIGHT = 40, 12


class DebuggerScreen(CheckActions, QuizActions, WhatIfActions, Screen):
    """The graph, the inspector and the steps: a cursor over one trace."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (NARROW, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            keys,
            "app.quit" if action == "quit" else action,
            footer_label(action) if action in FOOTER else say(description),
            show=action in FOOTER,
            priority=True,  # the scrolling panels must not swallow → ← home end
            key_display=key_text(keys).split()[0],
        )
        for keys, action, description in KEYS
    ]

    def __init__(self, trace: Trace) -> None:
        super().__init__(classes=self._breakpoint_classes(*self.app.size))
        self.session = Session(trace)
        self._shown: tuple[int, str | None, str | None] | None = None  # what update_view last drew
        self._grid: tuple[str | None, str | None] | None = None  # what arrange_panels last set
        self._status_width = 0
        self.graph_view = GraphView(self.session, id="graph")
        self.inspector = Inspector(self.session, id="inspector")
        self.steps = StepsView(self.session, id="steps")
        self.quiz_widget = QuizBox(id="quiz")
        self.editor_widget = ValueEditor(id="editor")
        self.quiz_on = getattr(self.app, "quiz_mode", False)
        self.quiz = Quiz() if self.quiz_on else None

    @classmethod
    def _breakpoint_classes(cls, width: int, height: int) -> str:
        """The classes Textual gives the screen for the terminal's size once it is shown,
        given from the start, so that start-up styles the screen once, not twice. (Textual
        still sets them on every resize.)"""
        classes = []
        for size, breakpoints in (
            (width, cls.HORIZONTAL_BREAKPOINTS or []),
            (height, cls.VERTICAL_BREAKPOINTS or []),
        ):
            fitting = [name for least, name in sorted(breakpoints, reverse=True) if size >= least]
            classes += fitting[:1]
        return " ".join(classes)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label(" " + say("ui.title", title=self.session.trace.title), id="title", markup=False)
            yield Label("", id="score", markup=False)  # the quiz's: never cut off, as a long title is
            yield StatusLine(id="status")
        # the screen is a grid (see bpdebug.tcss): no container rows to paint around the panels
        with Panel(id="graph-panel"):
            yield self.graph_view
        with Panel(id="inspector-panel"):
            yield self.inspector
        with Panel(id="steps-panel"):
            yield self.steps
        too_small = say("ui.too_small", width=MIN_WIDTH, height=MIN_HEIGHT)
        yield Static(too_small, id="too-small", markup=False)
        yield Static("", id="file-error", markup=False)
        with Vertical(id="bottom"):  # one dock: docks on one edge would overlap
            yield Notices(id="notices")
            yield Static("", id="whatif", markup=False)
            if self.quiz_on:  # else mounted when the quiz is turned on: a lighter start
                yield self.quiz_widget
            yield self.editor_widget
            yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.show_title()
        self._size_status()
        self.query_one("#graph-panel", Panel).set_title(say("ui.panel.graph"))
        self.query_one("#steps-panel", Panel).set_title(say("ui.panel.steps"))
        self.graph_view.focus()
        self.arrange_panels()
        self.update_view(follow=False)
        self.say_in_place()
        self.call_after_refresh(freeze_live_objects)

    def reload(self, trace: Trace) -> None:
        """Show a new trace of the (changed) file, at the same step where its node still is."""
        thaw_objects()  # the old trace may go
        self.replace_trace(trace)
        self.query_one("#file-error").display = False
        self.call_after_refresh(freeze_live_objects)

    def replace_trace(self, trace: Trace) -> None:
        """Another trace (a what-if edit, or the file reloaded), at the same step where its node
        still is: the widgets stay and take the new session (remounting them took a frame and a
        half on problem 2). A question the quiz was asking is asked again at the next step."""
        self.cancel_question()
        session = Session(trace)
        session.carry_over(self.session)
        self.session = session
        for widget in (self.graph_view, self.inspector, self.steps):
            widget.use_session(session)
        self._shown = None
        self._size_status()
        self.arrange_panels()
        self.show_title()
        self.update_view(follow=False)

    def _size_status(self) -> None:
        """The status line as wide as the longest status of this trace, set once per trace."""
        total = self.session.total
        widest = say("ui.status", phase=say("ui.phase.BACKWARD"), cursor=total, total=total) + " "
        if self._status_width != cell_width(widest):  # each assignment lays the screen out again
            self._status_width = cell_width(widest)
            self.query_one("#status").styles.width = self._status_width

    def show_title(self) -> None:
        """The graph's title, and what the learner has edited in it (what-if)."""
        title = " " + say("ui.title", title=self.session.trace.title)
        whatif = getattr(self.app, "whatif", None)
        edited = whatif.summary() if whatif is not None else ""
        self.query_one("#title", Label).update(title + (f"  ·  {edited}" if edited else ""))
        score = self.query_one("#score", Label)
        score.display = self.quiz_on and self.quiz is not None
        if score.display:
            score.update(self.quiz.score_text())  # type: ignore[union-attr]

    def show_file_error(self, message: str) -> None:
        """The watched file stopped loading: say why, and keep showing the last good graph."""
        error = self.query_one("#file-error", Static)
        error.update(say("ui.file_error", message=message))
        error.display = True

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self.arrange_panels()

    def arrange_panels(self) -> None:
        """The graph takes width first (see arrangement.py); the stylesheet has the rest."""
        if self.has_class("-graph-only"):  # the stylesheet's one column
            self._set_grid(None, None)
            return
        width, height = self.app.size
        # lanes wide enough for small arrays' numbers where the graph still fits, else narrower
        for choice in self.graph_view.choices:
            drawn = choice[1]
            plan = arrange(width, height, drawn.width, drawn.height + 1)  # a blank row below
            if plan.graph_fits:
                break
        self.graph_view.show_layout(*choice)
        self.set_class(plan.mode == "below", "-below")
        if plan.mode == "beside":
            self._set_grid(f"1fr {plan.inspector_width}", None)
        elif plan.mode == "below":
            self._set_grid(f"1fr {plan.steps_width}", f"1 {plan.graph_rows} 1fr")
        else:  # stacked: as the stylesheet's -narrow says
            self._set_grid(None, None)

    def _set_grid(self, columns: str | None, rows: str | None) -> None:
        """Assign the grid only when it changes: every assignment lays out all the widgets."""
        if self._grid != (columns, rows):
            self._grid = (columns, rows)
            self.styles.grid_columns = columns
            self.styles.grid_rows = rows

    # --- one place that redraws after the cursor or the selection moves ---------------------
    def update_view(self, follow: bool = True) -> None:
        session = self.session
        status = self.query_one("#status", StatusLine)
        phase = say(f"ui.phase.{session.phase}")
        status.text = say("ui.status", phase=phase, cursor=session.cursor, total=session.total) + " "
        # the class goes on the status itself: one on the screen would restyle every widget
        status.set_class(session.phase == "BACKWARD", "-backward")
        self.inspector.show()
        # one step changes only what the nodes before and after it show; a jump changes labels
        # all over the graph
        shown = (session.cursor, session.current_node, session.focus_node)
        before = self._shown
        if before is not None and abs(before[0] - shown[0]) <= 1:
            crossed = session.step_nodes[min(before[0], shown[0])] if before[0] != shown[0] else None
            self.graph_view.repaint({before[1], before[2], shown[1], shown[2]}, relabelled=crossed)
            if crossed is not None:  # a step: the next one is likely the same way
                self.call_after_refresh(self._paint_ahead, shown[0] - before[0])
        else:
            self.graph_view.repaint()
        self._shown = shown
        self.steps.follow()
        if follow:
            self.graph_view.follow(session.focus_node)

    def _paint_ahead(self, direction: int) -> None:
        """After the frame, prepare the graph rows of the next step in the same direction."""
        session = self.session
        cursor = session.cursor + direction
        if 1 <= cursor <= session.total:
            ahead = cursor <= session.forward_count or cursor == session.total  # as phase says
            self.graph_view.paint_ahead(session.step_nodes[cursor - 1], ahead)

    def _move(self, move: Callable[[], bool]) -> None:
        """Move the cursor; with the quiz on, a step forward onto a new step asks first."""
        before = self.session.cursor
        self.cancel_question()
        moved = move()
        self.after_move(before)
        if not moved:
            self.app.bell()
        self.update_view()

    def action_step_forward(self) -> None:
        self._move(self.session.step_forward)

    def action_step_back(self) -> None:
        self._move(self.session.step_back)

    def action_to_start(self) -> None:
        self._move(self.session.to_start)

    def action_to_end(self) -> None:
        self._move(self.session.to_end)

    def action_to_end_of_forward(self) -> None:
        self._move(self.session.to_end_of_forward)

    def action_continue(self) -> None:
        self._move(self.session.continue_to_breakpoint)

    def action_toggle_breakpoint(self) -> None:
        node = self.session.focus_node or self.session.node_order[0]
        if node in self.session.trace.graph.leaves:  # an input has no step to stop at
            self.app.bell()
            self.notify(say("ui.breakpoint.leaf"), timeout=3, markup=False)
            return
        on = self.session.toggle_breakpoint(node)
        name = self.session.trace.graph.display(node)
        said = say("ui.breakpoint.set" if on else "ui.breakpoint.removed", name=name)
        self.notify(said, timeout=2, markup=False)
        self.graph_view.repaint({node})
        self.steps.repaint()

    def action_select(self, offset: int) -> None:
        self.session.select_next(offset)
        self.update_view()

    def action_focus_steps(self) -> None:
        self.steps.focus()

    def action_focus_graph(self) -> None:
        self.graph_view.focus()

    def action_focus_inspector(self) -> None:
        self.inspector.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the value editor or the quiz's answer has the keys, the debugger's keys are
        letters to type."""
        typing = self.editor_is_open() or self.quiz_has_keys()
        return not (typing and action != "back_to_list")

    def action_back_to_list(self) -> None:
        """Escape: close the value editor, or show the answer the quiz asks for; else back to
        the start screen this graph was opened from, if it was."""
        if self.editor_is_open():
            self.close_editor()
            return
        if self._asked_at:
            self.reveal_answer()
            return
        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], StartScreen):
            thaw_objects()  # the trace may go now
            self.app.pop_screen()
        else:
            self.app.bell()

    def action_pan(self, direction: int) -> None:
        self.graph_view.pan(direction)

    def action_gradients(self) -> None:
        self.app.push_screen(GradientsScreen(self.session))

    def action_toggle_graph_only(self) -> None:
        """The graph alone on the screen, for a projector; again, every panel."""
        alone = not self.has_class("-graph-only")
        self.set_class(alone, "-graph-only")
        self.arrange_panels()
        if alone:
            self.graph_view.focus()
        self.call_after_refresh(self.graph_view.follow, self.session.focus_node)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.session.trace.graph.description))

    @on(GraphView.NodeClicked)
    def node_clicked(self, message: GraphView.NodeClicked) -> None:
        self.session.select(message.node_id)
        self.update_view(follow=False)

    @on(GraphView.SelectNode)
    def select_node(self, message: GraphView.SelectNode) -> None:
        self.action_select(message.offset)

    @on(StepsView.Jump)
    def jump(self, message: StepsView.Jump) -> None:
        self._move(lambda: self.session.go(message.index) or True)  # no bell on a click
