"""The Textual app: opens a graph (or the start screen) and hosts the debugger screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from bpdebug.engine import run
from bpdebug.errors import GraphError
from bpdebug.graph import Graph
from bpdebug.loader import load
from bpdebug.tui.screens import KEYS, DebuggerScreen, StartScreen


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


class BpdebugApp(App):
    CSS_PATH = "bpdebug.tcss"
    TITLE = "bpdebug"

    def __init__(self, graph: Graph | None = None, watch: bool = False) -> None:
        super().__init__()
        self.graph = graph
        self.watching = watch and graph is not None and graph.path is not None
        self._stamp: tuple[int, int] | None = None

    def on_mount(self) -> None:
        if self.watching:
            self._stamp = _stamp(self.graph.path)  # type: ignore[union-attr]
            self.set_interval(0.5, self.check_file)

    async def check_file(self) -> None:
        """Reload the graph when its file changed; keep the last good one while it is broken."""
        path = self.graph.path  # type: ignore[union-attr]
        stamp = _stamp(path)
        screen = self.screen
        if stamp == self._stamp or not isinstance(screen, DebuggerScreen):
            return  # unchanged, or a dialog is open: look again at the next tick
        self._stamp = stamp
        try:
            graph = load(path)
        except GraphError as error:
            screen.show_file_error(str(error))
            return
        self.graph = graph
        await screen.reload(run(graph))
        self.notify(f"reloaded {path.name}", timeout=2)

    def get_default_screen(self) -> Screen:
        """The first screen itself (not a blank one with ours pushed on top): a faster start."""
        if self.graph is None:
            return StartScreen()
        return DebuggerScreen(run(self.graph))

    def open_graph(self, path: Path) -> None:
        try:
            graph = load(path)
        except GraphError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.graph = graph
        self.push_screen(DebuggerScreen(run(graph)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, DebuggerScreen):
            for keys, action, description in KEYS:
                if action == "quit":
                    continue
                yield SystemCommand(
                    description,
                    f"key: {keys.replace(',', ' / ')}",
                    lambda action=action: self.run_action(action, screen),
                )
