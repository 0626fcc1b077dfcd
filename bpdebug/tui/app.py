"""The Textual app: opens a graph (or the start screen) and hosts the debugger screen."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import ThemeProvider

from bpdebug.core.edits import Edit, EditError
from bpdebug.core.engine import run
from bpdebug.core.graph import Graph
from bpdebug.core.trace import Trace
from bpdebug.formats.toml import load
from bpdebug.support.errors import GraphError
from bpdebug.support.safe_text import escape_text
from bpdebug.teach.messages import language, say
from bpdebug.teach.whatif import WhatIf
from bpdebug.tui.dialogs import StartScreen
from bpdebug.tui.keys import KEYS, key_text
from bpdebug.tui.screens import DebuggerScreen
from bpdebug.tui.widgets.notices import Notices


def _layer_ops(graph: Graph) -> list:
    return [node.op for node in graph.nodes if node.op.name == "layer"]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return (info.st_mtime_ns, info.st_size)


def load_and_run(
    path: Path, whatif: WhatIf | None = None, layers: Mapping[str, type] | list[Path] | None = None
) -> Trace | str:
    """The trace of the graph at *path* (with the what-if edits made again, for --watch), or
    the one-line reason it has none; *layers*: the classes of the --layers files, or the files
    (imported again)."""
    try:
        graph = load(path, lang=language(), layers=layers)  # in the language the app speaks
        if whatif is not None and whatif.edits:
            graph = whatif.rebase(graph)
        return run(graph)
    except GraphError as error:
        return str(error)
    except EditError as error:
        return escape_text(say(error.message_id, error.args_))
    except MemoryError:
        return f"{escape_text(str(path))}: error: out of memory while loading or running the graph"


class BpdebugApp(App):
    CSS_PATH = "bpdebug.tcss"
    TITLE = "bpdebug"
    # the palette's key in Textual's footer (the start screen), in the language chosen before
    # this module is imported
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "command_palette", say("ui.footer.palette"), show=False, priority=True)
    ]

    def __init__(
        self,
        source: Trace | Graph | None = None,
        watch: bool = False,
        base: Graph | None = None,
        edits: list[Edit] | None = None,
        quiz: bool = False,
        layers: Mapping[str, type] | None = None,
        layer_files: list[str] | None = None,
    ) -> None:
        """*source*: the trace to show (the command line runs the graph first, so that a graph
        that cannot run is a one-line error), a graph to run, or None for the start screen;
        *base* and *edits*: the graph as loaded and the --set edits the trace was made with;
        *quiz*: every graph opened starts with the quiz on; *layers*: the --layers classes, and
        *layer_files* their files, which --watch watches and imports again when they change."""
        super().__init__()
        self.trace = run(source) if isinstance(source, Graph) else source
        self.graph = self.trace.graph if self.trace is not None else None
        self.whatif = WhatIf(base or self.graph, edits) if self.graph is not None else None
        self.quiz_mode = quiz
        self.layers = layers
        self.layer_files = [Path(f) for f in layer_files or []]
        self.watching = watch and self.graph is not None and self.graph.path is not None
        self._stamp: tuple[int, int] | None = None
        self._reloading = False

    def on_mount(self) -> None:
        if self.watching:
            self._stamp = self._stamps()
            self.set_interval(0.5, self.check_file)

    async def check_file(self) -> None:
        """Reload the graph when its file changed; keep the last good one while it is broken.

        Reading and running happen on a thread: the event loop never waits for a file.
        """
        screen = self.screen
        if self._reloading or not isinstance(screen, DebuggerScreen):
            return  # a reload under way, or a dialog open: look again at the next tick
        path = self.graph.path  # type: ignore[union-attr]
        self._reloading = True
        try:
            stamp = await asyncio.to_thread(self._stamps)
            if stamp == self._stamp:
                return
            code_changed = self._stamp is not None and stamp[1:] != self._stamp[1:]
            self._stamp = stamp
            layers = self.layer_files if code_changed else self.layers  # edited code: import it again
            outcome = await asyncio.to_thread(load_and_run, path, self.whatif, layers)
        finally:
            self._reloading = False
        if self.screen is not screen:
            self._stamp = None  # the screen changed meanwhile: try again when it is back
            return
        if isinstance(outcome, str):
            screen.show_file_error(outcome)
            return
        self.trace, self.graph = outcome, outcome.graph
        if code_changed:
            self.layers = {op.class_name: op.cls for op in _layer_ops(outcome.graph)}
        screen.reload(outcome)
        self.notify(say("ui.reloaded", name=escape_text(path.name)), timeout=2, markup=False)

    def _stamps(self) -> tuple:
        """The graph file's stamp, then each --layers file's."""
        return tuple(_stamp(p) for p in [self.graph.path, *self.layer_files])  # type: ignore[list-item]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notice in the screen's own line above its keys (``widgets/notices.py`` says why not
        a toast), as plain text without a title, from the app's thread (as every caller here
        is); Textual's toast where a screen has none (a dialog)."""
        notices = [n for n in self.screen.query(Notices) if n.is_attached]  # not while quitting
        if not notices:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        notices[0].tell(message, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout)

    def clear_notifications(self) -> None:
        super().clear_notifications()
        for notices in self.screen.query(Notices):
            notices.clear()

    def get_default_screen(self) -> Screen:
        """The first screen itself (not a blank one with ours pushed on top): a faster start."""
        if self.trace is None:
            return StartScreen()
        return DebuggerScreen(self.trace)

    def open_graph(self, path: Path) -> None:
        outcome = load_and_run(path)
        if isinstance(outcome, str):
            self.notify(outcome, severity="error", timeout=10, markup=False)
            return
        self.open_trace(outcome)

    def open_trace(self, trace: Trace) -> None:
        """The debugger on *trace*, over the start screen (Escape goes back to it)."""
        self.trace, self.graph = trace, trace.graph
        self.whatif = WhatIf(trace.graph)
        self.push_screen(DebuggerScreen(trace))

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG of the screen in the current folder (the palette's "Screenshot"), and
        say where it went, or why it could not go there."""
        folder = Path(path or ".").resolve()
        try:
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.notify(
                say("ui.screenshot.failed", folder=str(folder), reason=reason), severity="error", markup=False
            )
            return None
        self.notify(say("ui.screenshot.saved", path=escape_text(saved)), timeout=6, markup=False)
        return saved

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, in the language the app speaks: Textual's own (but its
        "Keys" panel, which is English and which ? replaces) and every key of the debugger."""
        yield SystemCommand(say("ui.command.theme"), say("ui.command.theme.help"), self.action_change_theme)
        yield SystemCommand(say("ui.key.quit"), say("ui.command.quit.help"), self.action_quit)
        yield SystemCommand(
            say("ui.command.screenshot"),
            say("ui.command.screenshot.help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )
        if isinstance(screen, DebuggerScreen):
            turn = "off" if screen.quiz_on else "on"
            yield SystemCommand(
                say(f"ui.command.quiz.{turn}"), say(f"ui.command.quiz.{turn}.help"), screen.action_toggle_quiz
            )
            for keys, action, description in KEYS:
                if action == "quit":
                    continue
                yield SystemCommand(
                    say(description),
                    say("ui.command.key", keys=key_text(keys).replace(" ", " / ")),
                    lambda action=action: self.run_action(action, screen),
                )

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = say("ui.palette.placeholder")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def search_themes(self) -> None:
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=say("ui.palette.themes")))
