"""The graph panel: paints only the visible rows of the layout, styled for the cursor."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from bpdebug.format import cell_width, fmt_short
from bpdebug.tui.layout import Edge, Layout, label_width_for, layout
from bpdebug.tui.paint import paint_row
from bpdebug.tui.session import Session
from bpdebug.tui.widgets.styled_lines import StyledLines

LABEL_DIGITS = 4
PREVIEW = 12  # an array this short in text is shown as its numbers, not its shape


class SessionLabels:
    """What each edge says at the cursor: values once computed, gradients once sent back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        graph = session.trace.graph
        leaf_values = {name: leaf.value for name, leaf in graph.leaves.items()}
        self._values = {**leaf_values, **session.trace.values}

        @lru_cache(maxsize=65536)
        def value_text(source: str) -> str:
            return fmt_short(self._values[source], LABEL_DIGITS, PREVIEW)

        self._value_text = value_text

    def value(self, edge: Edge) -> str | None:
        source = edge[0]
        return self._value_text(source) if self.session.value_known(source) else None

    def grad(self, edge: Edge) -> str | None:
        source, target = edge
        if not target:
            return "1" if self.session.output_grad_known() else None
        sent = self.session.sent(target, source)
        return None if sent is None else fmt_short(sent, LABEL_DIGITS, PREVIEW)

    def all_texts(self) -> list[str]:
        """The labels the graph will show, near enough to size the lanes once: every value, and
        every gradient total (what one edge carries is a share of its value's total)."""
        texts = [fmt_short(v, LABEL_DIGITS, PREVIEW) for v in self._values.values()]
        texts += [f"◀ {fmt_short(g, LABEL_DIGITS, PREVIEW)}" for g in self.session.trace.grads.values()]
        return texts


class GraphView(StyledLines, can_focus=True):
    """The computational graph, left to right, values above the edges and gradients below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "graph--leaf",
        "graph--node",
        "graph--caption",
        "graph--line",
        "graph--value",
        "graph--grad",
        "graph--current",
        "graph--selected",
        "graph--active",
        "graph--breakpoint",
        "graph--bad",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "select(1)", "Next node", show=False),
        Binding("up", "select(-1)", "Previous node", show=False),
    ]

    class NodeClicked(Message):
        def __init__(self, node_id: str) -> None:
            super().__init__()
            self.node_id = node_id

    class SelectNode(Message):
        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    def __init__(self, session: Session, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.labels = SessionLabels(session)
        width = label_width_for(self.labels.all_texts)
        self.layout_: Layout = layout(session.trace.graph, width)
        self.virtual_size = Size(self.layout_.width, self.layout_.height + 1)

    def action_select(self, offset: int) -> None:
        self.post_message(self.SelectNode(offset))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        box = self.layout_.box_at(offset.x + int(self.scroll_x), offset.y + int(self.scroll_y))
        if box is not None:
            self.post_message(self.NodeClicked(box.id))

    def follow(self, node_id: str | None, animate: bool = False) -> None:
        """Scroll so that *node_id* and the labels on either side of it are visible."""
        box = self.layout_.boxes.get(node_id or "")
        if box is None:
            return
        lane = self.layout_.label_width + 6
        boxes = self.layout_.boxes
        inputs = (
            [boxes[i].x for i in self.session.trace.graph.node(box.id).inputs if i in boxes]
            if (self.session.trace.graph.is_node(box.id))
            else []
        )
        left = min([box.x - lane, *inputs])
        if left < 2 * lane:  # near the left edge: show the inputs' names too
            left = 0
        right = box.x + box.width + lane
        region = Region(max(0, left), max(0, box.y - 2), right - max(0, left), 6)
        window = Region(int(self.scroll_x), int(self.scroll_y), *self.scrollable_content_region.size)
        if not window.contains_region(region.intersection(Region(0, 0, *self.virtual_size))):
            self.scroll_to_region(region, animate=animate, force=True, immediate=True)

    def repaint(self, nodes: set[str | None] | None = None) -> None:
        """Redraw after a step, a selection or a theme change: only the rows of *nodes* (their
        boxes and edges) when given, else every visible row."""
        if nodes is None:
            super().repaint()
            return
        self._style_cache = None
        for node in nodes:
            if node is not None:
                for first, last in self.layout_.rows_of(node):
                    self.refresh_lines(first, last - first + 1)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        width = self.size.width
        styles = self.role_styles()
        base = styles["base"]
        session = self.session
        current = session.current_node
        focus = session.focus_node
        active = self.layout_.edges_of.get(current or "", set())
        segments: list[Segment] = []
        pieces = paint_row(self.layout_, row, self.labels, int(scroll_x), int(scroll_x) + width)
        origin = min(int(scroll_x), pieces[0].x) if pieces else int(scroll_x)  # the strip starts here
        used = origin
        for piece in pieces:
            if piece.x < used:
                continue
            if piece.x > used:
                segments.append(Segment(" " * (piece.x - used), base))
            style = styles.get(piece.role, base)
            text = piece.text
            if piece.role in ("node", "leaf", "caption"):
                node_id = piece.ref
                if node_id == current and piece.role != "caption":
                    style = style + styles["current"]
                elif node_id == focus:
                    style = style + styles["selected"]
                if piece.role != "caption" and node_id in session.breakpoints:
                    style = style + styles["breakpoint"]
                if piece.role == "node" and session.is_bad(node_id):  # type: ignore[arg-type]
                    style = style + styles["bad"]
            elif _is_active(piece.ref, active):
                style = style + styles["active"]
            segments.append(Segment(text, base + style))
            used = piece.x + cell_width(text)
        strip = Strip(segments, used - origin)
        return strip.crop_extend(int(scroll_x) - origin, int(scroll_x) - origin + width, base)


def _is_active(ref: object, active: set[Edge]) -> bool:
    if not active or ref is None:
        return False
    if isinstance(ref, frozenset):
        return not ref.isdisjoint(active)
    return ref in active
