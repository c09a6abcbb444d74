"""A GIFT text cut into questions at blank lines, each joined and escaped as Moodle does, with
the line of every character kept for problem reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from app.learning.gift.text import ESCAPABLE, PHP_WHITESPACE, PLACEHOLDER, trim
from app.learning.gift.types import GiftProblem


class Seg(NamedTuple):
    """A piece of a question's (placeholder-escaped) text and where it starts in it."""

    text: str
    start: int

    def strip(self) -> Seg:
        left = self.text.lstrip(PHP_WHITESPACE)
        if not left:  # nothing left: stay where the piece began, for a problem's line
            return Seg("", self.start)
        return Seg(left.rstrip(PHP_WHITESPACE), self.start + len(self.text) - len(left))

    def cut(self, begin: int, end: int | None = None) -> Seg:
        return Seg(self.text[begin:end], self.start + begin)


def split(seg: Seg, drop: str, keep: str = "") -> list[Seg]:
    """Split at every character in ``drop`` (removed) and before every one in ``keep``."""
    parts: list[Seg] = []
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


class Block:
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
            elif ch == "\\" and nxt and nxt in ESCAPABLE:
                text.append(PLACEHOLDER[nxt])
            else:
                text.append(ch)
                self._lines.append(where[i])
                i += 1
                continue
            self._lines.append(where[i])
            i += 2
        self.first_line = lines[0][0]
        # Moodle reads a question's idnumber and tags from its comment lines, before escapes.
        self.comments = "\n".join(line for _, line in lines if line.startswith("//"))
        self.seg = Seg("".join(text), 0).strip()

    def line(self, pos: int) -> int:
        if not self._lines:
            return self.first_line
        return self._lines[min(max(pos, 0), len(self._lines) - 1)]

    def problem(self, where: Seg | int, message: str) -> GiftProblem:
        """A problem at a position (or at the start of a segment) of the question's text."""
        pos = where.start if isinstance(where, Seg) else where
        return GiftProblem(self.line(pos), message)


def blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """qformat_default::readdata() + readquestions(): questions are separated by blank lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    raw = text.split("\r") if "\n" not in text and "\r" in text else text.split("\n")
    current: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        line = trim(line)
        if line in ("", "0"):  # PHP empty() is true for "0" as well
            if current:
                yield current
                current = []
        else:
            current.append((number, line))
    if current:
        yield current
