"""Opening a stranger's file: regular files only, never blocking, never reading without bound.

A path can name a FIFO (reading it waits forever for a writer), a device (``/dev/zero`` never
ends), a socket or a folder, directly or through a symlink. The file is opened with
``O_NONBLOCK``, so that opening a FIFO returns at once, and its kind is asked of the open
descriptor (``fstat``), so that nothing can be swapped in between the question and the read.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class FileRefused(Exception):
    """The path cannot be read as a file; the message says why, in a few words."""


def _describe_os_error(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "no such file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if error.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    if error.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return f"cannot open it: {error.strerror or error}"


def open_regular(path: str | os.PathLike[str]) -> tuple[BinaryIO, int]:
    """Open *path* for reading if it is a regular file: the file object and its size.

    Raises ``FileRefused`` (``"is a named pipe, not a file"``, ``"no such file"``, …).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise FileRefused(_describe_os_error(error)) from None
    except ValueError:  # a NUL byte in the path
        raise FileRefused("the path holds a NUL character") from None
    try:
        info = os.fstat(fd)
        for test, kind in _KINDS:
            if test(info.st_mode):
                raise FileRefused(f"is {kind}, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def read_bounded(handle: BinaryIO, limit: int) -> bytes | None:
    """At most *limit* bytes of *handle*; ``None`` when it holds more (it may have grown)."""
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def exists(path: str | os.PathLike[str]) -> bool:
    """Whether *path* names something that exists; never raises (long names, permissions)."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True
