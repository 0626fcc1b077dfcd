"""Every sentence a learner reads, by message id, in one place.

English is the one language for now. A sentence is a template: ``{name}`` holds a name or a
formula, ``{value}`` a number or an array, which the renderer (the inspector, ``--trace``)
writes its own way. Formulas with words in them (ReLU's "1 if x > 0, else 0") are here too,
by op and input position; the ops keep only their notation.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from string import Formatter
from typing import Any

EN: dict[str, str] = {
    # --- what each op does, in one sentence (shown under its backward step) --------------------
    "op.add": "An add node passes the upstream signal through unchanged to every input: "
    "each local derivative is 1.",
    "op.sub": "A subtract node passes the upstream signal to a unchanged and to b with its sign flipped.",
    "op.mul": "A multiply node sends back the upstream signal times the other input: "
    "the inputs swap places on the way back.",
    "op.div": "A divide node sends g / b to the numerator and −g · a / b² to the denominator.",
    "op.neg": "A negate node flips the sign of the upstream signal.",
    "op.pow": "A power node sends back the upstream signal times p · x^(p−1).",
    "op.exp": "The exp node's derivative is its own output: it sends back the upstream signal times y = eˣ.",
    "op.log": "The log node sends back the upstream signal divided by its input.",
    "op.reciprocal": 'The "/" node (y = 1/x) sends back the upstream signal times −y².',
    "op.sigmoid": "The sigmoid's derivative needs only its output: it sends back the upstream signal "
    "times y (1 − y).",
    "op.tanh": "The tanh node sends back the upstream signal times 1 − y².",
    "op.relu": "ReLU lets the upstream signal through where its input was positive and "
    "stops it (sends 0) everywhere else, like a switch.",
    "op.matmul": "The dot node sends back the upstream signal multiplied by the other input, "
    "transposed so that each gradient has the shape of its input.",
    "op.affine": "The Affine layer is a dot node followed by a bias add: X and W get the dot node's "
    "gradients, and b gets the upstream signal summed over the batch.",
    "op.sum": "A sum node copies the upstream signal back to every element it added up.",
    "op.mean": "A mean node sends back the upstream signal divided by n to each of the n elements.",
    "op.softmax_with_loss": "Softmax-with-Loss sends back the neat difference (y − t) / N: the softmax "
    "output y minus the label t, divided by N, the number of samples. The labels t receive nothing.",
    # --- formulas with words in them: {out} is the node, {x0} {x1} … its inputs -----------------
    "formula.sum": "{out} = Σ {x0}",
    "formula.sum.axis": "{out} = Σ {x0}  (over axis {axis})",
    "formula.mean": "{out} = mean {x0}",
    "formula.mean.axis": "{out} = mean {x0}  (over axis {axis})",
    "local.relu.0": "1 if {x0} > 0, else 0",
    "sent.relu.0": "∂L/∂{out} where {x0} > 0, else 0",
    "sent.sum.0": "∂L/∂{out} copied to every element",
    "sent.mean.0": "∂L/∂{out} / n to every element",
    "sent.affine.2": "Σ over the batch of ∂L/∂{out}",
    "sent.softmax_with_loss.0": "∂L/∂{out} × (y − {x1}) / N",
    "sent.softmax_with_loss.1": "nothing",
    # --- a step, in the inspector ----------------------------------------------------------------
    "title.start": "start",
    "start.keys": "Nothing is computed yet. Press {n}, {space} or {right} to compute the first node; "
    "{f} runs the whole forward pass, {help} shows every key.",
    "selected": "selected node (the current step is elsewhere; n returns to it)",
    "formula": "{formula}",
    "not_computed": "not computed yet: its value appears at step {step} (press n)",
    "input": "{name} = {value}",
    "arithmetic": "{arithmetic}",
    "intermediate.softmax_with_loss.y": "y = softmax({x0}) = {value}",
    "intermediate.softmax_with_loss.N": "N = {value}, the number of samples in the batch",
    "not_sent_yet": "gradient: not sent back yet (step {step})",
    "no_gradient_flows": "the output does not depend on this node: no gradient flows here",
    "nonfinite.value": "⚠ {problem}",
    "nonfinite.gradient": "⚠ a gradient here holds nan or inf; {problem}",
    "nonfinite.somewhere": "nan or inf",
    "nonfinite.input": "input {name!r} holds nan or inf",
    "nonfinite.first": "the first nan or inf appears at step {step}: the {what} of {name!r} ({op})",
    "nonfinite.what.value": "value",
    "nonfinite.what.gradient": "gradient",
    "heading.forward": "forward:",
    "backward.starts_here": "The backward pass starts here. L is the output, {name}: it receives ∂L/∂L = 1.",
    "upstream": "upstream  ∂L/∂{name} = {value}",
    "upstream.l_is": "(L is {output}, the output)",
    "received_so_far": "received ∂L/∂{name} = {value} from {names}; sends it on at step {step}",
    "upstream.sum_of": "(the sum of what {names} sent back)",
    "fan_out.part": "{value} from {name}",
    "array.summary": "[{shape}: {corner} …; {stats}]",
    "array.stats": "min {min}, max {max}, mean {mean}, norm {norm}",
    "array.as_matrix": " as {rows}×{cols}",
    "array.first": "(first {rows}×{cols})",
    "send_to": "→ {name}",
    "local": "{formula}",
    "local.value": "{formula} = {value}",
    "local.broadcast": "(broadcast: summed back to its shape)",
    "sent": "{formula}",
    "sent.value": "= {value}",
    "nothing_sent": "nothing is sent back: every input is a constant",
    "leaf": "{name}",
    "leaf.aside": "input",
    "leaf.value": "value = {value}",
    "leaf.constant": "a constant (grad = false): no gradient is shown for it",
    "leaf.received": "gradient received so far",
    "leaf.from": "from {name}: {value}",
    "leaf.total": "∂L/∂{name} = {value}",
    "chain.heading": "the chain rule, path by path",
    "chain.path": "∂{out}/∂{name} = {formula} = {value}",
    "chain.path.numbered": "path {k}: {formula} = {value}",
    "chain.sum": "∂{out}/∂{name} = the sum of the paths = {value}",
    "graph.title": "{name}",
    "graph.description": "{text}",
    # --- the --trace table --------------------------------------------------------------------
    "trace.output": "output: {name} = {value}",
    "trace.forward": "FORWARD",
    "trace.backward": "BACKWARD  (L = {name}, the output: it receives ∂L/∂L = 1)",
    "trace.upstream": "upstream ∂L/∂{name} = {value}",
    "trace.sent": "→ {name}: {formula} = {value}",
    "trace.gradients": "GRADIENTS of {name}",
    "trace.warning": "warning: {problem}",
    # --- the app around the explanations ----------------------------------------------------------
    "ui.title": "bpdebug — {title}",
    "ui.panel.graph": "graph",
    "ui.panel.steps": "steps",
    "ui.status": "{phase} · step {cursor} of {total}",
    "ui.phase.START": "START",
    "ui.phase.FORWARD": "FORWARD",
    "ui.phase.BACKWARD": "BACKWARD",
    "ui.phase.DONE": "DONE",
    "ui.span": "{first}–{last} of {total}",
    "ui.span.rows": "rows {span}",
    "ui.span.columns": "columns {span}",
    "ui.span.pan_keys": "shift+← shift+→ scroll",
    "ui.span.scroll_hint": "i scrolls",
    "ui.steps.forward": "fwd",
    "ui.steps.backward": "bwd",
    "ui.key.step_forward": "Step forward one node",
    "ui.key.step_back": "Step back one node",
    "ui.key.to_start": "Go to the start (nothing computed)",
    "ui.key.to_end": "Go to the end of the backward pass",
    "ui.key.to_end_of_forward": "Run to the end of the forward pass",
    "ui.key.toggle_breakpoint": "Toggle a breakpoint on the selected node",
    "ui.key.continue": "Continue to the next breakpoint",
    "ui.key.select_next": "Select the next node (then the inputs)",
    "ui.key.select_previous": "Select the previous node (or input)",
    "ui.key.focus_steps": "Move to the steps list (↑ ↓ Enter to jump)",
    "ui.key.focus_graph": "Move to the graph (↑ ↓ select nodes)",
    "ui.key.focus_inspector": "Move to the inspector (↑ ↓ scroll it)",
    "ui.key.help": "Show this help",
    "ui.key.quit": "Quit",
    "ui.key.close_help": "Close help",
    "ui.key.next_node": "Next node",
    "ui.key.previous_node": "Previous node",
    "ui.key.page_down": "Page down",
    "ui.key.page_up": "Page up",
    "ui.key.jump": "Go to step",
    "ui.footer.step_forward": "Next",
    "ui.footer.step_back": "Back",
    "ui.footer.to_end_of_forward": "Forward",
    "ui.footer.toggle_breakpoint": "Break",
    "ui.footer.continue": "Continue",
    "ui.footer.help": "Help",
    "ui.footer.quit": "Quit",
    "ui.footer.palette": "palette",
    "ui.breakpoint.set": "breakpoint set on {name}",
    "ui.breakpoint.removed": "breakpoint removed from {name}",
    "ui.breakpoint.leaf": "breakpoints are for nodes: an input has no step to stop at",
    "ui.too_small": "The terminal is too small for bpdebug.\nMake it at least {width} × {height}.",
    "ui.file_error": "⚠ The file has an error; showing the last version that loaded.\n{message}",
    "ui.reloaded": "reloaded {name}",
    "ui.screenshot.saved": "screenshot saved: {path}",
    "ui.screenshot.failed": "no screenshot: {folder} cannot be written ({reason})",
    "ui.key.pan_right": "Scroll the graph right (the arrows step the debugger)",
    "ui.key.pan_left": "Scroll the graph left",
    "ui.key.toggle_graph_only": "Show the graph alone, for a projector (z again: all panels)",
    "ui.key.gradients": "Show every input's gradient as a table",
    "ui.gradients.title": "∂{output}/∂ each input, at step {cursor} of {total}",
    "ui.gradients.input": "input",
    "ui.gradients.gradient": "gradient",
    "ui.gradients.so_far": "{value} so far",
    "ui.gradients.not_yet": "not sent back yet",
    "ui.gradients.none": "no input of this graph takes a gradient",
    "ui.gradients.close": "escape or r closes this table",
    "ui.key.back_to_list": "Back to the list of graphs (when opened from it)",
    "ui.help.keys": "Keys",
    "ui.help.reading": "Reading the graph",
    "ui.help.values": "Values flow left to right: each edge carries its {value} on the line.",
    "ui.help.value_word": "value",
    "ui.help.gradients": "Gradients flow right to left: {grad} is written under the edge\n"
    "  once the backward pass has sent it. Nothing is shown before it is computed.",
    "ui.help.gradient_word": "◀ gradient",
    "ui.help.current": "The current node is highlighted, with the edges it reads and writes.",
    "ui.help.palette": "ctrl+p opens the command palette; every key above is there too.",
    "ui.help.about": "About this graph",
    "ui.help.close": "escape or ? closes this help",
    "ui.start.title": "bpdebug — choose a graph from chapter 5 (↑ ↓ then Enter)",
    "ui.start.open": "bpdebug {name}  ·  Enter opens it",
}


def say(message_id: str, args: Mapping[str, Any] | None = None, **more: Any) -> str:
    """The sentence *message_id* with its arguments written in as plain text."""
    return EN[message_id].format_map({**(args or {}), **more})


@lru_cache(maxsize=512)
def pieces(message_id: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """The template as (literal text, argument name, conversion) pieces, for renderers that
    write each argument their own way (a number in colour, an array as a grid)."""
    return tuple((text, name, conversion) for text, name, _, conversion in Formatter().parse(EN[message_id]))


def has(message_id: str) -> bool:
    return message_id in EN
