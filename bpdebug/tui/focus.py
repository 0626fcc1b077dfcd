"""Focus that takes effect before the next key is handled."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give *widget* the keys from the very next one on.

    ``Widget.focus()`` moves the focus later (``call_later``), after the keys already queued:
    typed or pasted in the same instant as the key that opened an input, they would land on the
    widget before it (the list, the graph) and be lost.
    """
    widget.screen.set_focus(widget)
