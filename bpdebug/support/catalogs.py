"""Every sentence a learner reads, by message id, in the language being shown.

This is the mechanism; ``bpdebug.teach.messages`` is where the rest of the package takes it
from. It sits here, at the bottom, so that the loader's and the engine's errors about a user's
layer code are said in the learner's language too.

The sentences live in one catalog per language, ``teach/catalog/<code>.toml``, which a
translator edits without reading Python. A sentence is a template: ``{name}`` holds a name or
a formula, ``{value}`` a number or an array, which the renderer (the inspector, ``--trace``)
writes its own way. Formulas with words in them (ReLU's "1 if x > 0, else 0") are there too,
by op and input position; the ops keep only their notation.

The language is chosen once (``set_language``, by the command line) before any text is shown;
a catalog is read the first time it is needed, and every lookup after is a dict lookup.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

from bpdebug.support.languages import DEFAULT, LANGUAGES, unknown

CATALOGS = Path(__file__).parents[1] / "teach" / "catalog"
_current = DEFAULT


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of *lang*, by id."""
    with open(CATALOGS / f"{lang}.toml", "rb") as file:
        return tomllib.load(file)


def set_language(lang: str) -> None:
    """Speak *lang* from now on (``en`` or ``zh``)."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(unknown(lang))
    _current = lang


def language() -> str:
    return _current


def say(message_id: str, args: Mapping[str, Any] | None = None, **more: Any) -> str:
    """The sentence *message_id* with its arguments written in as plain text."""
    return catalog(_current)[message_id].format_map({**(args or {}), **more})


def pieces(message_id: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """The template as (literal text, argument name, conversion) pieces, for renderers that
    write each argument their own way (a number in colour, an array as a grid)."""
    return _pieces(_current, message_id)


@lru_cache(maxsize=1024)
def _pieces(lang: str, message_id: str) -> tuple[tuple[str, str | None, str | None], ...]:
    parsed = Formatter().parse(catalog(lang)[message_id])
    return tuple((text, name, conversion) for text, name, _, conversion in parsed)


def has(message_id: str) -> bool:
    return message_id in catalog(_current)


def placeholders(template: str) -> set[str]:
    """The argument names a template uses (the same in every language)."""
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}
