"""`flask content check|load|quiz`: problems as path:line, idempotent loads, question versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import (
    Attempt,
    Course,
    Lesson,
    Module,
    QuestionVersion,
    QuizQuestion,
)
from app.learning.services import attempts
from tests.conftest import ClientFor
from tests.learning.factory import QUIZ, module_md, right_answer, write_course

User_ = Callable[..., User]

REAL_QUIZ = Path(__file__).resolve().parents[2] / "courses/first-line-awareness"


def _check(runner: FlaskCliRunner, root: Path) -> tuple[int, list[str]]:
    result = runner.invoke(args=["content", "check", "--path", str(root)])
    return result.exit_code, result.output.splitlines()


def test_check_passes_a_valid_folder(runner: FlaskCliRunner, tmp_path: Path) -> None:
    write_course(tmp_path / "courses")
    code, lines = _check(runner, tmp_path / "courses")
    assert code == 0
    assert lines == ["1 courses and 2 modules: no problems."]


def test_check_reports_each_malformed_file_as_path_line_message(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    module = course / "01-basics-m1"
    (course / "course.md").write_text(
        (course / "course.md").read_text().replace("level: introductory", "level: expert")
    )
    (module / "module.md").write_text(module_md("Module 1", {"grading": "sometimes"}))
    (module / "02-lesson-2.md").write_text("---\ntitle: Short\nminutes: 5\n---\nToo short.\n")
    (module / "quiz.gift").write_text(QUIZ.replace("{#8:0}", "{#eight}"))
    (root / "glossary.yaml").write_text(
        "- slug: end-user\n  term: End user\n  definition: Who uses it.\n"
        "- slug: Bad Slug\n  term: x\n  definition: y\n"
    )
    quiz_line = QUIZ.splitlines().index(
        "::article::Which article of the Protocol is about marking?{#8:0}"
    )

    code, lines = _check(runner, root)

    assert code == 1
    assert sorted(lines) == sorted(
        [
            "courses/basics/course.md:4: 'level' must be one of advanced, intermediate, "
            "introductory",
            "courses/basics/01-basics-m1/module.md:4: 'quiz.grading' must be one of highest, last",
            "courses/basics/01-basics-m1/02-lesson-2.md:5: the lesson body is missing or too short",
            f"courses/basics/01-basics-m1/quiz.gift:{quiz_line + 1}: numerical answer 'eight' "
            "is not a number",
            "courses/glossary.yaml:4: glossary entry has no valid slug: 'Bad Slug'",
        ]
    )


def test_check_reports_missing_files_and_unknown_prerequisites(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    (course / "01-basics-m1" / "quiz.gift").unlink()
    (course / "02-basics-m2" / "module.md").write_text(
        module_md("Module 2", {}, prerequisites=["nowhere"])
    )
    code, lines = _check(runner, root)
    assert code == 1
    assert "courses/basics/01-basics-m1/module.md:1: the module has no quiz.gift" in lines
    assert "courses/basics/02-basics-m2/module.md:1: unknown prerequisite module 'nowhere'" in lines


def test_load_refuses_a_folder_with_problems(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    course = write_course(tmp_path / "courses")
    (course / "course.md").write_text("no front matter\n")
    result = runner.invoke(args=["content", "load", "--path", str(tmp_path / "courses")])
    assert result.exit_code == 1
    assert "courses/basics/course.md:1: missing front matter" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 0


def _counts() -> tuple[int, ...]:
    models = (Course, Module, Lesson, QuizQuestion, QuestionVersion)
    return tuple(db.session.scalar(select(func.count(m.id))) or 0 for m in models)


def test_load_is_idempotent(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    write_course(tmp_path / "courses", final={"draw": 3})
    args = ["content", "load", "--path", str(tmp_path / "courses")]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "3 modules, 4 lessons, 16 new and 0 changed questions" in first.output
    with app.app_context():
        before = _counts()
    second = runner.invoke(args=args)
    assert second.exit_code == 0
    assert "0 new and 0 changed questions" in second.output
    with app.app_context():
        assert _counts() == before == (1, 3, 4, 16, 16)


def test_quiz_prints_the_questions_as_json(runner: FlaskCliRunner) -> None:
    path = REAL_QUIZ / "01-recognising-trafficking" / "quiz.gift"
    result = runner.invoke(args=["content", "quiz", str(path)])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.output)
    assert questions[0]["type"] == "description"
    covers = next(q for q in questions if q["name"] == "M1 what the Protocol covers")
    assert covers["type"] == "multichoice"
    assert [a["fraction"] for a in covers["answers"]] == [0.0, 0.0, 1.0, 0.0]
    assert covers["general_feedback"].startswith("Look for all three categories when you search:")


def test_quiz_reports_a_malformed_file_with_its_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "broken.gift"
    path.write_text("::ok::Fine?{T}\n\n::bad::Unclosed {=yes ~no\n", encoding="utf-8")
    result = runner.invoke(args=["content", "quiz", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:3: ")
    assert "[" not in result.output.splitlines()[0][:1]


def _finish_attempt(app: Flask, user_id: int) -> int:
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "basics-m1"))
        assert module is not None
        attempt = attempts.start_attempt(user_id, module, seed=3)
        for page in range(1, attempts.pages(attempt) + 1):
            form: dict[str, list[str]] = {}
            for slot in attempts.page_slots(attempt, page):
                form.update(right_answer(slot.question, slot.position))
            attempts.save_page(attempt, page, form)
        attempts.submit(attempt)
        db.commit()
        return attempt.id


def test_reloading_a_changed_quiz_keeps_finished_attempts_on_their_version(
    app: Flask, runner: FlaskCliRunner, make_user: User_, client_for: ClientFor, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    args = ["content", "load", "--path", str(root)]
    assert runner.invoke(args=args).exit_code == 0
    before, after = make_user(), make_user()
    finished = _finish_attempt(app, before.id)
    with app.app_context():
        old = db.session.get(Attempt, finished)
        assert old is not None and old.score == 100.0
        old_versions = {s.question_id: s.version_id for s in old.slots}

    changed = QUIZ.replace(
        "=Firearms, parts and ammunition#Right.", "~Firearms, parts and ammunition"
    )
    changed = changed.replace("~Military weapons only#No.", "=Military weapons only#Now right.")
    (course / "01-basics-m1" / "quiz.gift").write_text(changed)
    result = runner.invoke(args=args)
    assert "0 new and 1 changed questions" in result.output

    with app.app_context():
        old = db.session.get(Attempt, finished)
        assert old is not None
        assert {s.question_id: s.version_id for s in old.slots} == old_versions
        assert old.score == 100.0
        covers = db.session.scalar(
            select(QuizQuestion)
            .join(Module, Module.id == QuizQuestion.module_id)
            .where(Module.slug == "basics-m1", QuizQuestion.key == "covers")
        )
        assert covers is not None
        versions = db.session.scalars(
            select(QuestionVersion).where(QuestionVersion.question_id == covers.id)
        ).all()
        assert sorted(v.number for v in versions) == [1, 2]
        assert covers.current_version_id == max(v.id for v in versions)

    client = client_for(before)
    review = client.get(f"/learning/attempts/{finished}/review").get_data(as_text=True)
    assert "Firearms, parts and ammunition" in review
    assert "You scored <strong>100.0%</strong>" in review

    retaken = _finish_attempt(app, after.id)
    with app.app_context():
        new = db.session.get(Attempt, retaken)
        assert new is not None
        slot = next(s for s in new.slots if s.question_id == covers.id)
        assert slot.version_id == covers.current_version_id
        assert "Now right" in slot.version.gift


def test_files_that_are_not_utf8_are_reported_not_crashed_on(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    (course / "01-basics-m1" / "quiz.gift").write_bytes("::q::Caf\xe9?{T}".encode("latin-1"))
    (course / "02-basics-m2" / "01-lesson-1.md").write_bytes(b"---\ntitle: \xff\n---\n")
    code, lines = _check(runner, root)
    assert code == 1
    assert sorted(lines) == [
        "courses/basics/01-basics-m1/quiz.gift:1: the file is not UTF-8 text",
        "courses/basics/02-basics-m2/01-lesson-1.md:1: the file is not UTF-8 text",
    ]
    quiz = runner.invoke(args=["content", "quiz", str(course / "01-basics-m1" / "quiz.gift")])
    assert quiz.exit_code == 1
    assert quiz.output.endswith("quiz.gift:1: the file is not UTF-8 text\n")


def _number(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def test_check_flags_a_multiple_answer_question_without_the_cue(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    quiz = QUIZ.replace("compartment? (select all that apply){", "compartment?{")
    (course / "01-basics-m1" / "quiz.gift").write_text(quiz, encoding="utf-8")
    line = _number(quiz, "::signs::Which are signs of a hidden compartment?{")
    code, lines = _check(runner, root)
    assert code == 1
    assert lines == [
        f"courses/basics/01-basics-m1/quiz.gift:{line}: question 'signs' has several right "
        "answers: its text must say '(select all that apply)'"
    ]


def test_check_flags_a_question_asked_twice_in_a_course(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    course = write_course(root)
    module_two = course / "02-basics-m2" / "quiz.gift"
    twice = "Module 2: Marking is required at manufacture."
    text = module_two.read_text(encoding="utf-8").replace(
        twice, "Marking is  REQUIRED at manufacture."
    )
    module_two.write_text(text, encoding="utf-8")
    answer = "{TRUE#Think again.#Right.}"
    first = _number(QUIZ, f"::marking::Marking is required at manufacture.{answer}")
    second = _number(text, f"::marking::Marking is  REQUIRED at manufacture.{answer}")
    other = write_course(root, slug="other")  # another course may ask it again
    assert (other / "02-other-m2" / "quiz.gift").exists()
    code, lines = _check(runner, root)
    assert code == 1
    assert lines == [
        f"courses/basics/02-basics-m2/quiz.gift:{second}: question 'marking' repeats the text of "
        f"'marking' (courses/basics/01-basics-m1/quiz.gift:{first}); a question is asked once per "
        "course"
    ]
