"""The app in a browser (--serve): first render and key round trip, in Debian's headless
Chromium driven by Playwright. Prints one JSON line of seconds.

    python -m benchmarks.browser_cases
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
KEYS = 20


def main() -> dict:
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "bpdebug", "problem2", "--serve", "--port", str(port), "--lang", "en"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    while "http://" not in server.stderr.readline():  # type: ignore[union-attr]
        pass
    frames: list[str] = []

    def wait_for(page, needle: str) -> None:
        while needle not in "".join(frames):
            page.wait_for_timeout(2)

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            wait_for(page, "step 0 of 8")
            first = time.perf_counter() - start
            page.focus(".xterm-helper-textarea")
            keys = []
            for k in range(KEYS):
                forward = k % 16 < 8  # 8 steps forward, 8 back, and again
                cursor = (k % 8) + 1 if forward else 7 - (k % 8)
                frames.clear()
                start = time.perf_counter()
                page.keyboard.press("n" if forward else "p")
                wait_for(page, f"step {cursor} of 8")
                keys.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
    return {"first_render": first, "key_median": statistics.median(keys), "key_max": max(keys)}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(main()))
