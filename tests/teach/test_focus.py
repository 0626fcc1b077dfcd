"""What the inspector is told, as data: lines that name their sentences by message id, with
their numbers as arguments (rendered here as plain text, as a handout would)."""

from __future__ import annotations

import bpdebug
from bpdebug.teach.explain import Key, Shown
from bpdebug.teach.focus import focus
from bpdebug.teach.messages import catalog, pieces
from bpdebug.teach.session import Session


def plain(line) -> str:
    def arg(value):
        if isinstance(value, Shown):
            return value.value if isinstance(value.value, str) else bpdebug_num(value.value)
        return value.name if isinstance(value, Key) else str(value)

    return "".join(text + (arg(line.args[name]) if name else "") for text, name, _ in pieces(line.message))


def bpdebug_num(value) -> str:
    from bpdebug.support.formatting import fmt_num

    return fmt_num(value) if type(value) is float else "[array]"


def at(step: int, name: str = "problem2") -> list:
    session = Session(bpdebug.run(bpdebug.load(name)))
    session.go(step)
    return focus(session)


def test_the_start_names_the_keys_and_the_graph() -> None:
    title, lines = at(0)
    assert title == "start"
    assert lines[0].message == "start.keys" and lines[0].args["n"] == Key("n")
    assert lines[1].args["name"] == bpdebug.load("problem2").title


def test_a_forward_step_puts_the_numbers_into_the_formula() -> None:
    title, lines = at(1)
    assert title == "apple_price (×)"
    assert [line.kind for line in lines] == ["formula", "input", "input", "arithmetic", "note"]
    assert plain(lines[0]) == "apple_price = apple × apple_num"
    assert lines[1].gap and lines[1].args["value"] == Shown(100.0)
    assert plain(lines[3]) == "= 100 × 2 = 200"
    assert plain(lines[4]) == "gradient: not sent back yet (step 8)"


def test_a_backward_step_writes_out_upstream_times_local() -> None:
    _, lines = at(5)  # price = all_price × tax, the output
    kinds = [line.kind for line in lines]
    assert kinds[:4] == ["formula", "start_backward", "upstream", "send_to"]
    said = [plain(line) for line in lines]
    assert "upstream  ∂L/∂price = 1" in said
    assert "local derivative  ∂price/∂all_price = tax = 1.1" in said and "= 1 × 1.1 = 1.1" in said
    assert "local derivative  ∂price/∂tax = all_price = 650" in said and "= 1 × 650 = 650" in said
    assert lines[said.index("→ tax") + 2].args["formula"] == "∂L/∂tax = ∂L/∂price × all_price"
    assert any(line.message == "op.mul" for line in lines)
    assert all(
        line.message in catalog("en") and (line.aside is None or line.aside in catalog("en"))
        for line in lines
    )


def test_a_leaf_lists_the_gradients_it_received() -> None:
    session = Session(bpdebug.run(bpdebug.load("problem2")))
    session.to_end()
    session.select("tax")
    _, lines = focus(session)
    said = [plain(line) for line in lines]
    assert said[:2] == ["tax", "value = 1.1"] and "from price: 650" in said and "∂L/∂tax = 650" in said


def test_a_node_whose_gradient_has_arrived_says_so_before_its_own_step() -> None:
    session = Session(bpdebug.run(bpdebug.load("problem2")))
    session.go(5)  # price has sent 1.1 to all_price; all_price's own step is 6
    session.select("all_price")
    _, lines = focus(session)
    said = [plain(line) for line in lines]
    assert "received ∂L/∂all_price = 1.1 from price; sends it on at step 6" in said
    assert not any("not sent back yet" in line for line in said)


def test_names_are_the_nodes_own_and_l_is_said() -> None:
    _, lines = at(6)  # all_price = apple_price + orange_price
    said = [plain(line) for line in lines]
    assert said[0] == "all_price = apple_price + orange_price"
    upstream = next(k for k, line in enumerate(lines) if line.kind == "upstream")
    assert said[upstream : upstream + 2] == ["upstream  ∂L/∂all_price = 1.1", "(L is price, the output)"]
    assert not any("∂y" in line or "∂L/∂y" in line for line in said)


def test_a_label_that_is_its_own_formula_is_not_written_twice() -> None:
    session = Session(bpdebug.run(bpdebug.load("sigmoid_nodes")))
    session.go(2)  # exp(−x), labelled with its formula
    _, lines = focus(session)
    assert plain(lines[0]) == "exp_neg_x = exp(−x)"


def test_a_value_used_twice_adds_its_local_derivatives() -> None:
    graph = bpdebug.loads(
        '[inputs]\nx = 3.0\n[[nodes]]\nid = "sq"\nop = "mul"\ninputs = ["x", "x"]\n'
        '[[nodes]]\nid = "out"\nop = "add"\ninputs = ["sq", "x"]\n'
    )
    session = Session(bpdebug.run(graph))
    session.go(4)  # sq's backward step
    said = [plain(line) for line in focus(session).lines]
    assert "local derivative  ∂sq/∂x = x + x = 6" in said  # never "= x = 6"
    assert "sent back  ∂L/∂x = ∂L/∂sq × (x + x)" in said and "= 1 × 6 = 6" in said
    session.to_end()
    session.select("x")
    said = [plain(line) for line in focus(session).lines]
    assert "from out: 1" in said and "from sq: 6" in said and "∂L/∂x = 7" in said


def chain_of(name: str, leaf: str, graph=None) -> list[str]:
    session = Session(bpdebug.run(graph or bpdebug.load(name)))
    session.to_end()
    session.select(leaf)
    said = [plain(line) for line in focus(session).lines]
    return said[said.index("the chain rule, path by path") + 1 :]


def test_the_chain_rule_is_written_out_as_the_product_it_is() -> None:
    assert chain_of("chain_rule", "x") == ["∂z/∂x = ∂z/∂t · ∂t/∂x = 6 · 1 = 6"]
    assert chain_of("problem1", "apple") == [
        "∂price/∂apple = ∂price/∂apple_price · ∂apple_price/∂apple = 1.1 · 2 = 2.2"
    ]


def test_an_input_with_several_paths_gets_one_product_each_then_their_sum() -> None:
    graph = bpdebug.loads(
        '[inputs]\nx = 3.0\n[[nodes]]\nid = "sq"\nop = "mul"\ninputs = ["x", "x"]\n'
        '[[nodes]]\nid = "out"\nop = "add"\ninputs = ["sq", "x"]\n'
    )
    assert chain_of("", "x", graph) == [
        "path 1: ∂out/∂sq · ∂sq/∂x = 1 · 6 = 6",
        "path 2: ∂out/∂x = 1",
        "∂out/∂x = the sum of the paths = 6 + 1 = 7",
    ]


def test_arrays_get_no_chain_of_numbers() -> None:
    session = Session(bpdebug.run(bpdebug.load("two_layer")))
    session.to_end()
    session.select(next(iter(session.trace.grads)))
    assert all(line.message != "chain.heading" for line in focus(session).lines)


def test_softmax_with_loss_shows_the_y_of_y_minus_t() -> None:
    import numpy as np

    session = Session(bpdebug.run(bpdebug.load("softmax_with_loss")))
    session.go(1)
    lines = focus(session).lines
    y_line = next(line for line in lines if line.message == "intermediate.softmax_with_loss.y")
    y = y_line.args["value"].value
    x = session.trace.values["x"]
    np.testing.assert_allclose(y, np.exp(x) / np.exp(x).sum(axis=1, keepdims=True))
    session.go(2)  # and the gradient sent is exactly (y − t) / N
    t = session.trace.values["t"]
    np.testing.assert_allclose(session.trace.grads["x"], (y - t) / 2)
