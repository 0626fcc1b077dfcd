from __future__ import annotations

import os
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = ROOT / "bpdebug" / "graphs"

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch):
    """Every test starts in English, whatever the machine's locale, and leaves it so."""
    from bpdebug.teach.messages import set_language

    for name in ("BPDEBUG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def files(tmp_path: Path):
    """Write a file under the test's folder (dedented) and give its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        return path

    return write
