"""Where a nan or an infinity first appears in a trace, so that it can be flagged."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bpdebug.core.trace import ForwardStep, Step, Trace


def is_finite(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is float:
        return math.isfinite(value)
    return bool(np.isfinite(value).all())


def step_is_finite(step: Step) -> bool:
    if isinstance(step, ForwardStep):
        return is_finite(step.value)
    return is_finite(step.upstream) and all(is_finite(v) for v in step.downstream.values())


def first_nonfinite_step(trace: Trace) -> dict[str, Any] | None:
    """Where the first nan or inf appears: ``{"step": k, "node": id, "what": "value"}``
    (step 0 and what "input" when a leaf holds one already), or None."""
    for name, leaf in trace.graph.leaves.items():
        if not leaf.anonymous and not is_finite(leaf.value):
            return {"step": 0, "node": name, "what": "input"}
    for step in trace.steps:
        if not step_is_finite(step):
            what = "value" if step.phase == "forward" else "gradient"
            return {"step": step.index, "node": step.node, "what": what}
    return None
