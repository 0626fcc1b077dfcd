"""The keys of the debugger: one list that the bindings, the help screen, the footer and the
command palette share, each key with the message id of what it does."""

from __future__ import annotations

from bpdebug.teach.messages import say

# (keys, action, message id of its description)
KEYS: list[tuple[str, str, str]] = [
    ("n,space,right", "step_forward", "ui.key.step_forward"),
    ("p,left", "step_back", "ui.key.step_back"),
    ("home", "to_start", "ui.key.to_start"),
    ("end", "to_end", "ui.key.to_end"),
    ("f", "to_end_of_forward", "ui.key.to_end_of_forward"),
    ("b", "toggle_breakpoint", "ui.key.toggle_breakpoint"),
    ("c", "continue", "ui.key.continue"),
    ("tab", "select(1)", "ui.key.select_next"),
    ("shift+tab", "select(-1)", "ui.key.select_previous"),
    ("s", "focus_steps", "ui.key.focus_steps"),
    ("g", "focus_graph", "ui.key.focus_graph"),
    ("i", "focus_inspector", "ui.key.focus_inspector"),
    ("shift+right", "pan(1)", "ui.key.pan_right"),
    ("shift+left", "pan(-1)", "ui.key.pan_left"),
    ("z", "toggle_graph_only", "ui.key.toggle_graph_only"),
    ("r", "gradients", "ui.key.gradients"),
    ("k", "check_nodes", "ui.key.check_nodes"),
    ("e", "edit", "ui.key.edit"),
    ("u", "undo_edit", "ui.key.undo_edit"),
    ("escape", "back_to_list", "ui.key.back_to_list"),
    ("question_mark", "help", "ui.key.help"),
    ("q", "quit", "ui.key.quit"),
]
FOOTER = ("step_forward", "step_back", "to_end_of_forward", "toggle_breakpoint", "continue", "help", "quit")


def footer_label(action: str) -> str:
    return say(f"ui.footer.{action}")


def key_text(keys: str) -> str:
    names = {
        "right": "→",
        "left": "←",
        "shift+right": "shift+→",
        "shift+left": "shift+←",
        "question_mark": "?",
        "space": "space",
        "shift+tab": "shift+tab",
    }
    return " ".join(names.get(k, k) for k in keys.split(","))
