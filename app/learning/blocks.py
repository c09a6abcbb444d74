"""Lesson blocks: "check yourself" questions and branching scenarios inside a lesson's Markdown.

A block opens with a line `::: check <id>` or `::: scenario <id>` and closes with a line `:::`
(the syntax is in docs/CONTENT.md). `parse_blocks` reads them with the problems a content check
reports; `render_lesson` renders a lesson body to HTML in which each block is a placeholder
comment `<!--block:<id>-->` (the same HTML for every learner, so it can be stored), and
`fill_blocks` replaces each placeholder with the block's form for one learner.

Lenient where the syntax leaves room: `[X]` counts as `[x]`; feedback lines may be indented by
any amount and need no space after `>`; an indented line after an option that is not feedback
continues the option's text; blank lines between options are ignored; fenced code is never
searched for blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from app.core.markdown import render_markdown

KINDS = ("check", "scenario")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # kept in lesson_block_answers.block_id
OPEN_RE = re.compile(r"^:::[ \t]*(\S+)?[ \t]*(.*?)[ \t]*$")
CLOSE_RE = re.compile(r"^:::[ \t]*$")
CHECK_OPTION_RE = re.compile(r"^\*[ \t]+\[([ xX])\][ \t]*(.*)$")
CHOICE_RE = re.compile(r"^\*[ \t]+(.*)$")
FEEDBACK_RE = re.compile(r"^[ \t]*>[ \t]?(.*)$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
PLACEHOLDER_RE = re.compile(r"<!--block:([a-z0-9][a-z0-9-]*)-->")
MIN_OPTIONS, MAX_OPTIONS = 2, 5


@dataclass
class Option:
    text: str
    feedback: str = ""
    correct: bool = False  # check blocks only
    line: int = 0


@dataclass
class Block:
    kind: str  # "check" or "scenario"
    id: str
    line: int  # the opening line, counted from the body's first line as 1
    prompt: str = ""  # a check's question, a scenario's situation (Markdown)
    title: str = ""  # scenarios only
    back: str = ""  # scenarios only: the lesson slug it points back to
    back_line: int = 0
    options: list[Option] = field(default_factory=list)

    @property
    def right(self) -> int | None:
        """The index of a check's right option (None for a scenario)."""
        return next((i for i, o in enumerate(self.options) if o.correct), None)


@dataclass(frozen=True)
class BlockProblem:
    line: int  # counted from the body's first line as 1
    message: str


@dataclass
class Parsed:
    blocks: list[Block]
    problems: list[BlockProblem]
    segments: list[str | Block]  # the body in order: Markdown text between blocks, and blocks


def _split(body: str) -> Iterator[tuple[str, int, list[str] | None, int | None]]:
    """Yield ('text', line, lines, None) runs, ('block', line, lines, close_line) blocks and
    ('stray', line, [line], None) for a closing ':::' that closes no block."""
    lines = body.splitlines()
    text: list[str] = []
    text_start = 1
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        match = FENCE_RE.match(line)
        if match:
            fence = None if fence == match.group(1) else fence or match.group(1)
        if fence is None and CLOSE_RE.match(line):
            if text:
                yield "text", text_start, text, None
            yield "stray", index + 1, [line], None
            text, index = [], index + 1
            continue
        if fence is None and line.startswith(":::"):
            if text:
                yield "text", text_start, text, None
            start = index
            index += 1
            while index < len(lines) and not CLOSE_RE.match(lines[index]):
                if lines[index].startswith(":::"):
                    break  # another block opens: this one was never closed
                index += 1
            closed = index < len(lines) and CLOSE_RE.match(lines[index]) is not None
            yield "block", start + 1, lines[start:index], (index + 1) if closed else None
            if closed:
                index += 1
            text, text_start = [], index + 1
            continue
        if not text:
            text_start = index + 1
        text.append(line)
        index += 1
    if text:
        yield "text", text_start, text, None


def parse_blocks(body: str) -> Parsed:
    """Every block of a lesson body, the problems found, and the body as segments."""
    parsed = Parsed([], [], [])
    seen: dict[str, int] = {}
    for kind, start, lines, close in _split(body):
        assert lines is not None
        if kind == "text":
            parsed.segments.append("\n".join(lines))
            continue
        if kind == "stray":
            parsed.problems.append(BlockProblem(start, "a line ':::' that closes no block"))
            continue
        block, problems = _parse_block(lines, start, close)
        parsed.problems += problems
        if block is None:
            continue
        if block.id in seen:
            parsed.problems.append(
                BlockProblem(start, f"block id '{block.id}' is used twice (line {seen[block.id]})")
            )
            continue
        seen[block.id] = start
        parsed.blocks.append(block)
        parsed.segments.append(block)
    return parsed


def _parse_block(
    lines: list[str], start: int, close: int | None
) -> tuple[Block | None, list[BlockProblem]]:
    opening = OPEN_RE.match(lines[0])
    assert opening is not None
    kind, block_id = opening.group(1) or "", opening.group(2)
    if kind not in KINDS:
        return None, [
            BlockProblem(
                start, f"unknown block '{kind}': a block is '::: check <id>' or '::: scenario <id>'"
            )
        ]
    problems: list[BlockProblem] = []
    if close is None:
        problems.append(BlockProblem(start, f"the {kind} block is not closed by a line ':::'"))
    if not ID_RE.match(block_id):
        problems.append(
            BlockProblem(
                start,
                f"the {kind} block needs an id of at most 80 lower-case letters, digits "
                f"and hyphens after '::: {kind}' (found {block_id!r})",
            )
        )
        return None, problems
    block = Block(kind, block_id, start)
    body = list(enumerate(lines[1:], start=start + 1))
    if kind == "scenario":
        body = _scenario_head(block, body, problems)
    prompt: list[str] = []
    current: Option | None = None
    for number, line in body:
        option = CHECK_OPTION_RE.match(line) if kind == "check" else None
        choice = CHOICE_RE.match(line)
        feedback = FEEDBACK_RE.match(line)
        if kind == "scenario" and line.strip().startswith("back:") and block.options:
            if block.back:
                problems.append(BlockProblem(number, "the scenario has more than one 'back:'"))
            block.back, block.back_line = line.strip()[5:].strip(), number
        elif block.back and line.strip():
            problems.append(BlockProblem(number, "'back:' must be the scenario's last line"))
        elif option or choice:
            text = option.group(2) if option else choice.group(1) if choice else ""
            correct = option is not None and option.group(1) in ("x", "X")
            if kind == "check" and option is None:
                problems.append(
                    BlockProblem(number, "a check option starts '* [ ]' (wrong) or '* [x]' (right)")
                )
            current = Option(text.strip(), correct=correct, line=number)
            block.options.append(current)
        elif feedback and current is not None:
            current.feedback = f"{current.feedback}\n{feedback.group(1)}".strip()
        elif current is not None and line.strip():
            if line[:1] in (" ", "\t") and not current.feedback:
                current.text = f"{current.text} {line.strip()}"
            else:
                problems.append(
                    BlockProblem(
                        number,
                        "after the options only '* ' options, '  > ' feedback "
                        "lines and blank lines may follow",
                    )
                )
        elif current is None:
            prompt.append(line)
    block.prompt = "\n".join(prompt).strip()
    problems += _check_block(block)
    return block, problems


def _scenario_head(
    block: Block, body: list[tuple[int, str]], problems: list[BlockProblem]
) -> list[tuple[int, str]]:
    """Take the `title:` line off a scenario's lines."""
    rest = [(n, line) for n, line in body]
    while rest and not rest[0][1].strip():
        rest.pop(0)
    if rest and rest[0][1].strip().startswith("title:"):
        block.title = rest.pop(0)[1].strip()[6:].strip()
    if not block.title:
        problems.append(BlockProblem(block.line, "the scenario needs a 'title: ...' first line"))
    return rest


def _check_block(block: Block) -> list[BlockProblem]:
    problems: list[BlockProblem] = []
    noun = "options" if block.kind == "check" else "choices"
    if not block.prompt:
        what = "question" if block.kind == "check" else "situation"
        problems.append(BlockProblem(block.line, f"the {block.kind} block has no {what}"))
    if len(block.options) < MIN_OPTIONS:
        problems.append(
            BlockProblem(
                block.line,
                f"the {block.kind} block needs at least {MIN_OPTIONS} {noun} "
                f"(found {len(block.options)})",
            )
        )
    if len(block.options) > MAX_OPTIONS:
        problems.append(
            BlockProblem(
                block.line,
                f"the {block.kind} block has {len(block.options)} {noun}; at most {MAX_OPTIONS}",
            )
        )
    for option in block.options:
        if not option.text:
            problems.append(BlockProblem(option.line, "an option without text"))
        if not option.feedback:
            what = "feedback" if block.kind == "check" else "consequence"
            problems.append(
                BlockProblem(
                    option.line,
                    f"the option '{option.text[:40]}' has no {what} line ('  > ...') after it",
                )
            )
    if block.kind == "check":
        right = sum(1 for option in block.options if option.correct)
        if right == 0:
            problems.append(BlockProblem(block.line, "the check has no right option ('* [x]')"))
        elif right > 1:
            problems.append(
                BlockProblem(
                    block.line,
                    f"the check has {right} right options ('* [x]'); exactly one is right",
                )
            )
    elif not block.back:
        problems.append(
            BlockProblem(block.line, "the scenario needs a last line 'back: <lesson-slug>'")
        )
    return problems


def render_lesson(body: str) -> Markup:
    """The lesson's HTML, the same for every reader: each block becomes `<!--block:<id>-->`.

    The Markdown between blocks is rendered (and sanitised) piece by piece, so a sanitiser never
    sees the placeholders, which only this function writes.
    """
    parts: list[str] = []
    for segment in parse_blocks(body).segments:
        if isinstance(segment, Block):
            parts.append(f"<!--block:{segment.id}-->")
        elif segment.strip():
            parts.append(str(render_markdown(segment)))
    return Markup("\n".join(parts))


def fill_blocks(html: str, render: Callable[[str], str]) -> Markup:
    """Replace each placeholder of `render_lesson`'s HTML by `render(block_id)`."""
    return Markup(PLACEHOLDER_RE.sub(lambda match: render(match.group(1)), html))


def blocks_by_id(body: str) -> dict[str, Block]:
    return {block.id: block for block in parse_blocks(body).blocks}


BACK_RE = re.compile(r"^(?:\d\d-)?([a-z0-9][a-z0-9-]*)$")


def back_slug(back: str) -> str:
    """The lesson slug a scenario's `back:` names: `03-controlled-deliveries` (the file name, as
    docs/CONTENT.md writes it) or `controlled-deliveries` (the slug alone) both work."""
    match = BACK_RE.match(back)
    return match.group(1) if match else back


@dataclass
class LessonAnswers:
    """One learner's answers in one lesson, for the module page."""

    checks: int = 0
    answered: int = 0
    right: int = 0
    scenarios: list[tuple[Block, int | None]] = field(default_factory=list)

    @property
    def blocks(self) -> int:
        return self.checks + len(self.scenarios)


def summarise(body: str, chosen: dict[str, int]) -> LessonAnswers:
    """Count a lesson's checks answered and right, and list its scenarios with the choice made
    (`chosen`: block id -> option index; an index the block no longer has counts as none)."""
    summary = LessonAnswers()
    for block in parse_blocks(body).blocks:
        choice = chosen.get(block.id)
        if choice is not None and not 0 <= choice < len(block.options):
            choice = None
        if block.kind == "scenario":
            summary.scenarios.append((block, choice))
            continue
        summary.checks += 1
        if choice is not None:
            summary.answered += 1
            summary.right += int(choice == block.right)
    return summary
