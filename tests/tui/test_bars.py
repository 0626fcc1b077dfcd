"""The header's status line lines up by terminal cells, so Chinese text ends at the right edge."""

from __future__ import annotations

from textual.app import App, ComposeResult

from bpdebug.support.formatting import cell_width
from bpdebug.tui.widgets.bars import StatusLine


class StatusApp(App):
    CSS = "StatusLine { width: 30; height: 1; }"

    def compose(self) -> ComposeResult:
        yield StatusLine()


async def test_the_status_line_pads_by_cells_not_characters() -> None:
    app = StatusApp()
    async with app.run_test(size=(40, 3)) as pilot:
        status = app.query_one(StatusLine)
        for text in ("反向传播 · 第 3 步，共 8 步 ", "BACKWARD · step 5 of 8 "):
            status.text = text
            await pilot.pause()
            strip = status.render_line(0)
            assert strip.cell_length == 30
            assert strip.text == " " * (30 - cell_width(text)) + text


async def test_a_status_wider_than_the_line_keeps_its_end() -> None:
    app = StatusApp()
    async with app.run_test(size=(40, 3)) as pilot:
        status = app.query_one(StatusLine)
        status.text = "正向传播" * 10 + " · 第 3 步"
        await pilot.pause()
        strip = status.render_line(0)
        assert strip.cell_length == 30 and strip.text.endswith("第 3 步")
