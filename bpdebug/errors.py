"""The one exception a user of bpdebug ever needs to catch."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class GraphError(Exception):
    """A graph file (or a graph built from one) cannot be used.

    ``str(error)`` is the single line the command line prints, e.g.
    ``graphs/x.toml:12: error: node 'p': key 'op': unknown op 'mull' (did you mean 'mul'?)``.
    """


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to *word*, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
