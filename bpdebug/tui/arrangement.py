"""Where the panels go for a terminal and a graph: the graph takes width first.

Three arrangements. *Beside*: the inspector right of a graph that fits beside it, as wide as the
room left over allows. *Below*: a graph too wide for that gets the screen's width (its panel
has no side borders then), and the inspector and the steps share the rows under it.
*Stacked* (narrow terminals, set by the screen's breakpoints in the stylesheet): graph,
inspector and a line of steps, one above the other. Pure arithmetic, tested without an app.
"""

from __future__ import annotations

from dataclasses import dataclass

NARROW = 100  # columns: below this the panels are stacked (the stylesheet's -narrow)
INSPECTOR_MIN = 44  # columns for the inspector beside the graph: its formulas need about this
INSPECTOR_WIDE = 40  # the inspector beside a graph that does not fit anyway (it scrolls)
INSPECTOR_MAX = 72  # past this the inspector's lines are longer than they need
BELOW_MIN_ROWS = 7  # rows under the graph: five lines of inspector and of steps
STEPS_SHARE = 0.45  # of the width under the graph, for the steps


@dataclass(frozen=True)
class Arrangement:
    mode: str  # "beside", "below" or "stacked"
    inspector_width: int = 0  # beside: the inspector's columns
    graph_rows: int = 0  # below: the graph panel's rows
    steps_width: int = 0  # below: the steps panel's columns
    graph_fits: bool = True  # every column of the graph is in view


def arrange(width: int, height: int, graph_width: int, graph_height: int) -> Arrangement:
    """The arrangement for a *width* × *height* screen (title and key bar included) and a graph
    of *graph_width* × *graph_height* cells (borders not included)."""
    if width < NARROW:
        return Arrangement("stacked", graph_fits=graph_width <= width)
    room = width - graph_width - 2  # the graph panel's side borders
    if room >= INSPECTOR_MIN:
        return Arrangement("beside", inspector_width=min(room, INSPECTOR_MAX))
    if graph_width <= width:
        # the title and the key bar take a row each; a graph that nearly fits scrolls a few
        # rows, and keeps every column in view
        rows = min(graph_height + 1, height - 2 - BELOW_MIN_ROWS)  # and the panel's top border
        if rows >= graph_height * 3 // 4:
            steps = max(30, int(width * STEPS_SHARE))
            return Arrangement("below", graph_rows=rows, steps_width=steps)
    return Arrangement("beside", inspector_width=INSPECTOR_WIDE, graph_fits=False)
