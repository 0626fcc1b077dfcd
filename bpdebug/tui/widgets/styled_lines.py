"""What the line-API views share: their component styles, looked up once until they change."""

from __future__ import annotations

from rich.style import Style

from bpdebug.tui.widgets.quiet_scroll import QuietScrollView


class StyledLines(QuietScrollView):
    """A scroll view that paints rows itself. ``render_line`` runs for every visible row of
    every frame, so the styles of its COMPONENT_CLASSES (``graph--value`` → ``value``) and its
    base style are looked up once and kept until the styles change (``drop_styles``)."""

    _style_cache: dict[str, Style] | None = None
    _combined: dict[tuple[str, ...], Style]

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.drop_styles()
        self.repaint()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.drop_styles()  # a class (focus, a breakpoint of the screen) changed the styles

    def drop_styles(self) -> None:
        """Forget the styles and what was made from them (a subclass that keeps more made from
        them forgets that here too): the one place they are dropped."""
        self._style_cache = None

    def repaint(self) -> None:
        """Paint every visible line again (the styles are kept until they change)."""
        self.refresh()

    def combined_style(self, role: str, *marks: str) -> Style:
        """The base style plus *role*'s plus each non-empty mark's, made once until the styles change."""
        styles = self.role_styles()
        key = (role, *marks)
        style = self._combined.get(key)
        if style is None:
            style = styles["base"] + styles.get(role, styles["base"])
            for mark in marks:
                if mark:
                    style = style + styles[mark]
            self._combined[key] = style
        return style

    def role_styles(self) -> dict[str, Style]:
        """Each component class's style by its short name, and the widget's own as ``base``."""
        if self._style_cache is None:
            styles = {
                name.split("--", 1)[1]: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES
            }
            styles["base"] = self.rich_style
            self._style_cache = styles
            self._combined = {}
        return self._style_cache
