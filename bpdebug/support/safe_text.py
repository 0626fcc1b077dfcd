"""Text from files made safe to print: one rule for every output bpdebug writes.

A graph file is a stranger's text. Written to a terminal raw, a control character can clear the
screen, recolour what follows, set the clipboard (OSC 52) or overprint a number with another;
a bidirectional override can make ``2.2`` read as ``2.2`` backwards. The rule, as Python's
``repr`` and git's quoted paths have it: such a character is shown as its escape (``\\x1b``,
``\\u202e``), never sent. The characters are those the graph format refuses in titles and
labels: control characters (Cc), invisible format characters (Cf), line and paragraph
separators (Zl, Zp), and lone surrogates (Cs), which a terminal cannot even encode.
"""

from __future__ import annotations

import re
from unicodedata import category

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def is_unsafe(char: str) -> bool:
    return category(char) in UNSAFE_CATEGORIES


def first_unsafe(text: str, allowed: str = "") -> str | None:
    """The first character of *text* that may not be shown raw (those in *allowed* may)."""
    if text.isprintable():  # the fast path: no Cc, Cf, Z* or Cs at all
        return None
    return next((c for c in text if c not in allowed and is_unsafe(c)), None)


def codepoint(char: str) -> str:
    """``U+001B``: how an error names a character."""
    return f"U+{ord(char):04X}"


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_text(text: str, keep: str = "") -> str:
    """*text* with every unsafe character written as its escape, as ``repr`` writes it.

    >>> escape_text("x\\x1b[2Jy\\u202e")
    'x\\\\x1b[2Jy\\\\u202e'

    Characters in *keep* (``"\\n"`` for text of several lines) stay as they are.
    """
    if text.isprintable():
        return text
    return "".join(_escape_char(c) if c not in keep and is_unsafe(c) else c for c in text)


def escape_lines(text: str) -> str:
    """Text of several lines: each line escaped, the line breaks kept."""
    return escape_text(text, keep="\n")


def escape_json(document: str) -> str:
    """A JSON document with every unsafe character written as ``\\uXXXX``.

    ``json.dumps`` escapes C0 controls itself but lets DEL, C1 controls and Unicode's invisible
    characters through. Outside strings JSON holds only ASCII punctuation, so replacing the
    characters wherever they stand keeps the document valid and its data unchanged; CJK stays
    readable.
    """
    if document.isprintable():
        return document
    unsafe = sorted({c for c in set(document) if is_unsafe(c)})
    if not unsafe:
        return document
    pattern = re.compile("[" + "".join(re.escape(c) for c in unsafe) + "]")
    return pattern.sub(lambda m: _json_escape(m.group()), document)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP JSON spells a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def shorten(text: str, limit: int = 200) -> str:
    """A name too long to read in one line, cut in the middle (a 5,000-character path)."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 50]}…{text[-40:]} ({len(text):,} characters)"
