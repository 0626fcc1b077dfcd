"""The app as a user meets it: keys and clicks through the Pilot, panels read as text."""

from __future__ import annotations

import pytest

import bpdebug
import bpdebug.formats.bundled
from bpdebug.formats.generated import random_scalar_graph
from bpdebug.tui.app import BpdebugApp
from bpdebug.tui.dialogs import HelpScreen, StartScreen
from bpdebug.tui.screens import DebuggerScreen
from tests.tui.helpers import debugger, graph_text, inspector_text, status_text, type_at_once


def app_for(name: str) -> BpdebugApp:
    return BpdebugApp(bpdebug.load(name))


async def test_stepping_through_problem2_shows_the_book_numbers() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        assert status_text(app) == "START · step 0 of 8"
        assert "Nothing is computed yet" in inspector_text(app)
        assert "715" not in graph_text(app) and "◀" not in graph_text(app)
        assert "100" in graph_text(app)  # leaves are given, so their values show

        await pilot.press("n", "n", "n", "n")
        assert status_text(app) == "FORWARD · step 4 of 8"
        assert "715" in graph_text(app) and "◀" not in graph_text(app)
        assert "= 650 × 1.1 = 715" in inspector_text(app)

        await pilot.press("n")
        assert status_text(app) == "BACKWARD · step 5 of 8"
        text = inspector_text(app)
        assert "L is the output, price: it receives ∂L/∂L = 1" in text
        assert "∂L/∂tax = ∂L/∂price × all_price" in text and "= 1 × 650 = 650" in text
        assert "◀ 650" in graph_text(app) and "◀ 1" in graph_text(app)
        assert "◀ 2.2" not in graph_text(app)

        await pilot.press("space", "right", "n")
        assert status_text(app) == "DONE · step 8 of 8"
        assert "∂L/∂apple = ∂L/∂apple_price × apple_num" in inspector_text(app)
        assert "= 1.1 × 2 = 2.2" in inspector_text(app)
        graph = graph_text(app)
        for grad in ("◀ 2.2", "◀ 110", "◀ 3.3", "◀ 165", "◀ 650"):
            assert grad in graph


async def test_stepping_back_restores_exactly_the_previous_screen() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(8):
            before = (graph_text(app), inspector_text(app), status_text(app))
            await pilot.press("n")
            await pilot.press("p")
            assert (graph_text(app), inspector_text(app), status_text(app)) == before
            await pilot.press("n")
        await pilot.press("left", "left")
        assert status_text(app) == "BACKWARD · step 6 of 8"


async def test_home_end_and_end_of_forward() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        assert status_text(app) == "FORWARD · step 4 of 8"
        await pilot.press("end")
        assert status_text(app) == "DONE · step 8 of 8"
        await pilot.press("home")
        assert status_text(app) == "START · step 0 of 8"


async def test_breakpoints_stop_continue_on_the_node() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "tab", "tab")  # all_price, the third node
        screen = debugger(app)
        assert screen.session.focus_node == "all_price"
        assert "all_price = apple_price + orange_price" in inspector_text(app)
        await pilot.press("b")
        assert screen.session.breakpoints == {"all_price"}
        await pilot.press("c")
        assert status_text(app) == "FORWARD · step 3 of 8"
        await pilot.press("c")
        assert status_text(app) == "BACKWARD · step 6 of 8"
        await pilot.press("c")
        assert status_text(app) == "DONE · step 8 of 8"
        await pilot.press("home", "tab", "tab", "tab", "b")
        assert screen.session.breakpoints == set()


async def test_clicking_a_node_selects_it_and_clicking_a_step_jumps() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = debugger(app)
        box = screen.graph_view.layout_.boxes["orange_price"]
        await pilot.click("#graph", offset=(box.x + 1, box.y))
        assert screen.session.focus_node == "orange_price"
        assert "not computed yet: its value appears at step 2" in inspector_text(app)
        await pilot.click("#steps", offset=(5, 4))  # the fifth step's row
        assert status_text(app) == "BACKWARD · step 5 of 8"


async def test_steps_panel_keys_jump_to_a_step() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "down", "down", "enter")
        assert status_text(app) == "FORWARD · step 3 of 8"
        await pilot.press("g", "n")
        assert status_text(app) == "FORWARD · step 4 of 8"


async def test_help_screen_lists_every_key() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        for words in ("Step forward", "Step back", "breakpoint", "Continue", "Quit", "ctrl+p"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, DebuggerScreen)


async def test_every_key_is_in_the_command_palette() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Step forward one node", "Continue to the next breakpoint", "Show this help"):
            assert title in titles
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Show this help"].endswith(": ?")
        assert helps["Step forward one node"].endswith(": n / space / →")


async def test_start_screen_lists_bundled_graphs_and_opens_one() -> None:
    app = BpdebugApp(None)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, StartScreen)
        about = str(app.screen.query_one("#about").render())
        assert "Problem 1" in about
        await pilot.press("down", "enter")
        assert isinstance(app.screen, DebuggerScreen)
        assert app.screen.session.trace.title.startswith("Problem 2")
        await pilot.press("n", "escape")  # back to the list, which still has problem 2 highlighted
        assert isinstance(app.screen, StartScreen)
        await pilot.press("down", "enter")
        assert app.screen.session.trace.title.startswith("Local computation")


async def test_a_formula_typed_on_the_start_screen_opens_its_graph() -> None:
    app = BpdebugApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"z = (x + y) ** 2; x = 1", "enter")
        assert isinstance(app.screen, StartScreen)  # y has no value: said under the box
        error = str(app.screen.query_one("#formula-error").render())
        assert error.startswith("no value for y") and "(y = 1)" in error
        await pilot.press(*"; y = 2", "enter")
        assert isinstance(app.screen, DebuggerScreen)
        assert app.screen.session.trace.title == "z = (x + y) ** 2; x = 1; y = 2"
        await pilot.press("end")
        assert app.screen.session.trace.grads["x"] == 6
        await pilot.press("escape")  # back to the start screen, the formula still in its box
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#formula-input").value.endswith("y = 2")


async def test_keys_typed_in_the_same_instant_as_e_go_into_the_box_it_opens() -> None:
    app = BpdebugApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, "ez 1")  # the start screen's formula box
        assert app.screen.query_one("#formula-input").value == "z 1"
        await pilot.press("e")  # in the box, e is a letter
        assert app.screen.query_one("#formula-input").value == "z 1e"
    app = app_for("problem2")
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, "fex 2")  # the what-if editor, no input selected: empty
        assert app.screen.query_one("#editor-input").value == "x 2"


async def test_a_wrong_formula_points_the_cursor_at_its_column() -> None:
    app = BpdebugApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"z = x + a.b", "enter")
        box = app.screen.query_one("#formula-input")
        assert str(app.screen.query_one("#formula-error").render()).startswith("column 9: an attribute")
        assert box.cursor_position == 8 and isinstance(app.screen, StartScreen)


async def test_escape_in_a_graph_opened_from_the_command_line_stays() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")
        assert isinstance(app.screen, DebuggerScreen)


async def test_the_screenshot_says_where_it_saved_or_why_not(tmp_path) -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    said: list[str] = []
    async with app.run_test(size=(100, 30)):
        app.notify = lambda message, **kwargs: said.append(message)  # what the user is told
        saved = app.deliver_screenshot("shot.svg", str(tmp_path))
        assert saved == str(tmp_path / "shot.svg") and (tmp_path / "shot.svg").read_text().startswith("<svg")
        assert said == [f"screenshot saved: {tmp_path / 'shot.svg'}"]
        missing = tmp_path / "no" / "such" / "folder"
        assert app.deliver_screenshot("shot.svg", str(missing)) is None
        assert said[1] == f"no screenshot: {missing} cannot be written (No such file or directory)"


async def test_a_tiny_terminal_says_so_and_recovers() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        screen = debugger(app)
        assert screen.has_class("-too-small")
        assert screen.query_one("#too-small").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        await pilot.press("n")
        assert status_text(app) == "FORWARD · step 1 of 8"


async def test_narrow_terminal_puts_the_inspector_under_the_graph() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = debugger(app)
        assert screen.has_class("-narrow")
        graph, inspector = (screen.query_one(f"#{name}-panel").region for name in ("graph", "inspector"))
        assert inspector.y >= graph.bottom and inspector.width == graph.width
        await pilot.press("end")
        assert "= 1.1 × 2 = 2.2" in inspector_text(app)


async def test_light_theme_renders() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-light"
        await pilot.press("end")
        await pilot.pause()
        assert "◀ 2.2" in graph_text(app)
        assert app.export_screenshot()


async def test_large_net_opens_and_steps() -> None:
    app = app_for("mnist_784_50_10")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert "[100×784]  (first 8×" in inspector_text(app)
        await pilot.press("end")
        assert status_text(app) == "DONE · step 8 of 8"
        assert "[784×50]" in graph_text(app)


async def test_the_inspector_says_where_its_view_is_in_a_long_text() -> None:
    app = app_for("mnist_784_50_10")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        inspector = debugger(app).inspector
        height = inspector.scrollable_content_region.height
        total = inspector.virtual_size.height
        assert total > height
        assert (
            debugger(app).query_one("#inspector-panel").border_subtitle
            == f"1–{height} of {total} ↓ · i scrolls"
        )
        await pilot.press("i", "down", "down")
        assert debugger(app).query_one("#inspector-panel").border_subtitle == f"3–{height + 2} of {total} ↑↓"
        await pilot.press("g", "home")  # a text that fits says nothing
        assert debugger(app).query_one("#inspector-panel").border_subtitle == ""


async def test_a_big_graph_says_where_its_view_is_instead_of_scrollbars() -> None:
    app = BpdebugApp(bpdebug.loads(random_scalar_graph(300, seed=5)))
    async with app.run_test(size=(120, 40)) as pilot:
        view = debugger(app).graph_view
        panel = debugger(app).query_one("#graph-panel")
        height, width = view.scrollable_content_region.height, view.scrollable_content_region.width
        rows, columns = view.virtual_size.height, view.virtual_size.width
        assert rows > height and columns > width
        assert panel.border_subtitle == (
            f"rows 1–{height} of {rows} ↓ · columns 1–{width} of {columns} → · shift+← shift+→ scroll"
        )
        assert not view.show_vertical_scrollbar or view.styles.scrollbar_size_vertical == 0
        await pilot.press(*["n"] * 40)  # the view follows the pass down and to the right
        top, left = int(view.scroll_y), int(view.scroll_x)
        assert (top, left) != (0, 0)
        assert f"rows {top + 1}–{top + height} of {rows}" in panel.border_subtitle
        assert f"columns {left + 1}–{left + width} of {columns}" in panel.border_subtitle
        await pilot.resize_terminal(80, 24)  # no bottom border there: the scrollbars say it
        await pilot.pause()
        assert view.styles.scrollbar_size_vertical == 1
        assert view.vertical_scrollbar.position == view.scroll_y > 0  # not left where it was hidden


async def test_watch_reloads_keeps_the_step_and_survives_a_broken_file(tmp_path) -> None:
    path = tmp_path / "shop.toml"
    source = (bpdebug.formats.bundled.bundled_path("problem2")).read_text(encoding="utf-8")
    path.write_text(source, encoding="utf-8")
    app = BpdebugApp(bpdebug.load(path), watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "n", "n")  # backward, at all_price
        assert status_text(app) == "BACKWARD · step 6 of 8"
        path.write_text(source.replace("apple = { value = 100", "apple = { value = 200"), encoding="utf-8")
        await app.check_file()
        await pilot.pause()
        assert status_text(app) == "BACKWARD · step 6 of 8"
        assert debugger(app).session.trace.values["price"] == pytest.approx(935)
        assert debugger(app).session.current_node == "all_price"

        path.write_text(source.replace('op = "add"', 'op = "ad"'), encoding="utf-8")
        await app.check_file()
        await pilot.pause()
        error = debugger(app).query_one("#file-error")
        assert error.display and "unknown op 'ad'" in str(error.render())
        assert debugger(app).session.trace.values["price"] == pytest.approx(935)  # the last good one
        await pilot.press("n")
        assert status_text(app) == "BACKWARD · step 7 of 8"

        path.write_text(source, encoding="utf-8")
        await app.check_file()
        await pilot.pause()
        assert not debugger(app).query_one("#file-error").display
        assert debugger(app).session.trace.values["price"] == pytest.approx(715)
        assert "Problem 2" in str(debugger(app).query_one("#title").render())
        assert status_text(app) == "BACKWARD · step 7 of 8"


async def test_nan_is_marked_and_explained_in_the_app() -> None:
    graph = bpdebug.loads(
        '[inputs]\nx = 0\n[[nodes]]\nid = "l"\nop = "log"\ninputs = ["x"]\n'
        '[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["l", 2]\n'
    )
    app = BpdebugApp(graph)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not debugger(app).session.is_bad("l")  # nothing computed yet, nothing to flag
        await pilot.press("n")
        assert debugger(app).session.is_bad("l")
        assert "⚠ the first nan or inf appears at step 1: the value of 'l' (log)" in inspector_text(app)
        assert "-inf" in graph_text(app)


async def test_the_key_bar_is_clickable() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        bar = debugger(app).query_one("#keys")
        first, _, action = bar._spans[0]
        assert action == "step_forward"
        await pilot.click("#keys", offset=(first + 1, 0))
        assert status_text(app) == "FORWARD · step 1 of 8"
        help_span = next(s for s in bar._spans if s[2] == "help")
        await pilot.click("#keys", offset=(help_span[0] + 1, 0))
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("name", [g.name for g in bpdebug.formats.bundled.bundled_graphs()])
async def test_the_inspector_text_reads_the_same_parsed_line_by_line(name: str) -> None:
    """The inspector parses and caches its markup a line at a time: no style may span lines."""
    from textual.content import Content

    from bpdebug.tui.widgets.inspector import _line_content

    app = app_for(name)
    async with app.run_test(size=(120, 40)):
        screen = debugger(app)
        for cursor in range(screen.session.total + 1):
            screen.session.go(cursor)
            for node in [screen.session.current_node, *screen.session.trace.graph.leaves][:4]:
                if node is not None:
                    screen.session.select(node)
                markup = screen.inspector.text()
                whole = Content.from_markup(markup).plain
                assert "\n".join(Content.from_markup(line).plain for line in markup.split("\n")) == whole
                for line in markup.split("\n"):  # the quick way to parse a line, checked
                    quick, full = _line_content(line), Content.from_markup(line)
                    assert [(t, str(s)) for t, s in quick.render()] == [(t, str(s)) for t, s in full.render()]


async def test_z_shows_the_graph_alone_and_every_gradient_of_the_finished_problem() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "z")
        screen = app.screen
        assert (
            not screen.query_one("#inspector-panel").display and not screen.query_one("#steps-panel").display
        )
        graph = graph_text(app)
        for grad in ("◀ 2.2", "◀ 110", "◀ 3.3", "◀ 165", "◀ 650"):
            assert grad in graph
        await pilot.press("z")
        assert screen.query_one("#inspector-panel").display


async def test_r_tables_every_inputs_gradient_as_far_as_the_pass_has_come() -> None:
    from bpdebug.tui.dialogs import GradientsScreen

    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "n", "r")
        assert isinstance(app.screen, GradientsScreen)
        text = str(app.screen.query_one("Static").render())
        assert "tax         650" in text and "apple       not sent back yet" in text
        await pilot.press("escape", "end", "r")
        text = str(app.screen.query_one("Static").render())
        assert all(f"{n}" in text for n in ("2.2", "110", "3.3", "165", "650"))


async def test_the_palette_offers_no_maximize_that_shows_an_empty_screen() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Maximize" not in titles and any("graph alone" in t for t in titles)


async def test_an_input_can_be_selected_but_takes_no_breakpoint() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end", *["tab"] * 8)  # from apple_price (the last step) past the nodes to tax
        assert app.screen.session.focus_node == "tax"
        assert "∂L/∂tax" in inspector_text(app) and "650" in inspector_text(app)
        await pilot.press("b")
        assert app.screen.session.breakpoints == set()


async def test_shift_arrows_scroll_the_graph_sideways_and_the_border_names_them() -> None:
    app = BpdebugApp(bpdebug.loads(random_scalar_graph(60, seed=1)))  # wider than the screen
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end")
        view = app.screen.graph_view
        assert view.scroll_x == 0 and "shift+→" in str(app.screen.query_one("#graph-panel").border_subtitle)
        cursor = app.screen.session.cursor
        await pilot.press("shift+right")
        assert view.scroll_x > 0 and app.screen.session.cursor == cursor  # scrolled, did not step
        await pilot.press("shift+left")
        assert view.scroll_x == 0


TWICE = """
title = "x used twice"
output = "y"
[inputs]
x = 3
[[nodes]]
id = "sq"
op = "mul"
inputs = ["x", "x"]
[[nodes]]
id = "y"
op = "add"
inputs = ["sq", "x"]
"""


async def test_an_input_used_twice_shows_its_total_with_its_parts() -> None:
    from bpdebug.tui.dialogs import GradientsScreen

    app = BpdebugApp(bpdebug.loads(TWICE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "n")  # y has sent x its 1; sq has not sent its 6 yet
        assert "◀ 7" not in graph_text(app)
        await pilot.press("n")
        assert "◀ 7 = 6 + 1" in graph_text(app)  # in the order the graph draws x's edges
        await pilot.press("r")
        assert isinstance(app.screen, GradientsScreen)
        assert "7 = 6 + 1" in str(app.screen.query_one("Static").render())
        await pilot.press("escape", "p")
        assert "◀ 7" not in graph_text(app)  # stepping back takes the total away again


def label_styles(app, text: str) -> list:
    """The styles of the graph's segments that show *text*, on the rows in view."""
    view = debugger(app).graph_view
    found = []
    for y in range(view.size.height):
        for segment in view.render_line(y):
            if text in segment.text:
                found.append(segment.style)
    return found


async def test_what_a_step_just_wrote_stands_out_by_more_than_bold() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")  # price = 715 was just computed
        assert [style.reverse for style in label_styles(app, "715")] == [True]
        assert not any(style.reverse for style in label_styles(app, "650"))  # computed before
        await pilot.press("n")  # price sends 1.1 and 650 back: the gradients are the news now
        assert not any(style.reverse for style in label_styles(app, "715"))
        assert any(style.reverse for style in label_styles(app, "◀ 650"))


async def test_e_edits_an_input_the_cursor_stays_and_u_undoes() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "n", "n", *["tab"] * 4)  # at step 6, the input orange selected
        await pilot.press("e")
        field = app.screen.query_one("#editor-input")
        assert field.value == "orange = 150"  # prefilled with the selected input
        await pilot.press("ctrl+u", *"apple = 101", "enter")
        screen = debugger(app)
        assert screen.session.cursor == 6 and screen.session.trace.values["price"] == pytest.approx(717.2)
        said = str(screen.query_one("#whatif").render())
        assert "price 715 → 717.2, Δ +2.2; predicted ∂price/∂apple × Δapple = 2.2 × 1 = +2.2" in said
        assert "edited: apple = 101" in str(screen.query_one("#title").render())
        await pilot.press("u")
        assert screen.session.trace.values["price"] == pytest.approx(715) and screen.session.cursor == 6
        assert "edited" not in str(screen.query_one("#title").render())


async def test_a_bad_edit_keeps_the_trace_and_says_why_in_the_editor() -> None:
    app = app_for("problem2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "e", *"apple = lots", "enter")
        screen = debugger(app)
        assert screen.editor_is_open() and "'lots' is not a number" in str(
            screen.query_one("#editor-note").render()
        )
        assert screen.session.cursor == 4 and screen.session.trace.values["price"] == pytest.approx(715)
        await pilot.press("n")  # a letter to type, not a step
        assert screen.session.cursor == 4
        await pilot.press("escape")
        assert not screen.editor_is_open() and isinstance(app.screen, DebuggerScreen)
        await pilot.press("n")
        assert screen.session.cursor == 5
