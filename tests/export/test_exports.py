"""--export: the Markdown handout, the Graphviz graph and the screens as SVG, as a teacher
uses them: files written whole, never over one that exists, in the language chosen."""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import nullcontext
from pathlib import Path

import pytest

import bpdebug
from bpdebug.cli import main
from bpdebug.export.dot import dot
from bpdebug.export.handout import handout
from bpdebug.teach.messages import set_language


def trace_of(name: str, lang: str = "en"):
    return bpdebug.run(bpdebug.load(name, lang=lang))


def test_the_handout_reads_like_the_book() -> None:
    text = handout(trace_of("problem2"))
    assert text.startswith("# Problem 2: 2 apples and 3 oranges, 10% tax\n")
    assert "## The graph after the forward pass" in text and "## The graph after the backward pass" in text
    blocks = re.findall(r"```text\n(.*?)```", text, re.S)
    assert len(blocks) == 2 and "715" in blocks[0] and "◀" not in blocks[0] and "◀ 2.2" in blocks[1]
    assert "### Step 8 · backward · apple\\_price" in text
    assert "`sent back  ∂L/∂apple = ∂L/∂apple_price × apple_num = 1.1 × 2 = 2.2`" in text
    assert "> A multiply node sends back the upstream signal" in text
    assert "| apple | `∂L/∂apple = 2.2` |" in text and "| tax | `∂L/∂tax = 650` |" in text


def test_the_handout_renders_as_markdown_with_its_table_and_formulas() -> None:
    from markdown_it import MarkdownIt  # a CommonMark renderer (rich, under Textual, brings it)

    html = MarkdownIt("commonmark").enable("table").render(handout(trace_of("problem2")))
    assert html.count("<table>") == 1 and html.count("<tr>") == 6  # the header and five inputs
    assert "<td><code>∂L/∂apple = 2.2</code></td>" in html
    assert "<h3>Step 8 · backward · apple_price</h3>" in html  # the escaped _ renders as _
    assert html.count('<pre><code class="language-text">') == 2


def test_the_handout_in_chinese_and_of_the_big_net() -> None:
    set_language("zh")
    text = handout(trace_of("problem2", "zh"))
    assert "## 正向传播之后的计算图" in text and "### 第 5 步 · 反向传播 · 支付金额" in text
    set_language("en")
    big = handout(trace_of("mnist_784_50_10"))
    assert len(big.encode()) < 2_000_000 and "784×50" in big


def test_text_from_the_file_cannot_make_markup(tmp_path: Path) -> None:
    graph = tmp_path / "g.toml"
    graph.write_text(
        'title = "*bold* | <b>x</b>"\n[inputs]\na = 1\n[[nodes]]\nid = "y"\nop = "neg"\ninputs = ["a"]\n'
        'label = "y|`z`"\n',
        encoding="utf-8",
    )
    text = handout(bpdebug.run(bpdebug.load(graph)))
    assert text.startswith("# \\*bold\\* \\| \\<b\\>x\\</b\\>\n")
    assert "``" in text  # a label with a backtick gets a longer code fence


def test_the_dot_graph_labels_every_edge_with_value_and_gradient() -> None:
    text = dot(trace_of("problem2"))
    found = re.findall(r'"(\w+)" -> "(\w+)" \[label="([^"]*)"\]', text)
    edges = {(source, target): label for source, target, label in found}
    assert edges[("apple", "apple_price")] == "100\\n◀ 2.2"
    assert edges[("tax", "price")] == "1.1\\n◀ 650"
    assert edges[("price", "__output__")] == "715\\n◀ 1"
    assert text.count("->") == 9 and text.startswith("digraph bpdebug {") and text.rstrip().endswith("}")
    set_language("zh")
    assert 'label="苹果"' in dot(trace_of("problem2", "zh"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (Debian's graphviz) is not installed")
def test_graphviz_renders_the_dot_graph(tmp_path: Path) -> None:
    result = subprocess.run(
        ["dot", "-Tsvg"], input=dot(trace_of("two_layer")), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout and "◀" in result.stdout


def test_files_are_never_overwritten_without_force(tmp_path: Path, capsys) -> None:
    out = tmp_path / "handout.md"
    assert main(["problem2", "--export", "markdown", "-o", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert main(["problem2", "--export", "markdown", "-o", str(out), "--lang", "zh"]) == 2
    assert (
        "已存在；要覆盖它请加 --force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == first
    )
    assert main(["problem2", "--export", "markdown", "-o", str(out), "--force", "--lang", "zh"]) == 0
    assert "正向传播" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["handout.md"]  # no temporary file left


def test_svg_screens_one_step_or_one_file_per_step(tmp_path: Path, capsys) -> None:
    one = tmp_path / "five.svg"
    assert main(["problem2", "--export", "svg", "--step", "5", "-o", str(one), "--size", "100x30"]) == 0
    assert "<svg" in one.read_text(encoding="utf-8") and "step 5 of 8" in one.read_text(
        encoding="utf-8"
    ).replace("&#160;", " ")
    deck = tmp_path / "deck"
    assert main(["problem1", "--export", "svg", "-o", str(deck), "--theme", "light"]) == 0
    assert sorted(p.name for p in deck.iterdir()) == [f"step-{k:02d}.svg" for k in range(5)]
    assert main(["problem1", "--export", "svg", "-o", str(deck)]) == 2
    assert "step-00.svg exists" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["problem2", "--export", "pdf"], "invalid choice"),
        (["problem2", "--export", "svg", "--size", "big", "--step", "1"], "--size 'big': write COLSxROWS"),
        (["problem2", "--export", "svg", "--step", "9"], "--step 9 is not a step of this graph"),
        (["problem2", "--export", "svg"], "give -o FOLDER"),
        (["problem2", "--export", "dot", "--step", "1"], "--step, --size and --theme are for --export svg"),
        (["problem2", "-o", "x.md"], "are for --export"),
        (["problem2", "--export", "dot", "--trace"], "--export writes files"),
        (
            ["problem2", "--export", "dot", "-o", "/no/such/folder/x.dot"],
            "the folder /no/such/folder does not exist",
        ),
    ],
)
def test_bad_export_options_are_one_line(argv: list[str], says: str, capsys) -> None:
    with pytest.raises(SystemExit) if "pdf" in argv else nullcontext():
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err
