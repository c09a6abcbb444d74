"""What the review page of a submitted attempt marks: the learner's answer, the right ones, and
each question's outcome, in words (the template adds icons; colour is never the only sign)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.learning.gift import Question
from app.learning.grading import matching_choices, matching_stems

UNGRADED = ("essay", "description")


@dataclass(frozen=True)
class Outcome:
    """A question's result: `key` for the style, `label` for the reader."""

    key: str  # "correct", "partial", "incorrect", "not_answered" or "ungraded"
    label: LazyString  # in the reader's language when shown
    icon: str


NOT_ANSWERED = Outcome("not_answered", _l("Not answered"), "\u2013")
CORRECT = Outcome("correct", _l("Correct"), "✔")
PARTIAL = Outcome("partial", _l("Partly correct"), "◐")
INCORRECT = Outcome("incorrect", _l("Incorrect"), "✘")
UNGRADED_OUTCOME = Outcome("ungraded", _l("Not graded"), "")


@dataclass(frozen=True)
class MarkedOption:
    """One option as shown on the review page."""

    text: str
    format: str
    chosen: bool
    right: bool  # gives full credit alone (single answer) or is one to select (several)
    partly: bool = False  # gives part of the credit (single answer)


@dataclass(frozen=True)
class MarkedPair:
    """One matching subquestion: the learner's choice and the right one."""

    stem: str
    format: str
    chosen: str | None
    right: str

    @property
    def correct(self) -> bool:
        return self.chosen == self.right


@dataclass(frozen=True)
class Marked:
    """A question of a submitted attempt, marked."""

    outcome: Outcome
    options: list[MarkedOption] = field(default_factory=list)
    pairs: list[MarkedPair] = field(default_factory=list)
    typed: str | None = None  # a short answer, number or essay as typed


def outcome(question: Question, response: Any, score: float | None) -> Outcome:
    if question.type in UNGRADED:
        return UNGRADED_OUTCOME
    if response is None:
        return NOT_ANSWERED
    if (score or 0) >= 0.999:
        return CORRECT
    return PARTIAL if (score or 0) > 0 else INCORRECT


def mark(question: Question, order: list[int], response: Any, score: float | None) -> Marked:
    """Mark the options of a question in the order the learner saw them."""
    result = outcome(question, response, score)
    qtype = question.type
    if qtype in ("multichoice", "multiresponse"):
        chosen = {response} if qtype == "multichoice" else set(response or ())
        top = max((c.fraction for c in question.choices), default=0)
        options = []
        for index in order:
            choice = question.choices[index]
            if qtype == "multichoice":
                right, partly = choice.fraction == top, 0 < choice.fraction < top
            else:
                right, partly = choice.fraction > 0, False
            options.append(MarkedOption(choice.text, choice.format, index in chosen, right, partly))
        return Marked(result, options=options)
    if qtype == "truefalse":
        correct = question.truefalse.correct
        return Marked(result, options=[
            MarkedOption("True", "plain", response is True, correct),
            MarkedOption("False", "plain", response is False, not correct),
        ])  # fmt: skip
    if qtype == "matching":
        choices = matching_choices(question)
        given = response or {}
        pairs = [
            MarkedPair(stem.question, stem.format,
                       choices[given[i]] if i in given else None, stem.answer)
            for i, stem in enumerate(matching_stems(question))
        ]  # fmt: skip
        return Marked(result, pairs=pairs)
    if qtype in ("shortanswer", "numerical", "essay"):
        return Marked(result, typed=None if response is None else str(response))
    return Marked(result)
