"""The languages bpdebug speaks, and the one the environment asks for.

Order of choice (the command line decides first, see cli.py): ``--lang``, then
``BPDEBUG_LANG``, then the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: any ``zh_*``
is Chinese; ``C`` and ``POSIX`` say nothing), then the graph file's own ``lang``, then English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "zh")
DEFAULT = "en"


def from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for, or None when it says nothing we speak."""
    env = os.environ if environ is None else environ
    chosen = env.get("BPDEBUG_LANG", "").strip().lower()
    if chosen:
        return chosen  # checked by the caller: an unknown code is an error, not a fallback
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value:
            continue
        if value in ("C", "POSIX") or value.startswith(("C.", "POSIX.")):
            return None  # POSIX: the first one set decides, and C says nothing
        code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].lower()
        return code if code in LANGUAGES else None
    return None


def in_language(text: str | Mapping[str, str], lang: str) -> str:
    """A text of a graph file in *lang*: a string as it is; a table of languages gives its
    *lang* entry, or its first where it has none (graph format v1.1)."""
    if isinstance(text, str):
        return text
    return text.get(lang, next(iter(text.values()), ""))


def unknown(code: str) -> str:
    """The one line for a language bpdebug does not speak."""
    return f"unknown language {code!r}; bpdebug speaks: {', '.join(LANGUAGES)}"
