"""A file a stranger sends (issue 10): no terminal escapes, no hangs, no tracebacks, bounded memory.

Each test is one promise of docs/robustness.md; the hostile strings are fed to every path
that prints something.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import bpdebug
from bpdebug.cli import main
from bpdebug.support.safe_text import escape_json, escape_text, first_unsafe

# what a file may try to send a terminal: clipboard write (OSC 52), clear screen, a colour,
# carriage return and backspaces that overprint a number, C1 CSI, DEL, a bidi override, an
# isolate, a zero-width space, a BOM, a line separator, and a lone surrogate
HOSTILE = [
    "\x1b]52;c;aGk=\x07",
    "\x1b[2J",
    "\x1b[31m",
    "x\r9999",
    "w\b\b\b",
    "\x9b31m",
    "\x7f",
    "2.2\u202e",
    "\u2066x",
    "a\u200bb",
    "\ufeff",
    "a\u2028b",
]
NODE = '[[nodes]]\nid = "y"\nop = "exp"\ninputs = ["x"]\n'


def toml_string(text: str) -> str:
    """*text* as a TOML basic string, every character outside printable ASCII escaped."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


def assert_safe(text: str) -> None:
    bad = first_unsafe(text, allowed="\n")
    assert bad is None, f"U+{ord(bad):04X} reached the output: {text!r}"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. text from a file never reaches a terminal as a control sequence ------------------------


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if "\ud800" not in h])
@pytest.mark.parametrize("where", ["title", "leaf label", "node label", "description"])
def test_text_with_control_or_invisible_characters_is_refused_at_load(
    tmp_path, capsys, hostile, where
) -> None:
    text = toml_string(hostile)
    if where == "title":
        source = f"title = {text}\n[inputs]\nx = 2\n{NODE}"
    elif where == "description":
        source = f"description = {text}\n[inputs]\nx = 2\n{NODE}"
    elif where == "leaf label":
        source = f"[inputs]\nx = {{ value = 2, label = {text} }}\n{NODE}"
    else:
        source = f"[inputs]\nx = 2\n{NODE}label = {text}\n"
    path = tmp_path / "g.toml"
    path.write_text(source, encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"bpdebug: {path}:")
    key = "description" if where == "description" else where.split()[-1]
    bad = first_unsafe(hostile)
    assert f"'{key}' contains" in err and f"U+{ord(bad):04X}" in err
    assert_safe(err)


def test_a_description_may_span_lines_and_text_may_be_chinese(tmp_path) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        'title = "苹果\\t问题"\ndescription = """第一行\n第二行"""\n'
        f'[inputs]\nx = {{ value = 2, label = "苹果　价格" }}\n{NODE}',
        encoding="utf-8",
    )
    graph = bpdebug.load(path)
    assert graph.description == "第一行\n第二行"
    assert graph.leaves["x"].label == "苹果　价格"  # an ideographic space is text, not a control
    assert graph.title == "苹果 问题"  # a tab in a one-line text is shown as a space


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_output_escapes_a_hostile_file_name(tmp_path, capsys, hostile) -> None:
    """The graph's own name cannot be refused (it is not in the file): every output escapes it."""
    name = hostile.replace("\x00", "") + ".toml"
    try:
        path = tmp_path / name
        path.write_text(f"[inputs]\nx = 2\n{NODE}", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses that name")
    for argv in ([str(path), "--trace"], [str(path), "--check"], [str(path), "--trace", "--format", "json"]):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, err
        assert_safe(out)
        assert_safe(err)
    data = json.loads(out)
    assert data["title"] == escape_text(path.stem)
    # errors quote the name too
    path.write_text("[inputs]\nx = 2\n", encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert_safe(err)
    assert escape_text(str(path)) in err


@pytest.mark.parametrize("hostile", HOSTILE)
def test_errors_escape_what_they_quote_from_the_file(tmp_path, capsys, hostile) -> None:
    text = toml_string(hostile)
    cases = [
        f"[inputs]\nx = {{ file = {toml_string(hostile + '.npy')} }}\n{NODE}",  # a data file's name
        f'[inputs]\nx = 2\n[[nodes]]\nid = "y"\nop = {text}\ninputs = ["x"]\n',  # an unknown op
        f"{text} = 1\n[inputs]\nx = 2\n{NODE}",  # an unknown key
        f'[inputs]\nx = 2\n[[nodes]]\nid = "y"\nop = "exp"\ninputs = [{text}]\n',  # an unknown input
    ]
    for source in cases:
        path = tmp_path / "g.toml"
        path.write_text(source, encoding="utf-8")
        code, out, err = run_cli(capsys, str(path), "--trace")
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert_safe(err)


def test_json_escapes_what_json_dumps_lets_through() -> None:
    document = json.dumps({"t": "a\x7fb\x9b\u202ec\u2028d\ud800e 苹果"}, ensure_ascii=False)
    escaped = escape_json(document)
    assert_safe(escaped)
    assert "苹果" in escaped  # CJK stays readable
    assert json.loads(escaped) == json.loads(document)  # the data is unchanged for a JSON reader
    assert escape_json('{"x": "\U000e0001"}') == '{"x": "\\udb40\\udc01"}'


def test_escape_text_writes_what_repr_writes() -> None:
    for hostile in HOSTILE:
        assert escape_text(hostile) == repr(hostile)[1:-1].replace("\\\\", "\\")
    assert escape_text("apple 苹果 ∂L/∂x") == "apple 苹果 ∂L/∂x"


# --- 2. only regular files are read, and never without bound ---------------------------------


def cli_in_subprocess(*argv: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """The command line in its own process: a hang fails the test instead of stopping the run."""
    return subprocess.run(
        [sys.executable, "-m", "bpdebug", *argv], capture_output=True, text=True, timeout=timeout
    )


def test_a_fifo_a_device_or_a_folder_is_refused_before_it_is_read(tmp_path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    (tmp_path / "data.npy").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.npy")
    (tmp_path / "zero.npz").symlink_to("/dev/zero")
    (tmp_path / "folder.toml").mkdir()
    graph = tmp_path / "g.toml"
    cases = {
        str(fifo): "is a named pipe, not a file",
        "/dev/zero": "is a character device, not a file",
        str(tmp_path / "folder.toml"): "is a directory, not a file",
    }
    for argv, expected in cases.items():
        done = cli_in_subprocess(argv, "--trace")
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and expected in done.stderr, done.stderr
    for data, expected in [
        ("data.npy", "is a character device, not a file"),
        ("pipe.npy", "is a named pipe, not a file"),
        ("zero.npz", "is a character device, not a file"),
    ]:
        graph.write_text(f'[inputs]\nx = {{ file = "{data}" }}\n{NODE}', encoding="utf-8")
        done = cli_in_subprocess(str(graph), "--trace")
        assert done.returncode == 2 and expected in done.stderr and done.stderr.count("\n") == 1


def test_a_file_larger_than_the_limit_is_not_read(tmp_path, monkeypatch) -> None:
    from bpdebug.support.files import open_regular, read_bounded

    path = tmp_path / "g.toml"
    path.write_text(f"[inputs]\nx = 2\n{NODE}" + "# padding\n" * 100, encoding="utf-8")
    monkeypatch.setenv("BPDEBUG_MAX_FILE_BYTES", "500")
    with pytest.raises(bpdebug.GraphError, match=r"larger than 500 bytes.*BPDEBUG_MAX_FILE_BYTES"):
        bpdebug.load(path)
    handle, size = open_regular(path)
    with handle:
        assert read_bounded(handle, size - 1) is None  # a file that grew past what stat said
    with open_regular(path)[0] as handle:
        assert read_bounded(handle, size) == path.read_bytes()


# --- 4. sizes checked before memory is allocated; every reading failure is one line ------------


def npy_bytes(shape, descr: str = "<f8", version: tuple[int, int] = (1, 0), data: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    if version == (1, 0):
        np.lib.format.write_array_header_1_0(buffer, header)
    else:
        np.lib.format.write_array_header_2_0(buffer, header)
    return buffer.getvalue() + data


def load_data_file(tmp_path: Path, name: str, payload: bytes, key: str = "") -> str:
    (tmp_path / name).write_bytes(payload)
    keyed = f', key = "{key}"' if key else ""
    (tmp_path / "g.toml").write_text(f'[inputs]\nx = {{ file = "{name}"{keyed} }}\n{NODE}', encoding="utf-8")
    with pytest.raises(bpdebug.GraphError) as caught:
        bpdebug.load(tmp_path / "g.toml")
    return str(caught.value)


def zipped(member: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("x.npy", member)
    return buffer.getvalue()


def test_npy_headers_are_bounded_before_they_are_read(tmp_path) -> None:
    negative = zipped(npy_bytes((-1,), data=b"\0" * 800))
    assert "declares a negative length in its shape (-1,)" in load_data_file(tmp_path, "neg.npz", negative)
    huge_header = b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0) + b"{" * 100
    message = load_data_file(tmp_path, "hdr.npy", huge_header)
    assert "declares a header of 4,294,967,280 bytes; the limit is 10,000" in message
    in_archive = zipped(huge_header)
    assert "declares a header of 4,294,967,280 bytes" in load_data_file(tmp_path, "hdr.npz", in_archive)
    promises_more = npy_bytes((1000, 1000), data=b"\0" * 64)
    assert "truncated (its header promises more data)" in load_data_file(tmp_path, "short.npy", promises_more)
    too_many = npy_bytes((100_000, 100_000))
    assert "10,000,000,000 elements; the limit is 100,000,000" in load_data_file(
        tmp_path, "big.npy", too_many
    )


def test_a_0d_npy_loads_as_a_scalar(tmp_path) -> None:
    np.save(tmp_path / "x.npy", 2.5)
    (tmp_path / "g.toml").write_text(f'[inputs]\nx = {{ file = "x.npy" }}\n{NODE}', encoding="utf-8")
    graph = bpdebug.load(tmp_path / "g.toml")
    assert graph.leaves["x"].value == 2.5 and bpdebug.run(graph).grads["x"] == pytest.approx(np.exp(2.5))


def corrupted(archive: bytes, offset_from_data: int = 4) -> bytes:
    data = bytearray(archive)
    start = data.find(b"x.npy") + len(b"x.npy") + offset_from_data
    data[start : start + 16] = b"\xff" * 16
    return bytes(data)


def with_flag(archive: bytes, method: int | None = None, encrypted: bool = False) -> bytes:
    data = bytearray(archive)
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    if method is not None:
        data[local + 8 : local + 10] = struct.pack("<H", method)
        data[central + 10 : central + 12] = struct.pack("<H", method)
    if encrypted:
        data[local + 6] |= 1
        data[central + 8] |= 1
    return bytes(data)


def test_every_broken_archive_is_one_line(tmp_path, capsys) -> None:
    member = npy_bytes((100,), data=b"\0" * 800)
    cases = {
        "method.npz": (with_flag(zipped(member), method=99), "compression method that cannot be read"),
        "encrypted.npz": (with_flag(zipped(member), encrypted=True), "encrypted (password-protected)"),
        "deflate.npz": (corrupted(zipped(member)), "compressed data is corrupt"),
        "lzma.npz": (corrupted(zipped(member, zipfile.ZIP_LZMA), 8), "compressed data is corrupt"),
        "notzip.npz": (b"PK\x03\x04 not a zip", "cannot read data file"),
    }
    for name, (payload, expected) in cases.items():
        (tmp_path / name).write_bytes(payload)
        (tmp_path / "g.toml").write_text(f'[inputs]\nx = {{ file = "{name}" }}\n{NODE}', encoding="utf-8")
        code, out, err = run_cli(capsys, str(tmp_path / "g.toml"), "--trace")
        assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, (name, err)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[inputs]\nx = 1" + "0" * 309 + "\n" + NODE,
            ":2: error: input 'x': the number (310 digits) is too large",
        ),
        ("[inputs]\nx = [1, 1" + "0" * 400 + "]\n" + NODE, "item [1]: the number (401 digits) is too large"),
        (
            '[inputs]\nx = 2\n[[nodes]]\nid = "y"\nop = "pow"\ninputs = ["x"]\nexponent = 1'
            + "0" * 309
            + "\n",
            "'exponent' must be a finite number",
        ),
        (
            '[inputs]\nx = { init = "normal", shape = [2], scale = 1' + "0" * 309 + " }\n" + NODE,
            "'scale' must be a finite number",
        ),
        (
            "[inputs]\nx = 2\nz = 1" + "0" * 5000 + "\n" + NODE,
            ":3: error: a number has too many digits to read",
        ),
        (
            '[inputs]\nx = 2\n[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["x", 1' + "0" * 400 + "]\n",
            "input 2: the number",
        ),
    ],
)
def test_integers_too_large_for_float64_are_one_line(tmp_path, capsys, source, expected) -> None:
    path = tmp_path / "g.toml"
    path.write_text(source, encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, err


def test_very_long_names_are_one_short_line(tmp_path, capsys) -> None:
    code, out, err = run_cli(capsys, "a" * 5000, "--trace")
    assert (
        code == 2
        and out == ""
        and err.count("\n") == 1
        and "the file name is too long" in err
        and len(err) < 400
    )
    path = tmp_path / "g.toml"
    path.write_text(f'[inputs]\nx = {{ file = "{"b" * 5000}.npy" }}\n{NODE}', encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert code == 2 and out == "" and err.count("\n") == 1 and "(5,004 characters)" in err and len(err) < 600


def test_a_folder_the_user_may_not_enter(tmp_path, capsys, monkeypatch) -> None:
    import bpdebug.support.files

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bpdebug.support.files.os, "open", refuse)  # as root, chmod 000 would not stop us
    code, out, err = run_cli(capsys, str(tmp_path / "locked" / "g.toml"), "--trace")
    assert code == 2 and out == "" and err.strip().endswith("error: permission denied")


def test_a_total_budget_bounds_all_the_arrays_of_a_graph(tmp_path, capsys, monkeypatch) -> None:
    eight = "[inputs]\n" + "".join(f'a{i} = {{ init = "zeros", shape = [100000000] }}\n' for i in range(8))
    path = tmp_path / "g.toml"
    path.write_text(eight + '[[nodes]]\nid = "y"\nop = "add"\ninputs = ["a0", "a1"]\n', encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert (
        code == 2 and out == "" and ":4: error: input 'a2': the inputs would hold 300,000,000 numbers" in err
    )
    assert "set BPDEBUG_MAX_TOTAL_ELEMENTS" in err
    transpose = (
        '[inputs]\nx = { init = "ones", shape = [10000, 1] }\ny = { init = "ones", shape = [1, 10000] }\n'
        '[[nodes]]\nid = "z"\nop = "mul"\ninputs = ["x", "y"]\n[[nodes]]\nid = "s"\nop = "sum"\ninputs = ["z"]\n'
    )
    path.write_text(transpose, encoding="utf-8")
    code, out, err = run_cli(capsys, str(path), "--trace")
    assert code == 2 and "values and gradients would hold about 200,040,001 numbers (1.6 GB" in err
    small = '[inputs]\nx = { init = "ones", shape = [40] }\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["x"]\n'
    path.write_text(small, encoding="utf-8")
    monkeypatch.setenv("BPDEBUG_MAX_TOTAL_ELEMENTS", "100")
    with pytest.raises(bpdebug.GraphError, match="about 120 numbers"):  # x, y, and y's gradient to x
        bpdebug.load(path)
    monkeypatch.setenv("BPDEBUG_MAX_TOTAL_ELEMENTS", "120")
    assert bpdebug.load(path).nodes[0].shape == (40,)


def test_memory_running_out_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    import bpdebug.core.engine

    def exhausted(graph):
        raise MemoryError

    monkeypatch.setattr(bpdebug.core.engine, "run", exhausted)
    code, out, err = run_cli(capsys, "problem1", "--trace")
    assert (
        code == 2 and out == "" and err.count("\n") == 1 and err.startswith("bpdebug: error: out of memory")
    )


def test_numpy_warnings_do_not_reach_stderr(tmp_path, capfd) -> None:
    path = tmp_path / "g.toml"
    path.write_text(
        '[inputs]\nx = [0.0, 1.0, -1.0]\n[[nodes]]\nid = "l"\nop = "log"\ninputs = ["x"]\n'
        '[[nodes]]\nid = "m"\nop = "mul"\ninputs = ["l", "l"]\n[[nodes]]\nid = "s"\nop = "sum"\ninputs = ["m"]\n',
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning anywhere fails the test
        trace = bpdebug.run(bpdebug.load(path))
        list(trace.steps)  # local derivatives of arrays are computed here
        assert main([str(path), "--trace"]) == 0
        assert main([str(path), "--check"]) in (0, 1)
    out, err = capfd.readouterr()
    assert "warning: the first nan or inf appears" in out and err == ""


# --- 5. errors while running name the file and the node ---------------------------------------

LABELS_FROM_A_NODE = (
    "[inputs]\nx = [[1.0, 2.0, 3.0]]\nk = [7.0]\n"
    '[[nodes]]\nid = "t"\nop = "mul"\ninputs = ["k", 1]\n'
    '[[nodes]]\nid = "loss"\nop = "softmax_with_loss"\ninputs = ["x", "t"]\n'
)


def test_errors_while_running_name_the_file_and_the_node(tmp_path, capsys) -> None:
    path = tmp_path / "g.toml"
    path.write_text(LABELS_FROM_A_NODE, encoding="utf-8")
    with pytest.raises(bpdebug.GraphError) as caught:
        bpdebug.run(bpdebug.load(path))
    assert str(caught.value) == (
        f"{path}: error: node 'loss' (softmax_with_loss), forward pass: "
        "labels t must be whole numbers from 0 to 2"
    )
    for argv in ([str(path), "--trace"], [str(path), "--check"], [str(path)]):  # the app, too
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and out == "" and err == f"bpdebug: {caught.value}\n"
