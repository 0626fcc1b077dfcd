"""User layer code never changes the trace: forward is handed read-only views, backward a copy
of dout, and a call that fails runs once more on copies; what comes back changed is reported.

The layers here write into what they are handed, as learners' slips in chapter 5 do.
"""

from __future__ import annotations

import itertools
from textwrap import dedent

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import bpdebug
from bpdebug.cli import main
from bpdebug.core.nodecheck import check_nodes, first_wrong
from tests.core.test_user_layers import NET, net_graph

WRITERS = """
import numpy as np


class ZeroingRelu:  # the slip: the forward zeroes its own input
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x

    def backward(self, dout):
        return dout * ~self.mask


class KeepsAndScales:  # its backward scales, in place, the input its forward kept
    def forward(self, x):
        self.x = x
        return 2 * x

    def backward(self, dout):
        self.x *= 0
        return 2 * dout


class Squash:  # keeps its own value and overwrites it in its backward: its own memory
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        self.out **= 2
        return dout * (1 - self.out)


class Sneaky:  # makes what it was handed writable, then writes into it
    def forward(self, x):
        x.flags.writeable = True
        x[...] = 7
        return x

    def backward(self, dout):
        return dout
"""


def _net(files, layer: str):
    layers = [files("net.py", NET), files("writers.py", WRITERS)]
    graph = bpdebug.load(files("g.toml", net_graph(layer)), layers=layers)
    x = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.0]])
    fc = x @ np.array([[0.1, -0.2], [0.2, 0.1], [-0.3, 0.2]]) + np.array([0.0, 0.1])
    assert (fc < 0).any() and (fc > 0).any()
    return graph, bpdebug.run(graph), fc


def test_a_forward_that_zeroes_its_input_runs_on_a_copy_and_is_reported(files) -> None:
    graph, trace, fc = _net(files, "ZeroingRelu")
    assert trace.in_place == (("act", "forward", "fc"),)
    assert np.array_equal(trace.values["fc"], fc)  # the trace's own value: not zeroed
    assert np.array_equal(trace.values["act"], np.maximum(fc, 0))
    assert np.array_equal(trace.grads["fc"], 3.0 * (fc > 0))
    assert first_wrong(check_nodes(graph, trace)) is None  # its backward is right, as a node too


def test_a_changed_value_is_told_apart_from_a_changed_gradient_in_both_languages(files, capsys) -> None:
    graph, layers = files("g.toml", net_graph("ZeroingRelu")), files("writers.py", WRITERS)
    net = files("net.py", NET)
    for lang, says in [
        ("en", "in place: act (ZeroingRelu.forward) changed fc, a value it was given, in place"),
        ("zh", "原地修改：act（ZeroingRelu.forward）原地修改了传给它的值 fc"),
    ]:
        assert (
            main([str(graph), "--layers", str(net), "--layers", str(layers), "--trace", "--lang", lang]) == 0
        )
        out = capsys.readouterr().out
        assert says in out and "gradient" not in out.splitlines()[-1] and "梯度被分支" not in out


def test_a_backward_that_writes_into_what_its_forward_kept_is_run_on_copies(files) -> None:
    _, trace, fc = _net(files, "KeepsAndScales")
    assert trace.in_place == (("act", "backward", "fc"),)
    assert np.array_equal(trace.values["fc"], fc)
    assert np.array_equal(trace.values["act"], 2 * fc) and np.all(trace.grads["fc"] == 6)


def test_a_layer_writing_its_own_value_changes_its_memory_not_the_trace(files) -> None:
    _, trace, fc = _net(files, "Squash")
    assert trace.in_place == ()  # self.out is the layer's own array, not an argument
    assert np.allclose(trace.values["act"], np.tanh(fc))
    assert np.allclose(trace.grads["fc"], 3 * (1 - np.tanh(fc) ** 2))


def test_user_code_cannot_make_the_traces_arrays_writable(files) -> None:
    _, trace, fc = _net(files, "Sneaky")
    assert trace.in_place == (("act", "forward", "fc"),)
    assert np.array_equal(trace.values["fc"], fc) and np.all(trace.values["act"] == 7)


def test_forward_is_handed_the_traces_arrays_read_only_not_copies(files) -> None:
    layers = files(
        "seen.py",
        """
        SEEN = []

        class Seen:
            def forward(self, x):
                SEEN.append(x)
                return 2 * x

            def backward(self, dout):
                return 2 * dout
        """,
    )
    graph = bpdebug.load(files("g.toml", net_graph("Seen")), layers=[files("net.py", NET), layers])
    trace = bpdebug.run(graph)
    seen = graph.node("act").op.cls.forward.__globals__["SEEN"][-1]  # load ran it once too
    assert np.shares_memory(seen, trace.values["fc"]) and not seen.flags.writeable


def _writer_classes() -> str:
    """One class per combination of three writes: forward into x (none, one that changes no
    value, one that does), backward into dout, backward into the x its forward kept. Each
    computes 2x and 2·dout before it writes."""
    classes = ["import numpy as np\n"]
    for forward_x, backward_dout, kept_x in itertools.product((0, 1, 2), (0, 1), (0, 1)):
        classes.append(
            dedent(
                f"""
                class Writer{forward_x}{backward_dout}{kept_x}:
                    def forward(self, x):
                        y = 2 * x
                        if {forward_x} == 1:
                            x += 0
                        if {forward_x} == 2:
                            x *= 0.5
                        self.x = x
                        return y

                    def backward(self, dout):
                        dx = 2 * dout
                        if {backward_dout}:
                            dout[...] = 0
                        if {kept_x}:
                            self.x *= 3
                        return dx
                """
            )
        )
    return "\n".join(classes)


@settings(max_examples=40, deadline=None)
@given(
    writes=st.tuples(st.sampled_from((0, 1, 2)), st.booleans(), st.booleans()),
    x=st.lists(st.floats(-100, 100, allow_subnormal=False), min_size=1, max_size=6),
)
def test_whatever_a_layer_writes_the_trace_is_what_copies_by_hand_give(tmp_path_factory, writes, x) -> None:
    folder = tmp_path_factory.mktemp("writes")
    (folder / "writers.py").write_text(_writer_classes(), encoding="utf-8")
    name = "Writer" + "".join(str(int(w)) for w in writes)
    (folder / "g.toml").write_text(
        f'[inputs]\nx = {x!r}\n[[nodes]]\nid = "w"\nlayer = "{name}"\ninputs = ["x"]\n'
        '[[nodes]]\nid = "loss"\nop = "sum"\ninputs = ["w"]\n',
        encoding="utf-8",
    )
    graph = bpdebug.load(folder / "g.toml", layers=[folder / "writers.py"])
    trace = bpdebug.run(graph)
    given_x = np.array(x, dtype=np.float64)
    assert np.array_equal(graph.leaves["x"].value, given_x) and np.array_equal(trace.values["x"], given_x)
    assert np.array_equal(trace.values["w"], 2 * given_x) and np.all(trace.grads["x"] == 2)
    forward_x, backward_dout, kept_x = writes
    moved = [v != 0 for v in x]  # x *= 0.5 or 3 leaves a zero as it was
    expected = [("w", "forward", "x")] if forward_x == 2 and any(moved) else []
    if kept_x and not expected and any(moved):
        expected.append(("w", "backward", "x"))
    if backward_dout:
        expected.append(("w", "backward", "dout"))
    assert list(trace.in_place) == expected
