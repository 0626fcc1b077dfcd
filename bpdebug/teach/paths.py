"""The chain rule written out for one input: every path from it to the output, the product of
the local derivatives along each, and their sum (``∂price/∂apple = ∂price/∂apple_price ·
∂apple_price/∂apple = 1.1 · 2 = 2.2``). Read from the trace's recorded local derivatives;
only for scalar paths, and only when there are few enough to read."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import NamedTuple

from bpdebug.core.trace import BackwardStep, Trace
from bpdebug.support.formatting import fmt_num, group

MOST_PATHS = 6  # more than this is a wall of products, not an explanation
MOST_FACTORS = 12  # nor is a longer product (and a 100,000-node chain must cost nothing)


class ChainPath(NamedTuple):
    formula: str  # ∂price/∂apple_price · ∂apple_price/∂apple
    numbers: str  # 1.1 · 2 (negative factors in parentheses)
    product: float


def chain_paths(
    trace: Trace,
    consumers: Mapping[str, list[str]],
    backward_at: Mapping[str, int],
    leaf: str,
) -> list[ChainPath] | None:
    """Each path from *leaf* to the output as a product, or None when a local derivative on the
    way is not a single number (arrays, dot products) or the paths are too many or too long.
    *consumers* and *backward_at* are the session's: who reads each value, and the step at
    which each node on the output's path sends its gradient."""
    graph = trace.graph
    paths: list[list[str]] = []
    stack = [[leaf]]
    while stack:
        path = stack.pop()
        if len(path) > MOST_FACTORS:
            return None
        if path[-1] == graph.output:
            paths.append(path)
            if len(paths) > MOST_PATHS:
                return None
            continue
        for user in reversed(consumers.get(path[-1], ())):
            if user in backward_at:  # on the output's path
                stack.append([*path, user])
    if not paths:
        return None
    found = []
    for path in paths:
        factors, names = [], []
        for below, above in pairwise(path):
            step = trace.steps[backward_at[above] - 1]
            local = step.local if isinstance(step, BackwardStep) else None
            d = local.get(below) if local is not None else None
            if type(d) is not float:
                return None
            factors.append(d)
            names.append(f"∂{group(graph.display(above))}/∂{group(graph.display(below))}")
        factors.reverse()
        names.reverse()
        product = 1.0
        for d in factors:
            product *= d
        numbers = " · ".join(group(fmt_num(d)) for d in factors)
        found.append(ChainPath(" · ".join(names), numbers, product))
    return found
