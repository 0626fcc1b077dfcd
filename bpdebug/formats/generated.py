"""Graphs written by code rather than by hand: random scalar networks and one wide fan-out,
as TOML text. The benchmarks and the large-graph tests share them (tests never import
`benchmarks/`)."""

from __future__ import annotations

import random

OPS = ("add", "mul", "tanh")


def random_scalar_graph(nodes: int, seed: int = 0, width: int = 16) -> str:
    """TOML for a network-like DAG of *nodes* scalar ops (+, ×, tanh), *width* per layer.

    Each node reads values of the layer before it (now and then the one before that) and, one
    time in ten, a fresh input, as a network reads its weights layer by layer. The output adds
    up the last layer.
    """
    rng = random.Random(seed)
    leaf_lines: list[str] = []
    node_lines: list[str] = []

    def leaf() -> str:
        name = f"x{len(leaf_lines)}"
        leaf_lines.append(f"{name} = {rng.uniform(-1, 1):.6f}")
        return name

    previous = [leaf() for _ in range(width)]
    older = previous
    count = 0
    while count < nodes - 1:
        layer = []
        for _ in range(min(width, nodes - 1 - count)):
            op = rng.choice(OPS)
            pool = older if rng.random() < 0.15 else previous
            first = rng.choice(pool)
            if op == "tanh":
                inputs: list[str | float] = [first]
            else:
                if op == "mul" and rng.random() < 0.5:
                    second: str | float = 0.5  # keep values bounded
                elif rng.random() < 0.1:
                    second = leaf()
                else:
                    second = rng.choice(previous)
                inputs = [first, second] if second != first else [first, 0.5]
            node_id = f"n{count}"
            rendered = ", ".join(f'"{x}"' if isinstance(x, str) else str(x) for x in inputs)
            node_lines += ["[[nodes]]", f'id = "{node_id}"', f'op = "{op}"', f"inputs = [{rendered}]"]
            layer.append(node_id)
            count += 1
        older, previous = previous, layer
    last = ", ".join(f'"{n}"' for n in previous[:8]) if len(previous) > 1 else f'"{previous[0]}", 0.0'
    node_lines += ["[[nodes]]", 'id = "out"', 'op = "add"', f"inputs = [{last}]"]
    return "\n".join(['title = "random scalar network"', "[inputs]", *leaf_lines, *node_lines]) + "\n"


def fan_out_graph(consumers: int) -> str:
    """TOML for one input read by *consumers* nodes (-x each): the widest fan-out a layout meets."""
    lines = ['title = "one input, many consumers"', "[inputs]", "x = 1.5"]
    for k in range(consumers):
        lines += ["[[nodes]]", f'id = "n{k}"', 'op = "neg"', 'inputs = ["x"]']
    return "\n".join(lines) + "\n"
