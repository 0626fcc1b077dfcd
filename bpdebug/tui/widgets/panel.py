"""A bordered box around one view, whose titles change without repainting the box."""

from __future__ import annotations

from typing import Self

from textual.containers import Vertical
from textual.geometry import Region

from bpdebug.teach.messages import say


class Panel(Vertical):
    """The border (and padding) around a view belong to the panel, not to the view: a view
    that repaints one of its lines then repaints just that line's cells. With a border of its
    own, every line it repaints had its border composed again."""

    def __init__(self, *children, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self._texts: dict[str, str | None] = {"border_title": None, "border_subtitle": None}
        self._whole_refresh_allowed = True

    def set_title(self, text: str) -> None:
        self._set_border_text("border_title", text, 0)

    def set_subtitle(self, text: str) -> None:
        self._set_border_text("border_subtitle", text, self.outer_size.height - 1)

    @property
    def has_bottom_border(self) -> bool:
        return self.styles.border_bottom[0] not in ("", "none")

    def _set_border_text(self, attribute: str, text: str, row: int) -> None:
        """Setting ``border_title`` repaints the whole widget; this repaints its row only."""
        if self._texts[attribute] == text:
            return
        self._texts[attribute] = text
        self._whole_refresh_allowed = False
        try:
            setattr(self, attribute, text)
        finally:
            self._whole_refresh_allowed = True
        offset = self.content_offset
        self.refresh(Region(-offset.x, row - offset.y, self.outer_size.width, 1))

    def refresh(self, *regions: Region, **kwargs) -> Self:
        if not regions and not self._whole_refresh_allowed and not kwargs.get("layout"):
            return self
        return super().refresh(*regions, **kwargs)


def span_text(start: int, size: int, total: int, back: str = "↑", on: str = "↓") -> str:
    """Where a view of *size* rows (or columns) from offset *start* is in *total*, and which
    ways there is more, for a panel's border: "31–59 of 113 ↑↓"."""
    last = min(total, start + size)
    arrows = (back if start > 0 else "") + (on if last < total else "")
    return say("ui.span", first=start + 1, last=last, total=total) + f" {arrows}"
