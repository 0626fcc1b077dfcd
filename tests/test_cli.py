"""The command line as a user meets it: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bpdebug.cli import main
from bpdebug.formats.bundled import bundled_graphs
from tests.conftest import GRAPHS


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bpdebug", *args], capture_output=True, text=True, encoding="utf-8"
    )


def test_trace_text_writes_numbers_as_people_do(capsys) -> None:
    assert main(["problem2", "--trace"]) == 0
    out = capsys.readouterr().out
    assert "price = all_price × tax = 650 × 1.1 = 715" in out
    assert "∂L/∂tax = ∂L/∂price × all_price = 1 × 650 = 650" in out
    assert "∂L/∂orange = ∂L/∂orange_price × orange_num = 1.1 × 3 = 3.3" in out
    assert "715.0000000000001" not in out and "3.3000000000000003" not in out


def test_trace_text_shows_arrays_as_shape_and_preview(capsys) -> None:
    assert main(["two_layer", "--trace"]) == 0
    out = capsys.readouterr().out
    assert "[2×4]" in out and "∂L/∂W1  [3×4: " in out


def test_trace_json_matches_the_contract(capsys) -> None:
    assert main(["problem2", "--trace", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "output", "values", "grads", "steps"}
    assert data["title"] == "Problem 2: 2 apples and 3 oranges, 10% tax" and data["output"] == "price"
    assert data["grads"]["tax"] == pytest.approx(650) and data["values"]["price"] == pytest.approx(715)
    first, fifth = data["steps"][0], data["steps"][4]
    assert first == {
        "index": 1,
        "phase": "forward",
        "node": "apple_price",
        "op": "mul",
        "inputs": {"apple": 100.0, "apple_num": 2.0},
        "value": 200.0,
    }
    assert {k: fifth[k] for k in ("index", "phase", "node", "op", "upstream")} == {
        "index": 5,
        "phase": "backward",
        "node": "price",
        "op": "mul",
        "upstream": 1.0,
    }
    assert fifth["local"] == pytest.approx({"all_price": 1.1, "tax": 650.0})
    assert fifth["downstream"] == pytest.approx({"all_price": 1.1, "tax": 650.0})


def test_trace_json_arrays_nulls_and_non_finite(tmp_path: Path, capsys) -> None:
    graph = tmp_path / "g.toml"
    graph.write_text(
        '[inputs]\nx = [[0.0, 1.0]]\ns = 2\n[[nodes]]\nid = "l"\nop = "log"\ninputs = ["x"]\n'
        '[[nodes]]\nid = "y"\nop = "mul"\ninputs = ["l", "s"]\n'
        '[[nodes]]\nid = "z"\nop = "sum"\ninputs = ["y"]\n'
    )
    assert main([str(graph), "--trace", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["values"]["l"] == [["-inf", 0.0]]
    steps = {(s["phase"], s["node"]): s for s in data["steps"]}
    assert steps["backward", "y"]["local"]["s"] is None
    assert steps["backward", "z"]["local"] is None
    assert steps["backward", "l"]["local"]["x"] == [["inf", 1.0]]


def test_check_passes_on_every_bundled_graph(capsys) -> None:
    for graph in bundled_graphs():
        assert main([graph.name, "--check"]) == 0, graph.name
    out = capsys.readouterr().out
    assert "W1" in out and "40 of 39200" in out


def test_check_fails_with_exit_1_at_a_relu_kink(tmp_path: Path, capsys) -> None:
    graph = tmp_path / "kink.toml"
    graph.write_text('[inputs]\nx = 0\n[[nodes]]\nid = "y"\nop = "relu"\ninputs = ["x"]\n')
    assert main([str(graph), "--check"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_bad_file_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    graph = tmp_path / "bad.toml"
    graph.write_text('[inputs]\na = 1\n[[nodes]]\nid = "y"\nop = "exq"\ninputs = ["a"]\n')
    for args in ([str(graph)], [str(graph), "--trace"], [str(graph), "--check"]):
        result = run_cli(*args)
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "unknown op 'exq' (did you mean 'exp'?)" in lines[0]
        assert "Traceback" not in result.stderr


def test_list_version_help() -> None:
    listed = run_cli("--list")
    assert listed.returncode == 0
    assert "problem2" in listed.stdout and "Problem 2: 2 apples and 3 oranges" in listed.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("bpdebug ")
    helped = run_cli("--help")
    assert helped.returncode == 0 and "--trace" in helped.stdout and "--check" in helped.stdout


def test_bundled_graphs_have_titles_and_teaching_descriptions() -> None:
    graphs = bundled_graphs()
    assert len(graphs) >= 11
    for graph in graphs:
        assert graph.title and len(graph.description) > 80, graph.name
    for graph in bundled_graphs("zh"):  # every one in Chinese too
        assert any("\u4e00" <= c <= "\u9fff" for c in graph.title + graph.description), graph.name


def test_trace_json_contributions_are_as_the_format_page_says(capsys) -> None:
    assert main(["chain_rule", "--trace", "--format", "json"]) == 0
    steps = [s for s in json.loads(capsys.readouterr().out)["steps"] if s["phase"] == "backward"]
    output, rest = steps[0], steps[1:]
    assert "contributions" not in output  # the output receives ∂L/∂L = 1 from no one
    for step in rest:
        assert sum(c["grad"] for c in step["contributions"]) == pytest.approx(step["upstream"])


def test_format_json_alone_means_the_trace_as_json(capsys) -> None:
    assert main(["problem2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == "price"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--list", "problem2"], "--list takes no GRAPH"),
        (["--trace"], "need a GRAPH"),
        (["--format", "json"], "need a GRAPH"),
        (["problem2", "--watch", "--trace"], "does not go with --trace"),
        (["problem2", "--watch", "--check"], "does not go with --trace or --check"),
        (["problem2", "--trace", "--samples", "3"], "--samples is for --check"),
        (["problem2", "--quiz", "--trace"], "--quiz asks in the app; it does not go with --trace"),
        (["problem2", "--quiz", "--check"], "--quiz asks in the app"),
    ],
)
def test_options_that_cannot_go_together_say_so(argv: list[str], says: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1


def test_the_app_refuses_to_start_without_a_terminal() -> None:
    for argv in (["problem2"], []):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "bpdebug", *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        assert time.monotonic() - started < 5  # a second of it is Python starting, numpy importing
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr


def test_a_mistyped_bundled_name_gets_a_did_you_mean(capsys) -> None:
    assert main(["sigmoid", "--trace"]) == 2
    assert "did you mean the bundled graph 'sigmoid_nodes'?" in capsys.readouterr().err
    assert main(["problemm2", "--trace"]) == 2
    assert "'problem2'" in capsys.readouterr().err


def test_bundled_descriptions_do_not_give_the_answers_away() -> None:
    import bpdebug

    for g in bundled_graphs():
        trace = bpdebug.run(bpdebug.load(g.path))
        given = {fmt(leaf.value) for leaf in trace.graph.leaves.values() if isinstance(leaf.value, float)}
        computed = [*trace.grads.values(), trace.values[trace.graph.output]]
        answers = {fmt(v) for v in computed if isinstance(v, float)} - given - {"0", "1"}
        for answer in answers:
            assert not re.search(rf"(?<![\d.]){re.escape(answer)}(?![\d.])", g.description), (g.name, answer)


def fmt(value: float) -> str:
    from bpdebug.support.formatting import fmt_num

    return fmt_num(value, 4)


def test_lang_zh_speaks_chinese_in_the_trace_check_and_list(capsys) -> None:
    assert main(["problem2", "--trace", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("问题2：") and "局部导数  ∂支付金额/∂消费税 = 总价 = 650" in out
    assert main(["problem2", "--check", "--lang", "zh"]) == 0
    assert "全部 5 个输入一致" in capsys.readouterr().out
    assert main(["--list", "--lang", "zh"]) == 0
    assert "问题2" in capsys.readouterr().out


def test_the_environment_and_the_files_own_lang_choose_when_lang_is_not_given(
    capsys, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["chain_rule", "--trace"]) == 0
    assert "上游传来的值" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "C.UTF-8")  # says nothing: the file's own lang decides
    source = (GRAPHS / "problem2.toml").read_text(encoding="utf-8")
    path = tmp_path / "shop.toml"
    path.write_text('lang = "zh"\n' + source, encoding="utf-8")
    assert main([str(path), "--trace"]) == 0
    assert "输出：支付金额 = 715" in capsys.readouterr().out
    monkeypatch.setenv("BPDEBUG_LANG", "en")
    assert main([str(path), "--trace"]) == 0
    assert "output: price = 715" in capsys.readouterr().out


def test_an_unknown_language_is_one_line_and_exit_2(capsys) -> None:
    assert main(["problem2", "--trace", "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err == "bpdebug: error: unknown language 'fr'; bpdebug speaks: en, zh\n"


def test_set_edits_an_input_for_every_mode(capsys) -> None:
    assert main(["problem2", "--trace", "--set", "apple=101"]) == 0
    assert "output: price = 717.2" in capsys.readouterr().out
    assert main(["two_layer", "--trace", "--set", "W1[0,3]=0.5", "--set", "b2[1]=0"]) == 0
    assert "output: loss = " in capsys.readouterr().out
    assert main(["problem2", "--check", "--set", "tax=1.2"]) == 0


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("apple", "write NAME = VALUE"),
        ("apple=abc", "'abc' is not a number"),
        ("apple=1e999", "too large for a float64"),
        ("appel=1", "did you mean 'apple'?"),
        ("price=1", "is a node"),
    ],
)
def test_a_bad_set_is_one_line_and_exit_2(capsys, setting: str, says: str) -> None:
    assert main(["problem2", "--trace", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and err.startswith("bpdebug: error: --set: ")


def test_e_builds_the_graph_of_a_formula_for_trace_check_and_export(capsys) -> None:
    assert main(["-e", "z = (x + y) ** 2", "--set", "x=1", "--set", "y=2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "z = (x + y) ** 2" and data["output"] == "z"
    assert data["values"] == {"x": 1.0, "y": 2.0, "z_1": 3.0, "z": 9.0}
    assert (data["grads"]["x"], data["grads"]["y"]) == (6.0, 6.0)
    assert main(["-e", "a = x * w", "-e", "L = sigmoid(a)", "--set", "x=1", "--set", "w=-2", "--check"]) == 0
    assert "all 2 inputs agree" in capsys.readouterr().out
    assert (
        main(["-e", "price = apple * apple_num * tax; apple = 100; apple_num = 2; tax = 1.1", "--trace"]) == 0
    )
    assert "GRADIENTS of price" in capsys.readouterr().out
    assert (
        main(
            ["-e", "z = x * y; w = z + 1", "--set", "x=2", "--set", "y=3", "--output", "z", "--export", "dot"]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("digraph")


def test_set_on_a_value_the_formula_gives_is_a_what_if(capsys) -> None:
    assert main(["-e", "z = x * 2; x = 3", "--set", "x=4", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["values"]["z"] == 8.0


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["-e", "z = (x + y) ** 2", "--set", "x=1", "--trace"], "bpdebug: -e: error: no value for y"),
        (
            ["-e", "a = x * w", "-e", "L = sigmod(a)", "--trace"],
            "bpdebug: -e:2:5: error: there is no op 'sigmod'",
        ),
        (["-e", "z = x + a.b", "--trace"], "bpdebug: -e:1:9: error: an attribute (a.b)"),
        (
            ["-e", "z = x * 2; x = 1", "--output", "q", "--trace"],
            "bpdebug: -e: error: --output 'q' is not a node",
        ),
        (["problem2", "-e", "z = x * 2"], "-e builds the graph itself: it does not go with a GRAPH"),
        (["-e", "z = x * 2; x = 1", "--watch"], "does not go with a GRAPH, --watch or --layers"),
        (["problem2", "--output", "price"], "--output is for -e"),
    ],
)
def test_a_bad_formula_on_the_command_line_is_one_line_and_exit_2(argv: list[str], says: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(says) or says in err
    assert err.count("\n") == 1
