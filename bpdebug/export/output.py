"""Where an export goes: standard output, or files written whole or not at all (a temporary
file beside the target, then a rename), never over an existing file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bpdebug.teach.messages import say


class OutputError(Exception):
    """The export cannot be written where it was asked to go; the message says why."""


def check_free(path: Path, force: bool) -> None:
    """OutputError when *path* exists and --force was not given, or its folder is missing."""
    if path.exists() and not force:
        raise OutputError(say("export.exists", path=str(path)))
    if not path.parent.is_dir():
        raise OutputError(say("export.no_folder", path=str(path.parent)))


def write_whole(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file in the same folder, then rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files(files: dict[Path, str], force: bool) -> None:
    """Every file checked first (none is written if one is in the way), then each written whole."""
    try:
        for path in files:
            check_free(path, force)
        for path, text in files.items():
            write_whole(path, text)
    except OSError as error:
        raise OutputError(
            say("export.cannot_write", path=str(error.filename or ""), reason=error.strerror or "")
        ) from None
