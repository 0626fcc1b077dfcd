"""What each edge of the drawn graph says at the cursor: a value once it is computed, a
gradient once it is sent back (the ``Labels`` the painter in ``bpdebug.render.paint`` asks)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bpdebug.support.formatting import cell_width, fmt_short
from bpdebug.teach.explain import total_text
from bpdebug.teach.session import Session

PREVIEW = 20  # cells: a small array this short in text is shown as its numbers, not its shape


class SessionLabels:
    """What each edge says at the cursor: values once computed, gradients once sent back."""

    def __init__(self, session: Session, preview: int = PREVIEW) -> None:
        self.session = session
        self.preview = preview  # cells a small array's numbers may take on an edge
        graph = session.trace.graph
        leaf_values = {name: leaf.value for name, leaf in graph.leaves.items()}
        self._values = {**leaf_values, **session.trace.values}

        @lru_cache(maxsize=65536)
        def value_text(source: str) -> str:
            return fmt_short(self._values[source], self.preview)

        self._value_text = value_text

    def value(self, edge: tuple[str, str]) -> str | None:
        source = edge[0]
        return self._value_text(source) if self.session.value_known(source) else None

    def grad(self, edge: tuple[str, str]) -> str | None:
        source, target = edge
        if not target:
            return "1" if self.session.output_grad_known() else None
        sent = self.session.sent(target, source)
        return None if sent is None else fmt_short(sent, self.preview - 2)  # after "◀ "

    def total(self, total: Any) -> str | None:
        """A leaf used more than once, once every part has arrived: its total and the parts, in
        the order its edges are drawn (``7 = 6 + 1``), or the total alone where that is too long."""
        parts = [self.session.sent(target, source) for source, target in total.edges]
        if any(part is None for part in parts):
            return None
        whole = self.session.trace.grads[total.leaf]
        with_parts = total_text(whole, parts)  # type: ignore[arg-type]
        return with_parts if cell_width(with_parts) <= total.width - 2 else fmt_short(whole, self.preview - 2)

    def values(self) -> list:
        """Every value and gradient an edge may show (what all_texts writes)."""
        return [*self._values.values(), *self.session.trace.grads.values()]

    def all_texts(self) -> list[str]:
        """The labels the graph will show, near enough to size the lanes once: every value, and
        every gradient total (what one edge carries is a share of its value's total)."""
        texts = [fmt_short(v, self.preview) for v in self._values.values()]
        texts += [f"◀ {fmt_short(g, self.preview - 2)}" for g in self.session.trace.grads.values()]
        return texts
