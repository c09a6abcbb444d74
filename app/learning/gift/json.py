"""GIFT questions as plain JSON-ready data (`flask content quiz`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.learning.gift.types import Choice, MatchPair, NumericalAnswer, Question


def to_json(questions: Iterable[Question]) -> list[dict[str, Any]]:
    """Plain JSON-ready dicts: ``name, type, text, format, answers, general_feedback,
    idnumber, tags``."""
    return [_question_json(q) for q in questions]


def _question_json(q: Question) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    if q.type == "truefalse":
        tf = q.truefalse
        for label, value, feedback in (
            ("True", True, tf.feedback_true),
            ("False", False, tf.feedback_false),
        ):
            answers.append(
                {
                    "text": label,
                    "fraction": 1.0 if tf.correct is value else 0.0,
                    "feedback": feedback,
                    "format": q.format,
                }
            )
    else:
        for answer in q.answers:
            if isinstance(answer, Choice):
                answers.append(
                    {
                        "text": answer.text,
                        "fraction": answer.fraction,
                        "feedback": answer.feedback,
                        "format": answer.format,
                    }
                )
            elif isinstance(answer, MatchPair):
                answers.append({"question": answer.question, "answer": answer.answer})
            elif isinstance(answer, NumericalAnswer):
                if answer.is_range:
                    answers.append(
                        {
                            "min": answer.min,
                            "max": answer.max,
                            "fraction": answer.fraction,
                            "feedback": answer.feedback,
                        }
                    )
                else:
                    answers.append(
                        {
                            "value": answer.value,
                            "tolerance": answer.tolerance,
                            "fraction": answer.fraction,
                            "feedback": answer.feedback,
                        }
                    )
    return {
        "name": q.name,
        "type": q.type,
        "text": q.text,
        "format": q.format,
        "answers": answers,
        "general_feedback": q.general_feedback,
        "idnumber": q.idnumber,
        "tags": list(q.tags),
    }
