"""How questions are shown: the right answer in words, and template helpers for quiz pages."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from app.core.time import utcnow
from app.core.urls import external_url
from app.learning.gift import Question
from app.learning.glossary import sort_key
from app.learning.grading import feedback_for, matching_choices, matching_stems
from app.learning.marking import mark
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


def time_left(deadline: datetime) -> str:
    """The time left before a deadline as the page is drawn, in whole minutes rounded down
    ("less than a minute" at the end): what the page says without JavaScript."""
    seconds = (deadline - utcnow()).total_seconds()
    if seconds < 60:
        return "less than a minute"
    return counted(int(seconds // 60), "minute")


def seconds_left(deadline: datetime) -> int:
    return max(0, int((deadline - utcnow()).total_seconds()))


def iso_utc(value: datetime) -> str:
    """A stored (naive UTC) time for a script: ISO 8601 with its zone."""
    return value.replace(microsecond=0).isoformat() + "Z"


def counted(number: int, noun: str, plural: str = "") -> str:
    """'1 attempt', '3 attempts': the number with its noun in the right number."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def register(app: Flask) -> None:
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.filters["initial"] = lambda text: (sort_key(text)[:1] or "#").upper()
    app.jinja_env.globals.update(
        right_answer=right_answer,
        external_url=external_url,
        mark=mark,
        time_left=time_left,
        iso_utc=iso_utc,
        seconds_left=seconds_left,
        feedback_for=feedback_for,
        matching_choices=matching_choices,
        matching_stems=matching_stems,
        ProgressStatus=ProgressStatus,
    )
