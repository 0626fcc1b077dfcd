"""The app with a stranger's file (issue 10): markup that shows text as written, clipped leaves,
and a --watch that never blocks and keeps the last good trace and the step."""

from __future__ import annotations

import asyncio
import os

import pytest

import bpdebug
import bpdebug.formats.bundled
from bpdebug.tui.app import BpdebugApp
from tests.formats.test_stranger_files import LABELS_FROM_A_NODE
from tests.tui.helpers import debugger, graph_text, inspector_text, status_text


async def test_titles_and_labels_show_as_written_whatever_markup_they_look_like() -> None:
    graph = bpdebug.loads(
        'title = "Shop [2] [b]bold[/b]"\n[inputs]\nx = { value = 2, label = "C:\\\\" }\n'
        '[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["x", 3]\nlabel = "[red]y\\\\"\n'
    )
    app = BpdebugApp(graph)
    async with app.run_test(size=(120, 40)) as pilot:
        title = str(debugger(app).query_one("#title").render())
        assert "Shop [2] [b]bold[/b]" in title and "\\[" not in title
        await pilot.press("n")
        text = inspector_text(app)
        assert "[red]y\\" in text and "C:\\" in text
        assert "[/]" not in text  # a trailing backslash did not swallow a closing tag
        await pilot.press("tab")
        assert "C:\\" in inspector_text(app)


async def test_a_long_leaf_label_is_clipped_in_the_graph() -> None:
    label = "w" * 300
    graph = bpdebug.loads(
        f'[inputs]\nx = {{ value = 2, label = "{label}" }}\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["x"]\n'
    )
    app = BpdebugApp(graph)
    async with app.run_test(size=(120, 40)):
        view = debugger(app).graph_view
        assert view.layout_.width < 60  # was 331 columns
        assert "w" * 15 + "…" in graph_text(app)


async def test_watch_never_blocks_on_a_fifo_and_keeps_the_last_good_trace(tmp_path) -> None:
    path = tmp_path / "shop.toml"
    source = bpdebug.formats.bundled.bundled_path("problem2").read_text(encoding="utf-8")
    path.write_text(source, encoding="utf-8")
    app = BpdebugApp(bpdebug.load(path), watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "n", "n")
        assert status_text(app) == "BACKWARD · step 6 of 8"

        path.unlink()
        os.mkfifo(path)  # nobody will ever write to it
        await asyncio.wait_for(app.check_file(), timeout=5)
        await pilot.pause()
        error = debugger(app).query_one("#file-error")
        assert error.display and "is a named pipe, not a file" in str(error.render())
        assert status_text(app) == "BACKWARD · step 6 of 8"
        assert debugger(app).session.trace.values["price"] == pytest.approx(715)

        path.unlink()
        path.write_text(LABELS_FROM_A_NODE, encoding="utf-8")  # loads, then fails to run
        await asyncio.wait_for(app.check_file(), timeout=5)
        await pilot.pause()
        error = debugger(app).query_one("#file-error")
        assert "node 'loss' (softmax_with_loss), forward pass" in str(error.render())
        await pilot.press("n")
        assert status_text(app) == "BACKWARD · step 7 of 8"  # still the last good trace, still stepping

        path.write_text(source.replace("apple = { value = 100", "apple = { value = 200"), encoding="utf-8")
        await asyncio.wait_for(app.check_file(), timeout=5)
        await pilot.pause()
        assert not debugger(app).query_one("#file-error").display
        assert debugger(app).session.trace.values["price"] == pytest.approx(935)
        assert status_text(app) == "BACKWARD · step 7 of 8"


async def test_the_start_screen_shows_an_error_in_place_when_a_graph_cannot_run(tmp_path) -> None:
    path = tmp_path / "labels.toml"
    path.write_text(LABELS_FROM_A_NODE, encoding="utf-8")
    app = BpdebugApp(None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_graph(path)
        await pilot.pause()
        assert app.screen.__class__.__name__ == "StartScreen"  # still there, nothing crashed
        assert any("forward pass" in said for said in app.screen.query_one("#notices").messages)
