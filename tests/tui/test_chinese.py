"""The app in Chinese: every panel speaks it, and wide characters never push a line past the
terminal's edge at 80x24, 120x40 and 200x60."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

import bpdebug
from bpdebug.support.formatting import cell_width
from bpdebug.teach.messages import set_language
from bpdebug.tui.app import BpdebugApp
from bpdebug.tui.widgets.bars import KeyBar, StatusLine
from bpdebug.tui.widgets.graph_view import GraphView
from bpdebug.tui.widgets.inspector import Inspector
from bpdebug.tui.widgets.steps import StepsView
from tests.tui.helpers import debugger, graph_text, inspector_text, status_text


@pytest.fixture
def chinese():
    set_language("zh")
    yield
    set_language("en")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
@pytest.mark.parametrize("keys", [["end"], ["f", "n", "n"], ["f", "n", "n", "tab", "tab", "tab"]])
async def test_no_line_is_wider_than_the_terminal(chinese, size: tuple[int, int], keys: list[str]) -> None:
    app = BpdebugApp(bpdebug.load("problem2", lang="zh"))
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        screen = debugger(app)
        for kind in (GraphView, Inspector, StepsView, KeyBar, StatusLine):
            for widget in screen.query(kind):
                width = widget.size.width
                assert widget.region.right <= size[0], f"{kind.__name__} reaches past the edge"
                for y in range(widget.size.height):
                    strip = widget.render_line(y)
                    assert strip.cell_length <= width, (kind.__name__, y, strip.text)


async def test_the_debugger_speaks_chinese_with_the_books_terms(chinese) -> None:
    app = BpdebugApp(bpdebug.load("problem2", lang="zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "n")  # the output's backward step
        assert status_text(app) == "反向传播 · 第 5 步，共 8 步"
        assert "苹果" in graph_text(app) and "消费税" in graph_text(app)
        said = inspector_text(app)
        assert "上游传来的值  ∂L/∂支付金额 = 1" in said
        assert "局部导数  ∂支付金额/∂消费税 = 总价 = 650" in said
        assert "传给下游  ∂L/∂消费税 = ∂L/∂支付金额 × 总价" in said
        bar = str(debugger(app).query_one(KeyBar).render_line(0).text)
        assert "前进" in bar and "后退" in bar and "帮助" in bar


async def test_the_palette_speaks_chinese(chinese) -> None:
    app = BpdebugApp(bpdebug.load("problem2", lang="zh"))
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "退出" in titles and "配色" in titles and "前进一个节点" in titles
        assert not any(title.isascii() for title in titles)


def test_ambiguous_width_symbols_take_one_cell_as_rich_counts_them() -> None:
    """bpdebug's decision (docs/architecture.md): × · ∂ σ → ─ and the box lines are one cell,
    as in Unicode's default and in rich, which Textual draws with. Our layout and Textual's
    painting must agree on every symbol the graph and the formulas use."""
    for char in "×·∂σ→←▶◀─│╭╮╰╯├┤┬┴┼Σ√ᵀ′−":
        assert cell_width(char) == cell_len(char) == 1, char
    for char in "苹果消费税，：（）":
        assert cell_width(char) == cell_len(char) == 2, char
