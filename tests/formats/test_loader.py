"""The loader: every value form of the format, and one test per kind of error."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import bpdebug
from bpdebug import GraphError

NODE = '[[nodes]]\nid = "y"\nop = "add"\ninputs = ["a", "b"]\n'


def write(tmp_path: Path, text: str, name: str = "g.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(GraphError) as caught:
        bpdebug.load(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "g.toml"))
    return message


# --- values ----------------------------------------------------------------------------------


def test_every_value_form(tmp_path: Path) -> None:
    np.save(tmp_path / "v.npy", np.arange(6, dtype=np.int32).reshape(2, 3))
    np.savez(tmp_path / "one.npz", only=np.ones(3))
    np.savez(tmp_path / "two.npz", p=np.zeros(2), q=np.full(2, 7.0))
    graph = bpdebug.load(
        write(
            tmp_path,
            """
            title = "forms"
            [inputs]
            n = 2
            f = 2.5
            nested = [[1, 2.5], [3, 4]]
            normal = { init = "normal", shape = [2, 3], scale = 0.5, seed = 7 }
            uniform = { init = "uniform", shape = [4], scale = 2 }
            zeros = { init = "zeros", shape = [2] }
            ones = { value = { init = "ones", shape = [3] }, label = "一" }
            npy = { file = "v.npy" }
            npz_single = { file = "one.npz" }
            npz_key = { file = "two.npz", key = "q" }
            const = { value = 3, grad = false, label = "常数" }
            [[nodes]]
            id = "y"
            op = "add"
            inputs = ["n", "f", 1]
            """,
        )
    )
    leaves = graph.leaves
    assert leaves["n"].value == 2.0 and type(leaves["n"].value) is float
    assert leaves["nested"].value.tolist() == [[1.0, 2.5], [3.0, 4.0]]
    rng = np.random.default_rng(7)
    assert np.array_equal(leaves["normal"].value, rng.normal(0, 0.5, [2, 3]))
    assert np.array_equal(leaves["uniform"].value, np.random.default_rng(0).uniform(-2, 2, [4]))
    assert leaves["zeros"].value.tolist() == [0.0, 0.0]
    assert leaves["ones"].label == "一" and leaves["ones"].value.tolist() == [1.0, 1.0, 1.0]
    assert leaves["npy"].value.dtype == np.float64 and leaves["npy"].value.shape == (2, 3)
    assert leaves["npz_single"].value.tolist() == [1.0, 1.0, 1.0]
    assert leaves["npz_key"].value.tolist() == [7.0, 7.0]
    assert not leaves["const"].requires_grad and leaves["const"].display == "常数"
    assert graph.title == "forms" and graph.output == "y"


def test_generated_arrays_are_the_same_every_time(tmp_path: Path) -> None:
    text = '[inputs]\nW = { init = "normal", shape = [3, 2], seed = 4 }\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["W"]\n'
    first = bpdebug.load(write(tmp_path, text)).leaves["W"].value
    second = bpdebug.load(write(tmp_path, text)).leaves["W"].value
    assert np.array_equal(first, second)


def test_defaults_title_and_output(tmp_path: Path) -> None:
    graph = bpdebug.load(
        write(
            tmp_path,
            "[inputs]\na = 1\nb = 2\n" + NODE + '[[nodes]]\nid = "z"\nop = "neg"\ninputs = ["y"]\n',
            "my_graph.toml",
        )
    )
    assert graph.title == "my_graph" and graph.output == "z"


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ("[inputs]\na = 1\nb = 2\n" + NODE).encode())
    assert bpdebug.load(path).output == "y"


def test_bundled_graph_by_name() -> None:
    assert bpdebug.load("problem2").title.startswith("Problem 2")


# --- errors: one per kind ------------------------------------------------------------------


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[inputs]\na = 1\nb = \n")
    assert re.match(r".*g\.toml:3:\d+: error: ", message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\nop = "mull"\ninputs = ["a", "b"]\n',
            "unknown op 'mull' (did you mean 'mul'?)",
        ),
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\nop = "add"\ninputs = ["a", "bb"]\n',
            "unknown input 'bb' (did you mean 'b'?)",
        ),
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "a"\nop = "add"\ninputs = ["a", "b"]\n',
            "node 'a': duplicate id",
        ),
        (
            '[inputs]\na = 1\n[[nodes]]\nid = "p"\nop = "add"\ninputs = ["a", "q"]\n[[nodes]]\nid = "q"\nop = "add"\ninputs = ["a", "p"]\n',
            "cycle: p → q → p",
        ),
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\nop = "exp"\ninputs = ["a", "b"]\n',
            "op 'exp' takes 1 input, got 2",
        ),
        (
            "[inputs]\na = [1.0, 2.0]\nb = [1.0, 2.0, 3.0]\n" + NODE,
            "shapes (2,) and (3,) cannot be broadcast",
        ),
        ("[inputs]\na = [[1.0, 2.0], [3.0]]\nb = 1\n" + NODE, "input 'a': ragged array"),
        ('[inputs]\na = { file = "missing.npy" }\nb = 1\n' + NODE, "data file 'missing.npy' not found"),
        ('titel = "x"\n[inputs]\na = 1\nb = 2\n' + NODE, "unknown key 'titel' (did you mean 'title'?)"),
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\nop = "add"\ninputs = ["a", "b"]\nlabl = "x"\n',
            "unknown key 'labl' (did you mean 'label'?)",
        ),
        ("[inputs]\na = []\nb = 1\n" + NODE, "empty array"),
        ("[inputs]\na = 1\nb = 2\n", "no nodes"),
        ('output = "b"\n[inputs]\na = 1\nb = 2\n' + NODE, "output 'b' is an input"),
        ('output = "yy"\n[inputs]\na = 1\nb = 2\n' + NODE, "output 'yy' is not a node (did you mean 'y'?)"),
        ('[inputs]\n"2x" = 1\nb = 2\n' + NODE, "'2x' is not a valid id"),
        ("[inputs]\na = true\nb = 2\n" + NODE, "got a boolean"),
        ('[inputs]\na = "one"\nb = 2\n' + NODE, "got a string"),
        ('[inputs]\na = { init = "gaussian", shape = [2] }\nb = 1\n' + NODE, "unknown init 'gaussian'"),
        ('[inputs]\na = { init = "zeros", shape = [2], seed = 3 }\nb = 1\n' + NODE, "takes no 'seed'"),
        (
            '[inputs]\na = { init = "normal", shape = [100000, 100000] }\nb = 1\n' + NODE,
            "10,000,000,000 elements; the limit is 100,000,000",
        ),
        ('[inputs]\na = { init = "ones", shape = [0, 3] }\nb = 1\n' + NODE, "empty array"),
        ('[inputs]\nx = 1\n[[nodes]]\nid = "y"\nop = "pow"\ninputs = ["x"]\n', "needs 'exponent'"),
        (
            '[inputs]\nx = [1.0]\n[[nodes]]\nid = "y"\nop = "sum"\ninputs = ["x"]\naxis = 3\n',
            "axis 3 is out of range",
        ),
        (
            '[inputs]\nx = [[1.0, 2.0]]\nw = [[1.0, 2.0]]\n[[nodes]]\nid = "y"\nop = "matmul"\ninputs = ["x", "w"]\n',
            "do not fit a matrix product",
        ),
        (
            '[inputs]\nx = [[1.0, 2.0]]\nt = [5]\n[[nodes]]\nid = "y"\nop = "softmax_with_loss"\ninputs = ["x", "t"]\n',
            "whole numbers from 0 to 1",
        ),
        ('[inputs]\na = 1\nb = 2\n[[nodes]]\nop = "add"\ninputs = ["a", "b"]\n', "has no 'id'"),
        ('[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\ninputs = ["a", "b"]\n', "missing 'op'"),
        (
            '[inputs]\na = 1\nb = 2\n[[nodes]]\nid = "y"\nop = "add"\ninputs = ["a", true]\n',
            "input 2 is a boolean",
        ),
        (
            '[inputs]\na = 1\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["a"]\nexponent = 2\n',
            "unknown key 'exponent'",
        ),
    ],
)
def test_each_error_names_what_is_wrong(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_of(tmp_path, text)


def test_errors_point_at_the_line(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, '[inputs]\na = 1\nb = 2\n\n[[nodes]]\nid = "y"\nop = "mull"\ninputs = ["a", "b"]\n'
    )
    assert ":7: error: node 'y': unknown op" in message


def test_object_arrays_are_refused_without_unpickling(tmp_path: Path) -> None:
    np.save(tmp_path / "evil.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    message = error_of(tmp_path, '[inputs]\na = { file = "evil.npy" }\nb = 1\n' + NODE)
    assert "Python objects" in message


def test_npz_with_several_arrays_needs_a_key(tmp_path: Path) -> None:
    np.savez(tmp_path / "two.npz", p=np.zeros(2), q=np.ones(2))
    assert "name one with key" in error_of(tmp_path, '[inputs]\na = { file = "two.npz" }\nb = 1\n' + NODE)
    assert "no array 'r'" in error_of(
        tmp_path, '[inputs]\na = { file = "two.npz", key = "r" }\nb = 1\n' + NODE
    )


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_bytes(b"[inputs]\na = 1\n\xff\xfe\n")
    with pytest.raises(GraphError, match=r"g\.toml:3: error: the file is not valid UTF-8"):
        bpdebug.load(path)
    with pytest.raises(GraphError, match="no such file"):
        bpdebug.load(tmp_path / "nope.toml")
    with pytest.raises(GraphError, match="is a directory"):
        bpdebug.load(tmp_path)


def test_an_error_never_points_at_words_inside_a_description() -> None:
    text = (
        'title = "output = tax"\n'
        'description = """\n'
        "The output = price, and [[nodes]] with\n"
        'output = "zz" in prose.\n'
        '"""\n'
        'output = "zz"\n'
        "[inputs]\nx = 1.0\n"
        '[[nodes]]\nid = "p"\nop = "mul"\ninputs = ["x", "x"]\nlabel = "output = zz"\n'
    )
    with pytest.raises(bpdebug.GraphError, match=r"^t\.toml:6: error: output 'zz' is not a node"):
        bpdebug.loads(text, "t.toml")
