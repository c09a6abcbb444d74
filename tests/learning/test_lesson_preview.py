"""The first lesson of each module is a preview: visitors read it with a call to sign up, and a
learner whose module is still locked reads it instead of being refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.learning.models import LessonRead
from tests.learning.factory import WORDS, MakeCourse

User_ = Callable[..., User]


@pytest.fixture
def course_app(app: Flask, make_course: MakeCourse) -> Flask:
    make_course(modules=2, lessons=3)
    return app


def test_a_visitor_reads_the_first_lesson_of_a_module_with_a_call_to_sign_up(
    course_app: Flask, client: FlaskClient
) -> None:
    for module in ("basics-m1", "basics-m2"):
        response = client.get(f"/modules/{module}/lessons/lesson-1")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, module
        assert WORDS.split(".")[0] in html and "Lesson 1 of 3" in html
        assert "This is a preview of Module" in html and "2 more lessons and a quiz follow" in html
        assert 'href="/sign-up"' in html and "Create a free account" in html
        assert "Mark as read" not in html and 'rel="next"' not in html
    other = client.get("/modules/basics-m1/lessons/lesson-2")
    assert other.status_code == 302 and "/sign-in" in other.headers["Location"]
    module = client.get("/modules/basics-m1").get_data(as_text=True)
    assert 'href="/modules/basics-m1/lessons/lesson-1"' in module
    assert 'href="/modules/basics-m1/lessons/lesson-2"' not in module
    assert "Read the first lesson as a preview." in module


def test_a_learner_on_a_locked_module_gets_the_preview_instead_of_a_refusal(
    course_app: Flask, client: FlaskClient, login: User_
) -> None:
    user = login()
    response = client.get("/modules/basics-m2/lessons/lesson-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is a preview." in html and ">Module 1</a>" in html
    assert "Mark as read" not in html and "Create a free account" not in html
    assert client.get("/modules/basics-m2/lessons/lesson-2").status_code == 403
    assert client.post("/modules/basics-m2/lessons/lesson-1/read").status_code == 403
    with course_app.app_context():
        assert db.session.query(LessonRead).filter_by(user_id=user.id).count() == 0
    unlocked = client.get("/modules/basics-m1/lessons/lesson-1").get_data(as_text=True)
    assert "This is a preview" not in unlocked and "Mark as read and continue" in unlocked
