"""Python-Markdown in time linear in the text, whatever the text (a forum post is anyone's).

Python-Markdown scans to the end of the text from each of many starting points in four places,
so one 20,000-character post of `[a](`, `<a ` or `~~~a` lines cost seconds to a minute of CPU.
`LinearExtension` keeps Python-Markdown's output and makes each of these scans stop where the
construct it looks for can end:

- link text `[...]`: the closing bracket of every position is computed once per text and reused
  while the inline processor only replaces what lies before the position (it rebuilds the text
  after every link, and Python-Markdown recomputed the table each time: many links, quadratic);
- link target `(...)`: where the target closes (or that it never does) is read from tables of
  the text's parentheses and quotes, then Python-Markdown parses just that slice;
- raw HTML: a `<` followed by a letter reaches Python-Markdown's HTML parser only when a complete,
  well-formed start tag follows (no `<` inside it); other ones are hidden from the parser, which
  would only have scanned to the end of the text to treat them as text, and put back after it;
- fenced code: an opening fence reaches the fence regex only when a closing fence follows it.

C0 control characters (but tab, newline and carriage return) are removed first: they have no
place in a post, and the hidden characters above are control characters. What renders differently
from plain Python-Markdown: a `<` + letter that does not begin a well-formed start tag is always
text (Python-Markdown sometimes merged it with the tags after it into one bogus tag, as in `a<b`
followed by a `<div>` block), and a fence whose `hl_lines` value spans lines is text.
tests/test_markdown_linear.py checks that ordinary Markdown, the course and case files among it,
renders exactly as with plain Python-Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Markdown
from markdown import inlinepatterns as inline
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.preprocessors import Preprocessor

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HIDDEN_LT = "\x1a"  # a `<` the HTML parser must not see
HIDDEN_FENCE = {"~": "\x1c", "`": "\x1d"}  # the first character of a fence that cannot close
SHOWN = str.maketrans({HIDDEN_LT: "<", "\x1c": "~", "\x1d": "`"})

# A start tag with no `<` inside: where it ends, Python-Markdown's tolerant start-tag regex
# (markdown/htmlparser.py, `locatestarttagend_tolerant`) ends too. ASCII whitespace only, as in
# that regex's tag name.
WELL_FORMED_START_TAG = re.compile(
    r"""<[a-zA-Z][a-zA-Z0-9:-]*
    (?:[ \t\n\r\f]+[^ \t\n\r\f"'<>/=`]+
      (?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"<]*"|'[^'<]*'|[^ \t\n\r\f"'=<>`]+))?)*
    [ \t\n\r\f]*/?>""",
    re.VERBOSE,
)
TAG_OPEN = re.compile(r"<(/?)(?=[a-zA-Z])")
# Fenced code (markdown/extensions/fenced_code.py, FENCED_BLOCK_RE), one line at a time.
FENCE_LINE = re.compile(r"(~{3,}|`{3,})(.*)")
OPENING_FENCE_REST = re.compile(
    r"""[ ]*(?:\{(?P<attrs>[^\n]*)\}
    |(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(?P<quote>["'])[^\n]*?(?P=quote)[ ]*)?)""",
    re.VERBOSE,
)
CLOSING_FENCE_REST = re.compile(r"[ ]*")


def hide_unclosable_tags(text: str) -> str:
    """Hide each `<` + letter that does not begin a well-formed start tag, and each `</` +
    letter that no `>` follows (the parser would search the rest of the text for one)."""
    last_gt = text.rfind(">")

    def hide(match: re.Match[str]) -> str:
        if match.group(1):
            return "</" if match.start() < last_gt else HIDDEN_LT + "/"
        return "<" if WELL_FORMED_START_TAG.match(text, match.start()) else HIDDEN_LT

    return TAG_OPEN.sub(hide, text)


def hide_unclosable_fences(text: str) -> str:
    """Hide the first character of each opening fence that no closing fence follows."""
    lines = text.split("\n")
    closing_fences_below: set[str] = set()
    for number in range(len(lines) - 1, -1, -1):
        match = FENCE_LINE.fullmatch(lines[number])
        if not match:
            continue
        fence, rest = match.groups()
        if CLOSING_FENCE_REST.fullmatch(rest):
            # It may close a fence above, so it stays; unclosed, it costs one scan to the end
            # of the text, once per fence length.
            closing_fences_below.add(fence)
        elif fence not in closing_fences_below or not _opens_a_block(rest):
            lines[number] = HIDDEN_FENCE[fence[0]] + lines[number][1:]
    return "\n".join(lines)


def _opens_a_block(rest: str) -> bool:
    match = OPENING_FENCE_REST.fullmatch(rest)
    if match is None:
        return False
    attrs = match.group("attrs")
    return attrs is None or not get_attrs_and_remainder(attrs)[1]


class ControlCharacters(Preprocessor):
    """Remove C0 control characters but tab, newline and carriage return."""

    def run(self, lines: list[str]) -> list[str]:
        return [CONTROL_RE.sub("", line) for line in lines]


class Hiding(Preprocessor):
    """Run `wrapped` on the text with some characters hidden, then show them again."""

    def __init__(self, md: Markdown, wrapped: Preprocessor, hide: Callable[[str], str]) -> None:
        super().__init__(md)
        self.wrapped = wrapped
        self.hide = hide

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        hidden = self.hide(text)
        if hidden == text:
            return self.wrapped.run(lines)
        stash = self.md.htmlStash.rawHtmlBlocks
        first = len(stash)
        result = self.wrapped.run(hidden.split("\n"))
        for number in range(first, len(stash)):
            block = stash[number]
            if isinstance(block, str):
                stash[number] = block.translate(SHOWN)
        return [line.translate(SHOWN) for line in result]


def closing_ends(text: str, opening: str, closing: str) -> list[int | None]:
    """For each index, the index just past the `closing` character that closes an `opening` one
    placed just before it, or None (the table of markdown's LinkInlineProcessor.getText)."""
    ends: list[int | None] = [None] * (len(text) + 1)
    depth = 0
    waiting: list[tuple[int, int]] = []  # (index, depth there), depths increasing upwards
    for index in range(len(text) + 1):
        while waiting and depth < waiting[-1][1]:
            ends[waiting.pop()[0]] = index
        waiting.append((index, depth))
        if index < len(text):
            if text[index] == opening:
                depth += 1
            elif text[index] == closing:
                depth -= 1
    return ends


def next_of(text: str, characters: str) -> list[int]:
    """For each index, the first index at or after it holding one of `characters` (else len)."""
    found = [len(text)] * (len(text) + 1)
    for index in range(len(text) - 1, -1, -1):
        found[index] = index if text[index] in characters else found[index + 1]
    return found


@dataclass
class TargetTables:
    """What markdown's LinkInlineProcessor.getLink needs to know where a `(target)` ends."""

    text: str
    paren_ends: list[int | None]
    depth: list[int]  # `(` minus `)` before each index
    parens: list[int]  # indexes of `(` and `)`
    parens_before: list[int]  # how many of them before each index
    next_quote: list[int]
    next_single: list[int]
    next_double: list[int]
    next_quoted_close: list[int]  # next `)` whose last character before, spaces aside, is a quote
    quote_before: list[int]  # for such a `)`: the index of that quote

    @classmethod
    def of(cls, text: str) -> TargetTables:
        depth, parens, parens_before, quote_before = [0], [], [0], [-1] * (len(text) + 1)
        last_non_space = -1
        for index, character in enumerate(text):
            if character == ")" and last_non_space >= 0 and text[last_non_space] in "'\"":
                quote_before[index] = last_non_space
            if character in "()":
                parens.append(index)
            depth.append(depth[-1] + (character == "(") - (character == ")"))
            parens_before.append(len(parens))
            if character != " ":
                last_non_space = index
        quoted_close = [len(text)] * (len(text) + 1)
        for index in range(len(text) - 1, -1, -1):
            quoted_close[index] = index if quote_before[index] >= 0 else quoted_close[index + 1]
        return cls(
            text,
            closing_ends(text, "(", ")"),
            depth,
            parens,
            parens_before,
            next_of(text, "'\""),
            next_of(text, "'"),
            next_of(text, '"'),
            quoted_close,
            quote_before,
        )


class LinearBrackets(inline.LinkInlineProcessor):
    """getText and getLink of Python-Markdown, reading precomputed tables instead of scanning.

    The tables are computed for one text and stay valid for a later text whose part from the
    index on is the same (the tables of a position depend only on what follows it): the inline
    processor rebuilds the text after each link by replacing what lies before the next index.
    """

    def __init__(self, pattern: str, md: Markdown | None = None) -> None:
        super().__init__(pattern, md)
        self._tables_text = ""
        self._bracket_table: list[int | None] = [None]
        self._target_tables: TargetTables | None = None

    def _shift(self, data: str, index: int) -> int:
        """Offset from `data` to the text of the tables, computing them for `data` if needed."""
        if data is not self._tables_text and not self._tables_text.endswith(data[index:]):
            self._tables_text = data
            self._bracket_table = closing_ends(data, "[", "]")
            self._target_tables = None
        return len(self._tables_text) - len(data)

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        shift = self._shift(data, index)
        end = self._bracket_table[index + shift]
        if end is None:
            return data[index:], len(data), False
        end -= shift
        return data[index : end - 1], end, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        match = self.RE_LINK.match(data, pos=index)
        if match is None or match.group(1):
            return super().getLink(data, index)  # not a target, or `(<url> "title")`: no scan
        shift = self._shift(data, index)
        if self._target_tables is None:
            self._target_tables = TargetTables.of(self._tables_text)
        end = self._target_end(self._target_tables, match.end() + shift, len(self._tables_text))
        if end is None:
            return "", None, len(data), False
        if end < 0:  # Python-Markdown's own answer ends at index -1: ask it with the whole text
            return super().getLink(data, index)
        href, title, stop, handled = super().getLink(data[index : end - shift], 0)
        return href, title, stop + index, handled

    @staticmethod
    def _target_end(tables: TargetTables, start: int, length: int) -> int | None:
        """Where getLink's scan from `start` stops (the index past it), None when it fails, -1
        when it ends on its "unclosed title" rule at an opening parenthesis."""
        close = tables.paren_ends[start]
        quote = tables.next_quote[start]
        if quote >= length or (close is not None and quote >= close - 1):
            return close  # no title: the matching `)` closes the target, or nothing does
        # From the first quote on, parentheses no longer nest: a `)` closes the target when the
        # quote just before it (spaces aside) ends a title, that is when it is not the first
        # quote itself nor the first quote of the other kind after it.
        text = tables.text
        first_other = (tables.next_double if text[quote] == "'" else tables.next_single)[quote + 1]
        candidate = tables.next_quoted_close[quote + 1]
        while candidate < length:
            before = tables.quote_before[candidate]
            if before > (quote if text[before] == text[quote] else first_other):
                return candidate + 1
            candidate = tables.next_quoted_close[candidate + 1]
        # No title ends: the scan reaches the end of the text, then falls back to the parenthesis
        # that balances the ones open at the first quote, counting every parenthesis after it.
        rank = tables.parens_before[quote] + tables.depth[quote] - tables.depth[start]
        if rank >= len(tables.parens):
            return None
        paren = tables.parens[rank]
        return paren + 1 if text[paren] == ")" else -1


def _linear(base: type[inline.LinkInlineProcessor]) -> type[inline.LinkInlineProcessor]:
    return type(f"Linear{base.__name__}", (LinearBrackets, base), {})


# name, class and regex of the link processors in markdown.inlinepatterns.build_inlinepatterns
LINK_PROCESSORS = (
    ("reference", inline.ReferenceInlineProcessor, inline.REFERENCE_RE, 170),
    ("link", inline.LinkInlineProcessor, inline.LINK_RE, 160),
    ("image_link", inline.ImageInlineProcessor, inline.IMAGE_LINK_RE, 150),
    ("image_reference", inline.ImageReferenceInlineProcessor, inline.IMAGE_REFERENCE_RE, 140),
    ("short_reference", inline.ShortReferenceInlineProcessor, inline.REFERENCE_RE, 130),
    ("short_image_ref", inline.ShortImageReferenceInlineProcessor, inline.IMAGE_REFERENCE_RE, 125),
)


class LinearExtension(Extension):
    """Register the above in place of Python-Markdown's own, under the same names."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(ControlCharacters(md), "control_characters", 35)
        if "fenced_code_block" in md.preprocessors:
            fences = md.preprocessors["fenced_code_block"]
            md.preprocessors.register(
                Hiding(md, fences, hide_unclosable_fences), "fenced_code_block", 25
            )
        html = md.preprocessors["html_block"]
        md.preprocessors.register(Hiding(md, html, hide_unclosable_tags), "html_block", 20)
        for name, base, pattern, priority in LINK_PROCESSORS:
            md.inlinePatterns.register(_linear(base)(pattern, md), name, priority)
