"""How questions are shown: the right answer in words, and template helpers for quiz pages."""

from __future__ import annotations

from flask import Flask

from app.learning.gift import Question
from app.learning.grading import feedback_for, matching_choices, matching_stems
from app.learning.services.progress import ProgressStatus


def _number(value: float) -> str:
    return f"{value:g}"


def right_answer(question: Question) -> str:
    """The full-credit answer(s) of a question, in words."""
    qtype = question.type
    if qtype in ("multichoice", "multiresponse", "shortanswer"):
        best = [c.text for c in question.choices if c.fraction > 0]
        if qtype == "multichoice":
            top = max((c.fraction for c in question.choices), default=0)
            best = [c.text for c in question.choices if c.fraction == top]
        return "; ".join(best) or "(none)"
    if qtype == "truefalse":
        return "True" if question.truefalse.correct else "False"
    if qtype == "numerical":
        parts = []
        for answer in question.numerical_answers:
            if answer.fraction < 1 or (answer.value is None and answer.min is None):
                continue
            if answer.min is not None and answer.max is not None:
                parts.append(f"from {_number(answer.min)} to {_number(answer.max)}")
            elif answer.value is not None and answer.tolerance:
                parts.append(f"{_number(answer.value)} ± {_number(answer.tolerance)}")
            elif answer.value is not None:
                parts.append(_number(answer.value))
        return " or ".join(parts) or "(none)"
    if qtype == "matching":
        return "; ".join(f"{pair.question} → {pair.answer}" for pair in matching_stems(question))
    return ""


def counted(number: int, noun: str, plural: str = "") -> str:
    """'1 attempt', '3 attempts': the number with its noun in the right number."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def register(app: Flask) -> None:
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.globals.update(
        right_answer=right_answer,
        feedback_for=feedback_for,
        matching_choices=matching_choices,
        matching_stems=matching_stems,
        ProgressStatus=ProgressStatus,
    )
