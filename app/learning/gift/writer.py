"""GIFT export: questions written so that Moodle (and the parser) read them back identically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace

from app.learning.gift.comments import idnumber_and_tags_comment
from app.learning.gift.parser import parse_text
from app.learning.gift.text import TO_PLACEHOLDER, WEIGHT_RE, detect_format, percent
from app.learning.gift.types import Question, TextFormat


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
    read, problems = parse_text(text)
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


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _write_text(text: str, fmt: TextFormat, default: TextFormat) -> str:
    """Escaped text with a ``[format]`` prefix when it differs from the default (or when the
    text itself starts like a format prefix and would otherwise lose it)."""
    escaped = _escape(text)
    # The parser looks for the prefix after turning escapes into single placeholder characters.
    if fmt != default or detect_format(text.translate(TO_PLACEHOLDER))[0] is not None:
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
    head = idnumber_and_tags_comment(q.idnumber, q.tags)
    head += f"::{_escape(q.name)}::" + _write_text(q.text, q.format, "moodle")
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
        elif choice.fraction == 0.0 and not WEIGHT_RE.match(text):
            mark = "~"
        else:
            mark = f"~%{percent(choice.fraction)}%"
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
        if choice.fraction != 1.0 or WEIGHT_RE.match(text):
            weight = f"%{percent(choice.fraction)}%"
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
        weight = "" if answer.fraction == 1.0 else f"%{percent(answer.fraction)}%"
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
