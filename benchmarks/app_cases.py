"""The app's benchmark cases: start-up, key-to-frame, opening large graphs. Run by run.py.

Every time is taken from outside, through a pseudo-terminal (see terminal.py): from starting
the program, or writing a key, to the terminal receiving the frame that shows the result.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.terminal import Terminal
from bpdebug.formats.generated import fan_out_graph, random_scalar_graph

HERE = Path(__file__).resolve().parent
MINIMAL = [sys.executable, str(HERE / "minimal_app.py")]


def bpdebug_argv(graph: str) -> list[str]:
    return [sys.executable, "-m", "bpdebug", graph]


def first_frame(argv: list[str], marker: str, size: tuple[int, int] = (120, 40)) -> float:
    terminal = Terminal(argv, *size)
    try:
        return terminal.wait_for(marker, timeout=120) - terminal.started
    finally:
        terminal.close()


STARTS = 15  # first frames of each app, alternated: a shared machine's starts vary by ±20%
KEYS = 80  # keys per app: the p90 is then the 8th slowest


def startup(repeat: int = STARTS) -> dict[str, list[float]]:
    """Seconds to the first frame: bpdebug on problem 2 (in English and in Chinese) and the
    minimal app, alternately."""
    times: dict[str, list[float]] = {"bpdebug": [], "bpdebug zh": [], "minimal": []}
    for _ in range(repeat):
        times["bpdebug"].append(first_frame(bpdebug_argv("graphs/problem2.toml"), r"step 0 of 8"))
        zh = [*bpdebug_argv("graphs/problem2.toml"), "--lang", "zh"]
        times["bpdebug zh"].append(first_frame(zh, r"共 8 步"))
        times["minimal"].append(first_frame(MINIMAL, r"count 0"))
    return times


def key_latencies(argv: list[str], total: int | None, presses: int, size=(120, 40)) -> list[float]:
    """Seconds from each key to its frame: n through the steps and p back, over and over."""
    terminal = Terminal(argv, *size)
    try:
        if total is None:  # the minimal app: every n rewrites the counter
            terminal.wait_for(r"count 0")
            terminal.drain()
            return [terminal.key("n", rf"count {k}\b") for k in range(1, presses + 1)]
        terminal.wait_for(rf"step 0 of {total}\b", timeout=120)
        terminal.drain()
        times, cursor = [], 0
        for k in range(presses):
            forward = (cursor < total and (k // total) % 2 == 0) or cursor == 0
            cursor += 1 if forward else -1
            times.append(terminal.key("n" if forward else "p", rf"step {cursor} of {total}\b"))
        return times
    finally:
        terminal.close()


EDITS = 12  # what-if edits per graph


def edit_latencies(
    argv: list[str], total: int, edit: str, shown: str, values: list[str], size=(120, 40)
) -> list[float]:
    """Seconds from Enter in the value editor (`e`) to the frame whose header shows the edit
    (*shown*, as ``edited: apple = 101`` writes it): *edit* with each of *values* in turn."""
    terminal = Terminal(argv, *size)
    try:
        terminal.wait_for(rf"step 0 of {total}\b", timeout=120)
        terminal.key("f", rf"step {total // 2} of {total}\b")  # at the end of the forward pass
        terminal.drain()
        times = []
        for value in values:
            terminal.key("e", r"Enter applies")
            terminal.drain()
            os.write(terminal.fd, b"\x15")  # ctrl+u clears the prefilled text
            terminal.drain()
            os.write(terminal.fd, edit.format(value).encode())
            terminal.drain()
            times.append(terminal.key("\r", re.escape(shown.format(value))))
            terminal.drain()
        return times
    finally:
        terminal.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "p90": percentile(values, 0.9),
        "min": min(values),
        "max": max(values),
    }


def large_graph_files(directory: Path) -> dict[int, Path]:
    files = {}
    for nodes in (2_000, 20_000):
        path = directory / f"random_{nodes}.toml"
        path.write_text(random_scalar_graph(nodes), encoding="utf-8")
        files[nodes] = path
    return files


def open_large(repeat: int = 3) -> dict[int | str, list[float]]:
    """Seconds from start to the first frame on generated 2,000- and 20,000-node graphs, and
    on one input read by 50,000 nodes ("fan-out")."""
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[int | str, Path] = dict(large_graph_files(Path(tmp)))
        files["fan-out"] = Path(tmp) / "fan_out_50000.toml"
        files["fan-out"].write_text(fan_out_graph(50_000), encoding="utf-8")
        return {
            nodes: [first_frame(bpdebug_argv(str(path)), r"step 0 of") for _ in range(repeat)]
            for nodes, path in files.items()
        }


def edits_everywhere(count: int = EDITS) -> dict[str, list[float]]:
    small = [f"{100 + k}" for k in range(1, count + 1)]
    big = [f"0.{k:02d}".rstrip("0") for k in range(1, count + 1)]  # as the header writes them
    return {
        "problem2": edit_latencies(
            bpdebug_argv("graphs/problem2.toml"), 8, "apple = {}", "apple = {}", small
        ),
        "mnist_784_50_10": edit_latencies(
            bpdebug_argv("mnist_784_50_10"), 8, "W1[0,0] = {}", "W1[0, 0] = {}", big
        ),
    }


def keys_everywhere(presses: int = KEYS) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        big = large_graph_files(Path(tmp))[2_000]
        import bpdebug

        steps_2000 = len(bpdebug.run(bpdebug.load(big)).steps)
        return {
            "minimal": key_latencies(MINIMAL, None, presses),
            "problem2": key_latencies(bpdebug_argv("graphs/problem2.toml"), 8, presses),
            "mnist_784_50_10": key_latencies(bpdebug_argv("mnist_784_50_10"), 8, presses),
            "random_2000": key_latencies(bpdebug_argv(str(big)), steps_2000, presses),
        }
