"""The graph panel: paints only the visible rows of the layout, styled for the cursor."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from bpdebug.export.graph_text import label_choices
from bpdebug.render.layout import Edge, Layout
from bpdebug.render.paint import paint_row
from bpdebug.support.formatting import cell_width
from bpdebug.teach.edge_labels import SessionLabels
from bpdebug.teach.messages import say
from bpdebug.teach.session import Session
from bpdebug.tui.widgets.panel import Panel, span_text
from bpdebug.tui.widgets.styled_lines import StyledLines


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
        "graph--new",
        "graph--breakpoint",
        "graph--bad",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "select(1)", say("ui.key.next_node"), show=False),
        Binding("up", "select(-1)", say("ui.key.previous_node"), show=False),
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
        self.choices = label_choices(session)
        self.labels, self.layout_ = self.choices[-1]
        self.virtual_size = Size(self.layout_.width, self.layout_.height + 1)
        self._blank_looks: dict[Style, bool] = {}
        self._frame_width = 0
        self._pairs: dict[str, tuple[Style, Style]] = {}  # role -> (plain, on an active edge)
        self._pieces: dict[int, tuple] = {}  # row -> (view, visible pieces, blanks after)
        self._fresh: tuple[tuple, tuple[str, frozenset[Edge]]] = ((), ("", frozenset()))

    def use_session(self, session: Session) -> None:
        """Show another trace (a what-if edit, or the file reloaded): new labels, maybe wider
        lanes or a new layout; the screen's arrangement then picks among the new choices."""
        self.session = session
        self.choices = label_choices(session)
        self.layout_ = None  # type: ignore[assignment]  # show_layout draws whichever is chosen
        self.show_layout(*self.choices[-1])

    def show_layout(self, labels: SessionLabels, drawn: Layout) -> None:
        """Draw the graph with these labels and this layout (one of ``choices``)."""
        if drawn is self.layout_:
            return
        self.labels, self.layout_ = labels, drawn
        self.virtual_size = Size(drawn.width, drawn.height + 1)
        self._pieces.clear()
        self._fresh = ((), ("", frozenset()))
        self.refresh()

    def drop_styles(self) -> None:
        super().drop_styles()
        self._blank_looks.clear()
        self._pairs.clear()

    def on_mount(self) -> None:  # Textual calls StyledLines.on_mount too
        self._show_position()

    def on_resize(self) -> None:
        self._show_position()

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._show_position()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_position()

    def _show_position(self) -> None:
        """Where the view is in a graph larger than the panel, in the panel's bottom border.
        Scrollbars said it too, but a scroll repainted them whole: on a big graph they were a
        fifth of a scrolling step's frame. Without a bottom border (narrow terminals) the
        scrollbars stay, set in the stylesheet."""
        panel = self.parent
        if not isinstance(panel, Panel) or not panel.has_bottom_border:
            return
        width, height = self.scrollable_content_region.size
        total_width, total_height = self.virtual_size
        parts = []
        if 0 < height < total_height:
            parts.append(say("ui.span.rows", span=span_text(int(self.scroll_y), height, total_height)))
        if 0 < width < total_width:
            span = span_text(int(self.scroll_x), width, total_width, "←", "→")
            parts.append(say("ui.span.columns", span=span))
            parts.append(say("ui.span.pan_keys"))  # ← → alone step the debugger
        panel.set_subtitle(" · ".join(parts))

    def pan(self, direction: int) -> None:
        """Scroll sideways by a third of the view (shift+← shift+→)."""
        step = max(1, self.scrollable_content_region.width // 3)
        self.scroll_to(x=max(0, self.scroll_x + direction * step), animate=False, immediate=True)

    def action_select(self, offset: int) -> None:
        self.post_message(self.SelectNode(offset))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        box = self.layout_.box_at(offset.x + int(self.scroll_x), offset.y + int(self.scroll_y))
        if box is not None:
            self.post_message(self.NodeClicked(box.id))

    def follow(self, node_id: str | None) -> None:
        """Scroll so that *node_id* and the labels on either side of it are visible.

        Nothing moves while the node, its caption and the lane it writes its value on are in
        view. Otherwise the view moves a page, not a node: the node and its inputs go to the
        side the pass is moving away from (top left going forward, bottom right going back),
        so the next steps are already in view. A scroll repaints the whole panel, so
        scrolling on every step of a big graph made each step cost twice as much.
        """
        target = self.scroll_target(node_id, ahead=self.session.phase != "BACKWARD")
        if target is not None:
            self.scroll_to(*target, animate=False, force=True, immediate=True)

    def scroll_target(self, node_id: str | None, ahead: bool) -> tuple[int, int] | None:
        """Where follow() scrolls to show *node_id* (moving *ahead* or back), or None when
        it need not scroll."""
        box = self.layout_.boxes.get(node_id or "")
        if box is None:
            return None
        lane = self.layout_.label_width + 6
        width, height = self.scrollable_content_region.size
        x0, y0 = int(self.scroll_x), int(self.scroll_y)
        right = min(box.x + box.width + lane, self.virtual_size.width)
        top, bottom = max(0, box.y - 2), min(box.y + 4, self.virtual_size.height)
        if x0 <= box.x - 1 and right <= x0 + width and y0 <= top and bottom <= y0 + height:
            return None
        boxes = self.layout_.boxes
        graph = self.session.trace.graph
        inputs = graph.node(box.id).inputs if graph.is_node(box.id) else ()
        left = min([box.x - lane, *(boxes[i].x for i in inputs if i in boxes)])
        if left < 2 * lane:  # near the left edge: show the inputs' names too
            left = 0
        x = min(_page(x0, width, max(0, left), right, ahead), max(0, self.virtual_size.width - width))
        y = min(_page(y0, height, top, bottom, ahead), max(0, self.virtual_size.height - height))
        return None if (x, y) == (x0, y0) else (x, y)

    def paint_ahead(self, node_id: str, ahead: bool) -> None:
        """If showing *node_id* will scroll the view, prepare the rows it will show now, while
        the app waits for a key: that step's frame is then left with styling them (a new row
        costs five times a kept one, and a scroll shows thirty)."""
        target = self.scroll_target(node_id, ahead)
        if target is None:
            return
        x, y = target
        width, height = self.size  # what render_line paints
        for row in range(y, y + height):
            self._visible_pieces(row, x, x + width)

    def repaint(self, nodes: set[str | None] | None = None, relabelled: str | None = None) -> None:
        """Redraw after a step, a selection or a theme change: only the rows of *nodes* (their
        boxes and edges) when given, else every visible row. *relabelled* is the node of the
        step just taken or undone: the labels on its edges changed."""
        if nodes is None:
            self._pieces.clear()
            super().repaint()
            return
        if relabelled is not None:
            for edge in self.layout_.edges_of.get(relabelled, ()):
                lane = self.layout_.lanes.get(edge)
                if lane is not None:  # the value is written on the lane's row, the gradient below
                    self._pieces.pop(lane.y, None)
                    self._pieces.pop(lane.y + 1, None)
                total = self.layout_.totals.get(edge[0])
                if total is not None:
                    self._pieces.pop(total.y, None)
        # the visible rows to paint again, merged into runs and refreshed in one call
        top = int(self.scroll_y)
        bottom = top + self.size.height - 1
        rows_of = self.layout_.rows_across_of if self.layout_.dense else self.layout_.rows_of
        spans = sorted(
            (max(first, top), min(last, bottom))
            for node in nodes
            if node is not None
            for first, last in rows_of(node)
            if last >= top and first <= bottom
        )
        runs: list[list[int]] = []
        for first, last in spans:
            if runs and first <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], last)
            else:
                runs.append([first, last])
        if runs:
            width = max(self.virtual_size.width, self.size.width)
            self.refresh(*(Region(0, first - top, width, last - first + 1) for first, last in runs))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_width = self.size.width  # looked up once a frame, not once a line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        x0 = int(scroll_x)
        x1 = x0 + (self._frame_width or self.size.width)
        base = self.role_styles()["base"]
        style_of = self.combined_style
        pairs = self._pairs
        session = self.session
        current = session.asking or session.current_node  # the quiz's step is the one to look at
        checked = bool(session.node_checks)  # `k` ran: some node may be marked wrong
        focus = session.focus_node
        active = self.layout_.edges_of.get(current or "", frozenset())
        fresh = self._fresh_labels()
        visible, rest = self._visible_pieces(y + scroll_y, x0, x1)
        blank_looks = self._blank_looks

        def blank_ok(style: Style) -> bool:
            known = blank_looks.get(style)
            return self._blank_ok(style, base) if known is None else known

        texts: list[str] = []
        styles: list[Style] = []
        for gap, text, role, ref, edges, blank in visible:
            if edges is None:  # a node, a leaf or a caption
                mark = ""
                if ref == current and role != "caption":
                    mark = "current"
                elif ref == focus:
                    mark = "selected"
                breakpoint = role != "caption" and ref in session.breakpoints
                bad = role == "node" and (session.is_bad(ref) or (checked and _checked_wrong(session, ref)))  # type: ignore[arg-type]
                style = style_of(role, mark, "breakpoint" if breakpoint else "", "bad" if bad else "")
            else:
                pair = pairs.get(role)
                if pair is None:
                    pair = pairs[role] = (style_of(role, ""), style_of(role, "active"))
                style = pair[1] if active and not edges.isdisjoint(active) else pair[0]
                if role == fresh[0] and not edges.isdisjoint(fresh[1]):
                    style = style_of(role, "active", "new")
            # One segment per run of a style, and blanks join the run before them when they
            # would look the same in it: each segment costs its escapes in every frame.
            if gap:
                if styles and blank_ok(styles[-1]):
                    texts[-1] += " " * gap
                else:
                    texts.append(" " * gap)
                    styles.append(base)
            if styles and (styles[-1] is style or (blank and blank_ok(styles[-1]))):
                texts[-1] += text
            else:
                texts.append(text)
                styles.append(style)
        if rest:
            texts.append(" " * rest)
            styles.append(base)
        return Strip([Segment(t, s) for t, s in zip(texts, styles, strict=True)], x1 - x0)

    def _fresh_labels(self) -> tuple[str, frozenset[Edge]]:
        """What the step at the cursor has just written: the values on the current node's
        edges out (forward), or the gradients on its edges in (backward), as (role, edges)."""
        session = self.session
        key = (session.cursor, session.current_node)
        if self._fresh[0] != key:
            node = session.current_node or ""
            edges = self.layout_.edges_of.get(node, frozenset())
            if session.cursor <= session.forward_count:
                self._fresh = key, ("value", frozenset(e for e in edges if e[0] == node))
            else:
                self._fresh = key, ("grad", frozenset(e for e in edges if e[1] == node or not e[1]))
        return self._fresh[1]

    def _visible_pieces(self, row: int, x0: int, x1: int) -> tuple[list[tuple], int]:
        """The row's pieces cut to the view, as (blank cells before it, text, role, ref, the
        edges it draws or None for a node's text, whether it is blank), and the blank cells
        after the last. Kept until the row's labels change: a step restyles many rows (the
        current node's edges) but relabels only a few."""
        kept = self._pieces.get(row)
        if kept is None or kept[0] != (x0, x1):
            pieces = paint_row(self.layout_, row, self.labels, x0, x1)
            visible = []
            drawn = x0  # the view is drawn up to here
            used = min(x0, pieces[0].x) if pieces else x0  # the row is taken up to here
            for piece in pieces:
                if piece.x < used:  # under a piece already drawn: the first one wins
                    continue
                end = piece.x + cell_width(piece.text)
                used = end
                first, last = max(piece.x, x0), min(end, x1)
                if first < last:
                    text = _cells(piece.text, first - piece.x, last - piece.x)
                    ref = piece.ref
                    if piece.role in ("node", "leaf", "caption"):
                        edges = None
                    elif isinstance(ref, frozenset):  # a joint or a vertical
                        edges = frozenset() if self.layout_.dense else ref
                    else:
                        edges = frozenset() if ref is None else frozenset((ref,))
                    visible.append((first - drawn, text, piece.role, ref, edges, text.isspace()))
                    drawn = last
            kept = (x0, x1), visible, x1 - drawn
            self._pieces[row] = kept
        return kept[1], kept[2]

    def _blank_ok(self, style: Style, base: Style) -> bool:
        """Whether a blank in *style* looks like a blank in *base* (kept per style until the
        styles change)."""
        known = style.bgcolor == base.bgcolor and not (
            style.underline or style.reverse or style.strike or style.overline
        )
        self._blank_looks[style] = known
        return known


def _cells(text: str, start: int, end: int) -> str:
    """Cells start..end of *text*; a wide character cut in half becomes a space."""
    if start == 0 and end >= cell_width(text):
        return text
    if text.isascii():
        return text[start:end]
    kept = Segment(text).split_cells(end)[0] if end < cell_width(text) else Segment(text)
    return kept.split_cells(start)[1].text if start else kept.text


def _page(start: int, size: int, first: int, end: int, ahead: bool) -> int:
    """The scroll offset on one axis that shows first..end: unchanged if it is in view, else
    with first at the start of the view (moving *ahead*) or end at its end (moving back)."""
    if start <= first and end <= start + size:
        return start
    if end - first >= size:  # too big for the view: keep its end, where the node is, in view
        return max(0, end - size)
    return first if ahead else max(0, end - size)


def _checked_wrong(session: Session, node_id: str) -> bool:
    """Whether the node check (`k`) found this node's own backward wrong."""
    check = session.node_checks.get(node_id)
    return check is not None and check.wrong is not None
