"""Build small courses as files in a temporary folder, load them, and answer their quizzes.

Plain builders and readers: `write_course` (with `quiz_of_module`), `module_md`, `lesson_md`,
`right_answer`, `wrong_answer`, `start`, and `page_form` (the browser journeys call it with their
own app).
Fixtures (registered in tests/conftest.py): `make_course`, `load_courses`, `take`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from app.core.db import db
from app.learning.files import Curriculum, read_curriculum
from app.learning.gift import Question
from app.learning.grading import matching_choices, matching_stems
from app.learning.models import Attempt
from app.learning.services import attempts
from app.learning.services.content import load_curriculum

Answerer = Callable[[Question, int], dict[str, list[str]]]
LoadCourses = Callable[[Path], Curriculum]
MakeCourse = Callable[..., Path]
Take = Callable[..., int]

WORDS = " ".join(["Traffickers move firearms, parts and ammunition in small quantities."] * 8)

# One question of every auto-graded type, plus an essay and a description.
QUIZ = textwrap.dedent(
    """\
    ::intro::Read each question carefully.

    ::covers::Which goods does the Protocol cover?{
    ~Complete firearms only#Parts count too.
    =Firearms, parts and ammunition#Right.
    ~Military weapons only#No.
    ####All three categories matter.}

    ::signs::Which are signs of a hidden compartment? (select all that apply){
    ~%50%Fresh tool marks#Yes.
    ~%50%A heavy spare wheel#Yes.
    ~%-100%A foreign number plate#No.
    }

    ::marking::Marking is required at manufacture.{TRUE#Think again.#Right.}

    ::agency::Name the UN office that supports the Protocol.{
    =UNODC#Right.
    =United Nations Office on Drugs and Crime
    =%50%UN#Partly.
    }

    ::article::Which article of the Protocol is about marking?{#8:0}

    ::pairs::Match each document with what it shows.{
    =Export licence -> permission to export
    =End-user certificate -> who will use the goods
    =Bill of lading -> what the ship carries
    }

    ::essay::Describe what you would do first.{}
    """
)


def module_md(title: str, quiz: dict[str, Any] | None = None, **meta: Any) -> str:
    front = {"title": title, "summary": f"About {title.lower()}.", **meta}
    if quiz is not None:
        front["quiz"] = quiz
    return f"---\n{yaml.safe_dump(front, sort_keys=False)}---\nWhat {title.lower()} covers.\n"


# Two check blocks and a scenario pointing back to the module's first lesson (docs/CONTENT.md).
BLOCKS = textwrap.dedent(
    """\
    ::: check goods
    Which goods does the Protocol cover?
    * [ ] Complete firearms only
      > Parts and ammunition count too.
    * [x] Firearms, their parts and components, and ammunition
      > Right: all three are covered.
    :::

    More text between the blocks.

    ::: check first-step
    What do you do first with a loaded pistol found in a car?
    * [x] Make the scene safe and call a trained officer
      > Right: safety comes before evidence.
    * [ ] Unload it yourself to record the serial number
      > No: untrained handling risks a shot and spoils traces.
    * [ ] Put it in a bag for the laboratory
      > Not yet: it is still loaded.
    :::

    ::: scenario night-stop
    title: The stop at night
    A car at the checkpoint has a spare wheel that is far too heavy.

    The driver is in a hurry.
    * Let the car go
      > A hidden load crosses the border and nobody follows it.
    * Ask for a search of the wheel and call the unit on duty
      > Three pistols are found in the wheel and the route can be traced.
    back: 01-lesson-1
    :::
    """
)


def lesson_md(title: str, blocks: str = "") -> str:
    """A lesson's file; `blocks` (e.g. BLOCKS) is added after its words."""
    return f"---\ntitle: {title}\nminutes: 5\n---\n{WORDS}\n{blocks and chr(10) + blocks}"


def quiz_of_module(quiz: str, number: int) -> str:
    """The quiz for module `number`: module 1 has it as given, later modules say their number
    in each question's text (a course must not ask the same question twice)."""
    if number == 1:
        return quiz
    return re.sub(r"^(::[^:]+::)", rf"\1Module {number}: ", quiz, flags=re.MULTILINE)


def write_course(
    root: Path,
    slug: str = "basics",
    modules: int = 2,
    quiz: str = QUIZ,
    settings: dict[str, Any] | None = None,
    final: dict[str, Any] | None = None,
    lessons: int = 2,
    chained: bool = True,
    blocks: str = "",
) -> Path:
    """Write a course of `modules` modules (each after the previous one when `chained`); each
    lesson ends with `blocks` (e.g. BLOCKS)."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    front: dict[str, Any] = {
        "title": f"Course {slug}",
        "summary": "A short course for tests.",
        "level": "introductory",
        "minutes": 60,
        "pass_mark": 70,
    }
    if final is not None:
        front["final_assessment"] = final
    (folder / "course.md").write_text(
        f"---\n{yaml.safe_dump(front, sort_keys=False)}---\nWhy this course.\n", encoding="utf-8"
    )
    previous = None
    for number in range(1, modules + 1):
        module_slug = f"{slug}-m{number}"
        sub = folder / f"{number:02d}-{module_slug}"
        sub.mkdir(exist_ok=True)
        prerequisites = [previous] if chained and previous else []
        (sub / "module.md").write_text(
            module_md(f"Module {number}", settings or {}, prerequisites=prerequisites),
            encoding="utf-8",
        )
        for index in range(1, lessons + 1):
            (sub / f"{index:02d}-lesson-{index}.md").write_text(
                lesson_md(f"Lesson {number}.{index}", blocks), encoding="utf-8"
            )
        (sub / "quiz.gift").write_text(quiz_of_module(quiz, number), encoding="utf-8")
        previous = module_slug
    return folder


@pytest.fixture
def load_courses(app: Flask) -> LoadCourses:
    """Read and load the courses under a folder; fail the test on any problem."""

    def factory(root: Path) -> Curriculum:
        with app.app_context():
            curriculum = read_curriculum(root)
            assert [str(p) for p in curriculum.problems] == []
            load_curriculum(curriculum)
            db.commit()
        return curriculum

    return factory


@pytest.fixture
def make_course(load_courses: LoadCourses, tmp_path: Path) -> MakeCourse:
    """Write a course (`write_course` options) into the test's courses/ folder and load it."""

    def factory(**options: Any) -> Path:
        folder = write_course(tmp_path / "courses", **options)
        load_courses(tmp_path / "courses")
        return folder

    return factory


def right_answer(question: Question, position: int) -> dict[str, list[str]]:
    """Form fields that earn full marks for the question shown in slot `position`."""
    name = f"q{position}"
    qtype = question.type
    if qtype == "multichoice":
        best = max(range(len(question.choices)), key=lambda i: question.choices[i].fraction)
        return {name: [str(best)]}
    if qtype == "multiresponse":
        return {name: [str(i) for i, c in enumerate(question.choices) if c.fraction > 0]}
    if qtype == "truefalse":
        return {name: ["true" if question.truefalse.correct else "false"]}
    if qtype == "shortanswer":
        text = next(c.text for c in question.choices if c.fraction == 1)
        return {name: [text.replace("\\*", "*").replace("*", "x")]}
    if qtype == "numerical":
        answer = next(a for a in question.numerical_answers if a.fraction == 1)
        if answer.min is not None and answer.max is not None:
            return {name: [repr((answer.min + answer.max) / 2)]}
        return {name: [repr(answer.value)]}
    if qtype == "matching":
        choices = matching_choices(question)
        return {
            f"{name}-{i}": [str(choices.index(stem.answer))]
            for i, stem in enumerate(matching_stems(question))
        }
    return {name: ["My answer."]} if qtype == "essay" else {}


def wrong_answer(question: Question, position: int) -> dict[str, list[str]]:
    """Form fields that earn no marks (essays and descriptions get nothing)."""
    name = f"q{position}"
    qtype = question.type
    if qtype == "multichoice":
        worst = min(range(len(question.choices)), key=lambda i: question.choices[i].fraction)
        return {name: [str(worst)]}
    if qtype == "multiresponse":
        return {name: [str(i) for i, c in enumerate(question.choices) if c.fraction <= 0]}
    if qtype == "truefalse":
        return {name: ["false" if question.truefalse.correct else "true"]}
    if qtype == "shortanswer":
        return {name: ["qqq unrelated"]}
    if qtype == "numerical":
        return {name: ["987654321"]}
    if qtype == "matching":
        count = len(matching_choices(question))
        return {
            f"{name}-{i}": [str((matching_choices(question).index(stem.answer) + 1) % count)]
            for i, stem in enumerate(matching_stems(question))
        }
    return {}


def start(client: FlaskClient, module_slug: str) -> int:
    """Start (or resume) an attempt through the site; return its id."""
    response = client.post(f"/modules/{module_slug}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/learning/attempts/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def page_form(app: Flask, attempt_id: int, page: int, answer: Answerer) -> dict[str, list[str]]:
    """The answers to the questions shown on one page of an attempt."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        form: dict[str, list[str]] = {}
        for slot in attempts.page_slots(attempt, page):
            form.update(answer(slot.question, slot.position))
        return form


@pytest.fixture
def take(app: Flask) -> Take:
    """Answer every page of a new attempt through the site and submit it; returns its id."""

    def factory(client: FlaskClient, module_slug: str, answer: Answerer = right_answer) -> int:
        attempt_id = start(client, module_slug)
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt is not None
            last = attempts.pages(attempt)
        for page in range(1, last + 1):
            data = {**page_form(app, attempt_id, page, answer), "page": str(page)}
            data["action"] = "submit" if page == last else "next"
            response = client.post(f"/learning/attempts/{attempt_id}", data=data)
            assert response.status_code == 302, response.get_data(as_text=True)
        return attempt_id

    return factory
