"""The example graphs that ship inside the package, reachable by name (``bpdebug problem2``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

GRAPHS_DIR = Path(__file__).parent / "graphs"


@dataclass(frozen=True)
class BundledGraph:
    name: str
    path: Path
    title: str
    description: str


def bundled_path(name: str) -> Path | None:
    path = GRAPHS_DIR / f"{name}.toml"
    return path if path.is_file() else None


def bundled_graphs() -> list[BundledGraph]:
    """Every bundled graph with its title and description, in a teaching order."""
    found = []
    for path in sorted(GRAPHS_DIR.glob("*.toml")):
        with open(path, "rb") as handle:
            doc = tomllib.load(handle)
        found.append(BundledGraph(path.stem, path, doc.get("title", path.stem), doc.get("description", "")))
    return found
