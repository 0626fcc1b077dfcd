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


class BpdebugApp(App):
    CSS_PATH = "bpdebug.tcss"
    TITLE = "bpdebug"

    def __init__(self, graph: Graph | None = None) -> None:
        super().__init__()
        self.graph = graph

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
