"""The layers of the package: everything outside the app works without Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bpdebug

OUTSIDE_THE_APP = ("support", "core", "formats", "teach", "render", "export")


def modules_outside_the_app() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(bpdebug.__path__, "bpdebug."):
        layer = info.name.split(".")[1]
        if layer in OUTSIDE_THE_APP or info.name == "bpdebug.cli":
            names.append(info.name)
    return names


def test_there_are_modules_in_every_layer() -> None:
    layers = {name.split(".")[1] for name in modules_outside_the_app()}
    assert set(OUTSIDE_THE_APP) <= layers


def test_no_module_outside_the_app_imports_textual() -> None:
    names = modules_outside_the_app()
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    bad = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
        "    assert not bad, f'{name} imported {bad}'\n"
        "print(len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
