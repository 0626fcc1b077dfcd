"""`k` in the debugger: check every node's own backward (on a thread: the 784-50-10 net takes
a second or two), mark the first wrong node and show its analytic and numerical gradients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpdebug.support.formatting import fmt_num
from bpdebug.teach.explain import in_place_warnings
from bpdebug.teach.messages import say

if TYPE_CHECKING:
    from bpdebug.core.nodecheck import NodeCheck
    from bpdebug.core.trace import Trace


class CheckActions:
    """Mixed into DebuggerScreen."""

    def action_check_nodes(self) -> None:
        trace = self.session.trace  # type: ignore[attr-defined]
        self.notify(say("ui.check.running", total=len(trace.steps) - trace.forward_count), timeout=3)  # type: ignore[attr-defined]
        self.run_worker(lambda: self._check_on_thread(trace), thread=True, exclusive=True, group="check")  # type: ignore[attr-defined]

    def _check_on_thread(self, trace: Trace) -> None:
        from bpdebug.core.layers import LayerCodeError  # the check's modules: when it is asked for
        from bpdebug.core.nodecheck import check_nodes

        try:
            results: list[NodeCheck] | str = check_nodes(trace.graph, trace)
        except LayerCodeError as error:
            results = str(error)
        self.app.call_from_thread(self._show_checks, trace, results)  # type: ignore[attr-defined]

    def _show_checks(self, trace: Trace, results: list[NodeCheck] | str) -> None:
        from bpdebug.core.nodecheck import first_wrong

        session = self.session  # type: ignore[attr-defined]
        if trace is not session.trace:
            return  # edited or reloaded meanwhile: the results are of another trace
        if isinstance(results, str):
            self.notify(results, severity="error", timeout=10, markup=False)  # type: ignore[attr-defined]
            return
        session.node_checks = {r.node: r for r in results}
        wrong = first_wrong(results)
        if wrong is None:
            self.notify(say("nodecheck.all_right", total=len(results)), timeout=5, markup=False)  # type: ignore[attr-defined]
        else:
            check = wrong.wrong
            name = trace.graph.display(wrong.node)
            said = say("ui.check.wrong", name=name, input=check.key, rel=fmt_num(check.rel_error))  # type: ignore[union-attr]
            self.notify(said, severity="warning", timeout=10, markup=False)  # type: ignore[attr-defined]
            session.select(wrong.node)
        self.graph_view.repaint()  # type: ignore[attr-defined]
        self.update_view()  # type: ignore[attr-defined]

    def say_in_place(self) -> None:
        """Once a trace is shown: what the user's layers changed in place, if anything."""
        warnings = in_place_warnings(self.session.trace)  # type: ignore[attr-defined]
        if warnings:
            self.notify("\n".join(warnings), severity="warning", timeout=6, markup=False)  # type: ignore[attr-defined]
