"""The baseline app of the benchmarks: a Header, a Static and a Footer, and numpy imported.

A key rewrites the Static, so its key-to-frame time is what any Textual app pays.
"""

from __future__ import annotations

from typing import ClassVar

import numpy  # noqa: F401  (bpdebug's first frame needs numpy too; so does the baseline's)
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App):
    BINDINGS: ClassVar = [("n", "count", "Count"), ("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("count 0", id="count")
        yield Footer()

    def action_count(self) -> None:
        self.count = getattr(self, "count", 0) + 1
        self.query_one("#count", Static).update(f"count {self.count}")


if __name__ == "__main__":
    MinimalApp().run()
