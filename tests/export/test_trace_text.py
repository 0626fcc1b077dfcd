"""The --trace table, read as its reader would: the book's numbers, and the same explanations
the inspector is built from."""

from __future__ import annotations

import io

import pytest

import bpdebug
from bpdebug.core.trace import BackwardStep
from bpdebug.export.trace_text import print_trace
from bpdebug.formats.bundled import bundled_graphs
from bpdebug.teach.explain import sent_items

SMALL = [g.name for g in bundled_graphs() if g.name != "mnist_784_50_10"]


def table(name: str) -> str:
    out = io.StringIO()
    print_trace(bpdebug.run(bpdebug.load(name)), out)
    return out.getvalue()


def test_problem2_reads_as_the_book_draws_it() -> None:
    lines = table("problem2").splitlines()
    assert "output: price = 715" in lines
    assert "    4  price         price = all_price × tax = 650 × 1.1 = 715" in lines
    at = lines.index("                     → tax")
    assert lines[at + 1 : at + 3] == [
        "                       local derivative  ∂price/∂tax = all_price = 650",
        "                       sent back  ∂L/∂tax = ∂L/∂price × all_price = 1 × 650 = 650",
    ]
    assert lines[lines.index("GRADIENTS of price") + 1 :] == [
        "  ∂L/∂apple       2.2",
        "  ∂L/∂apple_num   110",
        "  ∂L/∂orange      3.3",
        "  ∂L/∂orange_num  165",
        "  ∂L/∂tax         650",
    ]


@pytest.mark.parametrize("name", SMALL)
def test_every_backward_step_says_what_it_sends_with_the_same_explanations(name: str) -> None:
    text = table(name)
    trace = bpdebug.run(bpdebug.load(name))
    for step in trace.steps:
        if isinstance(step, BackwardStep):
            assert "upstream ∂L/∂" in text
            for item in sent_items(trace.graph, step):
                assert f"→ {item.name}\n" in text
                assert f"sent back  {item.sent_formula} = {item.arithmetic}" in text
                if item.local_formula:
                    assert f"local derivative  {item.local_formula}" in text


def test_the_trace_speaks_chinese_with_the_books_terms() -> None:
    from bpdebug.teach.messages import set_language

    set_language("zh")
    try:
        out = io.StringIO()
        print_trace(bpdebug.run(bpdebug.load("problem2", lang="zh")), out)
        text = out.getvalue()
    finally:
        set_language("en")
    assert "输出：支付金额 = 715" in text and "\n正向传播\n" in text
    assert "上游传来的值 ∂L/∂支付金额 = 1" in text
    assert "局部导数  ∂支付金额/∂消费税 = 总价 = 650" in text
    assert "传给下游  ∂L/∂消费税 = ∂L/∂支付金额 × 总价 = 1 × 650 = 650" in text


def test_softmax_with_loss_shows_its_y_and_n_and_sends_y_minus_t_over_n() -> None:
    text = table("softmax_with_loss")
    assert "y = softmax(x) = [[0.01821 0.2452 0.7366] [0.5465 0.3315 0.122]]" in text
    assert "N = 2, the number of samples in the batch" in text
    assert "sent back  ∂L/∂x = ∂L/∂loss × (y − t) / N" in text


def test_arrays_are_written_out_small_and_summarised_big() -> None:
    relu = table("relu")
    assert "y = max(0, x) = max(0, [[1 -0.5] [-2 3]]) = [[1 0] [0 3]]" in relu
    assert "∂L/∂x  [[0.5 0] [0 2]]" in relu  # the switch: x's negative entries get 0
    mnist = table("mnist_784_50_10")
    assert "= [100×50: " in mnist and "min " in mnist and "norm " in mnist


def test_a_gradient_made_of_parts_is_written_as_their_sum() -> None:
    graph = bpdebug.loads(
        'output = "y"\n[inputs]\nx = 3\n[[nodes]]\nid = "sq"\nop = "mul"\ninputs = ["x", "x"]\n'
        '[[nodes]]\nid = "y"\nop = "add"\ninputs = ["sq", "x"]\n'
    )
    out = io.StringIO()
    print_trace(bpdebug.run(graph), out)
    assert "∂L/∂x  7 = 6 + 1" in out.getvalue()
