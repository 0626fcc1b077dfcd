"""Numbers and arrays written the way people write them: 715, 2.2, not 715.0000000000001."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any
from unicodedata import combining, east_asian_width

DIGITS = 4  # significant digits: one format for the graph, the inspector, the steps and --trace
SMALL_ARRAY = 6  # elements: an array this small is written out as its numbers


def fmt_num(x: float, digits: int = DIGITS) -> str:
    """A float to *digits* significant digits, trailing zeros dropped, and every digit before
    the point kept (123456 stays 123456, not 1.235e5).

    >>> fmt_num(715.0000000000001), fmt_num(3.3000000000000003), fmt_num(-0.0), fmt_num(0.62245933)
    ('715', '3.3', '0', '0.6225')
    """
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if 1 <= abs(x) < 1e12:
        digits = max(digits, int(math.log10(abs(x))) + 1)
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else ""
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def shape_text(shape: tuple[int, ...]) -> str:
    """``2×3`` for a matrix, ``(5,)`` style avoided: ``5`` for a vector, ``scalar`` for ()."""
    if not shape:
        return "scalar"
    return "×".join(str(n) for n in shape)


def array_numbers(value: Any) -> str:
    """An array written out the way numpy prints it: ``[[1 -0.5] [-2 3]]``."""
    if value.ndim == 0:
        return fmt_num(value.item())
    if value.ndim == 1:
        return "[" + " ".join(fmt_num(v) for v in value.tolist()) + "]"
    return "[" + " ".join(array_numbers(row) for row in value) + "]"


def is_small(value: Any) -> bool:
    """A scalar, or an array small enough to be written out as its numbers."""
    return isinstance(value, float | int) or value.size <= SMALL_ARRAY


def fmt_short(value: Any, width: int | None = None) -> str:
    """The shortest useful text: a scalar as its number; a small array as its numbers when
    they fit in *width* cells (any width if None: ``[[1 0] [0 3]]``), else as its shape
    (``[2×3]``)."""
    if isinstance(value, float | int):
        return fmt_num(value)
    if is_small(value):
        numbers = array_numbers(value)
        if width is None or cell_width(numbers) <= width:
            return numbers
    return f"[{shape_text(value.shape)}]"


@lru_cache(maxsize=8192)
def cell_width(text: str) -> int:
    """Terminal cells *text* takes: CJK and other wide characters count as two."""
    if text.isascii():
        return len(text)
    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def pad_cells(text: str, width: int) -> str:
    """*text* padded with spaces to *width* terminal cells (left-aligned)."""
    return text + " " * max(0, width - cell_width(text))


def pad_cells_left(text: str, width: int) -> str:
    """*text* after spaces, to *width* terminal cells (right-aligned)."""
    return " " * max(0, width - cell_width(text)) + text


def last_cells(text: str, width: int) -> str:
    """The end of *text* that fits in *width* terminal cells."""
    if cell_width(text) <= width:
        return text
    kept, used = "", 0
    for char in reversed(text):
        used += cell_width(char)
        if used > width:
            break
        kept = char + kept
    return kept


_BINARY = set(" +−-×/÷·*^")


def group(name: str) -> str:
    """A name as it stands inside a formula: ``(1+exp(−x))`` and ``(-1)``, but ``exp(−x)`` and
    an array's numbers ``[1 -2]``."""
    if name.startswith("[") and name.endswith("]"):
        return name
    depth = 0
    for position, char in enumerate(name):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in _BINARY and (position > 0 or char in "-−"):
            return f"({name})"
    return name


def paragraphs(text: str) -> str:
    """Text from a TOML multi-line string with its hard line breaks undone (blank lines kept)."""
    return "\n\n".join(_join_lines(p) for p in text.strip().split("\n\n") if p.strip())


def _join_lines(paragraph: str) -> str:
    """One paragraph's lines as one line: a space between words, none between Chinese
    characters (Chinese is written without spaces, and a line break is not one)."""
    out = ""
    for line in paragraph.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if out and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out


def _wide(char: str) -> bool:
    return east_asian_width(char) in "WF"
