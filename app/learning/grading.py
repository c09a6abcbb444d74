"""Grading of learner responses to parsed GIFT questions, with Moodle's semantics.

Responses, by question type:

* ``multichoice`` -- ``int``: index of the chosen answer in ``question.answers``.
* ``multiresponse`` -- a collection of ``int`` (list, tuple, set): the ticked answers.
* ``truefalse`` -- ``bool``.
* ``shortanswer`` -- ``str``.
* ``numerical`` -- ``str`` as typed (``int``/``float`` are accepted too).
* ``matching`` -- ``Mapping[int, int]``: index into :func:`matching_stems` -> index into
  :func:`matching_choices`. Stems left out count as wrong.
* ``essay`` / ``description`` -- anything; they are not graded automatically.

``None`` (or a blank string) means "not answered" and scores 0. A response of the wrong shape,
an index out of range or an unknown key raises :class:`InvalidResponse`; a numerical response
that is not a number raises :class:`InvalidNumber` (a subclass), so a web layer can answer 400.
Both are ``ValueError`` subclasses.

What Moodle does, and this module mirrors:

* multichoice (single): the fraction of the chosen answer (negative marks clamp to 0).
* multiresponse: the sum of the ticked answers' fractions, clamped to [0, 1].
* truefalse: 1 for the right answer, 0 otherwise.
* shortanswer: the response is trimmed and compared with each answer *in order*, ignoring case
  (GIFT imports set Moodle's "case sensitivity" off); ``*`` in an answer matches any text,
  ``\\*`` a literal star, and both sides are Unicode-normalised (NFC). The first match wins.
* numerical: the first answer (in file order) whose interval contains the value wins; the
  interval is Moodle's "nominal" tolerance ``value +/- tolerance`` widened by PHP's float
  precision (1e-14 relative), so boundaries are inclusive. ``*`` matches everything. The
  response is read as Moodle's answer processor reads it: spaces are dropped, ``,`` is a
  decimal comma unless a ``.`` is present or there are several commas (then thousands
  separators), and ``e``/``x10^`` exponents are accepted. No units are allowed after it.
* matching: right stems / number of stems; stems are the pairs with a question text, choices
  are the distinct answer texts (including distractors), in file order.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import TypeAlias

from app.learning.gift import Choice, MatchPair, NumericalAnswer, Question

__all__ = [
    "AUTO_GRADED_TYPES",
    "InvalidNumber",
    "InvalidResponse",
    "Response",
    "feedback_for",
    "grade",
    "is_auto_graded",
    "matching_answer",
    "matching_choices",
    "matching_stems",
    "parse_number",
]

Response: TypeAlias = int | bool | str | float | Collection[int] | Mapping[int, int] | None

AUTO_GRADED_TYPES = frozenset(
    {"multichoice", "multiresponse", "truefalse", "shortanswer", "numerical", "matching"}
)


class InvalidResponse(ValueError):
    """The response does not fit the question (wrong type, index out of range, unknown key)."""


class InvalidNumber(InvalidResponse):
    """A numerical response that cannot be read as a number."""


def is_auto_graded(question: Question) -> bool:
    """False for essay and description, which need a human (or no) grade."""
    return question.type in AUTO_GRADED_TYPES


def grade(question: Question, response: Response) -> float | None:
    """Score in [0, 1] for ``response``; ``None`` for essay and description (not auto-graded)."""
    if not is_auto_graded(question):
        return None
    if _unanswered(response):
        return 0.0
    qtype = question.type
    if qtype == "multichoice":
        return _clamp(question.choices[_index(question, response)].fraction)
    if qtype == "multiresponse":
        choices = question.choices
        return _clamp(sum(choices[i].fraction for i in _indexes(question, response)))
    if qtype == "truefalse":
        return 1.0 if _boolean(response) is question.truefalse.correct else 0.0
    if qtype == "shortanswer":
        choice = _shortanswer_match(question, _text(response))
        return 0.0 if choice is None else _clamp(choice.fraction)
    if qtype == "numerical":
        answer = matching_answer(question, response)
        return 0.0 if answer is None else _clamp(answer.fraction)
    # matching
    stems = matching_stems(question)
    options = matching_choices(question)
    matched = _matches(question, response)
    right = [stem for stem, option in matched.items() if options[option] == stems[stem].answer]
    return len(right) / len(stems)


def feedback_for(question: Question, response: Response) -> list[str]:
    """The per-answer feedback a learner sees for ``response`` (non-empty texts only).

    Multiple choice shows the feedback of the chosen answer(s), true/false the feedback for
    the value given, short answer and numerical the feedback of the answer that matched.
    Matching, essay and description have no per-answer feedback in GIFT. The question's
    general feedback is not included: it is ``question.general_feedback``.
    """
    if not is_auto_graded(question) or _unanswered(response):
        return []
    texts: list[str] = []
    qtype = question.type
    if qtype == "multichoice":
        texts = [question.choices[_index(question, response)].feedback]
    elif qtype == "multiresponse":
        texts = [question.choices[i].feedback for i in sorted(_indexes(question, response))]
    elif qtype == "truefalse":
        texts = [question.truefalse.feedback_for(_boolean(response))]
    elif qtype == "shortanswer":
        choice = _shortanswer_match(question, _text(response))
        texts = [choice.feedback] if choice else []
    elif qtype == "numerical":
        answer = matching_answer(question, response)
        texts = [answer.feedback] if answer else []
    else:
        _matches(question, response)  # validate
    return [text for text in texts if text]


# --------------------------------------------------------------------------- matching


def matching_stems(question: Question) -> list[MatchPair]:
    """The subquestions to answer (pairs with a question text), in file order."""
    return [pair for pair in question.pairs if not pair.is_distractor]


def matching_choices(question: Question) -> list[str]:
    """The distinct answer texts offered for every stem (distractors included), in order."""
    choices: list[str] = []
    for pair in question.pairs:
        if pair.answer not in choices:
            choices.append(pair.answer)
    return choices


def _matches(question: Question, response: Response) -> dict[int, int]:
    if not isinstance(response, Mapping):
        raise InvalidResponse("a matching response maps subquestion numbers to choice numbers")
    stems, choices = len(matching_stems(question)), len(matching_choices(question))
    result: dict[int, int] = {}
    for stem, choice in response.items():
        if not _is_int(stem) or not 0 <= stem < stems:
            raise InvalidResponse(f"unknown subquestion {stem!r} (there are {stems})")
        if not _is_int(choice) or not 0 <= choice < choices:
            raise InvalidResponse(f"unknown choice {choice!r} (there are {choices})")
        result[stem] = choice
    return result


# --------------------------------------------------------------------------- short answer


def _shortanswer_match(question: Question, response: str) -> Choice | None:
    for choice in question.choices:
        if _wildcard_match(response, choice.text):
            return choice
    return None


def _wildcard_match(response: str, pattern: str) -> bool:
    """qtype_shortanswer_question::compare_string_with_wildcard(), case-insensitive."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(regex, response.strip(" \t\n\r\0\x0b"), re.IGNORECASE) is not None


# --------------------------------------------------------------------------- numerical

_EXPONENT = re.compile("(?:e|E|(?:x|\\*|\u00d7)10(?:\\^|\\*\\*))([+-]?[0-9]+)")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?")
_PHP_EPSILON = 1e-14  # 10 ** -ini_get('precision')


def parse_number(response: str | int | float) -> float:
    """Read a numerical response as Moodle's answer processor does, or raise InvalidNumber."""
    if isinstance(response, bool):
        raise InvalidNumber("a number is expected, not a boolean")
    if isinstance(response, int | float):
        value = float(response)
    elif isinstance(response, str):
        text = response.strip().replace(" ", "")
        text = _EXPONENT.sub(r"e\1", text)
        if "." in text or text.count(",") > 1:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
        if not _NUMBER.fullmatch(text):
            raise InvalidNumber(f"{response!r} is not a number")
        value = float(text)
    else:
        raise InvalidNumber(f"a number is expected, not {type(response).__name__}")
    if not math.isfinite(value):
        raise InvalidNumber(f"{response!r} is not a finite number")
    return value


def _within(answer: NumericalAnswer, value: float) -> bool:
    """qtype_numerical_answer::within_tolerance() with the default 'nominal' tolerance."""
    if answer.value is None:
        return True
    tolerance = abs(answer.tolerance)
    widened = tolerance + _PHP_EPSILON * max(tolerance, abs(answer.value), _PHP_EPSILON)
    return answer.value - widened <= value <= answer.value + widened


def matching_answer(question: Question, response: Response) -> NumericalAnswer | None:
    """The numerical answer Moodle would award for ``response`` (first match in order)."""
    if question.type != "numerical":
        raise InvalidResponse(f"question {question.name!r} is not numerical")
    if _unanswered(response):
        return None
    if not isinstance(response, str | int | float):
        raise InvalidNumber(f"a number is expected, not {type(response).__name__}")
    value = parse_number(response)
    for answer in question.numerical_answers:
        if _within(answer, value):
            return answer
    return None


# --------------------------------------------------------------------------- helpers


def _clamp(fraction: float) -> float:
    return min(max(fraction, 0.0), 1.0)


def _unanswered(response: Response) -> bool:
    return response is None or (isinstance(response, str) and not response.strip())


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _index(question: Question, response: Response) -> int:
    count = len(question.choices)
    if isinstance(response, bool) or not isinstance(response, int):
        raise InvalidResponse("a multiple choice response is the number of one answer")
    if not 0 <= response < count:
        raise InvalidResponse(f"answer {response} does not exist (there are {count})")
    return response


def _indexes(question: Question, response: Response) -> set[int]:
    if isinstance(response, str | bytes | Mapping) or not isinstance(response, Collection):
        raise InvalidResponse("a multiple answer response is a list of answer numbers")
    count = len(question.choices)
    chosen: set[int] = set()
    for item in response:
        if not _is_int(item) or not 0 <= item < count:
            raise InvalidResponse(f"answer {item!r} does not exist (there are {count})")
        chosen.add(item)
    return chosen


def _boolean(response: Response) -> bool:
    if not isinstance(response, bool):
        raise InvalidResponse("a true/false response is True or False")
    return response


def _text(response: Response) -> str:
    if not isinstance(response, str):
        raise InvalidResponse("a short answer response is text")
    return response
