"""A graph file as a document: its bytes read within limits, its TOML parsed, and the one way a
fault is reported, ``FILE:LINE: error: …``, with the line found by looking for the id or key
in the text (TOML parsers keep no positions).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from bpdebug.support.errors import GraphError, did_you_mean
from bpdebug.support.files import FileRefused, open_regular, read_bounded
from bpdebug.support.languages import LANGUAGES, in_language
from bpdebug.support.safe_text import codepoint, first_unsafe, shorten

# `title = "…"`, `description = """…`, `label = '…'` (and `en =`, `zh =` in a table of
# languages): free text, never searched for keys or ids
_FREE_TEXT = re.compile(
    r"""\s*(?P<key>title|description|label|en|zh)\s*=\s*(?P<quote>"{3}|'{3}|"|'|\{)(?P<rest>.*)"""
)
ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_NDIM = 32  # axes of an array; numpy's own limit is 64


def limit(name: str, default: int) -> int:
    """A limit, raised (or lowered) by the environment variable BPDEBUG_<name>."""
    try:
        return int(os.environ.get(f"BPDEBUG_{name}", default))
    except ValueError:
        return default


def raise_hint(name: str) -> str:
    return f"set BPDEBUG_{name} to change the limit"


def type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        str: "a string",
        dict: "a table",
        list: "an array",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


class Document:
    """One graph file: where it is, its lines, and the errors that point into them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = shorten(str(path))  # escaped, as all of a message is, by GraphError
        self.lines: list[str] = []
        self._masked: list[str] | None = None
        self.lang = "en"  # the language texts are read in (graph_of sets it)
        self.generated: dict[str, str] = {}  # a formula's node id → the id of the node written

    # --- errors ------------------------------------------------------------------------------
    def fail(self, message: str, *near: str) -> GraphError:
        line = self._locate(near)
        where = f"{self.name}:{line}" if line else self.name
        return GraphError(f"{where}: error: {message}")

    def _locate(self, near: tuple[str, ...]) -> int | None:
        """The first line that mentions near[0], then near[1] after it, and so on."""
        start, found = 0, None
        lines = self._keys_and_ids()
        for needle in near:
            needle = self.generated.get(needle, needle)
            pattern = re.compile(rf"(^|[\s{{,\[\"'])[\"']?{re.escape(needle)}[\"']?\s*(=|[,\]}}]|$)")
            for index in range(start, len(lines)):
                if pattern.search(lines[index]):
                    start, found = index, index + 1
                    break
        return found

    def _keys_and_ids(self) -> list[str]:
        """The lines with free text blanked out (multi-line strings, and the values of title,
        description and label), so that an error never points at a word inside a description."""
        if self._masked is None:
            masked, inside = [], None
            for line in self.lines:
                if inside is not None:
                    masked.append("")
                    if line.count(inside) % 2:
                        inside = None  # the multi-line string closes on this line
                    continue
                match = _FREE_TEXT.match(line)
                if match:
                    line = line[: match.end("key")] + " ="
                    quote = match["quote"]
                    if len(quote) == 3 and match["rest"].count(quote) % 2 == 0:
                        inside = quote  # a multi-line string opens here and goes on
                    elif quote == "{":  # a table of languages, whose texts may span lines
                        inside = next((q for q in ('"""', "'''") if match["rest"].count(q) % 2), None)
                masked.append(line)
            self._masked = masked
        return self._masked

    # --- reading -----------------------------------------------------------------------------
    def read(self) -> dict:
        """The file's TOML as a dict: a regular file, within the size limit, UTF-8."""
        size_limit = limit("MAX_FILE_BYTES", 64 * 1024 * 1024)
        too_big = GraphError(
            f"{self.name}: error: the file is larger than {size_limit:,} bytes, the limit for graph files "
            f"(put large arrays in a .npy/.npz file next to it, or {raise_hint('MAX_FILE_BYTES')})"
        )
        try:
            handle, size = open_regular(self.path)
        except FileRefused as refused:
            hint = ""
            if str(refused) == "no such file":
                hint = self._bundled_hint() or " (try `bpdebug --list` for the bundled graphs)"
            raise GraphError(f"{self.name}: error: {refused}{hint}") from None
        with handle:
            if size > size_limit:
                raise too_big
            try:
                data = read_bounded(handle, size_limit)  # bounded: the file may grow as it is read
            except OSError as error:
                raise GraphError(f"{self.name}: error: cannot read the file: {error.strerror}") from None
        if data is None:
            raise too_big
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise GraphError(f"{self.name}:{line}: error: the file is not valid UTF-8 text") from None
        return self.parse(text)

    def _bundled_hint(self) -> str:
        """`` (did you mean the bundled graph 'sigmoid_nodes'?)`` for a name close to one."""
        if self.path.suffix or len(self.path.parts) != 1:
            return ""
        from bpdebug.formats.bundled import bundled_names

        word = self.path.name
        names = bundled_names()
        close = [n for n in names if n.startswith(word)] or difflib.get_close_matches(word, names, n=1)
        return f" (did you mean the bundled graph {close[0]!r}? `bpdebug --list` lists them)" if close else ""

    def parse(self, text: str) -> dict:
        self.lines = text.splitlines()
        self._masked = None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise self._syntax_error(str(error)) from None
        except RecursionError:
            raise GraphError(f"{self.name}: error: the TOML is nested too deeply") from None
        except ValueError as error:  # an integer past Python's digit limit for int()
            match = re.search(rf"\d{{{sys.get_int_max_str_digits()},}}", text)
            line = text.count("\n", 0, match.start()) + 1 if match else None
            where = f"{self.name}:{line}" if line else self.name
            raise GraphError(f"{where}: error: a number has too many digits to read ({error})") from None

    def _syntax_error(self, message: str) -> GraphError:
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if match:
            text = message[: match.start()]
            return GraphError(f"{self.name}:{match[1]}:{match[2]}: error: {text}")
        match = re.search(r"\s*\(at end of document\)$", message)
        if match:
            line = max(len(self.lines), 1)
            col = len(self.lines[-1]) + 1 if self.lines else 1
            return GraphError(f"{self.name}:{line}:{col}: error: {message[: match.start()]}")
        return GraphError(f"{self.name}: error: {message}")

    # --- checks every table shares -------------------------------------------------------------
    def check_keys(self, table: dict, allowed: tuple[str, ...], what: str, *near: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    f"{what}: unknown key {key!r}{did_you_mean(key, allowed)}; "
                    f"expected one of: {', '.join(allowed)}",
                    *near,
                    key,
                )

    def text(self, table: dict, key: str, what: str, *near: str, lines: bool = False) -> str | None:
        """A title, description or label, in the document's language: a string, or a table of
        languages (``{ en = "apple", zh = "苹果" }``, the first entry where the language is
        missing); no control or invisible characters in any of them."""
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dict):
            if not value:
                raise self.fail(f'{what}: {key!r} is an empty table; give it en = "..."', *near, key)
            for code, text in value.items():
                if code not in LANGUAGES:
                    raise self.fail(
                        f"{what}: {key!r} has a text in {code!r}{did_you_mean(code, LANGUAGES)}; "
                        f"languages are: {', '.join(LANGUAGES)}",
                        *near,
                        key,
                    )
                self._check_text(text, f"{key}.{code}", what, near, lines)
            value = in_language(value, self.lang)
        self._check_text(value, key, what, near, lines)
        return value if lines else value.replace("\t", " ")

    def _check_text(self, value: object, key: str, what: str, near: tuple, lines: bool) -> None:
        if not isinstance(value, str):
            raise self.fail(
                f"{what}: {key!r} must be a string or a table of languages, got {type_name(value)}",
                *near,
                key.split(".")[0],
            )
        bad = first_unsafe(value, allowed="\t\n" if lines else "\t")
        if bad is not None:
            kind = "a line break" if bad in "\n\r\u2028\u2029" else "a control or invisible character"
            raise self.fail(
                f"{what}: {key!r} contains {kind} ({codepoint(bad)}); text may not hold characters "
                "that a terminal would act on or hide"
                + ("" if lines else " (only 'description' may span lines)"),
                *near,
                key.split(".")[0],
            )

    def check_id(self, name: Any, what: str, *near: str) -> None:
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            raise self.fail(
                f"{what}: {name!r} is not a valid id; ids are letters, digits and _ and do not "
                'start with a digit (use label = "..." for any other text)',
                *near,
            )
