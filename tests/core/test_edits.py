"""What-if edits: parsed, checked against the graph, applied to a copy of it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bpdebug
from bpdebug.core.edits import Edit, EditError, apply_edits, current_value, parse_edit

PROBLEM2 = bpdebug.load("problem2")
TWO_LAYER = bpdebug.load("two_layer")


def test_a_scalar_edit_changes_the_trace_and_not_the_graph() -> None:
    edit = parse_edit("apple = 101", PROBLEM2)
    assert edit == Edit("apple", None, 101.0)
    edited = apply_edits(PROBLEM2, [edit])
    assert bpdebug.run(edited).values["price"] == pytest.approx(717.2)
    assert PROBLEM2.leaves["apple"].value == 100.0 and current_value(PROBLEM2, edit) == 100.0


def test_one_element_of_an_array_and_labels_as_names() -> None:
    edit = parse_edit("W1[0, -1] = 0.5", TWO_LAYER)
    assert edit.index == (0, 3)
    edited = apply_edits(TWO_LAYER, [edit])
    assert edited.leaves["W1"].value[0, 3] == 0.5 and TWO_LAYER.leaves["W1"].value[0, 3] == 0.1
    assert not edited.leaves["W1"].value.flags.writeable  # frozen, as the trace keeps arrays
    zh = bpdebug.load("problem2", lang="zh")
    assert parse_edit("苹果 = 120", zh).name == "apple"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apple", "edit.form"),
        ("apple = abc", "edit.not_a_number"),
        ("apple = 1e999", "edit.too_large"),
        ("appel = 3", "edit.unknown.guess"),
        ("zzz = 3", "edit.unknown"),
        ("apple_price = 3", "edit.node"),
        ("apple[0] = 3", "edit.not_an_array"),
    ],
)
def test_a_bad_edit_says_why(text: str, message: str) -> None:
    with pytest.raises(EditError) as error:
        parse_edit(text, PROBLEM2)
    assert error.value.message_id == message


@pytest.mark.parametrize(
    ("text", "message"),
    [("W1 = 1", "edit.needs_index"), ("W1[3, 0] = 1", "edit.out_of_range"), ("W1[0] = 1", "edit.bad_index")],
)
def test_a_bad_element_says_why(text: str, message: str) -> None:
    with pytest.raises(EditError) as error:
        parse_edit(text, TWO_LAYER)
    assert error.value.message_id == message


def test_nan_and_inf_only_on_purpose() -> None:
    assert math.isnan(parse_edit("apple = nan", PROBLEM2).value)
    assert parse_edit("apple = -inf", PROBLEM2).value == -math.inf


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 2), st.integers(0, 3))
def test_any_finite_value_in_any_element_round_trips(value: float, i: int, j: int) -> None:
    edit = parse_edit(f"W1[{i},{j}] = {value!r}", TWO_LAYER)
    edited = apply_edits(TWO_LAYER, [edit])
    expected = np.array(TWO_LAYER.leaves["W1"].value)
    expected[i, j] = value
    assert np.array_equal(edited.leaves["W1"].value, expected)
