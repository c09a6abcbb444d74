"""Moodle's question idnumber and tags in GIFT comments, and the parser's messages about where a
question goes wrong. The cases follow Moodle's giftformat_test.php (test_import_question_with_tags,
test_extract_idnumber_and_tags_from_comment, test_export_question_with_tags_and_idnumber)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.core.db import db
from app.learning.gift import TrueFalse, check_gift, export_gift, parse_gift
from app.learning.gift.comments import extract_idnumber_and_tags
from app.learning.models import QuestionVersion, QuizQuestion
from app.learning.services.progress import question_of
from tests.learning.factory import LoadCourses, write_course


def test_import_keeps_idnumber_and_tags_from_the_comments() -> None:
    gift = (
        "// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n"
        "::Question name:: How are you? {}"
    )
    [question] = parse_gift(gift)
    assert (question.name, question.type, question.text) == (
        "Question name",
        "essay",
        "How are you?",
    )
    assert question.idnumber == "myid"
    assert question.tags == ("tag", "other-tag")


@pytest.mark.parametrize(("idnumber", "tags", "comment"), [
    ("", [], ""),
    ("", [], "// A basic comment."),
    ("frog", [], "// A comment with [id:frog] <-- an idnumber."),
    ("", ["frog", "toad"], "// Look tags: [tag:frog] [tag:toad]."),
    ("four", ["add", "basic"], "// [tag:add] [tag:basic] [id:four]"),
    ("four", ["basic", "add"],
     "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion."),
    ("", [], "// Ceci n'est pas une [tag:\n\\ frog]."),
    ("i]d", [], "// [id:i\\]d]."),
    ("", ["t]ag"], "// [tag:t\\]ag]."),
])  # fmt: skip
def test_extract_idnumber_and_tags_from_comment(
    idnumber: str, tags: list[str], comment: str
) -> None:
    assert extract_idnumber_and_tags(comment) == (idnumber, tuple(tags))


def test_only_the_first_idnumber_counts_and_comments_after_the_question_count_too() -> None:
    gift = "// [id:first] [id:second]\n::Q::Is it?{T}\n// [tag:late]"
    [question] = parse_gift(gift)
    assert (question.idnumber, question.tags) == ("first", ("late",))


def test_comments_of_one_question_do_not_reach_the_next() -> None:
    gift = "// [id:one] [tag:a]\n::One::First?{T}\n\n::Two::Second?{F}"
    one, two = parse_gift(gift)
    assert (one.idnumber, one.tags) == ("one", ("a",))
    assert (two.idnumber, two.tags) == ("", ())


def test_export_writes_idnumber_and_tags_on_a_comment_line_before_the_question() -> None:
    [question] = parse_gift(
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer."
        "#This is the right answer.####You should have selected true.}"
    )
    assert isinstance(question.answers[0], TrueFalse)
    tagged = replace(question, idnumber="myid", tags=("tag1", "tag2"))
    # Moodle's expected export, without its "// question: <id>  name: <name>" line (this site
    # has no Moodle question id to write).
    assert export_gift([tagged]) == (
        "// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer."
        "#This is the right answer.####You should have selected true.}\n\n"
    )


def test_a_round_trip_keeps_idnumber_and_tags_with_escaped_brackets() -> None:
    gift = (
        "$CATEGORY: top/Trafficking\n\n"
        "// [id:FP-1\\]a] [tag:customs] [tag:parts\\]kits]\n"
        "::Parts::Which parts does the Protocol cover?{=Barrels and frames ~Scopes}\n\n"
        "::Untagged::Marking is required at manufacture.{T}"
    )
    questions = parse_gift(gift)
    assert [(q.idnumber, q.tags) for q in questions] == [
        ("FP-1]a", ("customs", "parts]kits")), ("", ()),
    ]  # fmt: skip
    written = export_gift(questions)
    assert "// [id:FP-1\\]a] [tag:customs] [tag:parts\\]kits]\n::Parts::" in written
    assert parse_gift(written) == questions


def test_export_refuses_a_tag_that_gift_cannot_carry() -> None:
    [question] = parse_gift("::Q::Is it?{T}")
    bad = replace(question, tags=("<b>",))
    with pytest.raises(ValueError, match="tag '<b>' cannot be written in a GIFT comment"):
        export_gift([bad])


# Messages: the line where the problem is and what was expected ----------------------------


def test_an_empty_answer_on_its_own_line_is_reported_on_that_line() -> None:
    gift = "::Q::Pick one.{\n=Right\n~\n~Wrong\n}"
    assert [(p.line, p.message.split(":")[0]) for p in check_gift(gift)] == [(3, "empty answer")]
    assert "write the answer's text after its '=' or '~'" in check_gift(gift)[0].message
    assert check_gift("::Q::Name it.{\n=\n=UNODC\n}")[0].line == 2


def test_a_brace_in_html_markup_is_explained_as_the_start_of_the_answer_block() -> None:
    gift = "::H::[html]<p>The set</p>\n<p>is <code>{1, 2}</code></p>{\n=a\n~b\n}"
    [problem] = check_gift(gift)
    assert problem.line == 2
    assert problem.message.startswith("'{' after the answer block (opened on line 2)")
    assert "in [html] markup too: Moodle starts the answer block at the first '{'" in (
        problem.message
    )
    open_brace = "::H::[html]<p>Sets start with {</p>\n{\n=a\n~b\n}"
    [problem] = check_gift(open_brace)
    assert problem.line == 2
    assert "a second '{' before the '}' that closes the block opened on line 1" in problem.message


# Loading a course keeps them with the question's version --------------------------------


def test_loading_a_course_keeps_idnumber_and_tags_and_a_tag_change_is_a_new_version(
    app: Flask, load_courses: LoadCourses, tmp_path: Path
) -> None:
    quiz = (
        "// [id:covers-1] [tag:protocol]\n"
        "::covers::Which goods does the Protocol cover?{=Firearms, parts and ammunition ~Cars}\n"
    )
    root = tmp_path / "courses"
    folder = write_course(root, modules=1, quiz=quiz)
    load_courses(root)

    def versions() -> list[tuple[str, tuple[str, ...]]]:
        with app.app_context():
            rows = db.session.scalars(
                select(QuestionVersion)
                .join(QuizQuestion, QuizQuestion.id == QuestionVersion.question_id)
                .where(QuizQuestion.key == "covers")
                .order_by(QuestionVersion.number)
            )
            return [(question_of(v).idnumber, question_of(v).tags) for v in rows]

    assert versions() == [("covers-1", ("protocol",))]
    (folder / "01-basics-m1" / "quiz.gift").write_text(
        quiz.replace("[tag:protocol]", "[tag:protocol] [tag:customs]"), encoding="utf-8"
    )
    load_courses(root)
    assert versions() == [("covers-1", ("protocol",)), ("covers-1", ("protocol", "customs"))]


def test_the_quiz_command_prints_idnumber_and_tags(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "quiz.gift"
    path.write_text("// [id:q1] [tag:marking]\n::Q::Marking is required.{T}\n", encoding="utf-8")
    result = runner.invoke(args=["content", "quiz", str(path)])
    assert result.exit_code == 0, result.output
    assert '"idnumber": "q1"' in result.output
    assert '"tags": [\n      "marking"\n    ]' in result.output
