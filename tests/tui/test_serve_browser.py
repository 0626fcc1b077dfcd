"""--serve in a real browser: Debian's headless Chromium, driven by Playwright, opens the served
app, presses keys and reads what the terminal in the page was sent; then Ctrl+C stops it all.

The terminal in the page draws on a canvas, so its text is read from the frames the page
receives; the fonts are read from the page (the Chinese face must load from a local font)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]

playwright = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_mentioning(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class Served:
    """``bpdebug GRAPH --serve`` in a process of its own, stopped with Ctrl+C (SIGINT)."""

    def __init__(self, graph: Path, *options: str) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "bpdebug", str(graph), "--serve", "--port", str(self.port), *options]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.said = ""
        while "http://" not in self.said:  # until it serves (a warning may come first)
            line = self.process.stderr.readline()  # type: ignore[union-attr]
            if not line:
                raise AssertionError(f"--serve stopped before serving: {self.said}")
            self.said += line

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


class Page:
    """A browser tab on the served app; ``text`` is what its terminal has been sent so far."""

    def __init__(self, browser, url: str) -> None:
        self.frames: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.page.goto(url)

    def _frame(self, payload: str | bytes) -> None:
        self.frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    @property
    def text(self) -> str:
        return "".join(self.frames)

    def wait_for(self, needle: str, timeout: float = 15) -> float:
        """Seconds until *needle* was sent to the page."""
        start = time.monotonic()
        while needle not in self.text:
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{needle!r} never reached the page")
            self.page.wait_for_timeout(20)
        return time.monotonic() - start

    def press(self, key: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.press(key)


def test_the_served_app_in_chromium_steps_speaks_chinese_and_stops_cleanly(tmp_path: Path) -> None:
    graph = tmp_path / "problem2_served.toml"  # a name of its own: its processes can be found
    shutil.copy(ROOT / "bpdebug" / "graphs" / "problem2.toml", graph)
    served = Served(graph, "--lang", "zh")
    try:
        assert "127.0.0.1" in served.said and "Ctrl+C" in served.said
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            tab = Page(browser, served.url)
            tab.wait_for("第 0 步")
            assert "苹果价格" in tab.text
            tab.press("f")
            tab.wait_for("715")
            tab.wait_for("第 4 步")
            fonts = tab.page.evaluate(
                """async () => { const found = [];
                   for (const face of document.fonts) { try { await face.load(); } catch (e) {}
                     found.push([face.unicodeRange, face.status]); }
                   return found; }"""
            )
            cjk = [status for ranges, status in fonts if "U+4E00" in ranges.upper()]
            assert cjk == ["loaded"], fonts  # a local font with Chinese glyphs: no tofu
            outside = [
                url for url in tab.requests if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1"))
            ]
            assert outside == []  # no web font from a public host
            assert len(processes_mentioning(graph.name)) >= 2  # the server and the tab's app
            browser.close()
    finally:
        code = served.stop()
    assert code == 0
    time.sleep(0.5)
    assert processes_mentioning(graph.name) == []  # no app process left behind


def test_a_port_in_use_and_an_open_host_say_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bpdebug", "problem2", "--serve", "--port", str(port)],
            capture_output=True, text=True, timeout=30, cwd=ROOT,
        )  # fmt: skip
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert result.stderr.count("\n") == 1
    served = Served(ROOT / "bpdebug" / "graphs" / "problem1.toml", "--host", "0.0.0.0")
    try:
        assert "there is no password" in served.said
    finally:
        assert served.stop() == 0
