"""A ScrollView whose hidden scrollbars stay out of the way of its frames."""

from __future__ import annotations

from textual.scroll_view import ScrollView


class QuietScrollView(ScrollView):
    """The panels hide their scrollbars where their border says where the view is
    (``scrollbar-size: 0 0``). Textual still moved a hidden scrollbar on every scroll, and a
    repaint of a widget that is not on screen made the compositor lay out the whole screen
    again (docs/performance.md). Here a hidden scrollbar is left alone, and put
    right when it shows again (a narrow terminal shows them)."""

    # Textual's "Maximize" showed an empty hatched screen for these views: `z` shows the graph
    # alone instead
    ALLOW_MAXIMIZE = False

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        if self.styles.scrollbar_size_horizontal:
            super().watch_scroll_x(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.styles.scrollbar_size_vertical:
            super().watch_scroll_y(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def on_resize(self) -> None:
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            self.horizontal_scrollbar.position = self.scroll_x
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            self.vertical_scrollbar.position = self.scroll_y
