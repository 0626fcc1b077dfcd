"""The layout is pure: coordinates from a graph, checked without any UI."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpdebug
from bpdebug.formats.bundled import bundled_graphs
from bpdebug.formats.generated import random_scalar_graph
from bpdebug.render.layout import Box, Lane, Layout, Run, Total, W, layout
from bpdebug.render.paint import row_text
from bpdebug.support.formatting import cell_width


class NoLabels:
    def value(self, edge: tuple[str, str]) -> str | None:
        return "1"

    def grad(self, edge: tuple[str, str]) -> str | None:
        return "1"

    def total(self, total: Total) -> str | None:
        return "2 = 1 + 1"


BUNDLED = [g.name for g in bundled_graphs()]


def occupancy(lay: Layout) -> dict[str, set[tuple[int, int]]]:
    """The cells each kind of thing covers."""
    boxes, lanes, runs, joints = set(), set(), set(), set()
    for box in lay.boxes.values():
        boxes |= {(x, box.y) for x in range(box.x, box.x + max(box.width, 1))}
    for row, items in lay.rows.items():
        for item in items:
            if isinstance(item, Lane):
                for dy in (0, 1):
                    lanes |= {(x, row + dy) for x in range(item.x, item.x + item.width)}
            elif isinstance(item, Run):
                runs |= {(x, row) for x in range(item.x, item.x + item.width)}
    joints |= lay.all_joint_cells()
    return {"boxes": boxes, "lanes": lanes, "runs": runs, "joints": joints}


def check_layout(lay: Layout, graph: bpdebug.Graph) -> None:
    cover = occupancy(lay)
    # no node overlaps another, and nothing is drawn through a node
    assert len(cover["boxes"]) == sum(max(b.width, 1) for b in lay.boxes.values())
    for other in ("lanes", "runs", "joints"):
        assert not cover["boxes"] & cover[other], f"{other} run through a node"
    assert not cover["lanes"] & (cover["runs"] | cover["joints"]), "a label area is crossed"
    # every edge has one lane for its labels, and the output has its stub
    expected = {(i, n.id) for n in graph.nodes for i in n.inputs} | {(graph.output, "")}
    assert set(lay.lanes) == expected
    # an edge leaves its source to the right and enters its target from the left
    for (source, target), lane in lay.lanes.items():
        assert lane.x >= lay.boxes[source].x + lay.boxes[source].width
        if target:
            assert lane.x + lane.width <= lay.boxes[target].x
    assert all(0 <= b.y < lay.height and 0 <= b.x < lay.width for b in lay.boxes.values())


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_graphs_lay_out_cleanly(name: str) -> None:
    graph = bpdebug.load(name)
    check_layout(layout(graph, 8), graph)


def gradients_on_arrival_rows(lay: Layout) -> list[tuple[str, int]]:
    """Nodes whose gradient is written on a row where another edge's line arrives from the
    left and turns, just before the node: read along the row, it is that edge's gradient."""
    found = []
    for (source, _), lane in lay.lanes.items():
        box = lay.boxes[source]
        if box.is_leaf:
            continue
        row = lane.y + 1
        joints = lay.joints_between(row, box.x - 6, box.x)
        if any(bits & W for bits, _ in joints.values()):
            found.append((source, row))
    return found


@pytest.mark.parametrize("name", BUNDLED)
def test_no_gradient_sits_on_a_row_another_edge_arrives_on(name: str) -> None:
    assert gradients_on_arrival_rows(layout(bpdebug.load(name), 6)) == []


def test_problem2_orange_price_gradient_is_not_on_orange_num_row() -> None:
    lay = layout(bpdebug.load("problem2"), 6)
    gradient_row = lay.lanes[("orange_price", "all_price")].y + 1
    assert gradient_row != lay.lanes[("orange_num", "orange_price")].y
    assert gradient_row != lay.lanes[("orange", "orange_price")].y


def test_small_graphs_put_every_named_leaf_first_like_the_book() -> None:
    graph = bpdebug.load("sigmoid_nodes")
    lay = layout(graph, 8)
    named = [b for b in lay.boxes.values() if b.is_leaf and b.text]
    assert {b.x for b in named} == {0}
    columns = sorted({b.x for b in lay.boxes.values()})
    consumers = graph.consumers()
    constants = [b for b in lay.boxes.values() if b.is_leaf and not b.text]
    assert len(constants) == 2
    for box in constants:  # a constant stands just left of its node, wherever that is
        (consumer,) = consumers[box.id]
        assert columns.index(box.x) == columns.index(lay.boxes[consumer].x) - 1


def test_problem2_has_no_crossings_and_straight_chains() -> None:
    lay = layout(bpdebug.load("problem2"), 6)
    assert "┼" not in "".join(row_text(lay, r, NoLabels()) for r in range(lay.height + 1))
    boxes = lay.boxes
    assert boxes["apple"].x == boxes["tax"].x == 0
    assert boxes["apple_price"].x < boxes["all_price"].x < boxes["price"].x


def test_wide_characters_count_as_two_cells() -> None:
    lay = layout(bpdebug.load("problem2", lang="zh"), 6)
    leaf = lay.boxes["apple_num"]
    assert leaf.text == "苹果个数" and cell_width(leaf.text) == 8
    assert lay.boxes["tax"].width >= 8  # the column is as wide as its widest label in cells


def test_large_graphs_place_leaves_beside_their_consumer() -> None:
    graph = bpdebug.loads(random_scalar_graph(600, seed=3))
    lay = layout(graph, 8)
    check_layout(lay, graph)
    consumers = graph.consumers()
    columns = sorted({b.x for b in lay.boxes.values()})
    for name in graph.leaves:
        if name in consumers:
            first = min(lay.boxes[c].x for c in consumers[name])
            assert columns.index(lay.boxes[name].x) == columns.index(first) - 1
    assert lay.height < 200  # columns stay compact instead of drifting apart


@settings(max_examples=25, deadline=None)
@given(nodes=st.integers(2, 120), seed=st.integers(0, 10_000), width=st.integers(1, 6))
def test_random_networks_lay_out_cleanly(nodes: int, seed: int, width: int) -> None:
    graph = bpdebug.loads(random_scalar_graph(nodes, seed=seed, width=width))
    check_layout(layout(graph, 7), graph)


def test_layout_is_a_pure_function() -> None:
    graph = bpdebug.load("two_layer")
    first, second = layout(graph, 8), layout(graph, 8)
    assert first.boxes == second.boxes and first.lanes == second.lanes
    assert all(isinstance(b, Box) for b in first.boxes.values())


def test_labels_never_spill_out_of_their_lane() -> None:
    from bpdebug.render.layout import Lane
    from bpdebug.render.paint import _lane_value

    class Wide:
        def value(self, edge: tuple[str, str]) -> str:
            return "[0 0.1]"

        def grad(self, edge: tuple[str, str]) -> str:
            return "1"

        def total(self, total: Total) -> str:
            return "1"

    for width in range(4, 14):
        pieces = _lane_value(Lane(("a", "b"), 10, 0, width), Wide())
        assert sum(cell_width(p.text) for p in pieces) == width
        assert pieces[-1].x + cell_width(pieces[-1].text) == 10 + width
