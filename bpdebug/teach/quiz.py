"""The quiz: before a step shows its numbers, the learner predicts them.

A forward step asks for the node's value (``apple_price = apple × apple_num = 100 × 2 = ?``); a
backward step asks, one input at a time, what the node sends back (``∂L/∂apple = 1.1 × ? = ?``,
with the local derivative's formula given and its number not). Arrays ask what a learner can
answer by hand: their shape. A number is right when it reads the same at the precision shown
(4 significant digits), or within 1e-6 of the answer, relatively.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

from bpdebug.core.graph import Graph
from bpdebug.core.trace import BackwardStep, ForwardStep, Step, Trace
from bpdebug.support.formatting import fmt_num, shape_text
from bpdebug.teach.explain import (
    formula,
    forward_text,
    input_names,
    out_name,
    sent_items,
    short,
    upstream_text,
    with_numbers,
)
from bpdebug.teach.messages import has, say

RIGHT, WRONG, NOT_AN_ANSWER = "right", "wrong", "not an answer"
RELATIVE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Question:
    prompt: str  # what is asked, with what the learner may use
    equation: str  # what to fill in: "apple_price = apple × apple_num = 100 × 2 = ?"
    answer: float | tuple[int, ...]  # a number, or a shape
    answer_text: str  # the answer worked out: "100 × 2 = 200"
    hint: str  # the formula with the numbers put in

    @property
    def wants_shape(self) -> bool:
        return isinstance(self.answer, tuple)


# --- what a step asks -------------------------------------------------------------------------
def questions(trace: Trace, index: int) -> list[Question]:
    """The questions of step *index* (1-based), in order; [] when nothing in it can be
    answered by hand (a scalar worked out of arrays, such as a loss)."""
    step = trace.steps[index - 1]
    if isinstance(step, ForwardStep):
        return _forward_questions(trace.graph, step)
    return _backward_questions(trace.graph, step)


def _forward_questions(graph: Graph, step: ForwardStep) -> list[Question]:
    node = graph.node(step.node)
    name = graph.display(step.node)
    if type(step.value) is float and all(type(v) is float for v in step.inputs.values()):
        numbers = with_numbers(graph, step)
        written = formula(graph, node)
        equation = written if written.endswith(f"= {numbers}") else f"{written} = {numbers}"
        return [
            Question(
                prompt=say("quiz.ask.forward", name=name),
                equation=f"{equation} = ?",
                answer=step.value,
                answer_text=forward_text(graph, step),
                hint=say("quiz.hint.forward", numbers=numbers),
            )
        ]
    if type(step.value) is float:
        return []
    inputs = [step.inputs[key] for key in node.keys]
    shapes = ", ".join(
        f"{n} {_shape_words(v)}" for n, v in zip(input_names(graph, node), inputs, strict=True)
    )
    hint = "quiz.hint.shape.matmul" if node.op.name in ("matmul", "affine") else "quiz.hint.shape"
    return [
        Question(
            prompt=say("quiz.ask.forward.shape", name=name, shapes=shapes),
            equation=say("quiz.equation.shape", formula=formula(graph, node)),
            answer=tuple(step.value.shape),
            answer_text=shape_text(step.value.shape),
            hint=say(hint, shapes=shapes),
        )
    ]


def _backward_questions(graph: Graph, step: BackwardStep) -> list[Question]:
    node_name = out_name(graph, graph.node(step.node))
    asked = []
    for item in sent_items(graph, step):
        if type(item.grad) is float:
            if type(step.upstream) is not float or type(item.local) is not float:
                continue  # a number made of arrays: nothing to work out by hand
            upstream = short(step.upstream)
            asked.append(
                Question(
                    prompt=say(
                        "quiz.ask.backward",
                        node=node_name,
                        name=item.name,
                        upstream=upstream_text(step, graph),
                        local=item.local_formula or item.sent_formula,
                    ),
                    equation=say("quiz.equation.backward", name=item.name, upstream=upstream),
                    answer=item.grad,
                    answer_text=item.arithmetic,
                    hint=say(
                        "quiz.hint.backward", name=item.name, upstream=upstream, local=short(item.local)
                    ),
                )
            )
        else:
            asked.append(
                Question(
                    prompt=say("quiz.ask.backward.shape", node=node_name, name=item.name),
                    equation=say("quiz.equation.grad_shape", name=item.name),
                    answer=tuple(item.grad.shape),
                    answer_text=shape_text(item.grad.shape),
                    hint=say("quiz.hint.shape.grad", name=item.name),
                )
            )
    return asked


def _shape_words(value: Any) -> str:
    return say("quiz.scalar") if type(value) is float else shape_text(value.shape)


# --- reading an answer ------------------------------------------------------------------------
def check(question: Question, text: str) -> str:
    """RIGHT, WRONG, or NOT_AN_ANSWER for text that is not a number (or not a shape)."""
    if question.wants_shape:
        shape = read_shape(text)
        if shape is None:
            return NOT_AN_ANSWER
        return RIGHT if shape == question.answer else WRONG
    number = read_number(text)
    if number is None:
        return NOT_AN_ANSWER
    return RIGHT if is_close(number, question.answer) else WRONG  # type: ignore[arg-type]


def is_close(given: float, answer: float) -> bool:
    if math.isnan(answer):
        return math.isnan(given)
    return fmt_num(given) == fmt_num(answer) or abs(given - answer) <= RELATIVE_TOLERANCE * abs(answer)


def _normalised(text: str) -> str:
    """Full-width digits and signs (a Chinese input method's ２．２) read as ASCII; the minus
    signs of typography as "-"."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("−", "-").replace("–", "-").replace(" ", "").strip()


def read_number(text: str) -> float | None:
    """``2.2``, ``-0.5``, ``1e-3`` or a fraction ``1/3``; None for anything else."""
    text = _normalised(text)
    parts = text.split("/")
    if len(parts) > 2 or not all(re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", p, re.I) for p in parts):
        return None
    numbers = [float(p) for p in parts]
    if len(numbers) == 2:
        return numbers[0] / numbers[1] if numbers[1] != 0 else None
    return numbers[0] if math.isfinite(numbers[0]) else None


def read_shape(text: str) -> tuple[int, ...] | None:
    """``784×50``, ``784x50``, ``(784, 50)`` or ``784 50`` as (784, 50); None for anything else."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not re.fullmatch(r"[\s\d×xX*,()\[\]]*", text):
        return None
    sizes = tuple(int(n) for n in re.findall(r"\d+", text))
    return sizes or None


# --- the record -------------------------------------------------------------------------------
class Result(NamedTuple):
    op: str
    phase: str
    right: bool  # right at the first try, every question of the step
    missed: str = ""  # the answer worked out, of the first question missed


class Quiz:
    """What the learner has answered, step by step: a step answered is not asked again, and
    a what-if edit or a reload keeps the record (steps are known by their phase and node)."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], Result] = {}

    def answered(self, step: Step) -> bool:
        return (step.phase, step.node) in self.results

    def to_ask(self, trace: Trace, index: int) -> list[Question]:
        """The questions of step *index*, or [] when it was answered or asks nothing."""
        if not 1 <= index <= len(trace.steps) or self.answered(trace.steps[index - 1]):
            return []
        return questions(trace, index)

    def record(self, step: Step, missed: Question | None = None) -> None:
        """Step *step* answered: right at the first try, or *missed* was the first question
        that was not."""
        worked = missed.answer_text if missed is not None else ""
        self.results[(step.phase, step.node)] = Result(step.op, step.phase, missed is None, worked)

    def score(self) -> tuple[int, int]:
        """(right at the first try, answered)."""
        return sum(r.right for r in self.results.values()), len(self.results)

    def score_text(self) -> str:
        right, answered = self.score()
        return say("quiz.score", right=right, answered=answered)

    def summary(self) -> list[str]:
        """The score, the score by kind of node (``mul backward 2/3``) and what to review."""
        right, answered = self.score()
        kinds: dict[tuple[str, str], list[bool]] = {}
        missed: dict[tuple[str, str], str] = {}  # a kind -> the first answer it missed
        for result in self.results.values():
            kind = (result.op, result.phase)
            kinds.setdefault(kind, []).append(result.right)
            if not result.right:
                missed.setdefault(kind, result.missed)
        by_kind = [
            say("quiz.kind", op=op, phase=say(f"quiz.phase.{phase}"), right=sum(marks), answered=len(marks))
            for (op, phase), marks in kinds.items()
        ]
        lines = [
            say("quiz.summary", right=right, answered=answered),
            say("quiz.summary.kinds", kinds=say("summary.separator").join(by_kind)),
        ]
        if not missed:
            return [*lines, say("quiz.review.none")]
        lines.append(say("quiz.review"))
        for (op, phase), worked in missed.items():
            if phase == "backward" and has(f"op.{op}"):
                lines.append(say("quiz.review.backward", op=op, rule=say(f"op.{op}")))
            else:
                lines.append(say("quiz.review.forward", op=op, worked=worked))
        return lines
