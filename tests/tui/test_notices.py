"""Notices (what Textual would show as toasts) in a line of their own above the keys: whole in
Chinese wherever the panels' borders run, gone after their time or at a click."""

from __future__ import annotations

import bpdebug
from bpdebug.teach.explain import in_place_warnings
from bpdebug.teach.messages import set_language
from bpdebug.tui.app import BpdebugApp
from bpdebug.tui.widgets.notices import MOST, Notices
from tests.core.test_user_layers import NET, net_graph
from tests.tui.helpers import screen_lines, type_at_once


async def test_a_chinese_warning_is_on_screen_whole_where_toasts_lost_characters(files) -> None:
    set_language("zh")
    try:
        graph = bpdebug.load(files("g.toml", net_graph("Relu")), layers=[files("net.py", NET)], lang="zh")
        trace = bpdebug.run(graph)
        (warning,) = in_place_warnings(trace)  # the book's Relu.backward writes into dout
        app = BpdebugApp(trace)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            notices = app.screen.query_one(Notices)
            assert notices.messages == [warning] and not app._notifications  # no toast
            rows = range(notices.region.y, notices.region.bottom)
            shown = "".join(screen_lines(app)[y].replace("▌", "") for y in rows)
            # spaces aside (a wrapped line's break, the padding): a blanked character would be missing
            assert "".join(shown.split()) == "".join(warning.split())
    finally:
        set_language("en")


async def test_notices_go_after_their_time_or_at_a_click() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(80, 24)) as pilot:
        notices = app.screen.query_one(Notices)
        assert not notices.display
        app.notify("short", timeout=0.2)
        app.notify("long", timeout=30)
        await pilot.pause()
        assert notices.messages == ["short", "long"] and notices.display
        await pilot.pause(0.5)
        assert notices.messages == ["long"]
        await pilot.click(Notices)
        await pilot.pause()
        assert notices.messages == [] and not notices.display


async def test_the_newest_notices_are_kept() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(80, 24)) as pilot:
        for n in range(MOST + 2):  # all in one tick: removals still under way count for nothing
            app.notify(f"notice {n}", severity="warning")
        await pilot.pause()
        notices = app.screen.query_one(Notices)
        assert notices.messages == [f"notice {n}" for n in range(2, MOST + 2)]
        assert [str(child.content) for child in notices.children] == notices.messages


async def test_a_key_typed_after_q_says_nothing_and_breaks_nothing() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, "qu")  # u has nothing to undo: a notice while the app quits
        await pilot.pause()
    assert app.return_code == 0
