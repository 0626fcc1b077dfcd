"""TOML graph file → ``Graph``: every rule of the graph format, every fault a clear one-line error.

Errors read ``FILE:LINE:COL: error: …`` for TOML syntax and ``FILE:LINE: error: …`` for the rest.
The parts: ``document`` (the file, its limits, its errors), ``values`` and ``data_files`` (the
inputs), ``nodes`` (ops, parameters, inputs and shapes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from bpdebug.core.graph import CycleFound, Graph, Leaf, forward_order
from bpdebug.core.ops import Op, builtin_ops
from bpdebug.formats.toml.document import Document, limit, raise_hint
from bpdebug.formats.toml.nodes import Nodes
from bpdebug.formats.toml.values import Values, check_total
from bpdebug.support.errors import GraphError, did_you_mean
from bpdebug.support.files import exists
from bpdebug.support.gcpause import paused_gc
from bpdebug.support.languages import DEFAULT, LANGUAGES, unknown
from bpdebug.support.safe_text import escape_text

TOP_KEYS = ("title", "description", "lang", "output", "inputs", "nodes")


def load(
    source: str | Path,
    ops: Mapping[str, Op] | None = None,
    lang: str | None = None,
    layers: Iterable[str | Path] | Mapping[str, type] | None = None,
) -> Graph:
    """Load a graph file, or a bundled graph by name (``"problem2"``). *ops* is the registry
    the file's ops are looked up in (default: a new one with the built-in ops); *lang* the
    language its texts are read in (default: the file's own ``lang``, else English); *layers*
    the Python files whose book-style classes its ``layer`` nodes use (their code runs), or
    those classes by name."""
    path = Path(source)
    if not path.suffix and not exists(path):
        from bpdebug.formats.bundled import bundled_path

        found = bundled_path(str(source))
        if found is not None:
            path = found
    doc = Document(path)
    classes = _layer_classes(layers)
    with paused_gc():
        return graph_of(doc, doc.read(), ops, lang, classes)


def loads(
    text: str,
    path: str | Path = "<graph>",
    ops: Mapping[str, Op] | None = None,
    lang: str | None = None,
    layers: Iterable[str | Path] | Mapping[str, type] | None = None,
) -> Graph:
    """Load a graph from TOML text; data files are looked up next to *path*."""
    doc = Document(Path(path))
    classes = _layer_classes(layers)
    with paused_gc():
        return graph_of(doc, doc.parse(text), ops, lang, classes)


def _layer_classes(layers: Iterable[str | Path] | Mapping[str, type] | None) -> Mapping[str, type] | None:
    if layers is None or isinstance(layers, Mapping):
        return layers
    from bpdebug.formats.layer_files import load_layer_files

    return load_layer_files(layers)


def graph_of(
    doc: Document,
    table: dict,
    ops: Mapping[str, Op] | None = None,
    lang: str | None = None,
    layers: Mapping[str, type] | None = None,
) -> Graph:
    """The graph a parsed document describes, every rule checked."""
    ops = builtin_ops() if ops is None else ops
    doc.check_keys(table, TOP_KEYS, "top level")
    own = table.get("lang", DEFAULT)
    if own not in LANGUAGES:
        raise doc.fail(f"'lang' must be one of {', '.join(map(repr, LANGUAGES))}, got {own!r}", "lang")
    if lang is not None and lang not in LANGUAGES:
        raise GraphError(unknown(lang))
    doc.lang = lang or own
    title = doc.text(table, "title", "top level") or escape_text(doc.path.stem)
    description = doc.text(table, "description", "top level", lines=True) or ""
    inputs, raw_nodes = _sections(doc, table)
    if any("expr" in raw for raw in raw_nodes):
        from bpdebug.formats.formulas.in_files import expand_formulas

        raw_nodes = expand_formulas(doc, raw_nodes, set(inputs), ops)

    values = Values(doc)
    leaves: dict[str, Leaf] = {}
    for name, spec in inputs.items():
        doc.check_id(name, f"input {name!r}", name)
        leaves[name] = values.leaf(name, spec)
    reader = Nodes(doc, values, ops, leaves, layers)
    nodes = reader.read(raw_nodes)
    try:
        ordered = forward_order(nodes)
    except CycleFound as cycle:
        raise doc.fail(
            f"the nodes form a cycle: {cycle}; a node may only use values computed before it",
            "id",
            cycle.members[0],
        ) from None
    ordered = reader.with_shapes(ordered)

    output = table.get("output", raw_nodes[-1].get("id"))
    if not isinstance(output, str):
        raise doc.fail("'output' must be a node id (a string)", "output")
    node_ids = {n.id for n in nodes}
    if output not in node_ids:
        if output in leaves:
            raise doc.fail(f"output {output!r} is an input; the output must be a node", "output")
        raise doc.fail(f"output {output!r} is not a node{did_you_mean(output, node_ids)}", "output")
    graph = Graph(title, description, output, leaves, tuple(ordered), doc.path, ops, doc.lang)
    check_total(doc, graph)
    return graph


def _sections(doc: Document, table: dict) -> tuple[dict, list[dict]]:
    """The ``[inputs]`` table and the ``[[nodes]]`` list, of the right kinds and sizes."""
    inputs = table.get("inputs", {})
    if not isinstance(inputs, dict):
        raise doc.fail("'inputs' must be a table ([inputs] with name = value lines)", "inputs")
    raw_nodes = table.get("nodes")
    if raw_nodes is None:
        raise doc.fail("the graph has no nodes; add at least one [[nodes]] table")
    if not isinstance(raw_nodes, list) or not all(isinstance(n, dict) for n in raw_nodes):
        raise doc.fail("'nodes' must be an array of tables ([[nodes]] sections)", "nodes")
    if not raw_nodes:
        raise doc.fail("the graph has no nodes; add at least one [[nodes]] table")
    most = limit("MAX_NODES", 1_000_000)
    if len(raw_nodes) > most:
        raise doc.fail(
            f"the graph has {len(raw_nodes):,} nodes; the limit is {most:,} ({raise_hint('MAX_NODES')})"
        )
    return inputs, raw_nodes


__all__ = ["load", "loads"]
