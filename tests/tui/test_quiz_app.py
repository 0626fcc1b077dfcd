"""The quiz as a student meets it: asked before a step shows its numbers, hints, the score."""

from __future__ import annotations

import bpdebug
from bpdebug.teach.messages import set_language
from bpdebug.tui.app import BpdebugApp
from tests.tui.helpers import debugger, graph_text, inspector_text, type_at_once


def quiz_app(name: str = "problem2", lang: str = "en") -> BpdebugApp:
    return BpdebugApp(bpdebug.load(name, lang=lang), quiz=True)


def box_text(app) -> str:
    box = debugger(app).query_one("#quiz")
    if not box.display:
        return ""
    parts = [w for w in box.query("Static") if w.display]
    return "\n".join(str(w.render()) for w in parts)


def title_text(app) -> str:
    """The header: the title, and the quiz's score beside it."""
    screen = debugger(app)
    score = screen.query_one("#score")
    return str(screen.query_one("#title").render()) + (f" {score.render()}" if score.display else "")


async def answer(pilot, text: str) -> None:
    await pilot.press(*text, "enter")


async def test_a_forward_step_asks_its_value_before_showing_it() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        screen = debugger(app)
        assert screen.session.cursor == 0  # still before step 1: its number is not shown
        assert "apple_price = apple × apple_num = 100 × 2 = ?" in box_text(app)
        assert "200" not in graph_text(app) and "200" not in inspector_text(app)
        assert "Quiz: answer below" in inspector_text(app)
        await answer(pilot, "20")
        assert "✗ Not 20. Hint: work out 100 × 2" in box_text(app) and screen.session.cursor == 0
        await answer(pilot, "200")
        assert screen.session.cursor == 1 and "200" in graph_text(app)
        assert "✓ Right: apple_price = apple × apple_num = 100 × 2 = 200" in box_text(app)
        assert "score 0/1" in title_text(app)  # right, but not at the first try


async def test_an_answer_typed_in_the_same_instant_as_the_step_key_is_the_answer() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_at_once(pilot, "n200")
        assert debugger(app).query_one("#quiz-answer").value == "200"


async def test_text_that_is_not_a_number_counts_nothing_and_letters_are_typed_not_keys() -> None:
    app = quiz_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await answer(pilot, "np")  # n and p are letters here, not steps
        screen = debugger(app)
        assert screen.session.cursor == 0 and "'np' is not a number, so it counts nothing" in box_text(app)
        await answer(pilot, "200")
        assert "score 1/1" in title_text(app)  # the text did not count as a try


async def test_backward_asks_each_input_in_turn_and_escape_reveals() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = debugger(app)
        screen.set_quiz(False)
        await pilot.press("f")  # the forward pass, without questions
        screen.set_quiz(True)
        await pilot.press("n")
        said = box_text(app)
        assert "(1 of 2) Backward: what does price send back to all_price?" in said
        assert "∂L/∂all_price = 1 × ? = ?" in said and screen.session.cursor == 4
        await answer(pilot, "1.1")
        assert "✓ Right: 1 × 1.1 = 1.1" in box_text(app) and "(2 of 2)" in box_text(app)
        assert screen.session.cursor == 4  # the step is taken once both are answered
        await pilot.press("escape")
        assert "The answer: 1 × 650 = 650" in box_text(app) and screen.session.cursor == 5
        assert "score 0/1" in title_text(app)


async def test_a_step_answered_is_not_asked_again_and_stepping_back_and_jumping_still_work() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await answer(pilot, "200")
        screen = debugger(app)
        await pilot.press("p")
        assert screen.session.cursor == 0 and not box_text(app)
        await pilot.press("n")
        assert screen.session.cursor == 1 and not box_text(app)  # answered: not asked again
        await pilot.press("end")  # a jump: the step it lands on is asked
        assert screen.session.cursor == 7 and "∂L/∂apple = 1.1 × ? = ?" in box_text(app)
        await pilot.press("escape", "escape")
        assert screen.session.cursor == 8
        assert "Quiz done: 1 of 2 steps right at the first try." in box_text(app)
        assert "By kind of node: mul forward 1/1, mul backward 0/1" in box_text(app)
        assert "To review:" in box_text(app)


async def test_continue_stops_at_a_breakpoint_and_asks_there() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = debugger(app)
        screen.session.toggle_breakpoint("all_price")
        await pilot.press("c")
        assert screen.session.cursor == 2 and "200 + 450 = ?" in box_text(app)
        await answer(pilot, "650")
        assert screen.session.cursor == 3 and "score 1/1" in title_text(app)


async def test_the_palette_turns_the_quiz_on_and_off() -> None:
    app = BpdebugApp(bpdebug.load("problem2"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = debugger(app)
        assert not screen.quiz_on and "score" not in title_text(app)
        await pilot.press("ctrl+p", *"Quiz: on", "enter")
        await pilot.pause()
        assert screen.quiz_on and "score 0/0" in title_text(app)
        await pilot.press("n")
        assert screen.session.cursor == 0 and "100 × 2 = ?" in box_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"Quiz: off", "enter")
        await pilot.pause()
        await pilot.press("n")
        assert not screen.quiz_on and screen.session.cursor == 2 and not box_text(app)


async def test_an_edit_while_asked_asks_again_with_the_new_numbers() -> None:
    app = quiz_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        screen = debugger(app)
        screen.graph_view.focus()  # away from the answer: the debugger's keys work again
        await pilot.press("e", "ctrl+u", *"apple = 101", "enter")
        assert not box_text(app).startswith("Forward")
        await pilot.press("n")
        assert "101 × 2 = ?" in box_text(app)


async def test_shape_questions_on_the_two_layer_net() -> None:
    app = quiz_app("two_layer")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert "Affine1 = x · W1 + b1: shape?" in box_text(app)
        await answer(pilot, "4×2")
        assert "Hint: a dot product of N×K and K×M is N×M" in box_text(app)
        await answer(pilot, "2x4")
        assert debugger(app).session.cursor == 1 and "✓ Right: 2×4" in box_text(app)
        await pilot.press("n", "escape", "n", "escape", "n")  # ReLU and Affine2 revealed; the loss
        assert debugger(app).session.cursor == 4 and "Not asked: loss is one number" in box_text(app)


async def test_the_quiz_in_chinese() -> None:
    set_language("zh")
    app = quiz_app(lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        assert "正向传播：苹果价格 的值是多少？" in box_text(app)
        assert "苹果价格 = 苹果 × 苹果个数 = 100 × 2 = ?" in box_text(app)
        await answer(pilot, "２００")  # full-width digits, as a Chinese input method types them
        assert "✓ 答对了" in box_text(app) and "得分 1/1" in title_text(app)


async def test_a_graph_opened_from_the_start_screen_starts_with_the_quiz_on() -> None:
    app = BpdebugApp(None, quiz=True)  # bpdebug --quiz, with no graph named
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # the first bundled graph
        await pilot.press("n")
        screen = debugger(app)
        assert screen.quiz_on and screen.session.cursor == 0 and "= ?" in box_text(app)
