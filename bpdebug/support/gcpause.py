"""Keep Python's cyclic garbage collector off the objects a graph's session lives on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PAUSE_FROM = 1000  # nodes: below this a pause saves nothing (docs/performance.md)


@contextmanager
def paused_gc(nodes: int | None = None) -> Iterator[None]:
    """Keep the collector out while many small objects are built (a trace, a layout): it would
    walk them again and again and find nothing. Reference counting still frees everything as
    usual. With *nodes*, the size of the graph at hand, only a graph of PAUSE_FROM nodes or
    more pauses it."""
    if nodes is not None and nodes < PAUSE_FROM:
        yield
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_off_for_startup = False


def collector_off_for_startup() -> None:
    """Turn the collector off while the app starts: importing numpy and textual and building
    the first screen make hundreds of thousands of objects, and the collections they set off
    found nothing to free. freeze_live_objects() turns it back on."""
    global _off_for_startup
    if gc.isenabled():
        gc.disable()
        _off_for_startup = True


def collector_back_on() -> None:
    """Undo collector_off_for_startup() when the app does not start after all."""
    global _off_for_startup
    if _off_for_startup:
        _off_for_startup = False
        gc.enable()


def freeze_live_objects() -> None:
    """Move every object alive now (a trace, its layout, the app's widgets) out of the
    collector's reach, and turn the collector back on if start-up turned it off. Those
    objects live as long as the session, and an occasional full collection walking a big
    graph's millions of objects stalled a key press."""
    global _off_for_startup
    gc.freeze()
    if _off_for_startup:
        _off_for_startup = False
        gc.enable()


def thaw_objects() -> None:
    """Let the collector see the frozen objects again (a new trace replaces the old one)."""
    gc.unfreeze()
