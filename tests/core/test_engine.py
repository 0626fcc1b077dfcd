"""The engine's promises: step order, fan-out, duplicates, constants, read-only values, depth."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import bpdebug
from bpdebug.core.trace import BackwardStep, ForwardStep


def trace_of(text: str):
    return bpdebug.run(bpdebug.loads(text))


def test_fan_out_keeps_each_contribution_and_their_sum() -> None:
    trace = trace_of(
        """
        [inputs]
        x = 2
        [[nodes]]
        id = "a"
        op = "mul"
        inputs = ["x", 3]
        [[nodes]]
        id = "b"
        op = "exp"
        inputs = ["a"]
        [[nodes]]
        id = "c"
        op = "add"
        inputs = ["a", "b"]
        """
    )
    step_a = next(s for s in trace.steps if s.phase == "backward" and s.node == "a")
    assert [c.source for c in step_a.contributions] == ["c", "b"]
    assert sum(c.grad for c in step_a.contributions) == pytest.approx(step_a.upstream)
    assert step_a.upstream == pytest.approx(1 + np.exp(6))
    assert trace.grads["x"] == pytest.approx(3 * (1 + np.exp(6)))
    assert trace.contributions("a") == step_a.contributions


def test_same_input_twice_is_totalled() -> None:
    trace = trace_of('[inputs]\nx = 3\n[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["x", "x"]\n')
    back = trace.steps[-1]
    assert back.local == {"x": 6.0} and back.downstream == {"x": 6.0}
    assert trace.steps[0].inputs == {"x": 3.0}
    assert trace.grads["x"] == 6.0


def test_constants_get_no_gradient_and_anonymous_keys() -> None:
    trace = trace_of(
        """
        [inputs]
        x = 2
        k = { value = 5, grad = false }
        [[nodes]]
        id = "y"
        op = "mul"
        inputs = ["x", "k", 10]
        """
    )
    assert trace.steps[0].inputs == {"x": 2.0, "k": 5.0, "#3": 10.0}
    back = trace.steps[1]
    assert set(back.downstream) == {"x"} and set(back.local) == {"x"}
    assert set(trace.grads) == {"x", "y"}
    assert set(trace.values) == {"x", "k", "y"}


def test_broadcast_input_has_null_local_and_summed_gradient() -> None:
    trace = trace_of(
        """
        [inputs]
        X = [[1.0, 2.0], [3.0, 4.0]]
        s = 2
        [[nodes]]
        id = "y"
        op = "mul"
        inputs = ["X", "s"]
        """
    )
    back = trace.steps[-1]
    assert back.local["s"] is None
    assert back.local["X"].tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert back.downstream["s"] == 10.0
    assert trace.grads["s"] == 10.0


def test_non_elementwise_ops_have_null_local() -> None:
    trace = bpdebug.run(bpdebug.load("two_layer"))
    kinds = {s.node: s.local for s in trace.steps if isinstance(s, BackwardStep)}
    assert kinds["a1"] is None and kinds["loss"] is None
    assert set(kinds["h"]) == {"a1"}


def test_non_scalar_output_starts_from_ones() -> None:
    trace = trace_of('[inputs]\nx = [1.0, 2.0]\n[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["x", 3]\n')
    assert trace.steps[-1].upstream.tolist() == [1.0, 1.0]
    assert trace.grads["x"].tolist() == [3.0, 3.0]


def test_forward_order_is_file_order_among_ready_nodes() -> None:
    trace = trace_of(
        """
        [inputs]
        x = 1
        [[nodes]]
        id = "late"
        op = "add"
        inputs = ["early", "x"]
        [[nodes]]
        id = "early"
        op = "neg"
        inputs = ["x"]
        [[nodes]]
        id = "other"
        op = "exp"
        inputs = ["x"]
        [[nodes]]
        id = "out"
        op = "add"
        inputs = ["late", "other"]
        """
    )
    forward = [s.node for s in trace.steps if isinstance(s, ForwardStep)]
    backward = [s.node for s in trace.steps if isinstance(s, BackwardStep)]
    assert forward == ["early", "late", "other", "out"]
    assert backward == forward[::-1]
    assert [s.index for s in trace.steps] == list(range(1, 9))


def test_nodes_off_the_output_path_get_no_backward_step() -> None:
    trace = trace_of(
        """
        output = "y"
        [inputs]
        x = 1
        u = 4
        [[nodes]]
        id = "y"
        op = "exp"
        inputs = ["x"]
        [[nodes]]
        id = "side"
        op = "mul"
        inputs = ["x", "u"]
        """
    )
    assert [s.node for s in trace.steps if s.phase == "backward"] == ["y"]
    assert "side" not in trace.grads
    assert trace.grads["u"] == 0.0  # used, differentiable, but the output does not depend on it


def test_recorded_values_are_read_only() -> None:
    trace = bpdebug.run(bpdebug.load("two_layer"))
    for value in list(trace.values.values()) + list(trace.grads.values()):
        if isinstance(value, np.ndarray):
            with pytest.raises(ValueError):
                value[...] = 0
    with pytest.raises(TypeError):
        trace.values["x"] = 1  # type: ignore[index]


def test_scalars_are_plain_floats() -> None:
    trace = bpdebug.run(bpdebug.load("problem2"))
    assert all(type(v) is float for v in trace.values.values())
    assert all(type(v) is float for v in trace.grads.values())
    assert type(bpdebug.run(bpdebug.load("two_layer")).values["loss"]) is float


def test_a_100000_node_chain_runs_without_recursion() -> None:
    count = 100_000
    lines = ["[inputs]", "x0 = 0.5"]
    for i in range(1, count + 1):
        lines += [
            "[[nodes]]",
            f'id = "n{i}"',
            'op = "add"',
            f'inputs = ["{"x0" if i == 1 else f"n{i - 1}"}", 1e-6]',
        ]
    limit = sys.getrecursionlimit()
    trace = trace_of("\n".join(lines))
    assert sys.getrecursionlimit() == limit
    assert len(trace.steps) == 2 * count
    assert trace.grads["x0"] == 1.0
    assert trace.values[f"n{count}"] == pytest.approx(0.5 + 0.1)


def test_engine_does_not_import_textual() -> None:
    import subprocess

    code = (
        "import sys, bpdebug; t = bpdebug.run(bpdebug.load('two_layer'));"
        "from bpdebug.cli import main; main(['problem2', '--trace', '--format', 'json']);"
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_array_steps_get_their_local_derivatives_when_first_read() -> None:
    trace = trace_of(
        """
        [inputs]
        x = [[-1.0, 2.0], [3.0, -4.0]]
        w = [[0.5, 0.25], [2.0, 1.0]]
        [[nodes]]
        id = "m"
        op = "mul"
        inputs = ["x", "w"]
        [[nodes]]
        id = "r"
        op = "relu"
        inputs = ["m"]
        [[nodes]]
        id = "s"
        op = "sum"
        inputs = ["r"]
        """
    )
    steps = {s.node: s for s in trace.steps if isinstance(s, BackwardStep)}
    assert steps["r"].local["m"].tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert steps["m"].local["x"].tolist() == [[0.5, 0.25], [2.0, 1.0]]
    assert steps["m"].local["w"].tolist() == [[-1.0, 2.0], [3.0, -4.0]]
    for step in steps.values():
        if step.local is not None:  # what is sent is exactly upstream × local
            for key, local in step.local.items():
                assert (step.downstream[key] == step.upstream * local).all()
                assert not local.flags.writeable


def test_every_recorded_array_is_read_only_fan_out_sums_included() -> None:
    trace = trace_of(
        """
        [inputs]
        x = [[1.0, -2.0], [0.5, 3.0]]
        [[nodes]]
        id = "a"
        op = "tanh"
        inputs = ["x"]
        [[nodes]]
        id = "b"
        op = "mul"
        inputs = ["a", "x"]
        [[nodes]]
        id = "c"
        op = "add"
        inputs = ["a", "b"]
        [[nodes]]
        id = "s"
        op = "sum"
        inputs = ["c"]
        """
    )
    arrays = [*trace.values.values(), *trace.grads.values()]
    for step in trace.steps:
        if isinstance(step, BackwardStep):
            arrays += [step.upstream, *step.downstream.values(), *(c.grad for c in step.contributions)]
            arrays += [] if step.local is None else list(step.local.values())
    arrays = [a for a in arrays if isinstance(a, np.ndarray)]
    assert len(arrays) > 10
    for array in arrays:
        with pytest.raises(ValueError):
            array[...] = 0
    upstream_of_a = next(s.upstream for s in trace.steps if isinstance(s, BackwardStep) and s.node == "a")
    assert upstream_of_a is trace.grads["a"]  # the sum of what b and c sent, recorded once
