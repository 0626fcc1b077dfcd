"""Keep Python's cyclic garbage collector off the objects a graph's session lives on."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """While hundreds of thousands of small objects are built (a trace, a layout), the
    collector would walk them again and again and find nothing; that walk was ~40% of the
    time. Reference counting still frees everything as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def freeze_live_objects() -> None:
    """Move every object alive now (a trace, its layout, the app's widgets) out of the
    collector's reach. They live as long as the session, and an occasional full collection
    walking a big graph's millions of objects stalled a key press by up to ~100 ms."""
    gc.freeze()


def thaw_objects() -> None:
    """Let the collector see the frozen objects again (a new trace replaces the old one)."""
    gc.unfreeze()
