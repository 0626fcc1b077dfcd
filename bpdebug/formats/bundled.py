"""The example graphs that ship inside the package, reachable by name (``bpdebug problem2``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bpdebug.support.languages import DEFAULT, in_language

GRAPHS_DIR = Path(__file__).parents[1] / "graphs"
TEACHING_ORDER = (
    "problem1",
    "problem2",
    "local_computation",
    "square",
    "chain_rule",
    "add_node",
    "mul_node",
    "sigmoid_nodes",
    "relu",
    "affine_batch",
    "softmax_with_loss",
    "two_layer",
    "mnist_784_50_10",
)


@dataclass(frozen=True)
class BundledGraph:
    name: str
    path: Path
    title: str
    description: str


def bundled_path(name: str) -> Path | None:
    if not name.isidentifier() or len(name) > 100:  # bundled names are short plain words
        return None
    path = GRAPHS_DIR / f"{name}.toml"
    return path if path.is_file() else None


def bundled_names() -> list[str]:
    """The bundled graphs' names, without reading them."""
    return sorted(path.stem for path in GRAPHS_DIR.glob("*.toml"))


def bundled_graphs(lang: str = DEFAULT) -> list[BundledGraph]:
    """Every bundled graph with its title and description in *lang*, in a teaching order."""
    found = []

    def rank(path: Path) -> tuple[int, str]:
        known = path.stem in TEACHING_ORDER
        return (TEACHING_ORDER.index(path.stem) if known else len(TEACHING_ORDER), path.stem)

    for path in sorted(GRAPHS_DIR.glob("*.toml"), key=rank):
        with open(path, "rb") as handle:
            doc = tomllib.load(handle)
        title, description = doc.get("title", path.stem), doc.get("description", "")
        found.append(BundledGraph(path.stem, path, in_language(title, lang), in_language(description, lang)))
    return found
