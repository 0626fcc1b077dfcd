"""The debugger's state: a cursor over the trace, breakpoints and the selected node.

Nothing is recomputed to step: everything shown at cursor k is a pure function of (trace, k).
Cursor 0 is before the first step; cursor k means step k has just been taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bpdebug.core.nonfinite import step_is_finite
from bpdebug.core.trace import BackwardStep, ForwardStep, Step, Trace


@dataclass
class Session:
    trace: Trace
    cursor: int = 0
    breakpoints: set[str] = field(default_factory=set)
    selected: str | None = None  # a node the user picked; None follows the current step
    asking: str | None = None  # the node of the step the quiz asks about, one step ahead
    node_checks: dict[str, Any] = field(default_factory=dict)  # node -> NodeCheck, once `k` ran

    def __post_init__(self) -> None:
        self.step_nodes = self.trace.steps.node_ids()  # the node of step k is step_nodes[k - 1]
        forward = self.trace.forward_count
        self.forward_at = {node: k for k, node in enumerate(self.step_nodes[:forward], start=1)}
        self.backward_at = {node: k for k, node in enumerate(self.step_nodes[forward:], start=forward + 1)}
        self.node_order = [n.id for n in self.trace.graph.nodes]
        # tab goes through the nodes in forward order, then the inputs drawn in the graph
        leaves = [name for name, leaf in self.trace.graph.leaves.items() if not leaf.anonymous]
        self.selection_order = self.node_order + leaves
        self.consumers = self.trace.graph.consumers()
        self._bad: dict[str, tuple[bool, bool]] = {}  # node -> (value, gradient) not finite

    # --- where we are ------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.trace.steps)

    @property
    def forward_count(self) -> int:
        return self.trace.forward_count

    @property
    def step(self) -> Step | None:
        return self.trace.steps[self.cursor - 1] if self.cursor else None

    @property
    def phase(self) -> str:
        if self.cursor == 0:
            return "START"
        if self.cursor == self.total:
            return "DONE"
        return "FORWARD" if self.cursor <= self.forward_count else "BACKWARD"

    @property
    def current_node(self) -> str | None:
        step = self.step
        return step.node if step else None

    @property
    def focus_node(self) -> str | None:
        """The node the inspector shows: the selected one, the one the quiz asks about, else the
        current step's."""
        return self.selected or self.asking or self.current_node

    # --- what is known at the cursor -----------------------------------------------------------
    def value_known(self, value_id: str) -> bool:
        """Leaves are given; a node's value is known once its forward step is taken."""
        at = self.forward_at.get(value_id)
        return at is None or at <= self.cursor

    def edge_grad_known(self, consumer: str) -> bool:
        """The gradients a node sends back are known once its backward step is taken."""
        at = self.backward_at.get(consumer)
        return at is not None and at <= self.cursor

    def output_grad_known(self) -> bool:
        return self.cursor > self.forward_count

    def sent(self, consumer: str, value_id: str) -> Any | None:
        """What *consumer* sent back to *value_id*, if known at the cursor."""
        if not self.edge_grad_known(consumer):
            return None
        step = self.trace.steps[self.backward_at[consumer] - 1]
        return step.downstream.get(value_id)  # type: ignore[union-attr]

    def received(self, value_id: str) -> tuple[list[tuple[str, Any]], bool]:
        """What has arrived at *value_id* so far, as (consumer, gradient) in reading order, and
        whether every consumer has sent its part."""
        consumers = self.consumers.get(value_id, ())
        arrived = [(c, g) for c in consumers if (g := self.sent(c, value_id)) is not None]
        return arrived, len(arrived) == len(consumers)

    def forward_step_of(self, node_id: str) -> ForwardStep | None:
        at = self.forward_at.get(node_id)
        return self.trace.steps[at - 1] if at is not None and at <= self.cursor else None  # type: ignore[return-value]

    def backward_step_of(self, node_id: str) -> BackwardStep | None:
        at = self.backward_at.get(node_id)
        return self.trace.steps[at - 1] if at is not None and at <= self.cursor else None  # type: ignore[return-value]

    def is_bad(self, node_id: str) -> bool:
        """True when what is known of *node_id* at the cursor holds nan or inf."""
        cache = self._bad
        if node_id not in cache:
            forward = self.trace.steps[self.forward_at[node_id] - 1]
            backward_at = self.backward_at.get(node_id)
            backward = self.trace.steps[backward_at - 1] if backward_at else None
            cache[node_id] = (
                not step_is_finite(forward),
                backward is not None and not step_is_finite(backward),
            )
        bad_value, bad_grad = cache[node_id]
        return (bad_value and self.value_known(node_id)) or (bad_grad and self.edge_grad_known(node_id))

    def carry_over(self, previous: Session) -> None:
        """After a reload or an edit: the same step where its node still exists, the breakpoints
        that still apply, the selection if its node or input is still there."""
        step = previous.step
        nodes = set(self.node_order)
        self.breakpoints = {b for b in previous.breakpoints if b in nodes}
        if step is None:
            self.cursor = 0
        else:
            table = self.forward_at if step.phase == "forward" else self.backward_at
            self.cursor = table.get(step.node, min(previous.cursor, self.total))
        if previous.selected in self.selection_order:  # a node or an input
            self.selected = previous.selected

    # --- moving ----------------------------------------------------------------------------------
    def go(self, cursor: int) -> bool:
        """Move to *cursor* (clamped); the selection follows the step again. True if it moved."""
        cursor = max(0, min(self.total, cursor))
        moved = cursor != self.cursor
        self.cursor = cursor
        self.selected = self.asking = None
        return moved

    def step_forward(self) -> bool:
        return self.go(self.cursor + 1)

    def step_back(self) -> bool:
        return self.go(self.cursor - 1)

    def to_start(self) -> bool:
        return self.go(0)

    def to_end(self) -> bool:
        return self.go(self.total)

    def to_end_of_forward(self) -> bool:
        return self.go(self.forward_count)

    def continue_to_breakpoint(self) -> bool:
        """Run to the next step whose node has a breakpoint, or to the end if none is ahead."""
        for index in range(self.cursor, self.total):
            if self.step_nodes[index] in self.breakpoints:
                return self.go(index + 1)
        return self.go(self.total)

    def toggle_breakpoint(self, node_id: str | None = None) -> bool:
        """Toggle the breakpoint on *node_id* (default: the focused node). True if now set."""
        node_id = node_id or self.focus_node or (self.node_order[0] if self.node_order else None)
        if node_id is None:
            return False
        if node_id in self.breakpoints:
            self.breakpoints.discard(node_id)
            return False
        self.breakpoints.add(node_id)
        return True

    def select(self, node_id: str | None) -> None:
        self.selected = None if node_id in (self.current_node, self.asking) else node_id

    def ask_about(self, cursor: int) -> None:
        """The quiz asks about step *cursor*: stay just before it, its node in focus."""
        self.go(cursor - 1)
        self.asking = self.step_nodes[cursor - 1]

    def select_next(self, offset: int) -> str:
        """Select the node (or input) *offset* places after the focused one (wraps)."""
        order = self.selection_order
        current = self.focus_node
        index = order.index(current) if current in order else (-1 if offset > 0 else 0)
        node_id = order[(index + offset) % len(order)]
        self.select(node_id)
        return node_id
