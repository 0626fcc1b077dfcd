"""The graph takes width first: the arrangement alone, then the book's graphs on a classroom
screen, where every input's name and every gradient must be in view without scrolling."""

from __future__ import annotations

import pytest

import bpdebug
from bpdebug.tui.app import BpdebugApp
from bpdebug.tui.arrangement import INSPECTOR_MAX, arrange
from tests.tui.helpers import debugger


def test_a_graph_that_leaves_room_gets_the_inspector_beside_it() -> None:
    plan = arrange(120, 40, 71, 16)
    assert plan.mode == "beside" and plan.inspector_width == 120 - 71 - 2  # the side borders
    assert arrange(200, 60, 71, 16).inspector_width == INSPECTOR_MAX


def test_a_wide_graph_gets_the_width_and_the_inspector_goes_below() -> None:
    plan = arrange(100, 30, 71, 16)
    assert plan.mode == "below" and plan.graph_rows == 17  # and the top border
    assert arrange(100, 30, 100, 16).mode == "below"  # no side borders below


def test_narrow_screens_stack_and_huge_graphs_scroll_beside_the_inspector() -> None:
    assert arrange(80, 24, 71, 16).mode == "stacked"
    assert arrange(120, 40, 900, 400).mode == "beside"


BOOK = ["problem1", "problem2", "chain_rule", "affine_batch", "two_layer"]


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
@pytest.mark.parametrize("name", BOOK)
async def test_the_finished_book_graphs_fit_a_classroom_screen(name: str, size: tuple[int, int]) -> None:
    app = BpdebugApp(bpdebug.load(name))
    async with app.run_test(size=size) as pilot:
        await pilot.press("end")
        await pilot.pause()
        view = debugger(app).graph_view
        width, height = view.scrollable_content_region.size
        assert (view.scroll_x, view.scroll_y) == (0, 0)
        assert width >= view.layout_.width, f"{name} at {size}: graph cut at {width} of {view.layout_.width}"
        assert height >= view.layout_.height, f"{name} at {size}: {height} rows of {view.layout_.height}"
        steps = debugger(app).steps
        assert steps.size.height >= 3  # the steps list shows several steps, not one line
