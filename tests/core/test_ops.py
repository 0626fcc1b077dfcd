"""Every op's backward against a central-difference gradient, over random shapes and values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpdebug.core.ops import builtin_ops
from bpdebug.core.values import unbroadcast
from tests.numeric import numerical_grad

OPS = builtin_ops()
SHAPES = [(), (3,), (2, 3), (1, 3), (2, 1), (4, 2, 3)]


def as_value(array: np.ndarray):
    return float(array) if array.ndim == 0 else array


@st.composite
def broadcast_shapes(draw, count: int):
    """An output shape and *count* input shapes that numpy broadcasts to it."""
    out = draw(st.sampled_from([(), (3,), (2, 3), (2, 2, 3)]))
    shapes = []
    for _ in range(count):
        drop = draw(st.integers(0, len(out)))
        shape = list(out[drop:])
        for i in range(len(shape)):
            if draw(st.booleans()) and draw(st.booleans()):
                shape[i] = 1
        shapes.append(tuple(shape))
    if all(len(s) < len(out) or 1 in s for s in shapes) and out:
        shapes[0] = out
    return shapes


def values_for(draw, shape, low=-3.0, high=3.0, away_from_zero=0.0):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, shape)
    if away_from_zero:
        x = np.where(np.abs(x) < away_from_zero, np.sign(x + 1e-12) * away_from_zero, x)
    return x


def check_op(name: str, xs: list[np.ndarray], params: dict | None = None, rtol=1e-5, atol=1e-6):
    op = OPS[name]
    params = params or {}
    values = [as_value(x) for x in xs]
    y, saved = op.forward(values, params)
    g = np.random.default_rng(0).uniform(0.5, 1.5, np.shape(y))
    g_value = as_value(g)
    grads = op.backward(saved, g_value, params)
    if op.elementwise:  # what is sent is upstream × local, summed back where broadcast
        locals_ = op.local(saved, params)
        for i, x in enumerate(values):
            np.testing.assert_allclose(unbroadcast(np.multiply(g_value, locals_[i]), np.shape(x)), grads[i])
    for i, x in enumerate(xs):
        if i in op.no_grad_positions:
            assert grads[i] is None
            continue

        def loss(xi, i=i):
            args = [as_value(xi) if j == i else v for j, v in enumerate(values)]
            return float(np.sum(g * op.forward(args, params)[0]))

        expected = numerical_grad(loss, x)
        assert np.shape(grads[i]) == np.shape(x), f"{name}: gradient shape for input {i}"
        np.testing.assert_allclose(grads[i], expected, rtol=rtol, atol=atol, err_msg=f"{name} input {i}")


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
@given(data=st.data())
def test_binary_elementwise_ops_with_broadcasting(name: str, data) -> None:
    count = 2 if name in ("sub", "div") else data.draw(st.integers(2, 3))
    shapes = data.draw(broadcast_shapes(count))
    xs = [values_for(data.draw, s) for s in shapes]
    if name == "div":
        xs[1] = values_for(data.draw, shapes[1], 0.5, 3.0)
    check_op(name, xs)


@pytest.mark.parametrize(
    ("name", "low", "high", "away"),
    [
        ("neg", -3, 3, 0),
        ("exp", -3, 3, 0),
        ("log", 0.2, 5, 0),
        ("reciprocal", -3, 3, 0.3),
        ("sigmoid", -6, 6, 0),
        ("tanh", -3, 3, 0),
        ("relu", -3, 3, 0.01),
    ],
)
@given(data=st.data())
def test_unary_ops(name: str, low: float, high: float, away: float, data) -> None:
    shape = data.draw(st.sampled_from(SHAPES))
    check_op(name, [values_for(data.draw, shape, low, high, away)])


@given(data=st.data(), exponent=st.sampled_from([2.0, 3.0, 0.5, -1.0, 1.5, 1.0]))
def test_pow(data, exponent: float) -> None:
    shape = data.draw(st.sampled_from(SHAPES))
    check_op("pow", [values_for(data.draw, shape, 0.3, 3.0)], {"exponent": exponent})


@given(data=st.data())
def test_matmul_1d_and_2d(data) -> None:
    n, k, m = (data.draw(st.integers(1, 4)) for _ in range(3))
    a_shape = data.draw(st.sampled_from([(k,), (n, k)]))
    b_shape = data.draw(st.sampled_from([(k,), (k, m)]))
    check_op("matmul", [values_for(data.draw, a_shape), values_for(data.draw, b_shape)])


@given(data=st.data())
def test_affine_flattens_x_and_sums_the_bias(data) -> None:
    n, m = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    features = data.draw(st.sampled_from([(3,), (2, 2)]))
    x = values_for(data.draw, (n, *features))
    w = values_for(data.draw, (int(np.prod(features)), m))
    b = values_for(data.draw, (m,))
    check_op("affine", [x, w, b])


@pytest.mark.parametrize("name", ["sum", "mean"])
@given(data=st.data())
def test_reductions(name: str, data) -> None:
    shape = data.draw(st.sampled_from([(3,), (2, 3), (2, 2, 3)]))
    axis = data.draw(
        st.one_of(
            st.none(),
            st.integers(-len(shape), len(shape) - 1),
            st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True),
        )
    )
    params = {"keepdims": data.draw(st.booleans())}
    if axis is not None:
        params["axis"] = axis
    check_op(name, [values_for(data.draw, shape)], params)


@given(data=st.data(), onehot=st.booleans(), batched=st.booleans())
def test_softmax_with_loss(data, onehot: bool, batched: bool) -> None:
    classes = data.draw(st.integers(2, 5))
    batch = data.draw(st.integers(1, 4))
    shape = (batch, classes) if batched else (classes,)
    x = values_for(data.draw, shape, -4, 4)
    labels = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=batch, max_size=batch)))
    if not batched:
        labels = labels[:1]
    if onehot:
        t = np.eye(classes)[labels].reshape(shape)
    else:
        t = labels.astype(np.float64) if batched else labels.astype(np.float64).reshape(())
    check_op("softmax_with_loss", [x, t])


def test_softmax_with_loss_is_exact_cross_entropy_without_epsilon() -> None:
    op = OPS["softmax_with_loss"]
    x = np.array([[0.0, 0.0]])
    assert op.forward([x, np.array([1.0])], {})[0] == pytest.approx(np.log(2), rel=1e-15)
    huge = np.array([[1000.0, 0.0]])
    assert op.forward([huge, np.array([0.0])], {})[0] == pytest.approx(0.0, abs=1e-300)
    assert np.isfinite(op.forward([huge, np.array([1.0])], {})[0])


def test_relu_sends_zero_at_zero() -> None:
    op = OPS["relu"]
    x = np.array([-1.0, 0.0, 2.0])
    _, mask = op.forward([x], {})
    assert op.backward(mask, np.ones(3), {})[0].tolist() == [0.0, 0.0, 1.0]
    _, mask = op.forward([0.0], {})
    assert op.backward(mask, 1.0, {})[0] == 0.0


def test_unbroadcast_sums_repeated_axes() -> None:
    g = np.ones((4, 2, 3))
    assert unbroadcast(g, (2, 1)).tolist() == [[12.0], [12.0]]
    assert unbroadcast(g, ()) == 24.0
    assert unbroadcast(g, (3,)).tolist() == [8.0, 8.0, 8.0]


def test_scalar_maths_gives_ieee_results_instead_of_raising() -> None:
    assert OPS["log"].forward([0.0], {})[0] == -np.inf
    assert np.isnan(OPS["log"].forward([-1.0], {})[0])
    assert OPS["div"].forward([1.0, 0.0], {})[0] == np.inf
    assert OPS["exp"].forward([1000.0], {})[0] == np.inf
    assert np.isnan(OPS["pow"].forward([-8.0], {"exponent": 1 / 3})[0])
    assert OPS["reciprocal"].forward([0.0], {})[0] == np.inf
    assert type(OPS["mul"].forward([2.0, 3.0], {})[0]) is float


def test_relu_backward_is_upstream_times_local_to_the_bit() -> None:
    op = OPS["relu"]
    x = np.array([[-2.0, 0.0, 3.0, 1e-300], [5.0, -0.0, -1e-300, 7.0]])
    g = np.array([[-1.5, 2.0, -3.0, np.inf], [np.nan, -np.inf, 4.0, -0.0]])
    _, mask = op.forward([x], {})
    shortcut = op.backward(mask, g, {})[0]
    with np.errstate(all="ignore"):
        by_local = g * op.local(mask, {})[0]
    assert shortcut.tobytes() == by_local.tobytes()  # signed zeros and nan included


def test_softmax_labels_are_checked_on_every_call() -> None:
    op = OPS["softmax_with_loss"]
    x = np.zeros((2, 3))
    assert op.forward([x, np.array([0.0, 2.0])], {})[0] == pytest.approx(np.log(3))
    with pytest.raises(ValueError, match="whole numbers from 0 to 2"):
        op.forward([x, np.array([0.0, 3.0])], {})
    changing = np.array([0.0, 1.0])
    op.forward([x, changing], {})
    changing[1] = 7.0  # the op keeps nothing: changing t in place is seen
    with pytest.raises(ValueError):
        op.forward([x, changing], {})


def test_ops_keep_no_state_between_calls() -> None:
    for op in OPS.values():
        assert vars(op) == {}, op.name


def test_every_graph_has_its_own_registry() -> None:
    import bpdebug

    first, second = bpdebug.load("problem2"), bpdebug.load("problem2")
    assert set(first.ops) == set(OPS)
    assert first.ops is not second.ops
    assert first.ops["mul"] is not second.ops["mul"]
    assert all(node.op is first.ops[node.op.name] for node in first.nodes)
