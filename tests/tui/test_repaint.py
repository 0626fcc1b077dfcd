"""A step repaints only the lines it changed. Whatever it leaves alone must already be right:
after every key the screen must equal the one drawn when every panel is painted again whole."""

from __future__ import annotations

import asyncio

import pytest

import bpdebug
import bpdebug.render.layout
from bpdebug.core.graph import Graph
from bpdebug.formats.generated import random_scalar_graph
from bpdebug.tui.app import BpdebugApp
from tests.tui.helpers import debugger

GRAPHS = {
    "problem2": lambda: bpdebug.load("problem2"),
    "two_layer": lambda: bpdebug.load("two_layer"),
    "random_300": lambda: bpdebug.loads(random_scalar_graph(300, seed=5)),
    "random_300_dense": lambda: bpdebug.loads(random_scalar_graph(300, seed=5)),
}

# forward, a few steps back, on into the backward pass; a selection, a jump, a breakpoint
WALKS = {
    "problem2": ["n"] * 6 + ["p"] * 2 + ["tab", "n", "b", "n", "n", "end", "p", "p", "home", "n"],
    "two_layer": ["n"] * 9 + ["p"] * 3 + ["f", "n", "n", "shift+tab", "n", "p"],
    "random_300": ["n"] * 40 + ["p"] * 3 + ["n", "n", "f", "n", "n"],
    "random_300_dense": ["n"] * 30 + ["p"] * 3 + ["f", "n", "n"],
}


async def stale_frames(graph: Graph, keys: list[str], size: tuple[int, int]) -> list[str]:
    """The keys after which the screen differed from a whole repaint of it."""
    app = BpdebugApp(graph)
    stale = []
    async with app.run_test(size=size) as pilot:
        for k, key in enumerate(keys):
            await pilot.press(key)
            await pilot.pause()
            after_key = app.export_screenshot()
            screen = debugger(app)
            screen.graph_view.repaint()  # every line drawn again, from scratch
            screen.steps.repaint()
            screen.inspector.refresh()
            await pilot.pause()
            if app.export_screenshot() != after_key:
                stale.append(f"{k}:{key}")
    return stale


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_key_leaves_the_screen_a_whole_repaint_would_draw(
    name: str, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    if name.endswith("_dense"):  # laid out and painted as a graph of thousands of nodes is
        monkeypatch.setattr(bpdebug.render.layout, "SWEEP_NODES", 100)
    assert asyncio.run(stale_frames(GRAPHS[name](), WALKS[name], size)) == []
