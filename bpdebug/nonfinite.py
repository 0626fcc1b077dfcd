"""Where a nan or an infinity first appears in a trace, so that it can be flagged."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bpdebug.engine import ForwardStep, Step, Trace


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


def first_nonfinite(trace: Trace) -> str | None:
    """A sentence naming the first step whose result holds nan or inf, or None."""
    for leaf in trace.graph.leaves.values():
        if not leaf.anonymous and not is_finite(leaf.value):
            return f"input {leaf.display!r} holds nan or inf"
    for step in trace.steps:
        if not step_is_finite(step):
            what = "value" if step.phase == "forward" else "gradient"
            name = trace.graph.display(step.node)
            return f"the first nan or inf appears at step {step.index}: the {what} of {name!r} ({step.op})"
    return None
