"""The parsed questions and their answers, and the problems a GIFT text can have."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, TypeAlias, get_args

QuestionType: TypeAlias = Literal[
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "matching",
    "numerical",
    "essay",
    "description",
]
TextFormat: TypeAlias = Literal["moodle", "html", "plain", "markdown"]

# The same values at run time, in the order declared.
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
TEXT_FORMATS: tuple[TextFormat, ...] = get_args(TextFormat)

# Moodle's question_bank::fraction_options_full(): every grade an answer may carry.
_POSITIVE_FRACTIONS = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
)
GRADE_FRACTIONS: tuple[float, ...] = (
    *_POSITIVE_FRACTIONS,
    0.0,
    *(-f for f in reversed(_POSITIVE_FRACTIONS)),
)


@dataclass(frozen=True)
class Choice:
    """An answer of a multiple-choice, multiple-answer or short-answer question.

    For short answer, ``text`` is the accepted answer (``*`` is a wildcard) and ``format`` is
    always ``plain``: Moodle drops any ``[format]`` prefix from short answers.
    """

    text: str
    fraction: float
    feedback: str = ""
    format: TextFormat = "moodle"
    feedback_format: TextFormat = "moodle"


@dataclass(frozen=True)
class MatchPair:
    """A matching subquestion; an empty ``question`` makes ``answer`` an extra distractor."""

    question: str
    answer: str
    format: TextFormat = "moodle"

    @property
    def is_distractor(self) -> bool:
        return self.question == ""


@dataclass(frozen=True)
class NumericalAnswer:
    """A numerical answer.

    ``value`` is ``None`` for Moodle's catch-all answer ``*`` (any number; this is what
    ``~#feedback`` in a numerical block means). A ``min..max`` answer keeps ``min`` and ``max``
    and also sets ``value``/``tolerance`` to the midpoint and half-width, as Moodle stores it.
    """

    value: float | None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None
    fraction: float = 1.0
    feedback: str = ""
    feedback_format: TextFormat = "moodle"

    @property
    def is_catch_all(self) -> bool:
        return self.value is None

    @property
    def is_range(self) -> bool:
        return self.min is not None and self.max is not None


@dataclass(frozen=True)
class TrueFalse:
    """The answer of a true/false question.

    ``feedback_true`` is shown to a learner who answers True, ``feedback_false`` to one who
    answers False. In GIFT, ``{T#first#second}`` gives the first feedback to the wrong answer
    and the second to the right one, so for ``{T#a#b}`` ``feedback_false`` is ``a``.
    """

    correct: bool
    feedback_true: str = ""
    feedback_false: str = ""
    feedback_true_format: TextFormat = "moodle"
    feedback_false_format: TextFormat = "moodle"

    def feedback_for(self, answer: bool) -> str:
        return self.feedback_true if answer else self.feedback_false


Answer: TypeAlias = Choice | MatchPair | NumericalAnswer | TrueFalse


@dataclass(frozen=True)
class Question:
    """One parsed GIFT question.

    ``answers`` holds :class:`Choice` objects (multichoice, multiresponse, shortanswer),
    :class:`MatchPair` objects (matching), :class:`NumericalAnswer` objects (numerical) or a
    single :class:`TrueFalse` (truefalse); it is empty for essay and description. ``idnumber``
    and ``tags`` come from ``[id:…]`` and ``[tag:…]`` in the question's comments. ``line`` is
    the line where the question starts in its source; ``explicit_name`` tells whether the
    name came from ``::name::`` rather than from Moodle's default naming.
    """

    name: str
    type: QuestionType
    text: str
    format: TextFormat = "moodle"
    answers: tuple[Answer, ...] = ()
    general_feedback: str = ""
    general_feedback_format: TextFormat = "moodle"
    category: str | None = None
    idnumber: str = ""  # Moodle's question ID number, from a "// [id:…]" comment
    tags: tuple[str, ...] = ()  # Moodle's question tags, from "// [tag:…]" comments
    line: int = field(default=0, compare=False)
    explicit_name: bool = field(default=True, compare=False)

    @property
    def choices(self) -> tuple[Choice, ...]:
        return tuple(a for a in self.answers if isinstance(a, Choice))

    @property
    def pairs(self) -> tuple[MatchPair, ...]:
        return tuple(a for a in self.answers if isinstance(a, MatchPair))

    @property
    def numerical_answers(self) -> tuple[NumericalAnswer, ...]:
        return tuple(a for a in self.answers if isinstance(a, NumericalAnswer))

    @property
    def truefalse(self) -> TrueFalse:
        for answer in self.answers:
            if isinstance(answer, TrueFalse):
                return answer
        raise TypeError(f"question {self.name!r} is {self.type}, not truefalse")


class GiftProblem(NamedTuple):
    """One malformed spot in a GIFT text: the 1-based line and what is wrong."""

    line: int
    message: str

    def format(self, source: str = "<string>") -> str:
        return f"{source}:{self.line}: {self.message}"


class GiftError(ValueError):
    """Raised by :func:`parse_gift` when the text has problems; lists every one of them."""

    def __init__(self, problems: Sequence[GiftProblem], source: str = "<string>") -> None:
        self.problems: list[GiftProblem] = list(problems)
        self.source = source
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(p.format(self.source) for p in self.problems)

    def __str__(self) -> str:
        return self.format()
