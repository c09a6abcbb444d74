"""Answering a lesson's check and scenario blocks: the learner's choice is kept and shown in the
lesson and on the module page, only to them; a visitor on a preview lesson sees feedback without
anything kept; bad input is a 4xx with a message; the form needs its CSRF token."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.http_cache import forget_pages
from app.learning.models import LessonBlockAnswer
from tests.conftest import ClientFor
from tests.learning.factory import BLOCKS, LoadCourses, MakeCourse

User_ = Callable[..., User]
LESSON = "/modules/basics-m1/lessons/lesson-2"


@pytest.fixture
def course_app(app: Flask, make_course: MakeCourse) -> Flask:
    make_course(modules=2, blocks=BLOCKS)
    return app


def _answers(app: Flask, user: User) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.scalars(
            select(LessonBlockAnswer).where(LessonBlockAnswer.user_id == user.id)
        )
        return sorted((row.block_id, row.choice) for row in rows)


def _answer(client: FlaskClient, block: str, choice: str, lesson: str = LESSON) -> str:
    response = client.post(f"{lesson}/blocks/{block}", data={"choice": choice})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == f"{lesson}#block-{block}"
    return client.get(lesson).get_data(as_text=True)


def test_a_lesson_shows_each_block_as_a_form_that_works_without_javascript(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    login()
    html = client.get(LESSON).get_data(as_text=True)
    action = '<form method="post" action="/modules/basics-m1/lessons/lesson-2/blocks/'
    assert html.count(action) == 3
    assert 'action="/modules/basics-m1/lessons/lesson-2/blocks/goods#block-goods"' in html
    assert '<section class="lesson-block lesson-check" id="block-goods"' in html
    assert "<legend>Which goods does the Protocol cover?</legend>" in html
    assert html.count('type="radio" name="choice"') == 7
    assert "Check yourself" in html and "Scenario: The stop at night" in html
    assert "<legend>What do you do?</legend>" in html
    assert ":::" not in html and "[x]" not in html
    assert "Right: all three are covered." not in html  # no feedback before an answer


def test_a_learner_answers_a_check_sees_if_it_was_right_and_can_answer_again(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    html = _answer(client, "goods", "0")
    assert "Not the best answer." in html and "You chose: Complete firearms only" in html
    assert "Parts and ammunition count too." in html
    assert 'value="0" required checked' in html
    assert _answers(course_app, user) == [("goods", 0)]
    html = _answer(client, "goods", "1")
    assert "<strong>Right.</strong>" in html and "Right: all three are covered." in html
    assert "Parts and ammunition count too." not in html
    assert _answers(course_app, user) == [("goods", 1)]  # one row, replaced


def test_a_scenario_shows_the_consequence_and_the_lesson_it_points_back_to(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    html = _answer(client, "night-stop", "1")
    assert "You chose:</strong> Ask for a search of the wheel" in html
    assert "Three pistols are found in the wheel" in html
    assert 'Read again: <a href="/modules/basics-m1/lessons/lesson-1">Lesson 1.1</a>' in html
    assert _answers(course_app, user) == [("night-stop", 1)]


def test_the_module_page_shows_the_learners_checks_and_scenario_choices(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    login()
    _answer(client, "goods", "1")
    _answer(client, "first-step", "2")
    _answer(client, "night-stop", "0")
    html = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "Check yourself: 2 of 2 answered, 1 right" in html  # lesson 2
    assert "Check yourself: 0 of 2 answered, 0 right" in html  # lesson 1
    assert '<h2 id="scenarios">Your scenarios</h2>' in html
    assert "You chose:</strong> Let the car go" in html
    assert "A hidden load crosses the border and nobody follows it." in html
    assert 'href="/modules/basics-m1/lessons/lesson-2#block-night-stop"' in html
    assert "Not answered yet." in html  # the scenario of lesson 1


def test_another_learner_never_sees_someone_elses_choices(
    course_app: Flask, client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    login()
    _answer(client, "night-stop", "0")
    _answer(client, "goods", "1")
    other = client_for(make_user())
    lesson = other.get(LESSON).get_data(as_text=True)
    assert "You chose" not in lesson and "A hidden load crosses" not in lesson
    assert " checked" not in lesson
    module = other.get("/modules/basics-m1").get_data(as_text=True)
    assert "Check yourself: 0 of 2 answered, 0 right" in module
    assert "1 right" not in module and "Let the car go" not in module


def test_a_visitor_answers_a_preview_lesson_without_anything_kept(
    course_app: Flask, client: FlaskClient
) -> None:
    first = "/modules/basics-m1/lessons/lesson-1"
    response = client.post(f"{first}/blocks/night-stop", data={"choice": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Three pistols are found in the wheel" in html
    assert "Your choice is not kept" in html and "sign in</a> to keep your choices" in html
    with course_app.app_context():
        assert db.session.scalar(select(LessonBlockAnswer.id)) is None
    assert "Three pistols" not in client.get(first).get_data(as_text=True)
    refused = client.post(f"{LESSON}/blocks/goods", data={"choice": "1"})
    assert refused.status_code == 403
    assert "Sign in to read this lesson" in refused.get_data(as_text=True)


def test_a_learner_cannot_answer_in_a_lesson_of_a_locked_module(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    response = client.post("/modules/basics-m2/lessons/lesson-2/blocks/goods", data={"choice": "1"})
    assert response.status_code == 403
    assert "This module is locked" in response.get_data(as_text=True)
    assert _answers(course_app, user) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose one of the options, then submit."),
        ({"choice": "7"}, "That is not one of the options"),
        ({"choice": "-1"}, "That is not one of the options"),
        ({"choice": "first"}, "That is not one of the options"),
    ],
)
def test_a_missing_or_invalid_choice_is_a_400_shown_in_the_block(
    course_app: Flask, client: FlaskClient, login: User_, data: dict[str, str], message: str
) -> None:
    user = login()
    response = client.post(f"{LESSON}/blocks/goods", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="errors" role="alert" id="block-goods-error">{message}' in html
    assert _answers(course_app, user) == []


def test_an_unknown_block_or_lesson_is_a_404_with_a_message(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    login()
    response = client.post(f"{LESSON}/blocks/nothing", data={"choice": "0"})
    assert response.status_code == 404
    assert "This lesson has no such question or scenario." in response.get_data(as_text=True)
    missing = client.post("/modules/basics-m1/lessons/nothing/blocks/goods", data={"choice": "0"})
    assert missing.status_code == 404


def test_an_answer_to_a_block_the_lesson_no_longer_has_is_not_shown(
    course_app: Flask,
    client: FlaskClient,
    login: User_,
    load_courses: LoadCourses,
    tmp_path: Path,
) -> None:
    login()
    _answer(client, "first-step", "2")
    lesson = tmp_path / "courses" / "basics" / "01-basics-m1" / "02-lesson-2.md"
    text = lesson.read_text()
    lesson.write_text(text.replace("* [ ] Put it in a bag for the laboratory\n  > Not yet: it is "
                                   "still loaded.\n", ""))  # fmt: skip
    load_courses(tmp_path / "courses")
    html = client.get(LESSON).get_data(as_text=True)
    assert "You chose" not in html
    module = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "Check yourself: 0 of 2 answered, 0 right" in module


def test_the_answer_form_needs_its_csrf_token(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    course_app.config["WTF_CSRF_ENABLED"] = True  # after signing in: the site's setting
    refused = client.post(f"{LESSON}/blocks/goods", data={"choice": "1"})
    assert refused.status_code == 400
    assert "The form expired or was not sent from this site" in refused.get_data(as_text=True)
    assert _answers(course_app, user) == []
    page = client.get(LESSON).get_data(as_text=True)
    form = page.split('action="/modules/basics-m1/lessons/lesson-2/blocks/goods#block-goods">')[1]
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    accepted = client.post(f"{LESSON}/blocks/goods", data={"choice": "1", "csrf_token": token})
    assert accepted.status_code == 303
    assert _answers(course_app, user) == [("goods", 1)]


def test_the_data_download_holds_the_learners_block_answers(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    login()
    _answer(client, "goods", "1")
    _answer(client, "night-stop", "0")
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    answers = data["learning"]["lesson_block_answers"]
    keys = ("module", "lesson", "block", "kind", "choice", "choice_text", "right")
    assert [{k: a[k] for k in keys} for a in answers] == [
        {
            "module": "basics-m1",
            "lesson": "lesson-2",
            "block": "goods",
            "kind": "check",
            "choice": 1,
            "choice_text": "Firearms, their parts and components, and ammunition",
            "right": True,
        },
        {
            "module": "basics-m1",
            "lesson": "lesson-2",
            "block": "night-stop",
            "kind": "scenario",
            "choice": 0,
            "choice_text": "Let the car go",
            "right": None,
        },
    ]
    assert all(a["answered_at"] for a in answers)


def test_the_module_page_costs_the_same_queries_however_many_blocks_are_answered(
    course_app: Flask, client: FlaskClient, login: User_, count_queries: Any
) -> None:
    login()

    def queries() -> int:
        with course_app.app_context():
            forget_pages()  # the rendering is measured, not the page kept for the learner
        with count_queries() as counter:
            assert client.get("/modules/basics-m1").status_code == 200
        return int(counter.count)

    queries()  # the first request per content generation fills the shared caches
    before = queries()
    for block, choice in (("goods", "1"), ("first-step", "0"), ("night-stop", "1")):
        _answer(client, block, choice)
        _answer(client, block, choice, lesson="/modules/basics-m1/lessons/lesson-1")
    assert queries() == before
