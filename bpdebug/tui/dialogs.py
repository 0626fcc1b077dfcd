"""The help screen (every key, and how to read the graph) and the start screen (the bundled
graphs, Enter opens one; or a formula typed in, Enter opens its graph)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from bpdebug.formats.bundled import BundledGraph, bundled_graphs
from bpdebug.support.formatting import cell_width, pad_cells, paragraphs
from bpdebug.support.gcpause import freeze_live_objects
from bpdebug.teach.explain import Shown, total_text, value_text
from bpdebug.teach.focus import LeafGradient, leaf_gradients
from bpdebug.teach.messages import language, say
from bpdebug.teach.session import Session
from bpdebug.tui.explanation_markup import esc, fill
from bpdebug.tui.focus import focus_now
from bpdebug.tui.formula_box import FormulaProblem, formula_trace
from bpdebug.tui.keys import KEYS, key_text
from bpdebug.tui.widgets.notices import Notices


class HelpScreen(ModalScreen):
    """Every key, and what the graph's colours mean."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", say("ui.key.close_help")),
    ]

    def __init__(self, description: str = "") -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"  [b]{pad_cells(key_text(k), 16)}[/] {esc(say(d))}" for k, _, d in KEYS)
        value = Shown(say("ui.help.value_word"), "value")
        grad = Shown(say("ui.help.gradient_word"), "grad")
        legend = "\n".join(
            [
                f"[b]{esc(say('ui.help.reading'))}[/]",
                "  " + fill("ui.help.values", {"value": value}, _no_numbers),
                "  " + fill("ui.help.gradients", {"grad": grad}, _no_numbers),
                "  " + esc(say("ui.help.current")),
                "  " + esc(say("ui.help.palette")),
                f"\n[b]{esc(say('ui.help.quiz_title'))}[/]",
                "  " + esc(say("ui.help.quiz")),
                "  " + esc(say("ui.help.whatif")),
            ]
        )
        about = ""
        if self.description:
            about = f"\n\n[b]{esc(say('ui.help.about'))}[/]\n{esc(paragraphs(self.description))}"
        keys, close = esc(say("ui.help.keys")), esc(say("ui.help.close"))
        with VerticalScroll(id="help"):
            yield Static(f"[b]{keys}[/]\n{rows}\n\n{legend}{about}\n\n[dim]{close}[/]")


def _no_numbers(value: object, role: str) -> str:
    raise ValueError("the help's sentences hold no numbers")


class StartScreen(Screen):
    """The bundled graphs, with their titles and descriptions; Enter opens one. Below them, a
    formula can be typed (``z = (x + y) ** 2; x = 1; y = 2``); Enter opens its graph."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", say("ui.key.quit")),
        # priority: handled as the app receives it, so the keys typed right after it reach the
        # box (the list would have them queued); inside the box, "e" is a letter
        Binding("e", "type_formula", say("ui.key.formula"), priority=True),
    ]

    def compose(self) -> ComposeResult:
        self.graphs: list[BundledGraph] = bundled_graphs(language())
        yield Label(" " + say("ui.start.title"), id="title", markup=False)
        with Horizontal(id="start"):
            yield OptionList(*(Option(esc(g.title), id=g.name) for g in self.graphs), id="graph-list")
            yield Static(id="about")
        with Vertical(id="formula"):
            yield Label(say("ui.start.formula"), markup=False)
            yield Input(placeholder=say("ui.start.formula.placeholder"), id="formula-input")
            yield Static(id="formula-error", markup=False)
        yield Notices(id="notices")
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
            f"[dim]{esc(say('ui.start.open', name=g.name))}[/]"
        )

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_graph(self.graphs[event.option_index].path)  # type: ignore[attr-defined]

    def action_type_formula(self) -> None:
        box = self.query_one("#formula-input", Input)
        if self.focused is box:
            raise SkipAction()
        focus_now(box)

    @on(Input.Submitted, "#formula-input")
    def formula_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#formula-error", Static)
        outcome = formula_trace(event.value)
        if isinstance(outcome, FormulaProblem):
            error.update(outcome.said())
            if outcome.column:
                event.input.cursor_position = outcome.column - 1
            return
        error.update("")
        self.app.open_trace(outcome)  # type: ignore[attr-defined]


class GradientsScreen(ModalScreen):
    """Every input's gradient as a table, as far as the backward pass has come (`r`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,r,q", "app.pop_screen", say("ui.gradients.close")),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        output = session.trace.graph.display(session.trace.graph.output)
        title = say("ui.gradients.title", output=output, cursor=session.cursor, total=session.total)
        rows = leaf_gradients(session)
        lines = [f"[b]{esc(title)}[/]", ""]
        if not rows:
            lines.append(esc(say("ui.gradients.none")))
        width = max([cell_width(say("ui.gradients.input")), *(cell_width(r.name) for r in rows)])
        if rows:
            head = pad_cells(say("ui.gradients.input"), width) + "  " + say("ui.gradients.gradient")
            lines.append(f"  [dim]{esc(head)}[/]")
        for row in rows:
            lines.append(f"  {esc(pad_cells(row.name, width))}  {self._value(row)}")
        lines += ["", f"[dim]{esc(say('ui.gradients.close'))}[/]"]
        with VerticalScroll(id="gradients"):
            yield Static("\n".join(lines))

    @staticmethod
    def _value(row: LeafGradient) -> str:
        if row.value is None:
            return f"[dim]{esc(say('ui.gradients.not_yet'))}[/]"
        text = total_text(row.value, list(row.parts)) if row.complete else value_text(row.value)
        if not row.complete:
            return f"[$text-warning]{esc(say('ui.gradients.so_far', value=text))}[/]"
        return f"[b $text-warning]{esc(text)}[/]"
