"""Keep freed memory for reuse while a graph with user layers runs (glibc only).

A layer node copies its arguments on every run (the 784-50-10 net's x is 627 KB), and glibc
gives such blocks back to the system when they are freed, so every run faults the same pages
in again. Raising the thresholds keeps them; docs/performance.md has the measurement.
"""

from __future__ import annotations

import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's malloc.h
_kept = False


def keep_freed_memory() -> None:
    """Once per process: blocks up to 16 MiB come from the heap, which keeps up to 64 MiB free."""
    global _kept
    if _kept or not sys.platform.startswith("linux"):
        return
    _kept = True
    import ctypes  # only once a graph has layer nodes

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, 16 * 2**20)
        libc.mallopt(M_TRIM_THRESHOLD, 64 * 2**20)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        pass
