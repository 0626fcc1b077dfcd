"""The quiz's box under the panels: the question, the answer typed in, and what came of it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from bpdebug.support.safe_text import escape_lines
from bpdebug.teach.messages import say
from bpdebug.teach.quiz import Question
from bpdebug.tui.focus import focus_now


class QuizBox(Vertical):
    """Hidden until the quiz asks; after an answer it may stay to say how it went."""

    class Answered(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        yield Static("", id="quiz-feedback", markup=False)
        yield Static("", id="quiz-prompt", markup=False)
        yield Static("", id="quiz-equation", markup=False)
        yield self.field
        yield Static("", id="quiz-summary", markup=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.field = Input(id="quiz-answer", select_on_focus=False)

    @property
    def is_asking(self) -> bool:
        return self.display and self.field.display

    def ask(self, question: Question, count: str = "", feedback: str = "", mood: str = "") -> None:
        """Show *question* (*count*: which of the step's questions it is) and take the keys;
        *feedback* says how the last answer went, in a *mood* ("right", "wrong" or "")."""
        self.display = True
        self._feedback(feedback, mood)
        self._say("#quiz-summary", "")
        prompt = f"{count} {question.prompt}" if count else question.prompt
        self._say("#quiz-prompt", prompt)
        self._say("#quiz-equation", f"{question.equation}    {say('quiz.keys')}")
        field = self.field
        field.display = True
        field.placeholder = say("quiz.placeholder.shape" if question.wants_shape else "quiz.placeholder")
        field.value = ""
        focus_now(field)

    def retry(self, feedback: str) -> None:
        """The same question again, with *feedback* (a hint, or why it was not an answer)."""
        self._feedback(feedback, "wrong")
        self.field.value = ""
        focus_now(self.field)

    def tell(self, feedback: str, mood: str = "", summary: list[str] | None = None) -> None:
        """Only what came of the answers, and at the end the quiz's *summary*: no question,
        no keys taken."""
        self.display = True
        self._feedback(feedback, mood)
        self._say("#quiz-summary", "\n".join(summary or []))
        for part in ("#quiz-prompt", "#quiz-equation"):
            self.query_one(part).display = False
        self.field.display = False

    def hide(self) -> None:
        if self.display:
            self.display = False

    def _feedback(self, text: str, mood: str) -> None:
        self._say("#quiz-feedback", text)
        feedback = self.query_one("#quiz-feedback")
        feedback.set_class(mood == "right", "-right")
        feedback.set_class(mood == "wrong", "-wrong")

    def _say(self, part: str, text: str) -> None:
        widget = self.query_one(part, Static)
        widget.update(escape_lines(text))  # graph names and labels come from a file
        widget.display = bool(text)

    @on(Input.Submitted, "#quiz-answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))
