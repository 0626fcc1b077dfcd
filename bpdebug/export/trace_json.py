"""The trace as the JSON object of the graph format, version 1."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from bpdebug.core.nonfinite import first_nonfinite_step
from bpdebug.core.trace import ForwardStep, Trace
from bpdebug.support.safe_text import escape_json


def plain(value: Any) -> Any:
    """A value as JSON data: nested lists, numbers, and "nan"/"inf"/"-inf" strings."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        if np.isfinite(value).all():
            return value.tolist()
        return _nonfinite_to_str(value.tolist())
    value = float(value)
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _nonfinite_to_str(item: Any) -> Any:
    if isinstance(item, list):
        return [_nonfinite_to_str(i) for i in item]
    return plain(item)


def _mapping(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: plain(v) for k, v in values.items()}


def trace_dict(trace: Trace) -> dict[str, Any]:
    steps = []
    for step in trace.steps:
        record: dict[str, Any] = {
            "index": step.index,
            "phase": step.phase,
            "node": step.node,
            "op": step.op,
        }
        if step.op == "layer":
            record["layer"] = trace.graph.node(step.node).op.class_name  # type: ignore[attr-defined]
        if isinstance(step, ForwardStep):
            record["inputs"] = _mapping(step.inputs)
            record["value"] = plain(step.value)
        else:
            record["upstream"] = plain(step.upstream)
            record["local"] = _mapping(step.local)
            record["downstream"] = _mapping(step.downstream)
            if step.contributions:  # an extension: where the upstream signal came from
                record["contributions"] = [
                    {"from": c.source, "grad": plain(c.grad)} for c in step.contributions
                ]
        steps.append(record)
    result = {
        "title": trace.title,
        "output": trace.output,
        "values": _mapping(dict(trace.values)),
        "grads": _mapping(dict(trace.grads)),
        "steps": steps,
    }
    problem = first_nonfinite_step(trace)
    if problem is not None:  # an extension: present only when something went non-finite
        result["nonfinite"] = problem
    return result


def trace_json(trace: Trace) -> str:
    """The trace as one line of JSON; characters a terminal would act on are ``\\uXXXX``."""
    return escape_json(json.dumps(trace_dict(trace), ensure_ascii=False, allow_nan=False))
