"""Lists that start right after a line of text, as people type them ("Questions:\\n1. ...").

Python-Markdown starts a list only after a blank line, so a numbered list typed under a line of
text became one run-on paragraph. CommonMark (and every forum people know) lets a bullet list, or
a numbered list starting at 1, interrupt a paragraph. `ListsAfterTextExtension` puts back the
blank line Python-Markdown wants, outside fenced code and only after a plain paragraph line.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

LIST_START_RE = re.compile(r" {0,3}(?:[*+-]|1[.)])[ \t]+\S")
HORIZONTAL_RULE_RE = re.compile(r" {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
# Lines that are not part of a plain paragraph: headings, quotes, tables, indented code, HTML.
NOT_PARAGRAPH_RE = re.compile(r"(?: {0,3}[#>|<])|(?: {4}|\t)")


def _is_list_start(line: str) -> bool:
    return bool(LIST_START_RE.match(line)) and not HORIZONTAL_RULE_RE.match(line)


def separate_lists(lines: list[str]) -> list[str]:
    """Insert a blank line before a list item that directly follows a paragraph line."""
    out: list[str] = []
    fence: str | None = None
    in_list = False
    for line in lines:
        fence_match = FENCE_RE.match(line)
        if fence is not None:
            closing = fence_match.group(1) if fence_match else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence = None
            out.append(line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            out.append(line)
            continue
        if not line.strip():
            in_list = False
        elif _is_list_start(line):
            previous = out[-1] if out else ""
            if not in_list and previous.strip() and not NOT_PARAGRAPH_RE.match(previous):
                out.append("")
            in_list = True
        out.append(line)
    return out


class _ListsAfterText(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return separate_lists(lines)


class ListsAfterTextExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Before the fenced-code preprocessor (priority 25) and the HTML block one (20).
        md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 27)
