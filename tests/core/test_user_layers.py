"""Book-style layers from the user's own files (--layers): run as written, unable to change the trace,
their errors named with the user's file and line, and each node's backward checked alone.

The layers here are written for the tests, in the book's style, with the slips learners make.
"""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpdebug
from bpdebug.cli import main
from bpdebug.core.nodecheck import check_nodes, first_wrong
from bpdebug.formats.generated import random_scalar_graph

NAIVE = """
class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1
"""

PROBLEM2 = """
title = "Problem 2, as layers"
[inputs]
apple = 100
apple_num = 2
orange = 150
orange_num = 3
tax = 1.1
[[nodes]]
id = "apple_price"
layer = "MulLayer"
inputs = ["apple", "apple_num"]
[[nodes]]
id = "orange_price"
layer = "MulLayer"
inputs = ["orange", "orange_num"]
[[nodes]]
id = "all_price"
layer = "AddLayer"
inputs = ["apple_price", "orange_price"]
[[nodes]]
id = "price"
layer = "MulLayer"
inputs = ["all_price", "tax"]
"""

NET = """
import numpy as np


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0  # in place, as the book writes it
        return dout


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out)  # the slip: 1 - y, not 1 - y**2


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y = e / e.sum(axis=1, keepdims=True)
        return self.y

    def backward(self, dout):
        return np.zeros_like(dout)  # right for a ones upstream only: each row of Jᵀ1 is 0
"""


def net_graph(middle: str, x: str = "[[1.0, -2.0, 0.5], [0.3, 0.8, -1.0]]") -> str:
    return dedent(
        f"""
        title = "a small net"
        [inputs]
        x = {{ value = {x}, grad = false }}
        W = [[0.1, -0.2], [0.2, 0.1], [-0.3, 0.2]]
        b = [0.0, 0.1]
        [[nodes]]
        id = "fc"
        layer = "Affine"
        inputs = ["x"]
        args = ["W", "b"]
        [[nodes]]
        id = "act"
        layer = "{middle}"
        inputs = ["fc"]
        [[nodes]]
        id = "w"
        op = "mul"
        inputs = ["act", 3]
        [[nodes]]
        id = "loss"
        op = "sum"
        inputs = ["w"]
        """
    )


def test_book_style_mul_and_add_layers_give_the_books_numbers(files) -> None:
    layers = files("layer_naive.py", NAIVE)
    trace = bpdebug.run(bpdebug.load(files("p2.toml", PROBLEM2), layers=[layers]))
    assert trace.values["price"] == pytest.approx(715)
    grads = {k: trace.grads[k] for k in ("apple", "apple_num", "orange", "orange_num", "tax")}
    assert grads == pytest.approx(
        {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    )
    step = json.loads(bpdebug_json(files("p2.toml", PROBLEM2), layers))["steps"][-1]
    assert step["op"] == "layer" and step["layer"] == "MulLayer" and step["local"] is None


def bpdebug_json(graph: Path, layers: Path) -> str:
    from bpdebug.export.trace_json import trace_json

    return trace_json(bpdebug.run(bpdebug.load(graph, layers=[layers])))


def test_a_file_in_a_package_imports_its_package_as_the_books_common_layers_does(files) -> None:
    files("common/__init__.py", "")
    files("common/functions.py", "import numpy as np\n\ndef twice(x):\n    return 2 * x\n")
    layers = files(
        "common/layers.py",
        """
        from common.functions import *

        class Double:
            def forward(self, x):
                return twice(x)

            def backward(self, dout):
                return twice(dout)
        """,
    )
    graph = files("g.toml", '[inputs]\nx = 3\n[[nodes]]\nid = "y"\nlayer = "Double"\ninputs = ["x"]\n')
    trace = bpdebug.run(bpdebug.load(graph, layers=[layers]))
    assert trace.values["y"] == 6 and trace.grads["x"] == 2


def test_a_graph_with_layers_and_no_layers_file_imports_nothing_and_says_to_give_one(files, capsys) -> None:
    marker = files("marker.txt", "")
    marker.unlink()
    files("layer_naive.py", f"open({str(marker)!r}, 'w').close()\n" + NAIVE)  # next to the graph
    graph = files("p2.toml", PROBLEM2)
    assert main([str(graph), "--trace"]) == 2
    err = capsys.readouterr().err
    assert "give the file that defines it with --layers FILE.py" in err and err.count("\n") == 1
    assert not marker.exists()


def test_user_code_gets_copies_and_changing_one_in_place_is_reported(files, capsys) -> None:
    layers = files("net.py", NET)
    graph = files("g.toml", net_graph("Relu"))
    trace = bpdebug.run(bpdebug.load(graph, layers=[layers]))
    assert trace.in_place == (("act", "backward", "dout"),)
    assert np.all(trace.grads["act"] == 3)  # what act received is kept, not zeroed by its backward
    assert main([str(graph), "--layers", str(layers), "--trace"]) == 0
    assert (
        "warning: in place: act (Relu.backward) changed its argument dout in place" in capsys.readouterr().out
    )


BAD = {
    "raises": ("return x / 0.0 + undefined_name", "return dout", "Bad.forward raised NameError"),
    "three": ("return x", "return dout, dout, dout", "Bad.backward returned 3 values; forward takes 1 (fc)"),
    "shape": ("return x", "return dout[:, :1]", "the gradient for 'fc' has shape 2×1, but fc has shape 2×2"),
    "none": ("return x", "pass", "Bad.backward returned None"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_errors_in_user_code_name_the_node_the_class_and_the_users_line(files, capsys, case: str) -> None:
    forward, backward, says = BAD[case]
    bad = f"""
class Bad:
    def forward(self, x):
        {forward}

    def backward(self, dout):
        {backward}
"""
    layers = files("net.py", NET + bad)
    graph = files("g.toml", net_graph("Bad"))
    assert main([str(graph), "--layers", str(layers), "--trace"]) == 2
    err = capsys.readouterr().err
    assert says in err and "node 'act' (layer Bad)" in err and err.count("\n") == 1
    if case == "raises":
        assert "net.py:" in err and "in forward" in err and "bpdebug/" not in err


def test_a_missing_class_and_a_missing_dW_say_what_to_do(files, capsys) -> None:
    layers = files(
        "net.py", NET.replace("self.dW = np.dot(self.x.T, dout)", "self.dw = np.dot(self.x.T, dout)")
    )
    graph = files("g.toml", net_graph("Relus"))
    assert main([str(graph), "--layers", str(layers), "--trace"]) == 2
    assert "unknown layer 'Relus' (did you mean 'Relu'?)" in capsys.readouterr().err
    graph = files("g.toml", net_graph("Relu"))
    assert main([str(graph), "--layers", str(layers), "--trace"]) == 2
    assert "Affine has no self.dW after backward" in capsys.readouterr().err


def test_the_node_check_names_the_first_wrong_node_and_exits_1(files, capsys) -> None:
    layers = files("net.py", NET)
    graph = files("g.toml", net_graph("Tanh"))
    assert main([str(graph), "--layers", str(layers), "--check"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("first wrong node: act (Tanh.backward): ∂/∂fc max rel err")
    assert " at [" in out[-1]
    assert any(line.startswith("fc ") and line.endswith("ok") for line in out)  # the Affine is right


def test_a_random_upstream_finds_what_a_ones_upstream_hides(files) -> None:
    layers = files("net.py", NET)
    graph = bpdebug.load(files("g.toml", net_graph("Softmax")), layers=[layers])
    trace = bpdebug.run(graph)
    assert np.allclose(trace.grads["W"], 0)  # the end-to-end gradient is (rightly) zero here
    wrong = first_wrong(check_nodes(graph, trace))
    assert wrong is not None and wrong.node == "act"


def test_a_kink_warns_instead_of_failing(files, capsys) -> None:
    layers = files("net.py", NET)
    # 2 × 0.1 − 1 × 0.2 + 0 × (−0.3) + 0: fc[0, 0] is exactly 0, ReLU's kink
    graph = files("g.toml", net_graph("Relu", x="[[2.0, -1.0, 0.0], [0.3, 0.8, -1.0]]"))
    main([str(graph), "--layers", str(layers), "--check"])  # the end-to-end check crosses the kink too
    out = capsys.readouterr().out
    assert "the forward has a kink there" in out
    assert out.strip().splitlines()[-1].startswith("every node's own backward agrees")


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_every_built_in_node_of_a_random_graph_passes_its_own_check(seed: int) -> None:
    graph = bpdebug.loads(random_scalar_graph(30, seed=seed))
    results = check_nodes(graph, bpdebug.run(graph))
    assert results and first_wrong(results) is None


async def test_k_in_the_app_marks_the_first_wrong_node_and_shows_its_numbers(files) -> None:
    from bpdebug.tui.app import BpdebugApp
    from tests.tui.helpers import debugger, inspector_text

    layers = files("net.py", NET)
    app = BpdebugApp(bpdebug.load(files("g.toml", net_graph("Tanh")), layers=[layers]))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = debugger(app)
        assert screen.session.focus_node == "act"
        text = inspector_text(app)
        assert "node check: this node's own backward is WRONG" in text and "analytic" in text
        assert screen.session.node_checks["fc"].wrong is None


def test_a_layers_file_that_cannot_be_imported_is_one_line(files, capsys) -> None:
    graph = files("p2.toml", PROBLEM2)
    for name, text, says in (
        ("broken.py", "def forward(:\n", "broken.py:1: syntax error"),
        ("raising.py", "import no_such_module_here\n", "importing it raised ModuleNotFoundError"),
        ("notes.txt", "", "not a Python file"),
    ):
        path = files(name, text)
        assert main([str(graph), "--layers", str(path), "--trace"]) == 2
        err = capsys.readouterr().err
        assert says in err and err.count("\n") == 1, err
    assert main([str(graph), "--layers", "missing.py", "--trace"]) == 2
    assert "--layers missing.py: no such file" in capsys.readouterr().err


def test_layer_errors_speak_chinese(files, capsys) -> None:
    graph = files("p2.toml", PROBLEM2)
    assert main([str(graph), "--lang", "zh", "--trace"]) == 2
    assert "请用 --layers FILE.py 给出定义它的文件" in capsys.readouterr().err
    layers = files("net.py", NET)
    assert (
        main([str(files("g.toml", net_graph("Tanh"))), "--lang", "zh", "--layers", str(layers), "--check"])
        == 1
    )
    assert (
        capsys.readouterr().out.strip().splitlines()[-1].startswith("第一个出错的节点：act（Tanh.backward）")
    )


async def test_watch_imports_an_edited_layers_file_again(files) -> None:
    import asyncio

    from bpdebug.tui.app import BpdebugApp

    layers = files("net.py", NET)
    graph = files("g.toml", net_graph("Tanh"))
    trace = bpdebug.run(bpdebug.load(graph, layers=[layers]))
    app = BpdebugApp(trace, watch=True, layers=None, layer_files=[str(layers)])
    async with app.run_test(size=(100, 30)) as pilot:
        wrong = app.trace.grads["W"].copy()
        fixed = NET.replace("return dout * (1 - self.out)  #", "return dout * (1 - self.out**2)  #")
        layers.write_text(dedent(fixed), encoding="utf-8")
        for _ in range(40):
            await asyncio.sleep(0.1)
            await pilot.pause()
            if not np.allclose(app.trace.grads["W"], wrong):
                break
        graph_now = app.trace.graph
        assert not np.allclose(app.trace.grads["W"], wrong)
        assert first_wrong(check_nodes(graph_now, app.trace)) is None  # the fixed Tanh
