"""What the app tells the user for a few seconds, as lines above the key bar.

Textual shows notifications as toasts over the panels, and its compositor cuts every line at
each panel edge under them; a cut through a double-width character blanks it
(Textualize/textual#6357). A Chinese toast lost characters wherever it crossed a border, so
notices take a place of their own in the layout instead: nothing is drawn over them.
"""

from __future__ import annotations

from textual import events
from textual.containers import Vertical
from textual.widgets import Static

MOST = 3  # notices shown at once; an older one gives way to a newer
SEVERITIES = ("information", "warning", "error")


class Notices(Vertical):
    """The notices shown now, newest last, each gone after its own timeout or at a click."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: list[tuple[Static, str]] = []  # kept here: a removed child lingers a tick

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self._shown]

    def tell(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        kind = severity if severity in SEVERITIES else "information"
        notice = Static(message, markup=False, classes=f"notice -{kind}")
        while len(self._shown) >= MOST:
            self._forget(self._shown[0][0])
        self._shown.append((notice, message))
        self.mount(notice)
        self.display = True
        self.set_timer(timeout, lambda: self._forget(notice))

    def clear(self) -> None:
        for notice, _ in list(self._shown):
            self._forget(notice)

    def on_click(self, event: events.Click) -> None:
        self.clear()

    def _forget(self, notice: Static) -> None:
        shown = [(n, m) for n, m in self._shown if n is not notice]
        if len(shown) < len(self._shown):
            self._shown = shown
            notice.remove()
            self.display = bool(shown)
