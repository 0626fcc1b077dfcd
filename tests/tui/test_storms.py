"""Rough terminals: resize storms, key mashing, big graphs, huge and wide labels. No crash, and
once the size is sane again the screen is what a fresh app shows at the same step."""

from __future__ import annotations

import random

import bpdebug
from bpdebug.formats.generated import random_scalar_graph
from bpdebug.tui.app import BpdebugApp
from tests.tui.helpers import debugger, graph_text, inspector_text, status_text


def panels(app) -> tuple[str, str, str]:
    return graph_text(app), inspector_text(app), status_text(app)


async def fresh_panels(graph, cursor: int, size: tuple[int, int]) -> tuple[str, str, str]:
    app = BpdebugApp(graph)
    async with app.run_test(size=size) as pilot:
        debugger(app).session.go(cursor)
        debugger(app).update_view()
        await pilot.pause()
        return panels(app)


async def test_resize_storm_while_stepping() -> None:
    graph = bpdebug.load("two_layer")
    app = BpdebugApp(graph)
    rng = random.Random(7)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(40):
            await pilot.resize_terminal(rng.randint(10, 200), rng.randint(5, 60))
            await pilot.press(rng.choice(["n", "n", "p", "f", "end", "home"]))
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        screen = debugger(app)
        assert not screen.has_class("-too-small")
        for widget in (screen.graph_view, screen.inspector, screen.steps):
            assert widget.region.right <= 120 and widget.region.bottom <= 40 and widget.region.width > 0
        assert not screen.graph_view.region.overlaps(screen.inspector.region)
        cursor = screen.session.cursor
        after = panels(app)
    assert after == await fresh_panels(graph, cursor, (120, 40))


async def test_key_mashing_never_crashes() -> None:
    app = BpdebugApp(bpdebug.load("problem2", lang="zh"))
    keys = [
        "n",
        "p",
        "f",
        "b",
        "c",
        "tab",
        "shift+tab",
        "home",
        "end",
        "s",
        "g",
        "question_mark",
        "escape",
        "left",
        "right",
        "up",
        "down",
        "enter",
        "space",
        "pagedown",
        "x",
        "1",
    ]
    rng = random.Random(3)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.press(rng.choice(keys))
        await pilot.press("escape", "g", "end")  # close the help screen if the mashing left it open
        assert "DONE" in status_text(app)


async def test_a_2000_node_graph_opens_steps_and_scrolls() -> None:
    graph = bpdebug.loads(random_scalar_graph(2000, seed=1))
    app = BpdebugApp(graph)
    async with app.run_test(size=(120, 40)) as pilot:
        total = debugger(app).session.total
        await pilot.press("n", "n", "f", "n", "end", "p", "home")
        assert status_text(app) == f"START · step 0 of {total}"
        await pilot.press("end")
        assert status_text(app) == f"DONE · step {total} of {total}"
        view = debugger(app).graph_view
        assert view.virtual_size.width > 1000  # wide, and only the visible part is painted
        assert "◀" in "".join(view.render_line(y).text for y in range(view.size.height))


async def test_huge_and_wide_labels() -> None:
    long_cjk = "梯度" * 150  # 300 characters, 600 cells
    text = f"""
    title = "{"长" * 300}"
    [inputs]
    x = {{ value = 2, label = "{long_cjk}" }}
    y = {{ value = 3, label = "{"w" * 300}" }}
    [[nodes]]
    id = "z"
    op = "mul"
    inputs = ["x", "y"]
    label = "{long_cjk}"
    """
    graph = bpdebug.loads(text)
    for size in ((80, 24), (40, 12), (200, 60)):
        app = BpdebugApp(graph)
        async with app.run_test(size=size) as pilot:
            await pilot.press("n", "n", "n")
            assert "DONE" in status_text(app)
            assert "= 2 × 3 = 6" in inspector_text(app)
            view = debugger(app).graph_view
            box = view.layout_.boxes["z"]
            assert len(box.caption) <= 16  # clipped with …, the inspector has the whole name
