"""The book's own layer files, unchanged, when a checkout of its repository is at hand
(BPDEBUG_BOOK=path/to/deep-learning-from-scratch; the files are never copied here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import bpdebug
from bpdebug.core.nodecheck import check_nodes, first_wrong
from tests.core.test_user_layers import PROBLEM2, net_graph

BOOK = Path(os.environ.get("BPDEBUG_BOOK", "/nonexistent"))
pytestmark = pytest.mark.skipif(not (BOOK / "common" / "layers.py").is_file(), reason="BPDEBUG_BOOK not set")


def test_layer_naive_gives_problem2(tmp_path: Path) -> None:
    graph = tmp_path / "p2.toml"
    graph.write_text(PROBLEM2, encoding="utf-8")
    trace = bpdebug.run(bpdebug.load(graph, layers=[BOOK / "ch05" / "layer_naive.py"]))
    assert trace.values["price"] == pytest.approx(715) and trace.grads["apple"] == pytest.approx(2.2)


def test_common_layers_run_with_their_package_imports_and_pass_the_node_check(tmp_path: Path) -> None:
    graph = tmp_path / "net.toml"
    graph.write_text(net_graph("Relu"), encoding="utf-8")
    loaded = bpdebug.load(graph, layers=[BOOK / "common" / "layers.py"])
    trace = bpdebug.run(loaded)
    assert trace.in_place == (("act", "backward", "dout"),)  # Relu.backward: dout[self.mask] = 0
    assert first_wrong(check_nodes(loaded, trace)) is None
