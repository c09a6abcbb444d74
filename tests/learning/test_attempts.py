"""Quiz attempts through the site: shuffle, draw, paging, resume, policies, time limits, review."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.core.time import utcnow
from app.learning.models import Attempt, AttemptSlot, Enrolment, Module, QuizQuestion
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take, page_form, right_answer, start, wrong_answer

User_ = Callable[..., User]


@pytest.fixture
def quiz_app(app: Flask, make_course: MakeCourse) -> Callable[..., Flask]:
    """Load a two-module course whose quizzes use the given front matter settings."""

    def factory(**settings: Any) -> Flask:
        make_course(settings=settings)
        return app

    return factory


def _attempt(app: Flask, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        db.session.expunge_all()
        return attempt


def _slots(app: Flask, attempt_id: int) -> list[AttemptSlot]:
    with app.app_context():
        rows = db.session.scalars(
            select(AttemptSlot)
            .where(AttemptSlot.attempt_id == attempt_id)
            .order_by(AttemptSlot.position)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _choice_order(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="(\d+)"', html)


def _save(client: FlaskClient, attempt_id: int, page: int, action: str, **fields: Any) -> Any:
    return client.post(
        f"/learning/attempts/{attempt_id}", data={"page": str(page), "action": action, **fields}
    )


# Shuffle and draw ------------------------------------------------------------------------


def test_answer_order_is_shuffled_once_and_kept_across_reloads_and_devices(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_, client_for: ClientFor
) -> None:
    app = quiz_app()
    user = login()
    attempt_id = start(client, "basics-m1")
    stored = [json.loads(slot.order) for slot in _slots(app, attempt_id)]
    assert sorted(stored[1]) == [0, 1, 2]  # 'covers' has three choices
    first = client.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert _choice_order(first, "q2") == [str(i) for i in stored[1]]
    assert _choice_order(first, "q3") == [str(i) for i in stored[2]]
    again = client.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert _choice_order(again, "q2") == _choice_order(first, "q2")
    other = client_for(user)
    elsewhere = other.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert _choice_order(elsewhere, "q2") == _choice_order(first, "q2")
    assert [json.loads(s.order) for s in _slots(app, attempt_id)] == stored


def test_answers_keep_file_order_when_shuffling_is_off(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    quiz_app(shuffle_answers=False)
    login()
    attempt_id = start(client, "basics-m1")
    html = client.get(f"/learning/attempts/{attempt_id}").get_data(as_text=True)
    assert _choice_order(html, "q2") == ["0", "1", "2"]


def test_each_attempt_draws_the_configured_number_of_questions_from_the_pool(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    app = quiz_app(draw=3)
    login()
    drawn = []
    for _ in range(6):
        attempt_id = start(client, "basics-m1")
        slots = _slots(app, attempt_id)
        assert len(slots) == 3
        assert len({s.question_id for s in slots}) == 3
        drawn.append(frozenset(s.question_id for s in slots))
        html = client.get(f"/learning/attempts/{attempt_id}").get_data(as_text=True)
        assert "3 questions" in html and html.count('<fieldset class="question"') == 3
        _save(client, attempt_id, 1, "submit")
    with app.app_context():
        pool = set(
            db.session.scalars(
                select(QuizQuestion.id)
                .join(Module, Module.id == QuizQuestion.module_id)
                .where(Module.slug == "basics-m1")
            )
        )
    assert len(pool) == 8
    assert all(ids <= pool for ids in drawn)
    assert len(set(drawn)) > 1  # 56 possible draws: six attempts never all draw the same


# Paging and resume -----------------------------------------------------------------------


def test_answers_are_saved_with_each_page(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    app = quiz_app()
    login()
    attempt_id = start(client, "basics-m1")
    response = _save(client, attempt_id, 1, "next", **page_form(app, attempt_id, 1, right_answer))
    assert response.headers["Location"].endswith(f"/learning/attempts/{attempt_id}?page=2")
    saved = [s.response for s in _slots(app, attempt_id)]
    assert all(r is not None for r in saved[1:5]) and saved[0] is None  # q1 is a description
    assert all(r is None for r in saved[5:])
    _save(client, attempt_id, 2, "previous", **page_form(app, attempt_id, 2, right_answer))
    assert all(s.response is not None for s in _slots(app, attempt_id)[1:])
    page1 = client.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    assert page1.count(" checked") >= 3  # covers, both signs, true/false


def test_an_attempt_survives_sign_out_and_resumes_on_a_new_device(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_, client_for: ClientFor
) -> None:
    app = quiz_app()
    user = login()
    attempt_id = start(client, "basics-m1")
    answers = page_form(app, attempt_id, 1, right_answer)
    _save(client, attempt_id, 1, "next", **answers)
    client.post("/sign-out")
    assert client.get(f"/learning/attempts/{attempt_id}").status_code == 302

    device = client_for(user)
    assert "Resume the attempt" in device.get("/modules/basics-m1").get_data(as_text=True)
    assert start(device, "basics-m1") == attempt_id
    page2 = device.get(f"/learning/attempts/{attempt_id}").get_data(as_text=True)
    assert "Page 2 of 2" in page2
    page1 = device.get(f"/learning/attempts/{attempt_id}?page=1").get_data(as_text=True)
    agency = answers["q5"][0]
    assert f'value="{agency}"' in page1
    _save(device, attempt_id, 2, "submit", **page_form(app, attempt_id, 2, right_answer))
    assert _attempt(app, attempt_id).score == 100.0


# Policies --------------------------------------------------------------------------------


def test_max_attempts_refuses_a_further_attempt(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_, take: Take
) -> None:
    app = quiz_app(max_attempts=2)
    login()
    take(client, "basics-m1", wrong_answer)
    take(client, "basics-m1", wrong_answer)
    response = client.post("/modules/basics-m1/attempts")
    assert response.status_code == 303
    page = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "You have used all 2 attempts for this quiz." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 2


def test_cool_down_delays_the_next_attempt(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_, take: Take
) -> None:
    app = quiz_app(cooldown_minutes=30)
    login()
    first = take(client, "basics-m1", wrong_answer)
    assert client.post("/modules/basics-m1/attempts").status_code == 303
    assert "You can try again in 30 minutes." in client.get("/modules/basics-m1").get_data(
        as_text=True
    )
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        assert attempt is not None and attempt.submitted_at is not None
        attempt.submitted_at = utcnow() - timedelta(minutes=31)
        db.commit()
    assert start(client, "basics-m1") != first


@pytest.mark.parametrize(("grading", "result", "label"), [
    ("highest", "100.0", "Passed"), ("last", "0.0", "Not passed yet"),
])  # fmt: skip
def test_grading_method_picks_the_highest_or_the_last_attempt(
    quiz_app: Callable[..., Flask],
    client: FlaskClient,
    login: User_,
    grading: str,
    result: str,
    label: str,
    take: Take,
) -> None:
    quiz_app(grading=grading)
    login()
    take(client, "basics-m1", right_answer)
    take(client, "basics-m1", wrong_answer)
    page = client.get("/modules/basics-m1").get_data(as_text=True)
    assert f"Result: {result}% (pass mark 70%)" in page
    assert '<span class="tag state-' in page and f">{label}</span>" in page


# Time limit ------------------------------------------------------------------------------


def _expire(app: Flask, attempt_id: int) -> None:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.deadline_at is not None
        attempt.deadline_at = utcnow() - timedelta(minutes=5)
        db.commit()


def test_time_limit_sets_a_deadline_shown_on_the_page(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    app = quiz_app(time_limit_minutes=15)
    login()
    attempt_id = start(client, "basics-m1")
    attempt = _attempt(app, attempt_id)
    assert attempt.deadline_at is not None
    assert timedelta(minutes=14) < attempt.deadline_at - attempt.started_at <= timedelta(minutes=15)
    page = client.get(f"/learning/attempts/{attempt_id}").get_data(as_text=True)
    assert "The attempt closes at <time" in page


def test_a_late_submission_is_graded_with_the_answers_saved_before_the_deadline(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    app = quiz_app(time_limit_minutes=15)
    login()
    attempt_id = start(client, "basics-m1")
    _save(client, attempt_id, 1, "next", **page_form(app, attempt_id, 1, right_answer))
    _expire(app, attempt_id)
    late = _save(client, attempt_id, 2, "submit", **page_form(app, attempt_id, 2, right_answer))
    assert late.status_code == 303
    assert late.headers["Location"].endswith(f"/learning/attempts/{attempt_id}/review")
    attempt = _attempt(app, attempt_id)
    assert attempt.status == "submitted"
    assert attempt.score == pytest.approx(100 * 4 / 6, abs=0.01)  # page 2's two answers lost
    assert [s.response for s in _slots(app, attempt_id)][5:] == [None, None, None]
    review = client.get(late.headers["Location"]).get_data(as_text=True)
    assert "Time ran out" in review


def test_opening_an_expired_attempt_submits_it(
    quiz_app: Callable[..., Flask], client: FlaskClient, login: User_
) -> None:
    app = quiz_app(time_limit_minutes=15)
    login()
    attempt_id = start(client, "basics-m1")
    _expire(app, attempt_id)
    response = client.get(f"/learning/attempts/{attempt_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    assert _attempt(app, attempt_id).status == "submitted"
    assert _attempt(app, attempt_id).score == 0.0


# Review ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("review", "shown", "hidden"), [
    ("none", ["Your attempt was submitted on"],
     ["You scored", "Right answer", "Right.", "All three"]),
    ("score", ["You scored <strong>100.0%</strong>"], ["Right answer", "Right.", "All three"]),
    ("answers", ["You scored", "Right answer:</strong> Firearms, parts and ammunition"],
     ['<div class="feedback">Right.', "All three categories matter."]),
    ("feedback", ["You scored", "Right answer", "All three categories matter.", "Right."], []),
])  # fmt: skip
def test_review_shows_what_the_module_settings_allow(
    quiz_app: Callable[..., Flask],
    client: FlaskClient,
    login: User_,
    review: str,
    shown: list[str],
    hidden: list[str],
    take: Take,
) -> None:
    quiz_app(review=review)
    login()
    attempt_id = take(client, "basics-m1")
    html = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text


def test_opening_the_attempt_page_again_writes_nothing_until_minutes_pass(
    quiz_app: Callable[..., Flask],
    client: FlaskClient,
    login: User_,
    count_queries: Callable[[], Any],
) -> None:
    app = quiz_app()
    login()
    attempt_id = start(client, "basics-m1")
    url = f"/learning/attempts/{attempt_id}"
    assert client.get(url).status_code == 200  # records where the learner is
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    writes = [q for q in counter.statements if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []

    with app.app_context():  # six minutes later the same page records the activity again
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment is not None and enrolment.last_url == url + "?page=1"
        enrolment.last_activity_at = utcnow() - timedelta(minutes=6)
        db.commit()
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    writes = [q for q in counter.statements if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    # The enrolment's activity, and the learner's state counter (their kept pages are stale).
    assert len(writes) == 2 and "enrolments" in writes[0] and "member_states" in writes[1]
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment is not None
        assert utcnow() - enrolment.last_activity_at < timedelta(minutes=1)
