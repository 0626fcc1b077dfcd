"""The book's sentence made live: an edit's change beside the gradient's prediction."""

from __future__ import annotations

import pytest

import bpdebug
from bpdebug.core.edits import EditError
from bpdebug.support.errors import GraphError
from bpdebug.teach.whatif import WhatIf


def test_a_linear_edit_is_predicted_exactly_and_stacks_and_undoes() -> None:
    graph = bpdebug.load("problem2")
    whatif = WhatIf(graph)
    trace, lines = whatif.apply("apple = 101", bpdebug.run(graph))
    assert lines == [
        "apple 100 → 101: price 715 → 717.2, Δ +2.2; predicted ∂price/∂apple × Δapple = 2.2 × 1 = +2.2"
    ]
    trace, lines = whatif.apply("orange_num = 4", trace)
    assert trace.values["price"] == pytest.approx(882.2) and len(lines) == 1
    assert whatif.summary() == "edited: apple = 101, orange_num = 4"
    trace, line = whatif.undo()
    assert trace.values["price"] == pytest.approx(717.2) and line == "undone: orange_num is 3 again"
    whatif.undo()
    assert whatif.undo() is None and whatif.summary() == ""


def test_a_non_linear_graph_says_the_prediction_is_first_order() -> None:
    graph = bpdebug.load("chain_rule")  # z = (x + y)²
    _, lines = WhatIf(graph).apply("x = 2", bpdebug.run(graph))
    assert "z 9 → 16, Δ +7; predicted ∂z/∂x × Δx = 6 × 1 = +6" in lines[0]
    assert lines[1].startswith("(the prediction is first order")


def test_a_bad_edit_changes_nothing() -> None:
    graph = bpdebug.load("softmax_with_loss")
    whatif = WhatIf(graph)
    with pytest.raises(EditError):
        whatif.apply("x = 1", bpdebug.run(graph))  # x is an array
    assert whatif.edits == []
    net = bpdebug.load("two_layer")
    whatif = WhatIf(net)
    with pytest.raises(GraphError, match="labels t must be whole numbers"):
        whatif.apply("t[0] = 5", bpdebug.run(net))  # a class the net does not have
    assert whatif.edits == []
