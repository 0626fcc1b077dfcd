"""The graph at a cursor, laid out and labelled: the layouts the app chooses between, and the
graph as plain text for a handout."""

from __future__ import annotations

from bpdebug.render.layout import Layout, label_width_for, layout
from bpdebug.render.paint import row_text
from bpdebug.support.formatting import is_small
from bpdebug.teach.edge_labels import SessionLabels
from bpdebug.teach.session import Session


def label_choices(session: Session) -> list[tuple[SessionLabels, Layout]]:
    """The graph drawn with lanes wide enough for small arrays' numbers (relu's switch), and,
    where that is wider, with lanes as wide as the other labels (and the arrays whose numbers
    fit them): the screen shows the first that fits it."""
    graph = session.trace.graph
    labels = SessionLabels(session)
    width = label_width_for(labels.all_texts)
    choices = [(labels, layout(graph, width))]
    if not any(type(v) is not float and is_small(v) for v in labels.values()):
        return choices  # no small array on any edge: no numbers to make room for
    narrow = label_width_for(SessionLabels(session, preview=0).all_texts)
    if narrow < width:
        labels = SessionLabels(session, preview=narrow)
        choices.append((labels, layout(graph, label_width_for(labels.all_texts))))
    return choices


def graph_rows(session: Session) -> list[str]:
    """The graph at the session's cursor as plain text, one line per row (the wider layout)."""
    labels, drawn = label_choices(session)[0]
    return [row_text(drawn, row, labels) for row in range(drawn.height + 1)]
