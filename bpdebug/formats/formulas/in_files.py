"""A graph file's ``{ id = "price", expr = "(apple * apple_num + orange * orange_num) * tax" }``
nodes, each replaced by the nodes of its formula before the file's nodes are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bpdebug.core.ops import Op
from bpdebug.formats.formulas.expand import expand
from bpdebug.formats.formulas.parse import FormulaError, Name, close_name, parse_formula
from bpdebug.formats.toml.document import Document

FORMULA_KEYS = ("id", "expr", "label")


def expand_formulas(
    doc: Document, raw_nodes: list[dict], leaf_ids: set[str], ops: Mapping[str, Op]
) -> list[dict]:
    """*raw_nodes* with every ``expr`` node replaced by its nodes (the same list when none is)."""
    if not any("expr" in raw for raw in raw_nodes):
        return raw_nodes
    declared = leaf_ids | {raw["id"] for raw in raw_nodes if isinstance(raw.get("id"), str)}
    taken = set(declared)
    expanded: list[dict] = []
    for index, raw in enumerate(raw_nodes):
        if "expr" not in raw:
            expanded.append(raw)
            continue
        node_id = raw.get("id")
        if node_id is None:
            raise doc.fail(f"node #{index + 1} (counting from 1) has no 'id'")
        doc.check_id(node_id, f"node #{index + 1}", "id", str(node_id))
        expanded += _expand_one(doc, raw, node_id, declared, taken, ops)
    return expanded


def _expand_one(
    doc: Document, raw: dict, node_id: str, declared: set[str], taken: set[str], ops: Mapping[str, Op]
) -> list[dict[str, Any]]:
    what = f"node {node_id!r}"
    doc.check_keys(raw, FORMULA_KEYS, what + " (a node with 'expr')", "id", node_id)
    text = raw["expr"]
    if not isinstance(text, str):
        raise doc.fail(f"{what}: 'expr' must be a string (a formula)", "id", node_id, "expr")

    def resolve(name: Name) -> str:
        if name.id not in declared:
            raise FormulaError(
                "formula.unknown_name",
                name.line,
                name.column,
                name=name.id,
                guess=close_name(name.id, declared),
            )
        return name.id

    try:
        tables = expand(parse_formula(text), node_id, taken, resolve, ops)
    except FormulaError as error:
        raise doc.fail(
            f"{what}: expr:{error.line}:{error.column}: {error.said()}", "id", node_id, "expr"
        ) from None
    if "label" in raw:
        tables[-1]["label"] = raw["label"]
    for table in tables[:-1]:
        doc.generated[table["id"]] = node_id  # an error about price_1 points at price's line
    return tables
