"""Run every benchmark and print a table of figures and ratios against same-run baselines.

    python -m benchmarks.run                    # everything (about two minutes)
    python -m benchmarks.run --markdown FILE    # also write the table as Markdown

Needs the bench extra (pip install -e '.[bench]'): micrograd is the scalar baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def engine_case(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.engine_cases", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


PROCESSES = 5  # a ~1 ms case's ratio differs from process to process (docs/performance.md)


def median_process(case: str, ours: str, baseline: str) -> tuple[dict, str]:
    """The case run in PROCESSES processes: the run whose ratio is the median, and the range."""
    runs = sorted((engine_case(case) for _ in range(PROCESSES)), key=lambda r: r[ours] / r[baseline])
    ratios = [r[ours] / r[baseline] for r in runs]
    return runs[len(runs) // 2], f"{ratios[0]:.2f}–{ratios[-1]:.2f}×"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import textual

    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, textual {textual.__version__}"
    )


def compile_bytecode() -> None:
    """Compile bpdebug's modules the way pip does when it installs a package. Python reads
    cached bytecode but this machine sets PYTHONDONTWRITEBYTECODE=1, so an editable install
    would compile every module again at each start (~130 ms of a ~550 ms first frame) while
    the baseline's textual and numpy come compiled. Users do not pay that."""
    import compileall

    compileall.compile_dir(ROOT / "bpdebug", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="write the table to this Markdown file")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from benchmarks import app_cases
    from benchmarks.engine_cases import MNIST_RUNS

    compile_bytecode()

    rows: list[tuple[str, str, str, str, str, bool]] = []  # what, bpdebug, baseline, ratio, budget, ok

    start = app_cases.startup()
    m = statistics.median(start["minimal"])
    for name, what in (("bpdebug", "problem 2"), ("bpdebug zh", "problem 2 in Chinese")):
        b = statistics.median(start[name])
        rows.append(
            (
                f"first frame, {what} (median of {app_cases.STARTS}; min–max)",
                f"{ms(b)} ({ms(min(start[name]))}–{ms(max(start[name]))})",
                f"minimal app {ms(m)}",
                f"{b / m:.2f}×",
                "≤ 1.3×",
                b / m <= 1.3,
            )
        )

    keys = app_cases.keys_everywhere()
    base = app_cases.summary(keys["minimal"])
    for name in ("problem2", "mnist_784_50_10", "random_2000"):
        s = app_cases.summary(keys[name])
        ratio = s["median"] / base["median"]
        rows.append(
            (
                f"key → frame, {name} ({app_cases.KEYS} keys: median, p90)",
                f"{ms(s['median'])}, p90 {ms(s['p90'])}",
                f"minimal app {ms(base['median'])}, p90 {ms(base['p90'])}",
                f"{ratio:.2f}×",
                "median ≤ 2×, p90 ≤ 25 ms",
                ratio <= 2 and s["p90"] <= 0.025,
            )
        )

    edits = app_cases.edits_everywhere()
    for name, budget in (("problem2", 0.050), ("mnist_784_50_10", 0.150)):
        s = app_cases.summary(edits[name])
        rows.append(
            (
                f"what-if edit → frame, {name} ({app_cases.EDITS} edits: median, max)",
                f"{ms(s['median'])}, max {ms(s['max'])}",
                f"minimal app key {ms(base['median'])}",
                f"{s['median'] / base['median']:.2f}×",
                f"median ≤ {budget * 1000:.0f} ms",
                s["median"] <= budget,
            )
        )

    browser = json.loads(
        subprocess.run(
            [sys.executable, "-m", "benchmarks.browser_cases"], capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    rows.append(
        (
            "--serve in headless Chromium: first render, problem 2",
            ms(browser["first_render"]),
            "—",
            "—",
            "≤ 1.5 s",
            browser["first_render"] <= 1.5,
        )
    )
    rows.append(
        (
            "--serve: key → page updated, problem 2 (20 keys: median, max)",
            f"{ms(browser['key_median'])}, max {ms(browser['key_max'])}",
            "—",
            "—",
            "median ≤ 50 ms",
            browser["key_median"] <= 0.050,
        )
    )

    scalar = engine_case("scalar")
    ratio = scalar["bpdebug"] / scalar["micrograd"]
    rows.append(
        (
            "run(), 10,000-node scalar network (median of 15)",
            ms(scalar["bpdebug"]),
            f"micrograd {ms(scalar['micrograd'])}",
            f"{ratio:.2f}×",
            "≤ 1.0×",
            ratio <= 1.0,
        )
    )
    mnist, spread = median_process("mnist", "bpdebug", "numpy")
    ratio = mnist["bpdebug"] / mnist["numpy"]
    rows.append(
        (
            f"run(), 784-50-10 net, batch 100 (median of {MNIST_RUNS}; {PROCESSES} processes {spread})",
            ms(mnist["bpdebug"]),
            f"numpy by hand {ms(mnist['numpy'])}",
            f"{ratio:.2f}×",
            "≤ 1.3×",
            ratio <= 1.3,
        )
    )
    layered, spread = median_process("layers", "bpdebug", "by_hand")
    ratio = layered["bpdebug"] / layered["by_hand"]
    rows.append(
        (
            f"run(), the same net as --layers nodes, book-style classes (median of {MNIST_RUNS};"
            f" {PROCESSES} processes {spread})",
            ms(layered["bpdebug"]),
            f"the classes called by hand {ms(layered['by_hand'])}",
            f"{ratio:.2f}×",
            "≤ 1.5×",
            ratio <= 1.5,
        )
    )
    rows.append(
        (
            "each node's own backward checked (--check, k), that net",
            ms(layered["node_check"]),
            "—",
            "—",
            "< 5 s",
            layered["node_check"] < 5,
        )
    )
    mem_b = engine_case("memory", "bpdebug")["peak_bytes"]
    mem_n = engine_case("memory", "numpy")["peak_bytes"]
    rows.append(
        (
            "peak memory, tracing the 784-50-10 net",
            f"{mem_b / 2**20:.1f} MiB",
            f"numpy by hand {mem_n / 2**20:.1f} MiB",
            f"{mem_b / mem_n:.2f}×",
            "≤ 1.5×",
            mem_b / mem_n <= 1.5,
        )
    )

    large = app_cases.open_large()
    small, big = statistics.median(large[2_000]), statistics.median(large[20_000])
    rows.append(("open a 2,000-node graph (median of 3)", ms(small), "—", "—", "≤ 1 s", small <= 1.0))
    rows.append(
        (
            "open a 20,000-node graph (median of 3)",
            ms(big),
            "2,000 nodes",
            f"{big / small:.1f}×",
            "≤ 10 s and ≤ 12×",
            big <= 10 and big / small <= 12,
        )
    )
    fan = statistics.median(large["fan-out"])
    rows.append(
        (
            "open one input read by 50,000 nodes (median of 3)",
            ms(fan),
            "2,000 nodes",
            f"{fan / small:.1f}×",
            "≤ 10 s and ≤ 12× (the 20,000-node budget)",
            fan <= 10 and fan / small <= 12,
        )
    )

    header = ("what", "bpdebug", "baseline (same run)", "ratio", "budget", "holds")
    table = [header] + [
        (w, b, base_, r, budget, "yes" if ok else "NO") for w, b, base_, r, budget, ok in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"\nmachine: {machine()}")
    if args.markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
        args.markdown.write_text("\n".join(lines) + f"\n\nMachine: {machine()}\n", encoding="utf-8")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
