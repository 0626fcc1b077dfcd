"""Hostile and broken files: every case ends in a graph or one clear GraphError, never a crash.

The number of examples is bounded in CI (the "ci" hypothesis profile); a long run by hand:
HYPOTHESIS_PROFILE=long python -m pytest tests/formats/test_hostile_files.py
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpdebug
from bpdebug.cli import main
from bpdebug.formats.bundled import bundled_graphs

SOURCES = {g.name: g.path.read_bytes() for g in bundled_graphs() if g.name != "mnist_784_50_10"}
OPS = [
    "add",
    "mul",
    "sub",
    "div",
    "exp",
    "log",
    "pow",
    "relu",
    "sigmoid",
    "matmul",
    "affine",
    "sum",
    "mean",
    "softmax_with_loss",
    "mull",
    "",
    "neg",
]
SNIPPETS = [
    b"",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"[",
    b"]",
    b"{",
    b"=",
    b'"',
    b"'''",
    b"\n",
    b"[[nodes]]\n",
    b"[inputs]\n",
    b"inputs = []\n",
    b'op = "exp"\n',
    b"x = nan\n",
    b"x = inf\n",
    b"x = -inf\n",
    b"shape = [1e9]\n",
    b'x = { init = "ones", shape = [100000, 100000] }\n',
    b"exponent = 1e300\n",
    b"axis = 99\n",
    b'id = "x"\n',
    b"x = [[1, 2], [3]]\n",
    b"x = true\n",
    b'output = "nope"\n',
    b"x = 1979-05-27\n",
    b"[" * 200 + b"]" * 200 + b"\n",
    b"a.b.c = 1\n",
]


def check_outcome(data: bytes, tmp_path: Path) -> None:
    """Load *data* as a graph file: a usable graph that runs, or one clear GraphError."""
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    try:
        graph = bpdebug.load(path)
    except bpdebug.GraphError as error:
        message = str(error)
        assert message.startswith(str(path)), message
        assert "error:" in message and "\n" not in message and "Traceback" not in message
        return
    trace = bpdebug.run(graph)  # nan and inf are allowed; exceptions are not
    assert len(trace.steps) >= len(graph.nodes)


@st.composite
def mutated(draw) -> bytes:
    """A bundled graph with a few random edits to its lines or bytes."""
    source = SOURCES[draw(st.sampled_from(sorted(SOURCES)))]
    lines = source.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["drop", "dup", "swap", "op", "number", "id", "snippet", "bytes", "truncate"])
        )
        k = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "drop" and lines:
            del lines[k]
        elif kind == "dup" and lines:
            lines.insert(k, lines[k])
        elif kind == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif kind == "op":
            lines.insert(k, f'op = "{draw(st.sampled_from(OPS))}"'.encode())
        elif kind == "number" and lines:
            number = draw(
                st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True))
            )
            text = (
                repr(number)
                if not (isinstance(number, float) and not math.isfinite(number))
                else str(number).replace("nan", "nan")
            )
            lines[k] = lines[k].split(b"=")[0] + b"= " + text.encode()
        elif kind == "id" and lines:
            lines[k] = lines[k].replace(b'"', b'"z', 1)
        elif kind == "snippet":
            lines.insert(k, draw(st.sampled_from(SNIPPETS)))
        elif kind == "bytes":
            lines.insert(k, draw(st.binary(max_size=12)))
        elif kind == "truncate":
            joined = b"\n".join(lines)
            return joined[: draw(st.integers(0, len(joined)))]
    return b"\n".join(lines)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=mutated())
def test_mutated_graph_files_load_or_fail_clearly(data: bytes, tmp_path: Path) -> None:
    check_outcome(data, tmp_path)


toml_values = st.recursive(
    st.one_of(st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=32), st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "value",
                    "init",
                    "shape",
                    "file",
                    "key",
                    "label",
                    "grad",
                    "seed",
                    "scale",
                    "id",
                    "op",
                    "inputs",
                ]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)


def toml_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if math.isfinite(value) else "nan"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml_text(v)}" for k, v in value.items()) + " }"


@st.composite
def random_documents(draw) -> bytes:
    """Random TOML documents shaped roughly like graphs (and often not at all)."""
    lines = []
    if draw(st.booleans()):
        lines.append(f"output = {toml_text(draw(st.one_of(st.text(max_size=4), st.integers())))}")
    lines.append("[inputs]")
    for name in draw(st.lists(st.sampled_from(["a", "b", "x", "t", "W"]), max_size=4, unique=True)):
        lines.append(f"{name} = {toml_text(draw(toml_values))}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[nodes]]")
        lines.append(f'id = "{draw(st.sampled_from(["n", "m", "a", "y"]))}"')
        lines.append(f'op = "{draw(st.sampled_from(OPS))}"')
        inputs = draw(
            st.lists(
                st.one_of(st.sampled_from(["a", "b", "x", "t", "W", "n"]), st.integers(-2, 2)), max_size=3
            )
        )
        lines.append("inputs = [" + ", ".join(toml_text(i) for i in inputs) + "]")
        if draw(st.booleans()):
            key = draw(st.sampled_from(["exponent", "axis", "keepdims", "label", "extra"]))
            lines.append(f"{key} = {toml_text(draw(toml_values))}")
    return "\n".join(lines).encode()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=random_documents())
def test_random_documents_load_or_fail_clearly(data: bytes, tmp_path: Path) -> None:
    check_outcome(data, tmp_path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=20)
@given(data=mutated())
def test_the_command_line_says_one_line_and_exits_2(data: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    code = main([str(path), "--trace", "--format", "json"])
    captured = capsys.readouterr()
    if code == 2:
        assert captured.out == "" and captured.err.count("\n") == 1 and captured.err.startswith("bpdebug: ")
    else:
        assert code == 0 and captured.out.startswith("{")


def test_bom_nul_and_invalid_utf8(tmp_path: Path) -> None:
    good = SOURCES["problem1"]
    check_outcome(b"\xef\xbb\xbf" + good, tmp_path)
    for bad in (good.replace(b"apple", b"ap\x00ple", 1), good + b"\n\xc3\x28", b"\xff" * 10):
        path = tmp_path / "fuzz.toml"
        path.write_bytes(bad)
        try:
            bpdebug.load(path)
        except bpdebug.GraphError as error:
            assert str(error).startswith(str(path))
        else:
            raise AssertionError("a file with NUL or invalid UTF-8 was accepted")


def test_data_files_that_are_hostile(tmp_path: Path) -> None:
    node = '[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["a"]\n'
    np.save(tmp_path / "obj.npy", np.array([1, "x", None], dtype=object), allow_pickle=True)
    (tmp_path / "junk.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "adir.npy").mkdir()
    for name, expected in [
        ("obj.npy", "Python objects"),
        ("junk.npy", "declares a header of"),
        ("junk.npz", "cannot read"),
        ("adir.npy", "data file 'adir.npy' is a directory, not a file"),
        ("nothere.npy", "not found"),
    ]:
        path = tmp_path / "g.toml"
        path.write_text(f'[inputs]\na = {{ file = "{name}" }}\n{node}')
        try:
            bpdebug.load(path)
        except bpdebug.GraphError as error:
            assert expected in str(error), str(error)
        else:
            raise AssertionError(f"{name} was accepted")


def test_unreadable_graph_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "g.toml"
    path.write_text(SOURCES["problem1"].decode())

    import bpdebug.support.files

    def refuse(*args, **kwargs) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bpdebug.support.files.os, "open", refuse)  # as root, chmod would not stop us
    try:
        bpdebug.load(path)
    except bpdebug.GraphError as error:
        assert str(error) == f"{path}: error: permission denied"
    else:
        raise AssertionError("an unreadable file was accepted")


def test_limits_name_themselves_and_can_be_changed(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        '[inputs]\na = { init = "ones", shape = [4, 3] }\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["a"]\n'
    )
    monkeypatch.setenv("BPDEBUG_MAX_ELEMENTS", "10")
    try:
        bpdebug.load(path)
    except bpdebug.GraphError as error:
        assert "12 elements; the limit is 10 per array (set BPDEBUG_MAX_ELEMENTS" in str(error)
    else:
        raise AssertionError("the lowered limit was not applied")
    monkeypatch.setenv("BPDEBUG_MAX_ELEMENTS", "12")
    assert bpdebug.load(path).leaves["a"].value.size == 12
    monkeypatch.setenv("BPDEBUG_MAX_NODES", "0")
    try:
        bpdebug.load(path)
    except bpdebug.GraphError as error:
        assert "the limit is 0 (set BPDEBUG_MAX_NODES to change the limit)" in str(error)
    else:
        raise AssertionError("the node limit was not applied")


def test_absurd_exponents_axes_and_nesting_are_refused(tmp_path: Path) -> None:
    cases = {
        '[inputs]\nx = 2\n[[nodes]]\nid = "y"\nop = "pow"\ninputs = ["x"]\nexponent = 1e300\n': "the limit is ±1,000,000",
        '[inputs]\nx = [1.0, 2.0]\n[[nodes]]\nid = "y"\nop = "sum"\ninputs = ["x"]\naxis = 1000000\n': "out of range",
        "[inputs]\nx = "
        + "[" * 40
        + "1"
        + "]" * 40
        + '\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["x"]\n': "more than 32 axes",
        "[inputs]\nx = " + "[" * 5000 + "]" * 5000 + "\n": "error:",
    }
    for text, expected in cases.items():
        path = tmp_path / "g.toml"
        path.write_text(text)
        try:
            bpdebug.load(path)
        except bpdebug.GraphError as error:
            assert expected in str(error), str(error)
        else:
            raise AssertionError(f"accepted: {text[:60]}")


def test_nan_and_inf_are_computed_and_flagged(tmp_path: Path, capsys) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        "[inputs]\nx = 0\nbig = 1000\n"
        '[[nodes]]\nid = "l"\nop = "log"\ninputs = ["x"]\n'
        '[[nodes]]\nid = "e"\nop = "exp"\ninputs = ["big"]\n'
        '[[nodes]]\nid = "y"\nop = "add"\ninputs = ["l", "e"]\n'
    )
    trace = bpdebug.run(bpdebug.load(path))
    assert trace.values["l"] == -math.inf and trace.values["e"] == math.inf
    assert math.isnan(trace.values["y"])
    assert main([str(path), "--trace"]) == 0
    assert (
        "warning: the first nan or inf appears at step 1: the value of 'l' (log)" in capsys.readouterr().out
    )
    assert main([str(path), "--trace", "--format", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["values"]["l"] == "-inf" and data["values"]["y"] == "nan"
    assert data["nonfinite"] == {"step": 1, "node": "l", "what": "value"}
