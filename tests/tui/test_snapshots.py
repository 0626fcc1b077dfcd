"""Screenshots of real screens (SVG), compared with the ones stored in tests/tui/snapshots/.

A missing snapshot is written and the test fails, so a new one is always looked at; run with
UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change. On a mismatch the new screen is
written beside the stored one as NAME.actual.svg, to open in a browser and compare.
The suite pins textual (pyproject's test extra) because its SVG output changes between versions.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

import bpdebug
from bpdebug.teach.messages import set_language
from bpdebug.tui.app import BpdebugApp

SNAPSHOTS = Path(__file__).parent / "snapshots"

CASES = {
    "problem2_start_120x40": ("problem2", (120, 40), []),
    "problem2_forward_end_120x40": ("problem2", (120, 40), ["f"]),
    "problem2_done_120x40": ("problem2", (120, 40), ["end"]),
    "problem2_start_80x24": ("problem2", (80, 24), []),
    "problem2_forward_end_80x24": ("problem2", (80, 24), ["f"]),
    "problem2_done_80x24": ("problem2", (80, 24), ["end"]),
    "problem2_zh_done_120x40": ("problem2", (120, 40), ["end"], "zh"),
    "problem2_zh_done_80x24": ("problem2", (80, 24), ["end"], "zh"),
    "problem2_zh_backward_200x60": ("problem2", (200, 60), ["f", "n", "n"], "zh"),
    "two_layer_zh_done_100x30": ("two_layer", (100, 30), ["end"], "zh"),
    "sigmoid_nodes_backward_120x40": ("sigmoid_nodes", (120, 40), ["f", "n", "n", "n"]),
    "two_layer_done_120x40": ("two_layer", (120, 40), ["end"]),
    "two_layer_backward_80x24": ("two_layer", (80, 24), ["f", "n", "n"]),
    "problem2_graph_only_80x24": ("problem2", (80, 24), ["end", "z"]),
    "problem2_gradients_80x24": ("problem2", (80, 24), ["f", "n", "n", "r"]),
    # a classroom screen: the graph takes the width, the inspector and the steps go below it
    "problem2_done_100x30": ("problem2", (100, 30), ["end"]),
    "two_layer_done_100x30": ("two_layer", (100, 30), ["end"]),
    # small arrays written out on the edges: the switch is visible
    "relu_backward_120x40": ("relu", (120, 40), ["f", "n", "n", "n"]),
    # what-if: an input edited, the change beside the gradient's prediction
    "problem2_whatif_120x40": ("problem2", (120, 40), ["f", "n", "e", "ctrl+u", *"apple = 101", "enter"]),
    "problem2_zh_whatif_80x24": ("problem2", (80, 24), ["end", "e", "ctrl+u", *"tax = 1.2", "enter"], "zh"),
    # the quiz: a backward question after a right answer, a hint after a wrong one, the summary
    "problem2_quiz_backward_120x40": (
        "problem2",
        (120, 40),
        ["f", *"715", "enter", "n", *"1.1", "enter"],
        "en",
        True,
    ),
    "problem2_zh_quiz_hint_80x24": ("problem2", (80, 24), ["n", *"20", "enter"], "zh", True),
    "problem2_quiz_summary_100x30": ("problem2", (100, 30), ["end", "escape", "escape"], "en", True),
    "two_layer_quiz_shape_100x30": ("two_layer", (100, 30), ["end"], "en", True),
    # the start screen (no graph named): a formula typed, and what is wrong with it
    "start_formula_error_80x24": (None, (80, 24), ["e", *"z = x + a.b", "enter"]),
    "start_zh_formula_error_120x40": (None, (120, 40), ["e", *"z = (x + y) ** 2", "enter"], "zh"),
    "formula_zh_done_80x24": (None, (80, 24), ["e", *"z = (x + y) ** 2; x = 1; y = 2", "enter", "end"], "zh"),
}


async def screenshot(
    name: str | None, size: tuple[int, int], keys: list[str], lang: str = "en", quiz: bool = False
) -> str:
    set_language(lang)
    try:
        app = BpdebugApp(None if name is None else bpdebug.load(name, lang=lang), quiz=quiz)
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            return app.export_screenshot(title=name or "bpdebug")
    finally:
        set_language("en")


def _picture(svg: str) -> str:
    """The SVG without its id, a hash of how the text was cut into segments (not of what it
    shows): two screens that look the same compare equal."""
    return re.sub(r"terminal-\d+", "terminal", svg)


@pytest.mark.parametrize("case", sorted(CASES))
def test_snapshot(case: str) -> None:
    svg = asyncio.run(screenshot(*CASES[case]))
    stored = SNAPSHOTS / f"{case}.svg"
    actual = SNAPSHOTS / f"{case}.actual.svg"
    if os.environ.get("UPDATE_SNAPSHOTS") or not stored.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        stored.write_text(svg, encoding="utf-8")
        actual.unlink(missing_ok=True)
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            pytest.fail(f"wrote a new snapshot {stored.name}: look at it, then run again")
        return
    if _picture(svg) != _picture(stored.read_text(encoding="utf-8")):
        actual.write_text(svg, encoding="utf-8")
        pytest.fail(f"{case} differs from its snapshot; see {actual}")
    actual.unlink(missing_ok=True)
