"""The module page says plainly what stands between the learner and the quiz: prerequisites by
title, a failed attempt and when the next one opens, the attempts used up; counts read right."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.core.time import format_datetime, utcnow
from app.learning.models import Attempt, Module
from tests.learning.factory import MakeCourse, Take, right_answer, wrong_answer

User_ = Callable[..., User]


def _text(html: str) -> str:
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([.,:;])", r"\1", text)


def test_prerequisites_are_named_by_module_title(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse
) -> None:
    make_course(modules=2)
    login()
    html = client.get("/modules/basics-m2").get_data(as_text=True)
    assert "This module opens when you have passed Module 1." in _text(html)
    assert "basics m1" not in html


def test_a_failed_attempt_is_said_to_fail_and_the_next_attempt_waits_for_the_cooldown(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course(modules=1, settings={"cooldown_minutes": 30})
    login()
    first = take(client, "basics-m1", wrong_answer)
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt is not None and attempt.submitted_at is not None
        opens = format_datetime(attempt.submitted_at + timedelta(minutes=30))
    page = _text(client.get("/modules/basics-m1").get_data(as_text=True))
    assert "Not passed yet" in page and "In progress" not in page
    assert "Attempt 1 failed: it scored 0.0%, below the pass mark of 70%." in page
    assert f"A new attempt opens at {opens}." in page
    assert "Start a new attempt" not in page
    assert re.findall(r'state-[a-z_]+">([^<]+)<', client.get("/courses/basics").get_data(
        as_text=True)) == ["Not passed yet"]  # fmt: skip

    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt is not None
        attempt.submitted_at = utcnow() - timedelta(minutes=31)
        db.commit()
    page = _text(client.get("/modules/basics-m1").get_data(as_text=True))
    assert "You can start a new attempt now." in page and "Start a new attempt" in page


def test_used_up_attempts_hide_the_start_button(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course(modules=1, settings={"max_attempts": 1})
    login()
    take(client, "basics-m1", wrong_answer)
    page = _text(client.get("/modules/basics-m1").get_data(as_text=True))
    assert "At most 1 attempt." in page
    assert "You have used your one attempt for this quiz." in page
    assert "Start a new attempt" not in page and "Start the quiz" not in page


def test_a_later_failed_attempt_keeps_a_passed_module_passed(
    app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse, take: Take
) -> None:
    make_course(modules=1)
    login()
    take(client, "basics-m1", right_answer)
    take(client, "basics-m1", wrong_answer)
    page = _text(client.get("/modules/basics-m1").get_data(as_text=True))
    assert "Passed" in page and "Attempt 2 failed" in page
    assert "An earlier attempt passed, so the module stays passed." in page


def test_article_and_other_counts_agree_with_their_number(
    app: Flask, client: FlaskClient, make_course: MakeCourse
) -> None:
    make_course(modules=1, settings={"draw": 1, "time_limit_minutes": 1, "cooldown_minutes": 1})
    with app.app_context():
        module = db.session.query(Module).filter_by(slug="basics-m1").one()
        module.protocol_articles = "3"
        module.convention_articles = "5 6"
        db.commit()
    page = _text(client.get("/modules/basics-m1").get_data(as_text=True))
    assert "Firearms Protocol Article 3" in page and "articles 3" not in page
    assert "Organized Crime Convention Articles 5, 6" in page
    assert "1 question drawn at random" in page
    assert "Time limit 1 minute." in page and "1 minute apart" in page
    course = _text(client.get("/courses").get_data(as_text=True))
    assert "1 module · about 1 hour" in course
