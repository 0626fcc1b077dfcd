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
    assert "                     → tax: ∂L/∂tax = ∂L/∂price × all_price = 1 × 650 = 650" in lines
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
            for item in sent_items(trace.graph, step):
                assert f"→ {item.name}: {item.sent_formula} = {item.arithmetic}" in text


def test_softmax_with_loss_shows_its_y_and_n_and_sends_y_minus_t_over_n() -> None:
    text = table("softmax_with_loss")
    assert "y = softmax(x) = [2×3: 0.01821, 0.2452, 0.7366, …]" in text
    assert "N = 2, the number of samples in the batch" in text
    assert "→ x: ∂L/∂x = ∂L/∂loss × (y − t) / N" in text
