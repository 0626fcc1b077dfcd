"""The catalog: every op explained, every formula written, every message id used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bpdebug
from bpdebug.core.ops import builtin_ops
from bpdebug.teach.explain import formula, local_formula, sent_formula
from bpdebug.teach.messages import catalog, say

OPS = builtin_ops()
PACKAGE = Path(bpdebug.__file__).parent


def node_of(name: str):
    from bpdebug.core.graph import Node

    op = OPS[name]
    inputs = ("a", "b", "c")[: max(op.min_inputs, 1)]
    params = {"exponent": 2.0} if name == "pow" else {}
    return Node("y", op, inputs, inputs, params)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_explains_itself_in_a_sentence(name: str) -> None:
    assert say(f"op.{name}").endswith(".")


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_has_every_formula(name: str) -> None:
    node = node_of(name)
    names = list(node.inputs)
    graph = bpdebug.Graph("t", "", "y", {n: _leaf(n) for n in names}, (node,))
    assert formula(graph, node, "y").startswith("y = ")
    for i in range(len(names)):
        if i not in node.op.no_grad_positions:
            assert "∂L/∂y" in sent_formula(node, i, names, "y")
        if node.op.elementwise:
            assert local_formula(node, i, names, "y")


def _leaf(name: str):
    from bpdebug.core.graph import Leaf

    return Leaf(name, 1.0)


def test_the_axis_is_said_in_words() -> None:
    from dataclasses import replace

    node = replace(node_of("sum"), params={"axis": 1})
    graph = bpdebug.Graph("t", "", "y", {"a": _leaf("a")}, (node,))
    assert formula(graph, node, "y") == "y = Σ a  (over axis 1)"


def test_every_message_id_the_code_names_is_in_the_catalog() -> None:
    named = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r'(?:Line\("[a-z_]+", |say\()"([a-z_.]+)"', text))
    assert named, "the pattern finds the ids the code names"
    assert named - set(catalog("en")) == set()


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    from bpdebug.support.languages import LANGUAGES
    from bpdebug.teach.messages import placeholders

    english = catalog("en")
    for lang in LANGUAGES:
        other = catalog(lang)
        assert set(other) == set(english), f"{lang}: {sorted(set(other) ^ set(english))}"
        for message_id, template in english.items():
            assert placeholders(other[message_id]) == placeholders(template), (lang, message_id)


def test_chinese_uses_the_books_terms() -> None:
    zh = catalog("zh")
    assert zh["upstream"].startswith("上游传来的值") and zh["local"].startswith("局部导数")
    assert "原封不动" in zh["op.add"] and "翻转" in zh["op.mul"]
    assert zh["trace.forward"] == "正向传播" and zh["trace.backward"].startswith("反向传播")
    assert zh["chain.heading"].startswith("链式法则")
