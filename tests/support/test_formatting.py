"""One number format for every panel and --trace: four significant digits, arrays as numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bpdebug.support.formatting import array_numbers, fmt_num, fmt_short, group, is_small
from bpdebug.teach.explain import total_text, value_text


def test_numbers_read_as_people_write_them() -> None:
    assert [fmt_num(x) for x in (715.0000000000001, 3.3000000000000003, 0.6224593312, -0.0)] == [
        "715",
        "3.3",
        "0.6225",
        "0",
    ]
    assert fmt_num(123456.7) == "123457"  # the digits before the point are kept
    assert fmt_num(100000.0) == "100000"
    assert fmt_num(2.5e-7) == "2.5e-7" and fmt_num(3e15) == "3e15"


@given(st.floats(min_value=1, max_value=1e11))
def test_every_digit_before_the_point_is_kept(x: float) -> None:
    assert "e" not in fmt_num(x)
    assert abs(float(fmt_num(x)) - x) <= 0.5 + x * 1e-3


def test_a_small_array_is_written_out_and_a_big_one_by_its_shape() -> None:
    switch = np.array([[1.0, -0.5], [-2.0, 3.0]])
    assert array_numbers(switch) == "[[1 -0.5] [-2 3]]"
    assert fmt_short(switch) == "[[1 -0.5] [-2 3]]" and is_small(switch)
    assert fmt_short(switch, width=10) == "[2×2]"  # no room on the edge
    assert fmt_short(np.zeros((3, 3))) == "[3×3]" and not is_small(np.zeros((3, 3)))
    assert group("[1 -2]") == "[1 -2]"  # brackets already group an array


def test_a_big_array_standing_alone_shows_its_first_numbers_and_a_summary() -> None:
    text = value_text(np.arange(12.0).reshape(3, 4))
    assert text == "[3×4: 0 1 2 …; min 0, max 11, mean 5.5, norm 22.49]"


def test_a_total_made_of_parts_says_its_parts() -> None:
    assert total_text(7.0, [6.0, 1.0]) == "7 = 6 + 1"
    assert total_text(-1.0, [-2.0, 1.0]) == "-1 = (-2) + 1"
    assert total_text(7.0, [7.0]) == "7"
    assert total_text(np.ones(2), [np.ones(2) / 2, np.ones(2) / 2]) == "[1 1]"
