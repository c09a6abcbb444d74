"""Rendering Markdown costs work linear in the text, whatever the text.

One forum post of 20,000 `[` characters (or `[a](`, `![x](`, `<a ` repeated) cost about a minute
of CPU, on every page that rendered it. These tests count work, not time: the lines of Python run
inside Python-Markdown and app/core, plus what Python-Markdown's regexes that scan in C read:
the characters matched by the raw-HTML start-tag regex, the characters the end-tag search reads,
and for the fenced-code regex an upper bound (an attempt at a line that starts with a fence may
read to the end of the text). The count for a text four times longer must be at most five times
the count for the shorter one.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import markdown
import markdown.htmlparser
import pytest
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from app.core.markdown import EXTENSIONS, markdown_to_text, render_markdown
from app.core.markdown_linear import LinearExtension

REPOSITORY = Path(__file__).resolve().parents[1]
COUNTED_FOLDERS = (
    str(Path(markdown.__file__).parent),
    str(Path(render_markdown.__code__.co_filename).parent),  # app/core: its Markdown modules
)


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: unit * (size // len(unit))


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "[": _repeat("["),
    "[a](": _repeat("[a]("),
    "![x](": _repeat("![x]("),
    "[a](b) ": _repeat("[a](b) "),
    "[r] with definitions": lambda size: (
        "".join(f"[r{i}] " for i in range(size // 12))
        + "\n\n"
        + "".join(f"[r{i}]: /x\n" for i in range(size // 12))
    ),
    "control characters": lambda size: "".join(chr(i % 32) for i in range(size)),
    "*": _repeat("*"),
    "**a": _repeat("**a"),
    "`": _repeat("`"),
    "<": _repeat("<"),
    "<a ": _repeat("<a "),
    "<a newline": _repeat("<a\n"),
    "<div x=": _repeat("<div x="),
    "</a ": _repeat("</a "),
    "~~~a newline": _repeat("~~~a\n"),
    "~~~ then text": lambda size: "~~~\n" + "x\n" * (size // 2),
    "fenced blocks": _repeat("```\ncode\n```\n\n"),
    ">": _repeat(">"),
}


class _CountingRegex:
    """Stands in for a compiled regex and adds what each call reads to a counter."""

    def __init__(self, regex: re.Pattern[str], counter: list[int]) -> None:
        self.regex = regex
        self.counter = counter

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        found = self.regex.match(string, pos)
        if found:
            self.counter[0] += found.end() - pos
        return found

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        found = self.regex.search(string, pos)
        self.counter[0] += (found.end() if found else len(string)) - pos
        return found


class _CountingFenceRegex(_CountingRegex):
    """The fence regex searched line by line (it is anchored at line starts), so that each
    attempt is counted: what it matched, or the rest of the text at a line starting a fence."""

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        start = pos
        if start > 0 and string[start - 1] != "\n":
            start = string.find("\n", start) + 1
            if start == 0:
                return None
        while True:
            found = self.regex.match(string, start)
            if found:
                self.counter[0] += found.end() - start
                return found
            if string.startswith(("~~~", "```"), start):
                self.counter[0] += len(string) - start
            newline = string.find("\n", start)
            if newline < 0:
                return None
            start = newline + 1


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[str], Any], str], int]]:
    """work(render, text): lines of Python run plus characters scanned by the start-tag regex."""
    counter = [0]
    parser_module = markdown.htmlparser.htmlparser
    for name in ("locatestarttagend_tolerant", "endendtag"):
        monkeypatch.setattr(
            parser_module, name, _CountingRegex(getattr(parser_module, name), counter)
        )
    fences = FencedBlockPreprocessor.FENCED_BLOCK_RE
    monkeypatch.setattr(
        FencedBlockPreprocessor, "FENCED_BLOCK_RE", _CountingFenceRegex(fences, counter)
    )

    def count_lines(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            counter[0] += 1
        return count_lines

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename.startswith(COUNTED_FOLDERS):
            return count_lines
        return None

    def measure(render: Callable[[str], Any], text: str) -> int:
        counter[0] = 0
        previous = sys.gettrace()
        sys.settrace(calls)
        try:
            render(text)
        finally:
            sys.settrace(previous)
        return counter[0]

    yield measure


@pytest.mark.parametrize("render", [render_markdown, markdown_to_text])
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_rendering_work_grows_linearly_with_the_text(
    work: Callable[[Callable[[str], Any], str], int],
    render: Callable[[str], Any],
    name: str,
) -> None:
    make = PATHOLOGICAL[name]
    fixed = work(render, "x")  # building the Markdown instance, whatever the text
    short = work(render, make(1_000)) - fixed
    long = work(render, make(4_000)) - fixed
    assert long <= 5 * max(short, 1_000), f"{name!r}: {short:,} then {long:,} units of work"


def _plain_python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=[*EXTENSIONS, "attr_list"])


def _linear_python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=[*EXTENSIONS, "attr_list", LinearExtension()])


ORDINARY = """\
## Routes and brokers

The **shipment** was declared as *machine parts*, see [the port](https://example.org/p "Port")
and [a page](https://en.wikipedia.org/wiki/Hop_(networking)), [nested [brackets]](/x),
[a reference][ref], [ref] and ![a chart](https://example.org/c.png 'Chart').
Inline `code <b>` and <abbr title="Small Arms Survey">SAS</abbr>, a<b and c>d, x < y.

[ref]: https://example.org/ref "The reference"

<div class="note">
raw <em>block</em>
</div>

```python
if a < b and c > d:
    print("<a href='x'>")
```

~~~
tilde fence
~~~

| Country | Seized |
| --- | --- |
| Atlantis | 12 |

1. first
2. second

> a quote with [a link](/cases/x)

Text {: .lead }
"""


def test_ordinary_markdown_renders_as_python_markdown_renders_it() -> None:
    texts = [ORDINARY]
    for folder in ("courses", "cases"):
        texts += [path.read_text() for path in sorted((REPOSITORY / folder).rglob("*.md"))]
    assert len(texts) > 100
    for text in texts:
        assert _linear_python_markdown(text) == _plain_python_markdown(text)


def test_link_targets_parse_as_python_markdown_parses_them() -> None:
    """Random texts of brackets, parentheses and quotes, the characters getLink reads."""
    pieces = ["[a]", "(", ")", "'", '"', " ", "x", "\n", "[", "]", "![i]", "<u>", "\\", "[r]"]
    chooser = random.Random(12)
    for _ in range(2_000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 30)))
        text += "\n\n[r]: /u 'T'"
        assert _linear_python_markdown(text) == _plain_python_markdown(text), repr(text)
