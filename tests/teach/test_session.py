"""The cursor over a trace, without any UI: what is known at step k, breakpoints, selection."""

from __future__ import annotations

import bpdebug
from bpdebug.teach.session import Session


def session_of(name: str = "problem2") -> Session:
    return Session(bpdebug.run(bpdebug.load(name)))


def test_phases_follow_the_cursor() -> None:
    session = session_of()
    assert (session.phase, session.total, session.forward_count) == ("START", 8, 4)
    assert session.step_forward() and session.phase == "FORWARD"
    assert session.to_end_of_forward() and session.current_node == "price"
    assert session.step_forward() and session.phase == "BACKWARD"
    assert session.to_end() and session.phase == "DONE"
    assert not session.step_forward()  # nothing after the end
    assert session.to_start() and session.step is None and not session.step_back()


def test_values_and_gradients_are_known_only_once_computed() -> None:
    session = session_of()
    assert session.value_known("apple") and not session.value_known("apple_price")
    session.go(1)
    assert session.value_known("apple_price") and not session.output_grad_known()
    session.go(5)  # the backward step of price (the output)
    assert session.sent("price", "tax") == 650.0
    assert session.sent("all_price", "apple_price") is None  # all_price's step is next


def test_continue_stops_at_each_breakpoint_then_runs_to_the_end() -> None:
    session = session_of()
    assert session.toggle_breakpoint("all_price")
    session.continue_to_breakpoint()
    assert session.cursor == 3
    session.continue_to_breakpoint()
    assert (session.cursor, session.phase) == (6, "BACKWARD")
    session.continue_to_breakpoint()
    assert session.phase == "DONE"
    assert not session.toggle_breakpoint("all_price") and not session.breakpoints


def test_selection_is_dropped_when_the_cursor_moves() -> None:
    session = session_of()
    session.go(2)
    assert session.select_next(1) == "all_price" and session.focus_node == "all_price"
    session.step_forward()
    assert session.selected is None and session.focus_node == "all_price"


def test_a_reload_keeps_the_step_of_the_same_node() -> None:
    before = session_of()
    before.go(6)
    before.breakpoints = {"price", "gone"}
    after = session_of()
    after.carry_over(before)
    assert after.cursor == 6 and after.breakpoints == {"price"}


def test_tab_goes_through_the_nodes_then_the_inputs() -> None:
    session = session_of()
    picked = [session.select_next(1) for _ in range(10)]
    assert picked[:4] == ["apple_price", "orange_price", "all_price", "price"]
    assert picked[4:9] == ["apple", "apple_num", "orange", "orange_num", "tax"]
    assert picked[9] == "apple_price"  # and round again
    assert session.select_next(-1) == "tax"
