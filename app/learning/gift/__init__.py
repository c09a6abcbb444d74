"""Moodle GIFT quiz format: parser, exporter and JSON conversion.

`types` holds the parsed questions; `parser` (with `lexer`, `answers`, `naming` and `text`)
reads and checks GIFT as Moodle's importer does; `writer` exports it; `json` converts it.
"""

from __future__ import annotations

from app.learning.gift.json import to_json
from app.learning.gift.parser import check_gift, load_gift, parse_gift
from app.learning.gift.types import (
    GRADE_FRACTIONS,
    QUESTION_TYPES,
    TEXT_FORMATS,
    Answer,
    Choice,
    GiftError,
    GiftProblem,
    MatchPair,
    NumericalAnswer,
    Question,
    QuestionType,
    TextFormat,
    TrueFalse,
)
from app.learning.gift.writer import export_gift

__all__ = [
    "GRADE_FRACTIONS",
    "QUESTION_TYPES",
    "TEXT_FORMATS",
    "Answer",
    "Choice",
    "GiftError",
    "GiftProblem",
    "MatchPair",
    "NumericalAnswer",
    "Question",
    "QuestionType",
    "TextFormat",
    "TrueFalse",
    "check_gift",
    "export_gift",
    "load_gift",
    "parse_gift",
    "to_json",
]
