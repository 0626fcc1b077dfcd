"""The quiz: what each step asks, how an answer is read, and the score by kind of node."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bpdebug
from bpdebug.support.formatting import fmt_num
from bpdebug.teach.messages import set_language
from bpdebug.teach.quiz import NOT_AN_ANSWER, RIGHT, WRONG, Question, Quiz, check, questions, read_number


def _asked(name: str, lang: str = "en") -> dict[int, list[Question]]:
    trace = bpdebug.run(bpdebug.load(name, lang=lang))
    return {k: questions(trace, k) for k in range(1, len(trace.steps) + 1)}


def test_problem2_asks_the_book_numbers_forward_then_each_input_backward() -> None:
    asked = _asked("problem2")
    first = asked[1][0]
    assert first.equation == "apple_price = apple × apple_num = 100 × 2 = ?" and first.answer == 200
    assert first.prompt == "Forward: what value does apple_price get?"
    assert [len(asked[k]) for k in range(1, 9)] == [1, 1, 1, 1, 2, 2, 2, 2]
    price_back = asked[5]  # the output's step: upstream 1
    assert [q.equation for q in price_back] == ["∂L/∂all_price = 1 × ? = ?", "∂L/∂tax = 1 × ? = ?"]
    apple_back = asked[8]
    # the local derivative's formula is given, its number is not
    assert "local derivative ∂apple_price/∂apple = apple_num" in apple_back[0].prompt
    assert "= 2" not in apple_back[0].prompt.split("local derivative")[1]
    assert apple_back[0].hint == "∂L/∂apple = upstream × local derivative = 1.1 × 2"
    numbers = [q.answer for k in (4, 5, 7, 8) for q in asked[k]]
    assert numbers == pytest.approx([715, 1.1, 650, 3.3, 165, 2.2, 110])


def test_arrays_ask_their_shape_and_a_loss_made_of_arrays_asks_nothing() -> None:
    asked = _asked("two_layer")
    affine = asked[1][0]
    assert affine.wants_shape and affine.answer == (2, 4)
    assert affine.equation == "Affine1 = x · W1 + b1: shape?" and "x 2×3, W1 3×4, b1 4" in affine.prompt
    assert asked[4] == []  # the loss: a number worked out of arrays
    back = {q.equation: q.answer for q in asked[8]}
    assert back == {"∂L/∂W1: shape?": (3, 4), "∂L/∂b1: shape?": (4,)}


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("200", RIGHT),
        ("200.0", RIGHT),
        ("２００", RIGHT),  # a Chinese input method's full-width digits
        (" 2e2 ", RIGHT),
        ("200.01", RIGHT),  # the same at the 4 digits shown
        ("201", WRONG),
        ("-200", WRONG),
        ("abc", NOT_AN_ANSWER),
        ("", NOT_AN_ANSWER),
        ("1,100", NOT_AN_ANSWER),
        ("inf", NOT_AN_ANSWER),
        ("2/0", NOT_AN_ANSWER),
    ],
)
def test_an_answer_is_read_at_the_precision_shown(typed: str, verdict: str) -> None:
    assert check(_asked("problem2")[1][0], typed) == verdict


def test_a_fraction_and_the_shown_digits_are_right_but_fewer_digits_are_not() -> None:
    third = Question("", "", 1 / 3, "1/3", "")
    assert [check(third, t) for t in ("1/3", "0.3333", "0.333333", "−0.3333", "0.333")] == [
        RIGHT,
        RIGHT,
        RIGHT,
        WRONG,
        WRONG,
    ]


def test_a_shape_may_be_written_the_ways_numpy_and_the_book_write_it() -> None:
    shape = Question("", "", (784, 50), "784×50", "")
    for typed in ("784×50", "784x50", "(784, 50)", "784 50", "784*50", "７８４×５０"):
        assert check(shape, typed) == RIGHT, typed
    assert check(shape, "50×784") == WRONG
    assert check(shape, "big") == NOT_AN_ANSWER


@given(st.floats(min_value=-1e300, max_value=1e300))  # 1.798e308, rounded up, is no float
def test_the_number_as_the_app_writes_it_is_always_right(x: float) -> None:
    assert check(Question("", "", x, "", ""), fmt_num(x)) == RIGHT


@given(st.text(max_size=40))
def test_reading_any_text_gives_a_number_or_none(text: str) -> None:
    number = read_number(text)
    assert number is None or math.isfinite(number)


def test_the_score_counts_steps_right_at_the_first_try_and_the_summary_names_what_to_review() -> None:
    trace = bpdebug.run(bpdebug.load("problem2"))
    quiz = Quiz()
    assert quiz.score_text() == "score 0/0"
    quiz.record(trace.steps[0])  # apple_price forward, right
    quiz.record(trace.steps[1], missed=questions(trace, 2)[0])  # orange_price forward, missed
    quiz.record(trace.steps[7], missed=questions(trace, 8)[1])  # apple_price backward, missed
    quiz.record(trace.steps[6])  # orange_price backward, right
    assert quiz.score() == (2, 4) and quiz.score_text() == "score 2/4"
    assert quiz.answered(trace.steps[0]) and not quiz.answered(trace.steps[2])
    assert quiz.to_ask(trace, 1) == [] and len(quiz.to_ask(trace, 3)) == 1
    summary = quiz.summary()
    assert summary[0] == "Quiz done: 2 of 4 steps right at the first try."
    assert summary[1] == "By kind of node: mul forward 1/2, mul backward 1/2"
    assert summary[2] == "To review:"
    assert summary[3] == "· mul forward, as in orange_price = orange × orange_num = 150 × 3 = 450"
    assert summary[4].startswith("· mul backward: A multiply node sends back the upstream signal times")


def test_a_perfect_run_has_nothing_to_review() -> None:
    trace = bpdebug.run(bpdebug.load("problem1"))
    quiz = Quiz()
    for step in trace.steps:
        quiz.record(step)
    assert quiz.summary()[-1] == "Nothing to review: every step was right at the first try."


def test_the_quiz_speaks_chinese_with_the_books_terms() -> None:
    set_language("zh")
    asked = _asked("problem2", "zh")
    assert asked[1][0].prompt.startswith("正向传播：")
    assert "上游传来的值" in asked[8][0].prompt and "局部导数" in asked[8][0].prompt
    quiz = Quiz()
    trace = bpdebug.run(bpdebug.load("problem2", lang="zh"))
    quiz.record(trace.steps[7], missed=asked[8][0])
    assert quiz.score_text() == "得分 0/1"
    assert quiz.summary()[1] == "按节点类型：mul 反向传播 0/1"
