"""The numbers of chapter 5 of Deep Learning from Scratch, exactly as the book prints them."""

from __future__ import annotations

import pytest

import bpdebug
from bpdebug.support.formatting import fmt_num


def readable(mapping: dict) -> dict[str, str]:
    return {k: fmt_num(v) for k, v in mapping.items()}


def test_problem1_two_apples_with_tax() -> None:
    trace = bpdebug.run(bpdebug.load("problem1"))
    assert readable(trace.values) == {
        "apple": "100",
        "apple_num": "2",
        "tax": "1.1",
        "apple_price": "200",
        "price": "220",
    }
    assert readable(trace.grads) == {
        "apple": "2.2",
        "apple_num": "110",
        "tax": "200",
        "apple_price": "1.1",
        "price": "1",
    }


def test_problem2_apples_and_oranges() -> None:
    trace = bpdebug.run(bpdebug.load("problem2"))
    assert readable(trace.values) == {
        "apple": "100",
        "apple_num": "2",
        "orange": "150",
        "orange_num": "3",
        "tax": "1.1",
        "apple_price": "200",
        "orange_price": "450",
        "all_price": "650",
        "price": "715",
    }
    assert readable(trace.grads) == {
        "apple": "2.2",
        "apple_num": "110",
        "orange": "3.3",
        "orange_num": "165",
        "tax": "650",
        "apple_price": "1.1",
        "orange_price": "1.1",
        "all_price": "1.1",
        "price": "1",
    }
    assert trace.values["price"] == pytest.approx(715, rel=1e-14)
    assert trace.grads["tax"] == pytest.approx(650, rel=1e-14)


def test_problem2_steps_follow_the_book_order() -> None:
    trace = bpdebug.run(bpdebug.load("problem2"))
    assert [(s.phase, s.node) for s in trace.steps] == [
        ("forward", "apple_price"),
        ("forward", "orange_price"),
        ("forward", "all_price"),
        ("forward", "price"),
        ("backward", "price"),
        ("backward", "all_price"),
        ("backward", "orange_price"),
        ("backward", "apple_price"),
    ]
    price = trace.steps[4]
    assert price.upstream == 1.0 and price.contributions == ()
    assert readable(price.local) == {"all_price": "1.1", "tax": "650"}
    assert readable(price.downstream) == {"all_price": "1.1", "tax": "650"}
    add = trace.steps[5]
    assert readable(add.local) == {"apple_price": "1", "orange_price": "1"}
    assert readable(add.downstream) == {"apple_price": "1.1", "orange_price": "1.1"}


def test_chinese_labels_change_nothing_but_names() -> None:
    zh = bpdebug.run(bpdebug.load("problem2", lang="zh"))
    en = bpdebug.run(bpdebug.load("problem2"))
    assert dict(zh.grads) == dict(en.grads)
    assert zh.graph.display("orange") == "橘子"


def test_sigmoid_four_nodes_match_the_sigmoid_node() -> None:
    trace = bpdebug.run(bpdebug.load("sigmoid_nodes"))
    y = trace.values["y"]
    assert trace.values["y_sigmoid"] == pytest.approx(y, rel=1e-15)
    assert trace.grads["x"] == pytest.approx(y * (1 - y), rel=1e-12)
    assert trace.grads["x2"] == pytest.approx(y * (1 - y), rel=1e-12)


def test_affine_bias_gradient_is_the_batch_sum() -> None:
    trace = bpdebug.run(bpdebug.load("affine_batch"))
    upstream = trace.grads["Y"]
    assert trace.grads["b"].tolist() == pytest.approx(upstream.sum(axis=0).tolist())
    assert trace.grads["b"].tolist() == pytest.approx([1.5, 3.0, 3.0])


def test_softmax_with_loss_sends_y_minus_t_over_batch() -> None:
    import numpy as np

    trace = bpdebug.run(bpdebug.load("softmax_with_loss"))
    x = trace.values["x"]
    e = np.exp(x - x.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    t = trace.values["t"]
    assert np.allclose(trace.grads["x"], (y - t) / 2)
    assert trace.values["loss"] == pytest.approx(float(-np.log(y[t == 1]).mean()))
    assert "t" not in trace.grads


def test_relu_stops_the_gradient_where_x_is_not_positive() -> None:
    trace = bpdebug.run(bpdebug.load("relu"))
    assert trace.grads["x"].tolist() == [[0.5, 0.0], [0.0, 2.0]]


def test_local_computation_figure_5_4() -> None:
    trace = bpdebug.run(bpdebug.load("local_computation"))
    assert readable({k: trace.values[k] for k in ("apple_price", "total", "price")}) == {
        "apple_price": "200",
        "total": "4200",
        "price": "4620",
    }
    # each node multiplies what reaches it by its own local derivative
    assert readable({k: trace.grads[k] for k in ("complex", "apple", "apple_num", "tax")}) == {
        "complex": "1.1",
        "apple": "2.2",
        "apple_num": "110",
        "tax": "4200",
    }


def test_square_sends_the_signal_e_times_2x() -> None:
    trace = bpdebug.run(bpdebug.load("square"))
    assert readable({"y": trace.values["y"], "dy": trace.grads["y"], "dx": trace.grads["x"]}) == {
        "y": "9",
        "dy": "2",  # the signal E that reaches y from upstream
        "dx": "12",  # E × 2x = 2 × 6
    }
