"""Moodle GIFT quiz format: parser, exporter and JSON conversion.

This module mirrors Moodle's own importer (``question/format/gift/format.php`` together with
``qformat_default`` in ``question/format.php``) so that a file means here what it means in Moodle:

* A file is split into questions at blank lines (after trimming; like PHP's ``empty()``, a line
  holding just ``0`` also counts as blank). Every line is trimmed, so indentation is lost.
* Lines starting with ``//`` are comments. ``$CATEGORY: path`` sets the category of the
  questions that follow.
* Escapes ``\\~ \\= \\# \\{ \\} \\:`` give the literal character, ``\\n`` a newline and ``\\\\`` a
  backslash; any other backslash stays as it is.
* ``::name::`` names a question; without it (or without the closing ``::``) the name is made
  from the first 80 characters of the question text, as Moodle does.
* The answer block is the text between the first ``{`` and the first ``}``. If the question does
  not end with that block, the block is replaced by ``_____`` in the text (missing word).
* The question type follows from the block exactly as in Moodle: empty block -> essay, no block
  -> description, ``#`` first -> numerical, any ``~`` -> multiple choice (single answer when
  some answer is marked ``=``, otherwise multiple answers), ``=`` and ``->`` -> matching,
  ``T``/``TRUE``/``F``/``FALSE`` -> true/false, anything else -> short answer.
* ``%weight%`` percentages must be one of Moodle's grade values (100, 90, 83.33333, 80, 75, 70,
  66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and
  their negatives); Moodle's importer refuses any other value, and so does this parser.

Errors are reported where Moodle's import refuses the question (unbalanced braces, too few
answers, a matching line without ``->`` or without an answer, a weight off Moodle's list, no
numerical answer) and also where Moodle would silently import something broken:

* a second ``{``/``}`` in a question (Moodle keeps it as text or mangles the block);
* a numerical answer that is not a number (Moodle's ``is_numeric($ans) || $ans = '*'`` check
  assigns instead of comparing, so it silently turns the answer into the catch-all ``*``);
* a first answer written as plain ``0`` (PHP's ``empty("0")`` makes Moodle drop it);
* an empty answer, a question with no text and no block, a matching question whose pairs are
  all distractors (Moodle divides by zero when grading it), a weight like ``%--50%`` (a PHP
  TypeError), and ``$CATEGORY:`` followed by more lines (Moodle swallows them into the name).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, NamedTuple, TypeAlias

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

QUESTION_TYPES: tuple[QuestionType, ...] = (
    "multichoice",
    "multiresponse",
    "truefalse",
    "shortanswer",
    "matching",
    "numerical",
    "essay",
    "description",
)
TEXT_FORMATS: tuple[TextFormat, ...] = ("moodle", "html", "plain", "markdown")

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


# --------------------------------------------------------------------------- model


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
    single :class:`TrueFalse` (truefalse); it is empty for essay and description. ``line`` is
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


# --------------------------------------------------------------------------- public API


def parse_gift(text: str, source: str = "<string>") -> list[Question]:
    """Parse GIFT text; raise :class:`GiftError` listing every problem if any question is bad."""
    questions, problems = _parse(text)
    if problems:
        raise GiftError(problems, source)
    return questions


def check_gift(text: str, source: str = "<string>") -> list[GiftProblem]:
    """Return every problem in the GIFT text (empty when it is valid); never raises.

    ``source`` is accepted for symmetry with :func:`parse_gift`; format the problems with
    ``problem.format(source)`` to get ``path:line: message`` lines.
    """
    del source
    return _parse(text)[1]


def load_gift(path: str | os.PathLike[str]) -> list[Question]:
    """Read a UTF-8 GIFT file and parse it, naming the file in any error."""
    with open(path, encoding="utf-8") as handle:
        return parse_gift(handle.read(), os.fspath(path))


def to_json(questions: Iterable[Question]) -> list[dict[str, Any]]:
    """Plain JSON-ready dicts: ``name, type, text, format, answers, general_feedback``."""
    return [_question_json(q) for q in questions]


def export_gift(questions: Iterable[Question]) -> str:
    """Write questions as GIFT that Moodle (and :func:`parse_gift`) reads back identically.

    Every question is read back after writing; one that would come back different (a weight
    that is not a Moodle grade value, answers that do not fit the type, a short answer format
    other than ``plain``...) raises ``ValueError`` naming the question and the field.
    """
    parts: list[str] = []
    category: str | None = None
    for question in questions:
        if question.category is not None and question.category != category:
            category = question.category
            parts.append(f"$CATEGORY: {category}\n\n")
        parts.append(_write_checked(question))
        parts.append("\n\n")
    return "".join(parts)


def _write_checked(question: Question) -> str:
    text = _write_question(question)
    read, problems = _parse(text)
    if problems:
        raise ValueError(
            f"question {question.name!r} cannot be written as valid GIFT: {problems[0].message}"
        )
    back = replace(read[0], category=question.category) if len(read) == 1 else None
    if back != question:
        differing = [
            f.name
            for f in fields(Question)
            if f.compare and back is not None and getattr(back, f.name) != getattr(question, f.name)
        ]
        raise ValueError(
            f"question {question.name!r} would not read back the same from GIFT "
            f"(differs in: {', '.join(differing) or 'number of questions'})"
        )
    return text


# --------------------------------------------------------------------------- text helpers

_PHP_WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() removes
_ESCAPABLE = ":#={}~n"
# Escaped control characters become private-use characters while parsing, as Moodle turns
# them into "&&058;"-style placeholders; they turn back into the characters at the end.
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_TO_PLACEHOLDER = str.maketrans({(k if k != "n" else "\n"): v for k, v in _PLACEHOLDER.items()})
_UNESCAPE = str.maketrans({v: (k if k != "n" else "\n") for k, v in _PLACEHOLDER.items()})
_RESERVED = re.compile("[\ue000-\ue006]")
_WEIGHT_RE = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")
# PHP's is_numeric(): optional surrounding whitespace, sign, decimals, exponent; no inf/nan/hex.
_PHP_NUMBER_RE = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_FORMAT_NAMES: dict[str, TextFormat] = {f: f for f in TEXT_FORMATS}
_BLANK = "_____"


def _trim(text: str) -> str:
    return text.strip(_PHP_WHITESPACE)


def _unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def _detect_format(text: str) -> tuple[TextFormat | None, str]:
    """Moodle's parse_text_with_format() prefix test: ``[html]text`` -> ("html", "text")."""
    if not text.startswith("["):
        return None, text
    end = text.find("]")
    if end == -1:
        # PHP: substr($text, 1, false - 1) then substr($text, false + 1).
        name, rest = text[1:-1], text[1:]
    else:
        name, rest = text[1:end], text[end + 1 :]
    fmt = _FORMAT_NAMES.get(name)
    return (fmt, rest) if fmt is not None else (None, text)


def _text_with_format(text: str, default: TextFormat) -> tuple[str, TextFormat]:
    fmt, rest = _detect_format(text)
    if fmt is None:
        return _trim(_unescape(text)), default
    return _trim(_unescape(rest)), fmt


def _is_php_numeric(text: str) -> bool:
    return _PHP_NUMBER_RE.fullmatch(text) is not None


def _strip_tags(text: str) -> str:
    """PHP strip_tags() for the usual cases: drop ``<...>`` tags, keep ``a < b``."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "<" and i + 1 < n and not text[i + 1].isspace():
            i += 1
            quote = ""
            while i < n:
                c = text[i]
                if quote:
                    if c == quote:
                        quote = ""
                elif c in "\"'":
                    quote = c
                elif c == ">":
                    break
                i += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_ENTITY_RE = re.compile(r"&[0-9a-z]{2,8};|&#[0-9]{1,7};|&#x[0-9a-f]{1,6};", re.IGNORECASE)
_EMPTY_TAG_RE = re.compile(
    r"^<(\s*.+?/\s*|\s*(img|br|input|hr|area|base|basefont|col|frame|isindex|link|meta|param)"
    r"(\s.+?)?)>$",
    re.IGNORECASE | re.DOTALL,
)
_CLOSE_TAG_RE = re.compile(r"^<\s*/([^\s]+?)\s*>$", re.DOTALL)
_OPEN_TAG_RE = re.compile(r"^<\s*([^\s>!]+).*?>$", re.DOTALL)


def _shorten_text(text: str, ideal: int, ending: str = "...") -> str:
    """Port of Moodle's shorten_text() (word boundaries, HTML tags kept balanced)."""
    if len(re.sub(r"<.*?>", "", text)) <= ideal:
        return text
    total = len(ending)
    truncate = ""
    tags: list[tuple[bool, str]] = []
    for match in re.finditer(r"(<.+?>)?([^<>]*)", text, re.DOTALL):
        tag, content = match.group(1), match.group(2)
        if tag:
            if not _EMPTY_TAG_RE.match(tag):
                if m := _CLOSE_TAG_RE.match(tag):
                    tags.append((False, m.group(1).lower()))
                elif m := _OPEN_TAG_RE.match(tag):
                    tags.append((True, m.group(1).lower()))
            truncate += tag
        length = len(_ENTITY_RE.sub(" ", content))
        if total + length > ideal:
            left = ideal - total
            entities = 0
            for entity in _ENTITY_RE.finditer(content):
                if entity.start() + 1 - entities <= left:
                    left -= 1
                    entities += len(entity.group(0))
                else:
                    break
            breakpos = left + entities
            while breakpos > 0:
                char = content[breakpos : breakpos + 1]
                if char and char != "0" and (char in ". " or len(char.encode()) > 2):
                    breakpos += 1
                    break
                breakpos -= 1
            if breakpos == 0 or breakpos > left + entities:
                breakpos = left + entities
            truncate += content[:breakpos]
            break
        truncate += content
        total += length
        if total >= ideal:
            break
    truncate += ending
    open_tags: list[str] = []
    for is_open, name in tags:
        if is_open:
            open_tags.insert(0, name)
        elif name in open_tags:
            open_tags.remove(name)
    return truncate + "".join(f"</{name}>" for name in open_tags)


def _clean_name(name: str) -> str:
    """qformat_default::clean_question_name(): PARAM_TEXT cleaning, trim, 255 characters."""
    name = _trim(_strip_tags(name))
    limit = 251
    while len(name) > 255 and limit > 0:
        name = _shorten_text(name, limit)
        limit -= 10
    return name


def _default_name(text: str) -> str:
    return _clean_name(_shorten_text(text, 80)) or "Question name"


# --------------------------------------------------------------------------- parsing


class _Seg(NamedTuple):
    """A piece of a question's (placeholder-escaped) text and where it starts in it."""

    text: str
    start: int

    def strip(self) -> _Seg:
        left = self.text.lstrip(_PHP_WHITESPACE)
        return _Seg(left.rstrip(_PHP_WHITESPACE), self.start + len(self.text) - len(left))

    def cut(self, begin: int, end: int | None = None) -> _Seg:
        return _Seg(self.text[begin:end], self.start + begin)


def _split(seg: _Seg, drop: str, keep: str = "") -> list[_Seg]:
    """Split at every character in ``drop`` (removed) and before every one in ``keep``."""
    parts: list[_Seg] = []
    begin = 0
    for i, ch in enumerate(seg.text):
        if ch in drop:
            parts.append(seg.cut(begin, i))
            begin = i + 1
        elif ch in keep:
            parts.append(seg.cut(begin, i))
            begin = i
    parts.append(seg.cut(begin))
    return parts


class _Block:
    """One question's lines, joined and escaped as Moodle's readquestion() does."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        chars: list[str] = []
        where: list[int] = []
        for i, (number, line) in enumerate(lines):
            if i:
                chars.append("\n")
                where.append(number)
            if line.startswith("//"):
                line = " "
            chars.extend(line)
            where.extend([number] * len(line))
        text: list[str] = []
        self._lines: list[int] = []
        i = 0
        while i < len(chars):
            ch = chars[i]
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if ch == "\\" and nxt == "\\":
                text.append("\\")
            elif ch == "\\" and nxt and nxt in _ESCAPABLE:
                text.append(_PLACEHOLDER[nxt])
            else:
                text.append(ch)
                self._lines.append(where[i])
                i += 1
                continue
            self._lines.append(where[i])
            i += 2
        self.first_line = lines[0][0]
        self.seg = _Seg("".join(text), 0).strip()

    def line(self, pos: int) -> int:
        if not self._lines:
            return self.first_line
        return self._lines[min(max(pos, 0), len(self._lines) - 1)]


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """qformat_default::readdata() + readquestions(): questions are separated by blank lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    raw = text.split("\r") if "\n" not in text and "\r" in text else text.split("\n")
    current: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        line = _trim(line)
        if line in ("", "0"):  # PHP empty() is true for "0" as well
            if current:
                yield current
                current = []
        else:
            current.append((number, line))
    if current:
        yield current


def _parse(text: str) -> tuple[list[Question], list[GiftProblem]]:
    questions: list[Question] = []
    problems: list[GiftProblem] = []
    category: str | None = None
    for lines in _blocks(text):
        block = _Block(lines)
        if not block.seg.text:
            continue  # only comments
        found: list[GiftProblem] = []
        reserved = [n for n, line in lines if _RESERVED.search(line) and not line.startswith("//")]
        if reserved:
            problems.append(
                GiftProblem(reserved[0], "text contains a reserved character U+E000-U+E006")
            )
            continue
        if block.seg.text.startswith("$CATEGORY:"):
            rest = block.seg.cut(len("$CATEGORY:")).strip()
            if "\n" in rest.text:
                found.append(
                    GiftProblem(
                        block.line(rest.start + rest.text.index("\n") + 1),
                        "$CATEGORY: must be followed by a blank line (Moodle would read the "
                        "following lines as part of the category name)",
                    )
                )
            else:
                category = _trim(_unescape(rest.text))
        else:
            question = _QuestionParser(block, category, found).parse()
            if question is not None and not found:
                questions.append(question)
        problems.extend(found)
    return questions, problems


class _QuestionParser:
    def __init__(self, block: _Block, category: str | None, problems: list[GiftProblem]) -> None:
        self.block = block
        self.category = category
        self.problems = problems
        self.format: TextFormat = "moodle"
        self.opening = 0  # position of the answer block's '{', for errors about the block

    def error(self, seg_or_pos: _Seg | int, message: str) -> None:
        pos = seg_or_pos.start if isinstance(seg_or_pos, _Seg) else seg_or_pos
        self.problems.append(GiftProblem(self.block.line(pos), message))

    def parse(self) -> Question | None:
        body = self.block.seg
        name: str | None = None
        if body.text.startswith("::"):
            end = body.text.find("::", 2)
            if end == -1:
                body = body.cut(2)  # Moodle drops the "::" and makes up a name
            else:
                name = _clean_name(_unescape(body.text[2:end]))
                body = body.cut(end + 2).strip()

        opening, closing = body.text.find("{"), body.text.find("}")
        answer: _Seg | None = None
        if opening == -1 and closing == -1:
            raw_text = body.text
        elif closing == -1:
            self.error(body.start + opening, "'{' without a closing '}' (escape it as \\{)")
            return None
        elif opening == -1:
            self.error(body.start + closing, "'}' without an opening '{' (escape it as \\})")
            return None
        elif closing < opening:
            self.error(body.start + closing, "'}' before the answer block's '{' (escape it as \\})")
            return None
        else:
            self.opening = body.start + opening
            answer = body.cut(opening + 1, closing)
            if "{" in answer.text:
                self.error(
                    answer.start + answer.text.index("{"),
                    "'{' inside an answer block (escape it as \\{)",
                )
                return None
            after = body.text[closing + 1 :]
            for brace in "{}":
                if brace in after:
                    self.error(
                        body.start + closing + 1 + after.index(brace),
                        f"'{brace}' after the answer block: a question has one answer block "
                        f"(Moodle would keep this brace as text; escape it as \\{brace})",
                    )
                    return None
            if closing == len(body.text) - 1:
                raw_text = body.text[:opening] + after
            else:
                raw_text = body.text[:opening] + _BLANK + after

        general = ""
        if answer is not None:
            answer = answer.strip()
            separator = answer.text.rfind("####")
            if separator != -1:
                general = answer.text[separator + 4 :]
                answer = answer.cut(0, separator).strip()

        text, self.format = _text_with_format(raw_text, "moodle")
        general_feedback, general_format = _text_with_format(general, self.format)
        explicit = name is not None
        if name is None:
            name = _default_name(text)

        qtype: QuestionType
        answers: tuple[Answer, ...] = ()
        if answer is None:
            qtype = "description"
            if not text:
                self.error(self.block.seg, "question has neither text nor an answer block")
        elif answer.text == "":
            qtype = "essay"
        elif answer.text.startswith("#"):
            qtype, answers = "numerical", self.numerical(answer.cut(1))
        elif "~" in answer.text:
            single = "=" in answer.text
            qtype = "multichoice" if single else "multiresponse"
            answers = self.multichoice(answer)
        elif "=" in answer.text and "->" in answer.text:
            qtype, answers = "matching", self.matching(answer)
        else:
            check = answer.text
            if answer.text.find("#") > 0:
                check = _trim(answer.text[: answer.text.find("#")])
            if check in _TRUE_FALSE:
                qtype, answers = "truefalse", (self.truefalse(answer),)
            else:
                qtype, answers = "shortanswer", self.shortanswer(answer)

        return Question(
            name=name,
            type=qtype,
            text=text,
            format=self.format,
            answers=answers,
            general_feedback=general_feedback,
            general_feedback_format=general_format,
            category=self.category,
            line=self.block.line(self.block.seg.start),
            explicit_name=explicit,
        )

    # -- pieces shared by the answer types

    def items(self, parts: list[_Seg], minimum: int, what: str) -> list[_Seg]:
        """Moodle's explode + "drop an empty first element" + check_answer_count()."""
        first = parts[0].strip()
        if first.text == "0":
            self.error(
                first,
                "answer '0' needs a leading '=' or '~': Moodle silently drops a first answer "
                "written as plain 0",
            )
        if first.text in ("", "0"):
            parts = parts[1:]
        if len(parts) < minimum:
            plural = "answer" if minimum == 1 else "answers"
            self.error(self.opening, f"{what} needs at least {minimum} {plural}")
        return [p.strip() for p in parts]

    def weight(self, seg: _Seg) -> tuple[float | None, _Seg]:
        """A leading ``%n%`` weight, checked against Moodle's grade list, and the rest."""
        if not _WEIGHT_RE.match(seg.text):
            return None, seg
        end = seg.text.index("%", 1)
        raw = seg.text[1:end]
        rest = seg.cut(end + 1)
        if raw.count("-") > 1:
            self.error(seg, f"malformed answer weight %{raw}%")
            return 0.0, rest
        fraction = float(raw) / 100
        for allowed in GRADE_FRACTIONS:
            if abs(fraction - allowed) < 0.00001:
                return allowed + 0.0, rest
        nearest = min(GRADE_FRACTIONS, key=lambda f: abs(f - fraction))
        self.error(
            seg,
            f"answer weight {raw}% is not one of Moodle's grade values "
            f"(nearest: {_percent(nearest)}%)",
        )
        return fraction, rest

    def comment(self, seg: _Seg, default: TextFormat) -> tuple[str, TextFormat, str, TextFormat]:
        """Moodle's commentparser(): ``answer # feedback``, each with an optional format."""
        head, _, tail = seg.text.partition("#")
        text, fmt = _text_with_format(_trim(head), default)
        feedback, feedback_format = _text_with_format(_trim(tail), default)
        return text, fmt, feedback, feedback_format

    def require_text(self, seg: _Seg, text: str) -> None:
        if not text:
            self.error(seg, "empty answer")

    # -- answer types

    def multichoice(self, answer: _Seg) -> tuple[Answer, ...]:
        parts = self.items(_split(answer, "~", "="), 2, "multiple choice")
        choices: list[Answer] = []
        for part in parts:
            fraction: float | None
            if part.text.startswith("="):
                fraction, rest = 1.0, part.cut(1)
            else:
                fraction, rest = self.weight(part)
                if fraction is None:
                    fraction = 0.0
            text, fmt, feedback, feedback_format = self.comment(rest, self.format)
            self.require_text(part, text)
            choices.append(Choice(text, fraction, feedback, fmt, feedback_format))
        return tuple(choices)

    def shortanswer(self, answer: _Seg) -> tuple[Answer, ...]:
        parts = self.items(_split(answer, "="), 1, "short answer")
        choices: list[Answer] = []
        for part in parts:
            fraction, rest = self.weight(part)
            text, _, feedback, feedback_format = self.comment(rest, self.format)
            self.require_text(part, text)
            choices.append(
                Choice(
                    text, 1.0 if fraction is None else fraction, feedback, "plain", feedback_format
                )
            )
        return tuple(choices)

    def matching(self, answer: _Seg) -> tuple[Answer, ...]:
        known = len(self.problems)
        parts = self.items(_split(answer, "="), 2, "matching question")
        pairs: list[MatchPair] = []
        for part in parts:
            arrow = part.text.find("->")
            if arrow == -1:
                self.error(part, "matching answer must be written 'question -> answer'")
                continue
            question, fmt = _text_with_format(part.text[:arrow], self.format)
            match = _trim(_unescape(part.text[arrow + 2 :]))
            if not question and not match:
                continue  # Moodle skips a pair that is blank on both sides
            if not match:
                self.error(part, f"matching subquestion {question!r} has no answer after '->'")
                continue
            pairs.append(MatchPair(question, match, fmt))
        if len(self.problems) == known and not any(p.question for p in pairs):
            # Moodle would import it and then divide by zero subquestions when grading.
            self.error(self.opening, "matching question needs at least one subquestion with text")
        return tuple(pairs)

    def truefalse(self, answer: _Seg) -> TrueFalse:
        bits = answer.text.split("#", 2)
        correct = _TRUE_FALSE[_trim(bits[0])]
        wrong, wrong_format = _text_with_format(
            _trim(bits[1]) if len(bits) > 1 else "", self.format
        )
        right, right_format = _text_with_format(
            _trim(bits[2]) if len(bits) > 2 else "", self.format
        )
        if correct:
            return TrueFalse(True, right, wrong, right_format, wrong_format)
        return TrueFalse(False, wrong, right, wrong_format, right_format)

    def numerical(self, answer: _Seg) -> tuple[Answer, ...]:
        wrong: _Seg | None = None
        tilde = answer.text.find("~")
        if tilde != -1:
            wrong = answer.cut(tilde)
            answer = answer.cut(0, tilde)
        parts = self.items(_split(answer, "="), 1, "numerical question")
        results: list[Answer] = []
        for part in parts:
            weight, rest = self.weight(part)
            fraction = 1.0 if weight is None else weight
            value_text, _, feedback, feedback_format = self.comment(rest, self.format)
            parsed = self.number_spec(part, value_text)
            if parsed is not None:
                value, tolerance, low, high = parsed
                results.append(
                    NumericalAnswer(
                        value, tolerance, low, high, fraction, feedback, feedback_format
                    )
                )
        if wrong is not None:
            _, _, feedback, feedback_format = self.comment(wrong, self.format)
            results.append(NumericalAnswer(None, 0.0, None, None, 0.0, feedback, feedback_format))
        return tuple(results)

    def number_spec(
        self, seg: _Seg, spec: str
    ) -> tuple[float | None, float, float | None, float | None] | None:
        """``value``, ``value:tolerance``, ``min..max`` or ``*``, read as Moodle reads them."""
        if spec.find("..") > 0:
            low_text, high_text = _trim(spec[: spec.find("..")]), _trim(spec[spec.find("..") + 2 :])
            if not (_is_php_numeric(low_text) and _is_php_numeric(high_text)):
                self.error(seg, f"numerical range {spec!r} must be written min..max with numbers")
                return None
            low, high = sorted((float(low_text), float(high_text)))
            middle = (low + high) / 2
            return middle, high - middle, low, high
        if spec.find(":") > 0:
            value_text, tolerance_text = (
                _trim(spec[: spec.find(":")]),
                _trim(spec[spec.find(":") + 1 :]),
            )
        else:
            value_text, tolerance_text = _trim(spec), "0"
        if not _is_php_numeric(tolerance_text):
            self.error(seg, f"numerical tolerance {tolerance_text!r} is not a number")
            return None
        if value_text == "*":
            return None, 0.0, None, None
        if not _is_php_numeric(value_text):
            self.error(seg, f"numerical answer {value_text!r} is not a number")
            return None
        value, tolerance = float(value_text), abs(float(tolerance_text))
        if not (math.isfinite(value) and math.isfinite(tolerance)):
            self.error(seg, f"numerical answer {spec!r} is out of range")
            return None
        return value, tolerance, None, None


# --------------------------------------------------------------------------- JSON


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
    }


# --------------------------------------------------------------------------- export

_ESCAPE_TABLE = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
    }
)


def _escape(text: str) -> str:
    return text.translate(_ESCAPE_TABLE)


def _percent(fraction: float) -> str:
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _write_text(text: str, fmt: TextFormat, default: TextFormat) -> str:
    """Escaped text with a ``[format]`` prefix when it differs from the default (or when the
    text itself starts like a format prefix and would otherwise lose it)."""
    escaped = _escape(text)
    # The parser looks for the prefix after turning escapes into single placeholder characters.
    if fmt != default or _detect_format(text.translate(_TO_PLACEHOLDER))[0] is not None:
        return f"[{fmt}]{escaped}"
    return escaped


def _feedback(text: str, fmt: TextFormat, default: TextFormat) -> str:
    if not text and fmt == default:
        return ""
    return "#" + _write_text(text, fmt, default)


def _general(q: Question, indent: str) -> str:
    if not q.general_feedback and q.general_feedback_format == q.format:
        return ""
    line = "####" + _write_text(q.general_feedback, q.general_feedback_format, q.format)
    return f"{indent}{line}\n" if indent else line


def _write_question(q: Question) -> str:
    head = f"::{_escape(q.name)}::" + _write_text(q.text, q.format, "moodle")
    if q.type == "description":
        return head
    if q.type == "essay":
        return head + "{" + _general(q, "") + "}"
    if q.type == "truefalse":
        tf = q.truefalse
        right, right_format, wrong, wrong_format = (
            (tf.feedback_true, tf.feedback_true_format, tf.feedback_false, tf.feedback_false_format)
            if tf.correct
            else (
                tf.feedback_false,
                tf.feedback_false_format,
                tf.feedback_true,
                tf.feedback_true_format,
            )
        )
        body = "TRUE" if tf.correct else "FALSE"
        right_part = _feedback(right, right_format, q.format)
        body += _feedback(wrong, wrong_format, q.format) or ("#" if right_part else "")
        return head + "{" + body + right_part + _general(q, "") + "}"
    lines: list[str] = []
    if q.type in ("multichoice", "multiresponse"):
        lines = _write_choices(q)
        opening = "{"
    elif q.type == "shortanswer":
        lines = _write_shortanswers(q)
        if not lines[0].startswith("\t="):  # a bare answer: keep it on the question's line
            return head + "{" + lines[0].lstrip("\t") + _general(q, "") + "}"
        opening = "{"
    elif q.type == "matching":
        for pair in q.pairs:
            lines.append(
                "\t="
                + _write_text(pair.question, pair.format, q.format)
                + " -> "
                + _escape(pair.answer)
            )
        opening = "{"
    else:  # numerical
        lines = _write_numerical(q)
        opening = "{#"
    return head + opening + "\n" + "".join(f"{line}\n" for line in lines) + _general(q, "\t") + "}"


def _write_choices(q: Question) -> list[str]:
    choices = q.choices
    single = q.type == "multichoice"
    full = [i for i, c in enumerate(choices) if c.fraction == 1.0]
    # A single-answer question needs an '=' answer and at least one '~' answer; answers worth
    # 100% beyond the first are written '~%100%' when every answer is worth 100%.
    equals: set[int] = set()
    if single:
        equals = set(full) if len(full) < len(choices) else set(full[:1])
    lines = []
    for i, choice in enumerate(choices):
        text = _write_text(choice.text, choice.format, q.format)
        if i in equals:
            mark = "="
        elif choice.fraction == 0.0 and not _WEIGHT_RE.match(text):
            mark = "~"
        else:
            mark = f"~%{_percent(choice.fraction)}%"
        lines.append(
            "\t" + mark + text + _feedback(choice.feedback, choice.feedback_format, q.format)
        )
    return lines


def _write_shortanswers(q: Question) -> list[str]:
    choices = q.choices
    parts = []
    for choice in choices:
        text = _write_text(choice.text, "plain", "plain")
        weight = ""
        if choice.fraction != 1.0 or _WEIGHT_RE.match(text):
            weight = f"%{_percent(choice.fraction)}%"
        parts.append(weight + text + _feedback(choice.feedback, choice.feedback_format, q.format))
    if any("->" in part for part in parts):
        # Moodle reads '=' together with '->' as matching, so write the one answer bare.
        if len(parts) != 1:
            raise ValueError(
                f"short answer question {q.name!r} has several answers and '->' in an answer: "
                "GIFT cannot express it"
            )
        return ["\t" + parts[0]]
    return ["\t=" + part for part in parts]


def _write_numerical(q: Question) -> list[str]:
    answers = q.numerical_answers
    lines = []
    for i, answer in enumerate(answers):
        feedback = _feedback(answer.feedback, answer.feedback_format, q.format)
        if answer.value is None and answer.fraction == 0.0 and i == len(answers) - 1:
            lines.append("\t~" + (feedback or "#"))
            continue
        weight = "" if answer.fraction == 1.0 else f"%{_percent(answer.fraction)}%"
        if answer.value is None:
            spec = "*"
        elif answer.min is not None and answer.max is not None:
            spec = f"{_number(answer.min)}..{_number(answer.max)}"
        else:
            spec = _number(answer.value)
            if answer.tolerance:
                spec += f":{_number(answer.tolerance)}"
        lines.append("\t=" + weight + spec + feedback)
    return lines
