"""Check and scenario blocks in lesson Markdown: what the parser reads, each malformed block as a
problem of `flask content check` (file and line), the coverage command, and the lesson HTML with
one placeholder per block."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from app.learning.blocks import parse_blocks, render_lesson
from app.learning.translations_files import split_name
from tests.learning.factory import BLOCKS, WORDS, write_course

PACKAGED = Path(__file__).resolve().parents[2] / "courses"

CHECK = textwrap.dedent(
    """\
    ::: check record-minimum
    How long must manufacturing records be kept?
    * [ ] Ten years
      > Too short.
    * [x] Indefinitely if possible, at least thirty years
      > Right: thirty years is the floor.
    :::
    """
)


def _problems(body: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in parse_blocks(body).problems]


def test_the_parser_reads_questions_options_feedback_and_scenarios() -> None:
    parsed = parse_blocks(f"{WORDS}\n\n{BLOCKS}")
    assert parsed.problems == []
    check, second, scenario = parsed.blocks
    assert (check.kind, check.id, check.prompt) == (
        "check", "goods", "Which goods does the Protocol cover?"
    )  # fmt: skip
    assert [(o.text, o.correct) for o in check.options] == [
        ("Complete firearms only", False),
        ("Firearms, their parts and components, and ammunition", True),
    ]
    assert check.options[0].feedback == "Parts and ammunition count too."
    assert check.right == 1 and second.right == 0 and len(second.options) == 3
    assert (scenario.kind, scenario.title, scenario.back) == (
        "scenario", "The stop at night", "01-lesson-1"
    )  # fmt: skip
    assert scenario.prompt.endswith("The driver is in a hurry.") and "\n\n" in scenario.prompt
    assert scenario.options[1].feedback.startswith("Three pistols")


def test_the_parser_is_lenient_where_the_syntax_leaves_room() -> None:
    body = textwrap.dedent(
        """\
        ::: check lenient
        Which is right?
        * [X] The capital X counts
        >feedback without indent or space
        > and a second line
        * [ ] A wrong option whose text
          goes on on the next line

            > indented feedback after a blank line
        :::
        """
    )
    parsed = parse_blocks(body)
    assert parsed.problems == []
    block = parsed.blocks[0]
    assert block.right == 0
    assert block.options[0].feedback == "feedback without indent or space\nand a second line"
    assert block.options[1].text == "A wrong option whose text goes on on the next line"
    assert block.options[1].feedback == "indented feedback after a blank line"


def test_blocks_inside_fenced_code_are_text() -> None:
    body = f"```\n{CHECK}```\n"
    assert parse_blocks(body).blocks == [] and parse_blocks(body).problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (CHECK.replace("* [x]", "* [ ]"), (1, "the check has no right option ('* [x]')")),
        (CHECK.replace("* [ ]", "* [x]"), (1, "the check has 2 right options")),
        (CHECK.replace("  > Too short.\n", ""), (3, "the option 'Ten years' has no feedback")),
        (
            CHECK.replace("* [ ] Ten years\n  > Too short.\n", ""),
            (1, "the check block needs at least 2 options (found 1)"),
        ),
        (CHECK.replace("* [ ] Ten years", "* Ten years"), (3, "a check option starts '* [ ]'")),
        (CHECK.replace(":::\n", "", 1).rstrip(":\n") + "\n", (1, "is not closed")),
        (CHECK.replace("record-minimum", "Record_Minimum"), (1, "needs an id of at most 80")),
        (CHECK.replace("record-minimum", "r" * 81), (1, "needs an id of at most 80")),
        (CHECK + "\n" + CHECK, (9, "block id 'record-minimum' is used twice (line 1)")),
        (CHECK.replace("::: check", "::: quiz"), (1, "unknown block 'quiz'")),
        ("Some text.\n:::\n", (2, "a line ':::' that closes no block")),
        (
            CHECK.replace("How long must manufacturing records be kept?\n", ""),
            (1, "the check block has no question"),
        ),
        (BLOCKS.replace("title: The stop at night\n", ""), (21, "needs a 'title: ...' first")),
        (BLOCKS.replace("back: 01-lesson-1\n", ""), (21, "needs a last line 'back:")),
        (
            BLOCKS.replace("back: 01-lesson-1\n", "back: 01-lesson-1\n* One more\n"),
            (31, "'back:' must be the scenario's last line"),
        ),
        (
            BLOCKS.replace("  > A hidden load crosses the border and nobody follows it.\n", ""),
            (26, "the option 'Let the car go' has no consequence"),
        ),
    ],
    ids=[
        "no-right",
        "two-right",
        "no-feedback",
        "one-option",
        "no-brackets",
        "not-closed",
        "bad-id",
        "long-id",
        "duplicate-id",
        "unknown-kind",
        "stray-close",
        "no-question",
        "no-title",
        "no-back",
        "after-back",
        "no-consequence",
    ],
)
def test_each_malformed_block_is_a_problem_at_its_line(
    body: str, expected: tuple[int, str]
) -> None:
    line, message = expected
    found = _problems(body)
    assert any(n == line and message in text for n, text in found), found


def test_six_options_are_too_many() -> None:
    options = "".join(f"* [{'x' if i == 0 else ' '}] Option {i}\n  > Why.\n" for i in range(6))
    body = f"::: check many\nWhich one?\n{options}:::\n"
    assert (1, "the check block has 6 options; at most 5") in _problems(body)


def test_content_check_names_the_file_and_line_of_a_malformed_block(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root, blocks=BLOCKS)
    lesson = course / "01-basics-m1" / "02-lesson-2.md"
    text = lesson.read_text().replace("* [x] Firearms", "* [ ] Firearms")
    lesson.write_text(text.replace("back: 01-lesson-1", "back: 07-elsewhere"))
    result = runner.invoke(args=["content", "check", "--courses", str(root)])
    assert result.exit_code == 1
    lines = text.splitlines()
    opening = lines.index("::: check goods") + 1
    back = lines.index("back: 01-lesson-1") + 1
    rel = "courses/basics/01-basics-m1/02-lesson-2.md"
    assert result.output.splitlines() == [
        f"{rel}:{opening}: the check has no right option ('* [x]')",
        f"{rel}:{back}: scenario 'night-stop' points back to '07-elsewhere', which is not a "
        "lesson of this module (01-lesson-1, 02-lesson-2)",
    ]


def test_content_blocks_reports_lessons_and_modules_that_fall_short(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root, blocks=BLOCKS)
    lesson = course / "01-basics-m1" / "02-lesson-2.md"
    lesson.write_text(lesson.read_text().split("::: check first-step")[0])  # one check left
    second = course / "02-basics-m2"
    for path in second.glob("0*.md"):
        path.write_text(path.read_text().split("::: scenario")[0])
    result = runner.invoke(args=["content", "blocks", "--path", str(root), "--strict"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "courses/basics/01-basics-m1/02-lesson-2.md:5: the lesson has 1 check blocks "
        "(at least 2 expected)",
        "courses/basics/02-basics-m2/module.md:1: no lesson of the module has a scenario block",
        "4 lessons and 2 modules: 2 fall short of two check blocks per lesson and a scenario "
        "per module.",
    ]
    lenient = runner.invoke(args=["content", "blocks", "--path", str(root)])
    assert lenient.exit_code == 0


def test_every_packaged_lesson_has_two_checks_and_every_module_a_scenario(
    runner: FlaskCliRunner,
) -> None:
    """Issue 14: learners decide in every lesson of both packaged courses."""
    result = runner.invoke(args=["content", "blocks", "--path", str(PACKAGED), "--strict"])
    assert result.exit_code == 0, result.output
    # Originals only: translations (NN-slug.fr.md) sit beside them.
    lessons = len([p for p in PACKAGED.glob("*/*/[0-9][0-9]-*.md") if split_name(p.name) is None])
    modules = len(list(PACKAGED.glob("*/*/module.md")))
    assert result.output.splitlines() == [
        f"{lessons} lessons and {modules} modules: 0 fall short of two check blocks per lesson "
        "and a scenario per module."
    ]


def test_the_lesson_html_has_one_placeholder_per_block_and_no_block_source(app: Flask) -> None:
    with app.test_request_context():
        html = str(render_lesson(f"{WORDS}\n\n{BLOCKS}\n\n## After\n\nThe end."))
    assert html.count("<!--block:") == 3
    assert "<!--block:goods-->" in html and "<!--block:night-stop-->" in html
    assert ":::" not in html and "[x]" not in html and "Which goods" not in html
    assert "<p>More text between the blocks.</p>" in html and "<h2>After</h2>" in html


def test_a_placeholder_written_by_an_author_does_not_survive_sanitising(app: Flask) -> None:
    with app.test_request_context():
        html = str(render_lesson("Text <!--block:goods--> more.\n\n" + CHECK))
    assert html.count("<!--block:") == 1


def test_every_packaged_lesson_renders_each_block_as_a_placeholder(app: Flask) -> None:
    lessons = sorted(PACKAGED.glob("*/*/[0-9][0-9]-*.md"))
    assert len(lessons) >= 68
    with app.test_request_context():
        for path in lessons:
            body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
            parsed = parse_blocks(body)
            assert parsed.problems == [], path
            html = str(render_lesson(body))
            assert html.count("<!--block:") == len(parsed.blocks) >= 2, path
            assert ":::" not in html and "* [x]" not in html, path
