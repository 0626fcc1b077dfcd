"""Units a reader can hold in their head: no module over 450 lines, no function over 60
(a nested function counts in its parent), and no call into Textual's private API."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bpdebug

PACKAGE = Path(bpdebug.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_450_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 450}
    assert long == {}


def test_no_function_is_over_60_lines() -> None:
    long = {}
    for path in MODULES:
        for node in _outermost_functions(ast.parse(path.read_text())):
            length = node.end_lineno - node.lineno + 1
            if length > 60:
                long[f"{path.relative_to(PACKAGE)}:{node.name}"] = length
    assert long == {}


def _outermost_functions(tree: ast.AST):
    """Functions and methods, but not the functions nested inside them (those count in them)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef | ast.If | ast.Try | ast.With):
            yield from _outermost_functions(node)


def test_the_app_calls_no_private_textual_method_on_its_widgets() -> None:
    ours = set()
    texts = {path: path.read_text() for path in MODULES}
    for text in texts.values():
        ours |= set(re.findall(r"def (_\w+)\(", text)) | set(re.findall(r"self\.(_\w+)\s*[:=]", text))
    called = {name for text in texts.values() for name in re.findall(r"\bself\.(_[a-z]\w*)\(", text)}
    assert called - ours == set()
