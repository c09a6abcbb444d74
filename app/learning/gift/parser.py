"""Moodle GIFT quiz format: the parser and checker.

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

import os
import re

from app.learning.gift.answers import TRUE_FALSE, AnswerParser
from app.learning.gift.comments import extract_idnumber_and_tags
from app.learning.gift.lexer import Block, Seg, blocks
from app.learning.gift.naming import clean_name, default_name
from app.learning.gift.text import text_with_format, trim, unescape
from app.learning.gift.types import (
    Answer,
    GiftError,
    GiftProblem,
    Question,
    QuestionType,
    TextFormat,
)

_RESERVED = re.compile("[\ue000-\ue006]")
_BLANK = "_____"


def parse_gift(text: str, source: str = "<string>") -> list[Question]:
    """Parse GIFT text; raise :class:`GiftError` listing every problem if any question is bad."""
    questions, problems = parse_text(text)
    if problems:
        raise GiftError(problems, source)
    return questions


def check_gift(text: str, source: str = "<string>") -> list[GiftProblem]:
    """Return every problem in the GIFT text (empty when it is valid); never raises.

    ``source`` is accepted for symmetry with :func:`parse_gift`; format the problems with
    ``problem.format(source)`` to get ``path:line: message`` lines.
    """
    del source
    return parse_text(text)[1]


def load_gift(path: str | os.PathLike[str]) -> list[Question]:
    """Read a UTF-8 GIFT file and parse it, naming the file in any error."""
    with open(path, encoding="utf-8") as handle:
        return parse_gift(handle.read(), os.fspath(path))


def parse_text(text: str) -> tuple[list[Question], list[GiftProblem]]:
    """Every question that reads without problems, and every problem found in the text."""
    questions: list[Question] = []
    problems: list[GiftProblem] = []
    category: str | None = None
    for lines in blocks(text):
        block = Block(lines)
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
                category = trim(unescape(rest.text))
        else:
            question = _QuestionParser(block, category, found).parse()
            if question is not None and not found:
                questions.append(question)
        problems.extend(found)
    return questions, problems


class _QuestionParser:
    def __init__(self, block: Block, category: str | None, problems: list[GiftProblem]) -> None:
        self.block = block
        self.category = category
        self.problems = problems
        self.format: TextFormat = "moodle"
        self.opening = 0  # position of the answer block's '{', for errors about the block

    def error(self, seg_or_pos: Seg | int, message: str) -> None:
        self.problems.append(self.block.problem(seg_or_pos, message))

    def parse(self) -> Question | None:
        body = self.block.seg
        name: str | None = None
        if body.text.startswith("::"):
            end = body.text.find("::", 2)
            if end == -1:
                body = body.cut(2)  # Moodle drops the "::" and makes up a name
            else:
                name = clean_name(unescape(body.text[2:end]))
                body = body.cut(end + 2).strip()

        opening, closing = body.text.find("{"), body.text.find("}")
        answer: Seg | None = None
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
            first = f"line {self.block.line(body.start + opening)}"
            hint = (
                " (in [html] markup too: Moodle starts the answer block at the first '{')"
                if body.text.startswith("[html]")
                else ""
            )
            if "{" in answer.text:
                self.error(
                    answer.start + answer.text.index("{"),
                    f"'{{' inside an answer block: this is a second '{{' before the '}}' that "
                    f"closes the block opened on {first}; escape each brace that belongs to the "
                    f"text as \\{{{hint}",
                )
                return None
            after = body.text[closing + 1 :]
            for brace in "{}":
                if brace in after:
                    self.error(
                        body.start + closing + 1 + after.index(brace),
                        f"'{brace}' after the answer block (opened on {first}): a question has "
                        f"one answer block, so Moodle would keep this brace as text; escape each "
                        f"brace that belongs to the text as \\{brace}{hint}",
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

        text, self.format = text_with_format(raw_text, "moodle")
        general_feedback, general_format = text_with_format(general, self.format)
        explicit = name is not None
        if name is None:
            name = default_name(text)

        qtype: QuestionType
        answers: tuple[Answer, ...] = ()
        reader = AnswerParser(self.block, self.problems, self.format, self.opening)
        if answer is None:
            qtype = "description"
            if not text:
                self.error(self.block.seg, "question has neither text nor an answer block")
        elif answer.text == "":
            qtype = "essay"
        elif answer.text.startswith("#"):
            qtype, answers = "numerical", reader.numerical(answer.cut(1))
        elif "~" in answer.text:
            single = "=" in answer.text
            qtype = "multichoice" if single else "multiresponse"
            answers = reader.multichoice(answer)
        elif "=" in answer.text and "->" in answer.text:
            qtype, answers = "matching", reader.matching(answer)
        else:
            check = answer.text
            if answer.text.find("#") > 0:
                check = trim(answer.text[: answer.text.find("#")])
            if check in TRUE_FALSE:
                qtype, answers = "truefalse", (reader.truefalse(answer),)
            else:
                qtype, answers = "shortanswer", reader.shortanswer(answer)

        idnumber, tags = extract_idnumber_and_tags(self.block.comments)
        return Question(
            name=name,
            type=qtype,
            text=text,
            format=self.format,
            answers=answers,
            general_feedback=general_feedback,
            general_feedback_format=general_format,
            category=self.category,
            idnumber=idnumber,
            tags=tags,
            line=self.block.line(self.block.seg.start),
            explicit_name=explicit,
        )
