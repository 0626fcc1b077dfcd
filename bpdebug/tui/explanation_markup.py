"""Explanation lines (``bpdebug.teach.explain.Line``) as Textual markup: each kind of line its
style, each number in the colour of its role, every text from a file escaped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.markup import escape as escape_markup

from bpdebug.teach.explain import Key, Line, Shown
from bpdebug.teach.messages import pieces

STYLE = {
    "note": "dim",
    "heading": "dim",
    "fan_out": "dim",
    "formula": "b",
    "arithmetic": "b",
    "send_to": "b",
    "leaf": "b",
    "received": "b",
    "title": "b",
    "explanation": "i",
    "warning": "b $text-error",
    "start_backward": "b $accent",
}
INDENTED = {"input", "arithmetic", "local", "sent", "sent_value", "leaf_value", "leaf_from", "fan_out"}
ASIDE_SPACE = {"local": " "}  # before the quieter sentence on the same line (default: two spaces)
COLOUR = {"value": "$text-success", "grad": "$text-warning"}


def esc(text: str) -> str:
    """*text* (a name, label or title from a file) as markup that shows it as it is written.

    Textual's own escape guards the square brackets. A trailing backslash is what it cannot
    guard in Textual's parser, where a backslash before any ``[`` escapes it (``[b]C:\\[/]``
    would lose its closing tag and show the tag): such a text is followed by a space.
    """
    if not text.endswith("\\"):
        return escape_markup(text)
    body = text.rstrip("\\")
    return escape_markup(body) + "\\" * (len(text) - len(body)) + " "


def fill(message: str, args: dict[str, Any], number: Callable[[Any, str], str]) -> str:
    """The sentence with its arguments in: plain runs escaped once each, numbers by *number*
    (a float or an array, and its role), worked sums bold in their colour, keys bold."""
    out, plain = [], ""
    for literal, name, conversion in pieces(message):
        plain += literal
        if name is None:
            continue
        arg = args[name]
        if isinstance(arg, Shown | Key):
            out.append(esc(plain) if plain else "")
            plain = ""
            if isinstance(arg, Key):
                out.append(f"[b]{esc(arg.name)}[/]")
            elif isinstance(arg.value, str):
                out.append(f"[b {COLOUR[arg.role]}]{esc(arg.value)}[/]")
            else:
                out.append(number(arg.value, arg.role))
        else:
            plain += repr(arg) if conversion == "r" else str(arg)
    if plain:
        out.append(esc(plain))
    return "".join(out)


def line_markup(line: Line, number: Callable[[Any, str], str]) -> str:
    body = fill(line.message, line.args, number)
    style = STYLE.get(line.kind)
    if style:
        body = f"[{style}]{body}[/]"
    if line.aside:
        body += ASIDE_SPACE.get(line.kind, "  ") + f"[dim]{fill(line.aside, line.args, number)}[/]"
    return ("\n" if line.gap else "") + ("  " if line.kind in INDENTED else "") + body
