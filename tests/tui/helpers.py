"""Reading the app's panels as plain text, the way a student reads them."""

from __future__ import annotations

from bpdebug.render.paint import row_text
from bpdebug.tui.screens import DebuggerScreen


def debugger(app) -> DebuggerScreen:
    screen = app.screen
    assert isinstance(screen, DebuggerScreen), f"expected the debugger, got {screen!r}"
    return screen


def graph_text(app) -> str:
    view = debugger(app).graph_view
    return "\n".join(row_text(view.layout_, row, view.labels) for row in range(view.layout_.height + 1))


def inspector_text(app) -> str:
    return debugger(app).inspector.plain()


def status_text(app) -> str:
    return debugger(app).query_one("#status").text.strip()


async def type_at_once(pilot, keys: str) -> None:
    """Send *keys* (letters, digits, spaces) the way a fast typist or a paste does: all queued
    before the app has handled the first, as `Pilot.press` (which waits after each) never does."""
    from textual import events

    driver = pilot.app._driver
    for key in keys:
        event = events.Key("space" if key == " " else key, key)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


def screen_lines(app) -> list[str]:
    """The whole screen as the terminal is sent it, one string a row: every widget, in front
    of what it covers (Textual's compositor, which has no public way to read it)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
