"""The app's screens: the debugger itself, the start screen and the help screen."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from bpdebug.core.trace import Trace
from bpdebug.formats.bundled import BundledGraph, bundled_graphs
from bpdebug.support.formatting import paragraphs
from bpdebug.support.gcpause import freeze_live_objects, thaw_objects
from bpdebug.teach.session import Session
from bpdebug.tui.explanation_markup import esc
from bpdebug.tui.widgets.graph_view import GraphView
from bpdebug.tui.widgets.inspector import Inspector
from bpdebug.tui.widgets.panel import Panel
from bpdebug.tui.widgets.steps import StepsView

MIN_WIDTH, MIN_HEIGHT = 40, 12

# (keys, action, description): the one list the bindings, the help screen and the palette share
KEYS: list[tuple[str, str, str]] = [
    ("n,space,right", "step_forward", "Step forward one node"),
    ("p,left", "step_back", "Step back one node"),
    ("home", "to_start", "Go to the start (nothing computed)"),
    ("end", "to_end", "Go to the end of the backward pass"),
    ("f", "to_end_of_forward", "Run to the end of the forward pass"),
    ("b", "toggle_breakpoint", "Toggle a breakpoint on the selected node"),
    ("c", "continue", "Continue to the next breakpoint"),
    ("tab", "select(1)", "Select the next node"),
    ("shift+tab", "select(-1)", "Select the previous node"),
    ("s", "focus_steps", "Move to the steps list (↑ ↓ Enter to jump)"),
    ("g", "focus_graph", "Move to the graph (↑ ↓ select nodes)"),
    ("i", "focus_inspector", "Move to the inspector (↑ ↓ scroll it)"),
    ("question_mark", "help", "Show this help"),
    ("q", "quit", "Quit"),
]
FOOTER = {
    "step_forward": "Next",
    "step_back": "Back",
    "to_end_of_forward": "Forward",
    "toggle_breakpoint": "Break",
    "continue": "Continue",
    "help": "Help",
    "quit": "Quit",
}


def key_text(keys: str) -> str:
    names = {"right": "→", "left": "←", "question_mark": "?", "space": "space", "shift+tab": "shift+tab"}
    return " ".join(names.get(k, k) for k in keys.split(","))


class StatusLine(Widget):
    """The phase and step in the header, right-aligned. Unlike a Label, changing it lays
    nothing out again, and it paints its one line itself (Textual's text pipeline took
    ~0.5 ms a step for it)."""

    text: reactive[str] = reactive("", layout=False)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        text = self.text[-width:] if len(self.text) > width else self.text
        return Strip([Segment(" " * (width - len(text)), style), Segment(text, style)], width)


class KeyBar(Widget):
    """The keys along the bottom, clickable. Textual's Footer rebuilds its widgets whenever the
    bindings are refreshed, which made every step lay out the screen again and cost ~25 ms."""

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
            label = FOOTER.get(action, "palette")
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


class DebuggerScreen(Screen):
    """The graph, the inspector and the steps: a cursor over one trace."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-wide"),
        (160, "-very-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            keys,
            "app.quit" if action == "quit" else action,
            FOOTER.get(action, description),
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
        self.graph_view = GraphView(self.session, id="graph")
        self.inspector = Inspector(self.session, id="inspector")
        self.steps = StepsView(self.session, id="steps")

    @classmethod
    def _breakpoint_classes(cls, width: int, height: int) -> str:
        """The classes Textual gives the screen for the terminal's size once it is shown,
        given from the start: styling the screen twice at start-up cost ~10 ms of the first
        frame. (Textual still sets them on every resize.)"""
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
            yield Label(f" bpdebug — {self.session.trace.title}", id="title", markup=False)
            yield StatusLine(id="status")
        # the screen is a grid (see bpdebug.tcss): no container rows to paint around the panels
        with Panel(id="graph-panel"):
            yield self.graph_view
        with Panel(id="inspector-panel"):
            yield self.inspector
        with Panel(id="steps-panel"):
            yield self.steps
        yield Static("The terminal is too small for bpdebug.\nMake it at least 40 × 12.", id="too-small")
        yield Static("", id="file-error", markup=False)
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        total = self.session.total
        self.query_one("#status").styles.width = len(f"BACKWARD · step {total} of {total} ")
        self.query_one("#graph-panel", Panel).set_title("graph")
        self.query_one("#steps-panel", Panel).set_title("steps")
        self.graph_view.focus()
        self.update_view(follow=False)
        self.call_after_refresh(freeze_live_objects)

    async def reload(self, trace: Trace) -> None:
        """Show a new trace of the (changed) graph, at the same step where its node still is."""
        thaw_objects()  # the old trace may go
        session = Session(trace)
        session.carry_over(self.session)
        self.session = session
        for widget in (self.graph_view, self.inspector, self.steps):
            await widget.remove()
        self.graph_view = GraphView(session, id="graph")
        self.inspector = Inspector(session, id="inspector")
        self.steps = StepsView(session, id="steps")
        await self.query_one("#graph-panel").mount(self.graph_view)
        await self.query_one("#inspector-panel").mount(self.inspector)
        await self.query_one("#steps-panel").mount(self.steps)
        self.query_one("#file-error").display = False
        self.query_one("#title", Label).update(f" bpdebug — {trace.title}")
        self._shown = None
        self.on_mount()

    def show_file_error(self, message: str) -> None:
        """The watched file stopped loading: say why, and keep showing the last good graph."""
        error = self.query_one("#file-error", Static)
        error.update(f"⚠ The file has an error; showing the last version that loaded.\n{message}")
        error.display = True

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")

    # --- one place that redraws after the cursor or the selection moves ---------------------
    def update_view(self, follow: bool = True) -> None:
        session = self.session
        status = self.query_one("#status", StatusLine)
        status.text = f"{session.phase} · step {session.cursor} of {session.total} "
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

    def _move(self, moved: bool) -> None:
        if not moved:
            self.app.bell()
        self.update_view()

    def action_step_forward(self) -> None:
        self._move(self.session.step_forward())

    def action_step_back(self) -> None:
        self._move(self.session.step_back())

    def action_to_start(self) -> None:
        self._move(self.session.to_start())

    def action_to_end(self) -> None:
        self._move(self.session.to_end())

    def action_to_end_of_forward(self) -> None:
        self._move(self.session.to_end_of_forward())

    def action_continue(self) -> None:
        self._move(self.session.continue_to_breakpoint())

    def action_toggle_breakpoint(self) -> None:
        node = self.session.focus_node or self.session.node_order[0]
        on = self.session.toggle_breakpoint(node)
        name = self.session.trace.graph.display(node)
        self.notify(f"breakpoint {'set on' if on else 'removed from'} {name}", timeout=2)
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
        self.session.go(message.index)
        self.update_view()


class HelpScreen(ModalScreen):
    """Every key, and what the graph's colours mean."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close help"),
    ]

    def __init__(self, description: str = "") -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"  [b]{key_text(k):<16}[/] {esc(d)}" for k, _, d in KEYS)
        legend = (
            "[b]Reading the graph[/]\n"
            "  Values flow left to right: each edge carries its [b $text-success]value[/] on the line.\n"
            "  Gradients flow right to left: [b $text-warning]◀ gradient[/] is written under the edge\n"
            "  once the backward pass has sent it. Nothing is shown before it is computed.\n"
            "  The current node is highlighted, with the edges it reads and writes.\n"
            "  ctrl+p opens the command palette; every key above is there too."
        )
        about = f"\n\n[b]About this graph[/]\n{esc(paragraphs(self.description))}" if self.description else ""
        with VerticalScroll(id="help"):
            yield Static(f"[b]Keys[/]\n{rows}\n\n{legend}{about}\n\n[dim]escape or ? closes this help[/]")


class StartScreen(Screen):
    """The bundled graphs, with their titles and descriptions; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        self.graphs: list[BundledGraph] = bundled_graphs()
        yield Label(" bpdebug — choose a graph from chapter 5 (↑ ↓ then Enter)", id="title")
        with Horizontal(id="start"):
            yield OptionList(*(Option(esc(g.title), id=g.name) for g in self.graphs), id="graph-list")
            yield Static(id="about")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._describe(0)
        self.call_after_refresh(freeze_live_objects)

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option_index)

    def _describe(self, index: int) -> None:
        g = self.graphs[index]
        self.query_one("#about", Static).update(
            f"[b]{esc(g.title)}[/]\n\n{esc(paragraphs(g.description))}\n\n"
            f"[dim]bpdebug {g.name}  ·  Enter opens it[/]"
        )

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_graph(self.graphs[event.option_index].path)  # type: ignore[attr-defined]
