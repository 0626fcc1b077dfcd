"""``--export svg``: the app's own screen as SVG, for one step or one file per step (a slide
deck a teacher clicks through), drawn headless at the size and in the theme asked for."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bpdebug.core.trace import Trace
from bpdebug.export.output import OutputError, check_free, write_files
from bpdebug.teach.messages import say
from bpdebug.tui.app import BpdebugApp

THEMES = {"dark": "textual-dark", "light": "textual-light"}


def screens(trace: Trace, steps: list[int], size: tuple[int, int], theme: str) -> list[str]:
    """The SVG of the screen at each of *steps* (0: before the first step)."""
    return asyncio.run(_screens(trace, steps, size, theme))


async def _screens(trace: Trace, steps: list[int], size: tuple[int, int], theme: str) -> list[str]:
    app = BpdebugApp(trace)
    pictures = []
    async with app.run_test(size=size) as pilot:
        app.theme = THEMES[theme]
        screen = app.screen
        for step in steps:
            screen.session.go(step)  # type: ignore[attr-defined]
            screen.update_view()  # type: ignore[attr-defined]
            app.clear_notifications()  # a toast from opening the graph is not part of a slide
            await pilot.pause()
            pictures.append(app.export_screenshot(title=f"{trace.title} · {step}/{len(trace.steps)}"))
    return pictures


MIN_SIZE = (40, 12)


def parse_size(text: str) -> tuple[int, int]:
    """``120x40`` (or ``120×40``) as (120, 40); OutputError for anything else."""
    cols, _, rows = text.lower().replace("×", "x").partition("x")
    if not (cols.strip().isdigit() and rows.strip().isdigit()):
        raise OutputError(say("export.bad_size", size=text, cols=MIN_SIZE[0], rows=MIN_SIZE[1]))
    size = (int(cols), int(rows))
    if size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1] or max(size) > 1000:
        raise OutputError(say("export.bad_size", size=text, cols=MIN_SIZE[0], rows=MIN_SIZE[1]))
    return size


def export_svg(
    trace: Trace, step: int | None, out: str | None, size: str, theme: str, force: bool
) -> str | None:
    """One step's screen to *out* (or standard output), or every step's into the folder *out*.
    Returns what to say when done (None: nothing); OutputError for what is in the way."""
    total = len(trace.steps)
    shape = parse_size(size)
    if step is not None:
        if not 0 <= step <= total:
            raise OutputError(say("export.step_range", step=step, total=total))
        if out is None:
            sys.stdout.write(screens(trace, [step], shape, theme)[0])
            return None
        path = Path(out)
        check_free(path, force)
        write_files({path: screens(trace, [step], shape, theme)[0]}, force)
        return None
    if out is None:
        raise OutputError(say("export.svg_needs_folder"))
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise OutputError(say("export.not_a_folder", path=str(folder)))
    digits = max(2, len(str(total)))
    paths = [folder / f"step-{k:0{digits}d}.svg" for k in range(total + 1)]
    if folder.is_dir():
        for path in paths:
            check_free(path, force)  # before the slow part: nothing is drawn to be thrown away
    folder.mkdir(parents=False, exist_ok=True)
    pictures = screens(trace, list(range(total + 1)), shape, theme)
    write_files(dict(zip(paths, pictures, strict=True)), force)
    return say("export.written", count=len(paths), folder=str(folder))
