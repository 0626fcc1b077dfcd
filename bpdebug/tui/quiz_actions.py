"""The quiz in the debugger: a step forward onto a step not yet answered stops just before it
and asks for its numbers; the step is taken once every question is answered or revealed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpdebug.teach.messages import say
from bpdebug.teach.quiz import NOT_AN_ANSWER, RIGHT, Question, Quiz, check
from bpdebug.tui.widgets.quiz_box import QuizBox

if TYPE_CHECKING:
    from bpdebug.teach.session import Session


class QuizActions:
    """Mixed into DebuggerScreen, which calls ``after_move`` after the cursor moves."""

    session: Session
    quiz: Quiz | None = None  # the record, kept when the quiz is turned off
    quiz_on: bool = False
    _asked: list[Question]
    _asked_at: int = 0  # the step asked about (0: none)
    _question_index: int = 0  # which of its questions is asked
    _missed: Question | None = None  # the step's first question not right at the first try

    def quiz_box(self) -> QuizBox:
        return self.quiz_widget  # type: ignore[attr-defined]

    def quiz_has_keys(self) -> bool:
        """Whether the answer field has the keys (asked for every binding on every key: no
        query of the DOM here)."""
        box = self.quiz_widget  # type: ignore[attr-defined]
        return box.is_mounted and self.focused is box.field and box.is_asking  # type: ignore[attr-defined]

    def set_quiz(self, on: bool) -> None:
        """Turn the quiz on (a step is asked when it is stepped onto) or off (the score stays)."""
        self.quiz_on = on
        if on and self.quiz is None:
            self.quiz = Quiz()
        if on and self.quiz_widget.parent is None:  # type: ignore[attr-defined]
            self.query_one("#bottom").mount(self.quiz_widget, before=self.editor_widget)  # type: ignore[attr-defined]
        if not on:
            self.cancel_question()
        self.show_title()  # type: ignore[attr-defined]

    def action_toggle_quiz(self) -> None:
        self.set_quiz(not self.quiz_on)
        self.notify(say("quiz.on" if self.quiz_on else "quiz.off"), timeout=3, markup=False)  # type: ignore[attr-defined]

    def cancel_question(self) -> None:
        """Leave the question unanswered (the learner moved elsewhere); it is asked again later."""
        if self._asked_at:
            self._asked_at = self._question_index = 0
            self.session.asking = None
        if self.quiz_widget.is_mounted:  # type: ignore[attr-defined]
            self.quiz_widget.hide()  # type: ignore[attr-defined]

    def after_move(self, before: int) -> None:
        """After the cursor moved forward from *before*: ask about the step it landed on, if
        the quiz is on and that step is not answered yet; at the end, the summary."""
        session, quiz = self.session, self.quiz
        if not self.quiz_on or quiz is None or session.cursor <= before:
            return
        asked = quiz.to_ask(session.trace, session.cursor)
        if asked:
            self._asked, self._asked_at, self._question_index = asked, session.cursor, 0
            self._missed = None
            session.ask_about(session.cursor)
            self.quiz_box().ask(asked[0], self._count())
        elif session.cursor == session.total and quiz.results:
            self.quiz_box().tell("", summary=quiz.summary())
        elif not quiz.answered(session.step):  # type: ignore[arg-type]
            name = session.trace.graph.display(session.step.node)  # type: ignore[union-attr]
            self.quiz_box().tell(say("quiz.not_asked", name=name))

    def _count(self) -> str:
        """``(question 2 of 3 of this step)`` when a step asks more than one."""
        total = len(self._asked)
        return say("quiz.ask.count", k=self._question_index + 1, n=total) if total > 1 else ""

    def on_quiz_box_answered(self, message: QuizBox.Answered) -> None:
        if not self._asked_at:
            return
        question = self._asked[self._question_index]
        verdict = check(question, message.text)
        box = self.quiz_box()
        if verdict == NOT_AN_ANSWER:
            key = "quiz.not_a_shape" if question.wants_shape else "quiz.not_a_number"
            box.retry(say(key, text=message.text.strip()))
        elif verdict == RIGHT:
            self._next_question(say("quiz.right", answer=question.answer_text), "right")
        else:
            self._missed = self._missed or question
            box.retry(say("quiz.wrong", given=message.text.strip(), hint=question.hint))

    def reveal_answer(self) -> None:
        """Escape while asked: the answer, and the step counts as not right at the first try."""
        question = self._asked[self._question_index]
        self._missed = self._missed or question
        self._next_question(say("quiz.revealed", answer=question.answer_text), "wrong")

    def _next_question(self, feedback: str, mood: str) -> None:
        self._question_index += 1
        if self._question_index < len(self._asked):
            self.quiz_box().ask(self._asked[self._question_index], self._count(), feedback, mood)
            return
        self._finish_step(feedback, mood)

    def _finish_step(self, feedback: str, mood: str) -> None:
        """Every question answered: take the step, record it, say how it went."""
        session, quiz = self.session, self.quiz
        at, self._asked_at, self._question_index = self._asked_at, 0, 0
        session.go(at)
        quiz.record(session.step, self._missed)  # type: ignore[union-attr, arg-type]
        self.show_title()  # type: ignore[attr-defined]
        self.update_view()  # type: ignore[attr-defined]
        if at == session.total:
            self.quiz_box().tell(feedback, mood, quiz.summary())  # type: ignore[union-attr]
        else:
            self.quiz_box().tell(f"{feedback}  ·  {say('quiz.next')}", mood)
        self.graph_view.focus()  # type: ignore[attr-defined]
