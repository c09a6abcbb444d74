"""A question's answer block, read type by type as Moodle's readquestion() reads it."""

from __future__ import annotations

import math

from app.learning.gift.lexer import Block, Seg, split
from app.learning.gift.text import (
    WEIGHT_RE,
    is_php_numeric,
    percent,
    text_with_format,
    trim,
    unescape,
)
from app.learning.gift.types import (
    GRADE_FRACTIONS,
    Answer,
    Choice,
    GiftProblem,
    MatchPair,
    NumericalAnswer,
    TextFormat,
    TrueFalse,
)

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class AnswerParser:
    """Reads one answer block; every problem found is added to ``problems``."""

    def __init__(
        self, block: Block, problems: list[GiftProblem], text_format: TextFormat, opening: int
    ) -> None:
        self.block = block
        self.problems = problems
        self.format = text_format  # the question text's format, the answers' default
        self.opening = opening  # position of the answer block's '{', for errors about the block

    def error(self, seg_or_pos: Seg | int, message: str) -> None:
        self.problems.append(self.block.problem(seg_or_pos, message))

    # -- pieces shared by the answer types

    def items(self, parts: list[Seg], minimum: int, what: str) -> list[Seg]:
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

    def weight(self, seg: Seg) -> tuple[float | None, Seg]:
        """A leading ``%n%`` weight, checked against Moodle's grade list, and the rest."""
        if not WEIGHT_RE.match(seg.text):
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
            f"(nearest: {percent(nearest)}%)",
        )
        return fraction, rest

    def comment(self, seg: Seg, default: TextFormat) -> tuple[str, TextFormat, str, TextFormat]:
        """Moodle's commentparser(): ``answer # feedback``, each with an optional format."""
        head, _, tail = seg.text.partition("#")
        text, fmt = text_with_format(trim(head), default)
        feedback, feedback_format = text_with_format(trim(tail), default)
        return text, fmt, feedback, feedback_format

    def require_text(self, seg: Seg, text: str) -> None:
        if not text:
            # An answer with nothing after its '~' (or '=') starts where that mark stood: report
            # the mark's line, not the next one (where the empty piece's line break belongs).
            self.error(
                seg.start - 1 if not seg.text else seg,
                "empty answer: write the answer's text after its '=' or '~' (or remove the mark)",
            )

    # -- answer types

    def multichoice(self, answer: Seg) -> tuple[Answer, ...]:
        parts = self.items(split(answer, "~", "="), 2, "multiple choice")
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

    def shortanswer(self, answer: Seg) -> tuple[Answer, ...]:
        parts = self.items(split(answer, "="), 1, "short answer")
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

    def matching(self, answer: Seg) -> tuple[Answer, ...]:
        known = len(self.problems)
        parts = self.items(split(answer, "="), 2, "matching question")
        pairs: list[MatchPair] = []
        for part in parts:
            arrow = part.text.find("->")
            if arrow == -1:
                self.error(part, "matching answer must be written 'question -> answer'")
                continue
            question, fmt = text_with_format(part.text[:arrow], self.format)
            match = trim(unescape(part.text[arrow + 2 :]))
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

    def truefalse(self, answer: Seg) -> TrueFalse:
        bits = answer.text.split("#", 2)
        correct = TRUE_FALSE[trim(bits[0])]
        wrong, wrong_format = text_with_format(trim(bits[1]) if len(bits) > 1 else "", self.format)
        right, right_format = text_with_format(trim(bits[2]) if len(bits) > 2 else "", self.format)
        if correct:
            return TrueFalse(True, right, wrong, right_format, wrong_format)
        return TrueFalse(False, wrong, right, wrong_format, right_format)

    def numerical(self, answer: Seg) -> tuple[Answer, ...]:
        wrong: Seg | None = None
        tilde = answer.text.find("~")
        if tilde != -1:
            wrong = answer.cut(tilde)
            answer = answer.cut(0, tilde)
        parts = self.items(split(answer, "="), 1, "numerical question")
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
        self, seg: Seg, spec: str
    ) -> tuple[float | None, float, float | None, float | None] | None:
        """``value``, ``value:tolerance``, ``min..max`` or ``*``, read as Moodle reads them."""
        if spec.find("..") > 0:
            low_text, high_text = trim(spec[: spec.find("..")]), trim(spec[spec.find("..") + 2 :])
            if not (is_php_numeric(low_text) and is_php_numeric(high_text)):
                self.error(seg, f"numerical range {spec!r} must be written min..max with numbers")
                return None
            low, high = sorted((float(low_text), float(high_text)))
            middle = (low + high) / 2
            return middle, high - middle, low, high
        if spec.find(":") > 0:
            value_text, tolerance_text = (
                trim(spec[: spec.find(":")]),
                trim(spec[spec.find(":") + 1 :]),
            )
        else:
            value_text, tolerance_text = trim(spec), "0"
        if not is_php_numeric(tolerance_text):
            self.error(seg, f"numerical tolerance {tolerance_text!r} is not a number")
            return None
        if value_text == "*":
            return None, 0.0, None, None
        if not is_php_numeric(value_text):
            self.error(seg, f"numerical answer {value_text!r} is not a number")
            return None
        value, tolerance = float(value_text), abs(float(tolerance_text))
        if not (math.isfinite(value) and math.isfinite(tolerance)):
            self.error(seg, f"numerical answer {spec!r} is out of range")
            return None
        return value, tolerance, None, None
