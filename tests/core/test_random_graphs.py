"""Random graphs: backprop agrees with central differences computed independently."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import bpdebug
from tests.numeric import numerical_grad

SHAPES = [(), (3,), (2, 3), (1, 3)]
FUNCS = {
    "add": lambda *a: sum(a[1:], a[0]),
    "sub": lambda a, b: a - b,
    "mul": lambda *a: np.prod(np.broadcast_arrays(*a), axis=0) if len(a) > 2 else a[0] * a[1],
    "tanh": np.tanh,
    "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
    "neg": lambda a: -a,
}
ARITY = {"add": (2, 3), "sub": (2, 2), "mul": (2, 3), "tanh": (1, 1), "sigmoid": (1, 1), "neg": (1, 1)}


@st.composite
def graphs(draw):
    leaf_count = draw(st.integers(1, 4))
    leaves = {f"x{i}": draw(st.sampled_from(SHAPES)) for i in range(leaf_count)}
    nodes = []
    names = list(leaves)
    for n in range(draw(st.integers(1, 10))):
        op = draw(st.sampled_from(sorted(ARITY)))
        low, high = ARITY[op]
        count = draw(st.integers(low, high))
        inputs = [draw(st.sampled_from(names)) for _ in range(count)]
        if draw(st.integers(0, 5)) == 0 and count > 1:
            inputs[-1] = draw(st.sampled_from([0.5, 2.0, -1.0]))
        nodes.append((f"n{n}", op, inputs))
        names.append(f"n{n}")
    seed = draw(st.integers(0, 2**31))
    return leaves, nodes, seed


def to_toml(leaves, nodes, values) -> str:
    lines = ["[inputs]"]
    for name, value in values.items():
        lines.append(f"{name} = {np.asarray(value).tolist()!r}")
    for node_id, op, inputs in nodes:
        rendered = ", ".join(f'"{i}"' if isinstance(i, str) else repr(i) for i in inputs)
        lines += ["[[nodes]]", f'id = "{node_id}"', f'op = "{op}"', f"inputs = [{rendered}]"]
    return "\n".join(lines)


def evaluate(nodes, values: dict) -> np.ndarray:
    env = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
    for node_id, op, inputs in nodes:
        args = [env[i] if isinstance(i, str) else np.float64(i) for i in inputs]
        env[node_id] = np.asarray(FUNCS[op](*args), dtype=np.float64)
    return env[nodes[-1][0]]


@given(graphs())
def test_random_graph_gradients_match_central_differences(spec) -> None:
    leaves, nodes, seed = spec
    rng = np.random.default_rng(seed)
    values = {
        name: rng.uniform(-1, 1, shape) if shape else float(rng.uniform(-1, 1))
        for name, shape in leaves.items()
    }
    trace = bpdebug.run(bpdebug.loads(to_toml(leaves, nodes, values)))
    expected_out = evaluate(nodes, values)
    np.testing.assert_allclose(trace.values[nodes[-1][0]], expected_out, rtol=1e-12, atol=1e-12)

    used = {i for _, _, inputs in nodes for i in inputs if isinstance(i, str)}
    for name in leaves:
        if name not in used:
            assert name not in trace.grads
            continue

        def loss(x, name=name):
            return float(np.sum(evaluate(nodes, {**values, name: x})))

        expected = numerical_grad(loss, np.asarray(values[name], dtype=np.float64))
        np.testing.assert_allclose(trace.grads[name], expected, rtol=1e-5, atol=1e-6, err_msg=name)

    # each leaf's gradient is the sum of what the backward steps sent it
    for name in trace.grads:
        if name in leaves:
            sent = [c.grad for c in trace.contributions(name)]
            if sent:
                np.testing.assert_allclose(sum(sent), trace.grads[name], rtol=1e-12, atol=1e-12)
