"""Formulas: a graph file's ``expr`` nodes and the command line's ``-e``; parsed, never evaluated.

The expanded problem 2 must give the hand-written trace; every refused piece of Python must be
refused with its column; hostile text only ever ends in one clear error.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpdebug
from bpdebug.core.edits import Edit, apply_edits
from bpdebug.formats.formulas.command_line import formula_graph
from bpdebug.formats.formulas.expand import show
from bpdebug.formats.formulas.parse import REFUSED, FormulaError, parse_formula
from bpdebug.support.errors import GraphError
from bpdebug.support.formatting import fmt_num
from bpdebug.teach.messages import catalog, set_language
from tests.conftest import GRAPHS
from tests.numeric import numerical_grad

PROBLEM2_INPUTS = (GRAPHS / "problem2.toml").read_text(encoding="utf-8").split("[[nodes]]")[0]
PROBLEM2_EXPR = '[[nodes]]\nid = "price"\nexpr = "(apple * apple_num + orange * orange_num) * tax"\n'


def test_an_expr_node_gives_exactly_the_hand_written_problem2() -> None:
    by_hand = bpdebug.run(bpdebug.load("problem2"))
    graph = bpdebug.loads(PROBLEM2_INPUTS + PROBLEM2_EXPR)
    trace = bpdebug.run(graph)
    # in the order the book draws them, named after the formula
    assert [(n.id, n.op.name, n.inputs) for n in graph.nodes] == [
        ("price_1", "mul", ("apple", "apple_num")),
        ("price_2", "mul", ("orange", "orange_num")),
        ("price_3", "add", ("price_1", "price_2")),
        ("price", "mul", ("price_3", "tax")),
    ]
    # their parts of the formula are long: they keep their names (no label)
    assert [n.label for n in graph.nodes[:3]] == [None, None, None]
    same = {"price_1": "apple_price", "price_2": "orange_price", "price_3": "all_price"}
    for node_id, value in trace.values.items():
        assert value == by_hand.values[same.get(node_id, node_id)]
    for node_id, grad in trace.grads.items():
        assert grad == by_hand.grads[same.get(node_id, node_id)]
    grads = {k: fmt_num(v) for k, v in trace.grads.items()}
    assert fmt_num(trace.values["price"]) == "715"
    assert (grads["apple"], grads["apple_num"], grads["orange"], grads["orange_num"], grads["tax"]) == (
        "2.2",
        "110",
        "3.3",
        "165",
        "650",
    )


def test_generated_ids_never_take_a_name_the_file_uses() -> None:
    text = (
        '[inputs]\nx = 2\nprice_1 = 3\n\n[[nodes]]\nid = "price"\nexpr = "(x + price_1) * x"\n'
        '\n[[nodes]]\nid = "price_2"\nop = "neg"\ninputs = ["price"]\n'
    )
    graph = bpdebug.loads(text)
    assert [n.id for n in graph.nodes] == ["price_3", "price", "price_2"]
    assert bpdebug.run(graph).values["price_2"] == -10


def test_a_short_part_on_names_alone_is_its_node_label_and_the_others_keep_their_names() -> None:
    graph = bpdebug.loads(
        '[inputs]\nx = 1\nlong_name = 2\n[[nodes]]\nid = "y"\nexpr = "exp(-x) * (x * long_name)"\n'
    )
    assert [(n.label, n.display) for n in graph.nodes] == [
        ("-x", "-x"),  # on a name, and short
        (None, "y_2"),  # exp(-x): on another part
        (None, "y_3"),  # x * long_name: too long
        (None, "y"),
    ]


def test_a_label_given_to_an_expr_node_is_kept() -> None:
    graph = bpdebug.loads('[inputs]\nx = 1\n[[nodes]]\nid = "y"\nexpr = "exp(-x)"\nlabel = "e⁻ˣ"\n')
    assert graph.nodes[-1].label == "e⁻ˣ" and graph.nodes[0].label == "-x"


def test_an_error_in_a_files_expr_names_the_node_its_line_and_the_column() -> None:
    text = PROBLEM2_INPUTS + PROBLEM2_EXPR.replace("orange_num)", "orange_nm)")
    with pytest.raises(GraphError) as caught:
        bpdebug.loads(text, path="p.toml")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("expr = "))
    assert str(caught.value) == (
        f"p.toml:{line}: error: node 'price': expr:1:31: 'orange_nm' is neither an input nor a node "
        "of this graph (did you mean 'orange_num'?)"
    )


@pytest.mark.parametrize(
    ("formula", "column", "what"),
    [
        ("x + a.b", 5, "attribute"),
        ("x + a[0]", 5, "subscript"),
        ("lambda: x", 1, "lambda"),
        ("x * [y for y in x]", 5, "comprehension"),
        ("x + 'os'", 5, "string"),
        ("x < y", 1, "compare"),
        ("x and y", 1, "logic"),
        ("x if y else x", 1, "conditional"),
        ("x + (x, y)", 5, "container"),
        ("exp(*x)", 5, "star"),
        ("(y := x) * 2", 2, "walrus"),
        ("exp(x)(y)", 1, "call"),
        ("exp(x).real", 1, "attribute"),
    ],
)
def test_python_beyond_a_formula_is_refused_where_it_starts(formula: str, column: int, what: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(formula)
    error = caught.value
    assert (error.message_id, error.column, error.args_["what"]) == ("formula.refused", column, what)


@pytest.mark.parametrize(
    ("formula", "message_id", "column"),
    [
        ("__import__(x)", "formula.unknown_function", 1),
        ("x + mull(x, y)", "formula.unknown_function", 5),
        ("sum(x, ax=0)", "formula.unknown_param", 1),
        ("x ** y", "formula.exponent", 6),
        ("exp(x, y)", "formula.arity", 1),
        ("x +", "formula.syntax", 4),
        ("z = x + 1", "formula.expr_assigns", 1),
        ("x // 2", "formula.operator", 1),
        ("1e999 * x", "formula.number", 1),
    ],
)
def test_each_fault_of_a_formula_has_its_own_reason(formula: str, message_id: str, column: int) -> None:
    with pytest.raises(GraphError) as caught:
        bpdebug.loads(f'[inputs]\nx = 1\ny = 2\n[[nodes]]\nid = "z"\nexpr = "{formula}"\n')
    said = catalog("en")[message_id].split("{")[0].strip()
    assert f"expr:1:{column}: " in str(caught.value) and said in str(caught.value)


@pytest.mark.parametrize(
    "formula",
    ["-" * 3000 + "x", "(" * 300 + "x" + ")" * 300, "-" * 999 + "x", "x" + "+x" * 499, "exp(" * 200 + "x"],
)
def test_too_long_or_too_deep_is_refused_before_python_recurses(formula: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(formula)
    assert caught.value.message_id in ("formula.too_long", "formula.too_deep")


def test_every_refusal_has_words_in_both_languages() -> None:
    kinds = {*REFUSED.values(), "call", "other", "string", "star"}
    for lang in ("en", "zh"):
        texts = catalog(lang)
        assert {f"formula.what.{kind}" for kind in kinds} <= set(texts)
    package = Path(bpdebug.__file__).parent
    named = set()
    for path in package.rglob("*.py"):
        named |= set(__import__("re").findall(r'"(formula\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert named and named - set(catalog("en")) == set()


def test_show_writes_no_more_brackets_than_python_needs() -> None:
    for written in [
        "(a + b) * c",
        "a - (b - c)",
        "a - b - c",
        "-(a * b)",
        "(-a) ** 2",
        "a / (b * c)",
        "a @ b + c",
    ]:
        assert show(parse_formula(written)) == written
    assert show(parse_formula("((a)) * (b)")) == "a * b"
    assert (
        show(parse_formula("sum(x * 2, axis=(0, 1), keepdims=True)"))
        == "sum(x * 2, axis=(0, 1), keepdims=True)"
    )


# --- the command line's assignments ---------------------------------------------------------------


def test_assignments_build_one_graph_whose_last_node_is_the_output() -> None:
    graph, rest = formula_graph(["a = x * w", "L = sigmoid(a)"], ["x=1", "w=-2"])
    trace = bpdebug.run(graph)
    assert rest == [] and graph.output == "L" and list(graph.leaves) == ["x", "w"]
    assert trace.values["L"] == pytest.approx(1 / (1 + math.exp(2)))
    assert trace.grads["w"] == pytest.approx(trace.values["L"] * (1 - trace.values["L"]))


def test_a_value_written_in_the_formula_can_still_be_changed_with_set() -> None:
    graph, rest = formula_graph(["z = (x + y) ** 2; x = 1; y = 2"], ["x=3", "y=4"])
    assert rest == ["x=3", "y=4"]  # what-if edits: the app shows them as changed values
    assert bpdebug.run(graph).values["z"] == 9


@pytest.mark.parametrize(
    ("lines", "settings", "says"),
    [
        (["z = (x + y) ** 2"], ["x=1"], "-e: error: no value for y: give one with --set y=VALUE"),
        (
            ["a = x * w", "L = sigmod(a)"],
            ["x=1", "w=1"],
            "-e:2:5: error: there is no op 'sigmod' (did you mean 'sigmoid'?)",
        ),
        (["z = x + a.b"], [], "-e:1:9: error: an attribute (a.b) is not part of a formula"),
        (["z = x * 2", "z = z + 1"], ["x=1"], "-e:2:1: error: z is already defined above"),
        (["z = z + 1"], [], "-e:1:5: error: z is used in its own formula"),
        (["z = x * 2", "x = y + 1"], ["y=1"], "-e:2:1: error: x is used above, before this line"),
        (["z = x"], ["x=1"], "-e:1:5: error: z = … must compute something"),
        (["x + 1"], [], "-e:1:1: error: write an assignment, NAME = formula"),
        (["z, w = x"], [], "-e:1:1: error: the left of = must be one name"),
        (["z = x * 2"], ["x=abc"], "error: --set: 'abc' is not a number"),
        (["x = 1"], [], "-e: error: nothing to compute"),
        (["z = café * 2"], [], "-e:1:5: error: 'café' cannot be a name here"),
        (["import os"], [], "-e:1:1: error: only assignments NAME = formula can be written here"),
    ],
)
def test_each_fault_of_the_command_line_is_one_line(lines: list[str], settings: list[str], says: str) -> None:
    with pytest.raises(GraphError) as caught:
        formula_graph(lines, settings)
    assert str(caught.value).startswith(says) and "\n" not in str(caught.value)


def test_output_chooses_another_node_and_a_wrong_one_gets_a_guess() -> None:
    graph, _ = formula_graph(["z = x * y; w = z + 1"], ["x=2", "y=3"], output="z")
    assert graph.output == "z"
    with pytest.raises(
        GraphError, match=r"--output 'zz' is not a node of the formula \(did you mean 'z'\?\)"
    ):
        formula_graph(["z = x * y; w = z + 1"], ["x=2", "y=3"], output="zz")


def test_errors_speak_chinese_when_chinese_is_spoken() -> None:
    set_language("zh")
    try:
        with pytest.raises(GraphError, match="公式里不能有属性访问"):
            formula_graph(["z = x.y"])
    finally:
        set_language("en")


# --- hostile text and random formulas -------------------------------------------------------------

FORMULA_CHARS = st.sampled_from(
    [*list("xyz01.+-*/@()[]{},:;=_'\" eE\n\t\\λ苹"), "**", "exp(", "sum(", "lambda", "é"]
)


def test_a_string_in_a_formula_is_refused_without_python_printing_a_warning() -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FormulaError):
            parse_formula("x + '\\]'")
    assert caught == []


@settings(max_examples=300, deadline=None)
@given(st.lists(FORMULA_CHARS, max_size=60).map("".join))
def test_hostile_text_only_ever_ends_in_a_formula_error(text: str) -> None:
    try:
        show(parse_formula(text))
    except FormulaError as error:
        assert error.said() and error.line >= 1 and error.column >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(FORMULA_CHARS, max_size=60).map("".join), st.lists(st.sampled_from(["x=1", "y=a", "z=2", "q"]))
)
def test_hostile_assignments_only_ever_end_in_a_graph_error(text: str, settings_: list[str]) -> None:
    try:
        graph, _ = formula_graph(["y = x + 1", text], [*settings_, "x=1"])
    except GraphError as error:
        assert "\n" not in str(error) and str(error).startswith(("-e", "error: --set"))
    else:
        bpdebug.run(graph)


def formulas(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["x", "y", "0.5", "2"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, inner).map(lambda t: f"{t[0]} / (2 + sigmoid({t[1]}))"),
            st.tuples(st.sampled_from(["tanh", "sigmoid", "neg"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            inner.map(lambda t: f"-{t}"),
            inner.map(lambda t: f"({t}) ** 2"),
        )

    return st.recursive(leaf, grow, max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(formulas(), st.floats(-1, 1), st.floats(-1, 1))
def test_random_formulas_backward_agrees_with_central_differences(formula: str, x: float, y: float) -> None:
    try:
        graph, _ = formula_graph([f"out = ({formula}) * x + y"], [f"x={x!r}", f"y={y!r}"])
    except GraphError as error:  # a formula whose every part folds to a number alone
        pytest.fail(str(error))
    trace = bpdebug.run(graph)

    def value_at(point: np.ndarray) -> float:
        edited = apply_edits(graph, [Edit("x", None, float(point[0])), Edit("y", None, float(point[1]))])
        return float(bpdebug.run(edited).values["out"])

    numeric = numerical_grad(value_at, np.array([x, y]))
    analytic = np.array([trace.grads["x"], trace.grads["y"]])
    assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-6)
