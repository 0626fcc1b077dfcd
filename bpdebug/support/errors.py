"""The one exception a user of bpdebug ever needs to catch."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bpdebug.support.safe_text import escape_text


class GraphError(Exception):
    """A graph file (or a graph built from one) cannot be used.

    ``str(error)`` is the single line the command line prints, e.g.
    ``graphs/x.toml:12: error: node 'p': key 'op': unknown op 'mull' (did you mean 'mul'?)``.
    Whatever the message quotes from a file (a path, a key, a name) is escaped here, once, so
    that no error can write a control sequence or a second line to the terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(escape_text(message))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to *word*, else ``""``."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to *word*, if one is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None
