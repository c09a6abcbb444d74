"""Differences between two texts as a reader wants them: changed lines with their changed words
marked, unchanged lines around them for context (difflib).

Used by the case digest's revision comparison and the forum's post history; templates show the
result with the `diff_lines` macro (app/templates/macros.html).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

WORD_RE = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same" | "added" | "removed" | "changed" | "skip"
    text: str
    # For "changed": the line as (op, text) pieces, op "same" | "added" | "removed".
    segments: tuple[tuple[str, str], ...] = ()


def word_segments(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """A changed line as pieces: the words only in `old` removed, only in `new` added."""
    old_words, new_words = WORD_RE.findall(old), WORD_RE.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(old_words[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(new_words[j1:j2])))
    return tuple(pieces)


def _similar(old: str, new: str) -> bool:
    """Lines alike enough that marking their words reads better than two whole lines."""
    matcher = difflib.SequenceMatcher(
        a=WORD_RE.findall(old), b=WORD_RE.findall(new), autojunk=False
    )
    return matcher.ratio() >= 0.5


def diff_lines(old: str, new: str, context: int = 2) -> list[DiffLine]:
    """The lines that changed from `old` to `new`, with `context` unchanged lines around each
    change and a "skip" line where unchanged lines are left out."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old_lines[i1:i2])
                continue
            removed, added = old_lines[i1:i2], new_lines[j1:j2]
            if tag == "replace" and len(removed) == len(added):
                for before, after in zip(removed, added, strict=True):
                    if _similar(before, after):
                        lines.append(DiffLine("changed", after, word_segments(before, after)))
                    else:
                        lines.extend((DiffLine("removed", before), DiffLine("added", after)))
                continue
            lines.extend(DiffLine("removed", line) for line in removed)
            lines.extend(DiffLine("added", line) for line in added)
    return lines


def changed(lines: list[DiffLine]) -> bool:
    return any(line.op in ("added", "removed", "changed") for line in lines)
