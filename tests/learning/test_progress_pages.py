"""Catalogue, course and module pages show each learner's state; lessons; dashboard resume."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Enrolment, LessonRead
from tests.learning.factory import MakeCourse, Take, start, wrong_answer

User_ = Callable[..., User]


@pytest.fixture
def course_app(app: Flask, make_course: MakeCourse) -> Flask:
    make_course(modules=3)
    return app


def _states(client: FlaskClient) -> list[tuple[str, str]]:
    html = client.get("/courses/basics").get_data(as_text=True)
    return re.findall(
        r'>(Module \d)</a>\s*<span class="tag state-[a-z_]+">([A-Za-z ]+)</span>', html
    )


def test_visitor_sees_the_course_without_states(course_app: Flask, client: FlaskClient) -> None:
    html = client.get("/courses/basics").get_data(as_text=True)
    assert "Module 1" in html and "Module 3" in html
    assert "state-" not in html
    assert "Create a free account" in html


def test_module_states_follow_progress_and_prerequisites(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    login()
    assert _states(client) == [
        ("Module 1", "Not started"),
        ("Module 2", "Locked"),
        ("Module 3", "Locked"),
    ]
    client.get("/modules/basics-m1/lessons/lesson-1")
    assert _states(client)[0] == ("Module 1", "Not started")  # opening a lesson records nothing
    client.post("/modules/basics-m1/lessons/lesson-1/read")
    assert _states(client)[0] == ("Module 1", "In progress")

    take(client, "basics-m1")
    assert _states(client) == [
        ("Module 1", "Passed"),
        ("Module 2", "Not started"),
        ("Module 3", "Locked"),
    ]
    take(client, "basics-m2", wrong_answer)
    assert _states(client)[1] == ("Module 2", "Not passed yet")
    module = client.get("/modules/basics-m2").get_data(as_text=True)
    assert "Not passed yet" in module and "Result: 0.0% (pass mark 70%)" in module
    assert "Start a new attempt" in module


def test_catalogue_shows_progress_of_enrolled_courses(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    login()
    assert "passed (" not in client.get("/courses").get_data(as_text=True)
    client.post("/courses/basics/enrol")
    take(client, "basics-m1")
    html = client.get("/courses").get_data(as_text=True)
    assert "1 of 3 passed (33%)" in html
    assert '<progress class="progress" value="1" max="3"' in html


def test_locked_module_lessons_and_quiz_are_refused(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    login()
    assert client.get("/modules/basics-m2/lessons/lesson-2").status_code == 403
    page = client.get("/modules/basics-m2").get_data(as_text=True)
    assert "This module opens when you have passed" in page
    assert "Start the quiz" not in page
    response = client.post("/modules/basics-m2/attempts")
    assert response.status_code == 303
    assert "Pass the prerequisite modules first." in client.get("/modules/basics-m2").get_data(
        as_text=True
    )


def test_a_lesson_shows_its_place_and_is_read_only_once_marked(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    first = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)
    assert "Lesson 1 of 2" in first
    assert 'rel="next" href="/modules/basics-m1/lessons/lesson-2"' in first
    assert 'rel="prev"' not in first
    assert "Mark as read and continue" in first
    second = client.get("/modules/basics-m1/lessons/lesson-2").get_data(as_text=True)
    assert "Lesson 2 of 2" in second
    assert 'rel="prev" href="/modules/basics-m1/lessons/lesson-1"' in second
    assert "Go to the quiz" in second and "Mark as read</button>" in second
    with course_app.app_context():  # a GET writes nothing: no read, no enrolment
        assert db.session.query(LessonRead).filter_by(user_id=user.id).count() == 0
        assert db.session.query(Enrolment).filter_by(user_id=user.id).count() == 0

    marked = client.post("/modules/basics-m1/lessons/lesson-1/read")
    assert marked.headers["Location"] == "/modules/basics-m1/lessons/lesson-2"
    last = client.post("/modules/basics-m1/lessons/lesson-2/read")
    assert last.headers["Location"] == "/modules/basics-m1"
    client.post("/modules/basics-m1/lessons/lesson-2/read")  # again: still one read
    with course_app.app_context():
        reads = db.session.query(LessonRead).filter_by(user_id=user.id).count()
    assert reads == 2
    again = client.get("/modules/basics-m1/lessons/lesson-2").get_data(as_text=True)
    assert "You have marked this lesson as read." in again and "Mark as read" not in again
    module = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "2 of 2 read" in module
    assert module.count('<span class="tag tag-ok">Read</span>') == 2


def test_lessons_of_a_locked_module_cannot_be_marked_read(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    assert client.post("/modules/basics-m2/lessons/lesson-1/read").status_code == 403
    assert client.post("/modules/basics-m1/lessons/nothing/read").status_code == 404
    with course_app.app_context():
        assert db.session.query(LessonRead).filter_by(user_id=user.id).count() == 0


def _resume(client: FlaskClient) -> tuple[str, str]:
    html = client.get("/dashboard").get_data(as_text=True)
    match = re.search(r'<a class="button" href="([^"]+)">Resume: ([^<]+)</a>', html)
    assert match, html
    return match.group(1).replace("&amp;", "&"), match.group(2)


def test_dashboard_resume_opens_the_next_unfinished_lesson_or_quiz(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    login()
    client.post("/courses/basics/enrol")
    assert _resume(client) == ("/modules/basics-m1/lessons/lesson-1", "Lesson 1.1")
    client.post("/modules/basics-m1/lessons/lesson-1/read")
    client.get("/modules/basics-m1/lessons/lesson-1")  # the last page visited does not matter
    assert _resume(client) == ("/modules/basics-m1/lessons/lesson-2", "Lesson 1.2")
    client.post("/modules/basics-m1/lessons/lesson-2/read")
    assert _resume(client) == ("/modules/basics-m1#quiz", "the quiz of Module 1")

    attempt_id = start(client, "basics-m1")
    client.post(f"/learning/attempts/{attempt_id}", data={"page": "1", "action": "next"})
    assert _resume(client) == (f"/learning/attempts/{attempt_id}", "the quiz of Module 1")
    resumed = client.get(_resume(client)[0]).get_data(as_text=True)
    assert "Page 2 of 2" in resumed

    client.post(f"/learning/attempts/{attempt_id}", data={"page": "2", "action": "submit"})
    take(client, "basics-m1")  # the first attempt had no answers: passed now
    assert _resume(client) == ("/modules/basics-m2/lessons/lesson-1", "Lesson 2.1")


def test_dashboard_offers_no_resume_once_the_course_is_complete(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    login()
    for number in (1, 2, 3):
        take(client, f"basics-m{number}")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "3 of 3 modules passed" in html and "Resume:" not in html


def test_dashboard_lists_my_courses_with_progress(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    user = login()
    assert "not enrolled in any course" in client.get("/dashboard").get_data(as_text=True)
    take(client, "basics-m1")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "1 of 3 modules passed (33%)" in html
    assert "Last activity" in html
    with course_app.app_context():
        assert db.session.query(Enrolment).filter_by(user_id=user.id).count() == 1


def _page_queries(count_queries: Any, client: FlaskClient, urls: list[str]) -> list[int]:
    counts = []
    for url in urls:
        client.get(url)  # warm-up: what is kept per content generation is read once
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    return counts


@pytest.mark.parametrize("modules", [2, 6])
def test_page_queries_do_not_grow_with_modules_or_attempts(
    client: FlaskClient,
    login: User_,
    count_queries: Any,
    modules: int,
    take: Take,
    make_course: MakeCourse,
) -> None:
    make_course(modules=modules, chained=False)
    login()
    urls = ["/courses", "/courses/basics", "/modules/basics-m1", "/dashboard"]
    client.post("/modules/basics-m1/lessons/lesson-1/read")
    before = _page_queries(count_queries, client, urls)
    for number in range(1, modules + 1):
        take(client, f"basics-m{number}", wrong_answer)
        take(client, f"basics-m{number}")
    after = _page_queries(count_queries, client, urls)
    assert after == before
    assert max(before) <= 12, before
