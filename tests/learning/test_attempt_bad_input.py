"""Bad quiz input gets a clear 4xx (or is graded by the rules) and never changes saved answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Attempt, AttemptSlot
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take, page_form, right_answer, start

User_ = Callable[..., User]

# Slot positions in the factory quiz (question order is not shuffled):
# 1 description, 2 multichoice, 3 multiresponse, 4 true/false, 5 short answer (page 1);
# 6 numerical, 7 matching, 8 essay (page 2).


@pytest.fixture
def started(app: Flask, client: FlaskClient, login: User_, make_course: MakeCourse) -> int:
    """A signed-in learner with an attempt whose first page is answered and saved."""
    make_course()
    login()
    attempt_id = start(client, "basics-m1")
    response = _post(client, attempt_id, 1, "save", page_form(app, attempt_id, 1, right_answer))
    assert response.status_code == 302
    return attempt_id


def _post(client: FlaskClient, attempt_id: int, page: int, action: str, fields: Any) -> Any:
    return client.post(
        f"/learning/attempts/{attempt_id}", data={"page": str(page), "action": action, **fields}
    )


def _saved(app: Flask, attempt_id: int) -> tuple[str, int, list[str | None]]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        responses = db.session.scalars(
            select(AttemptSlot.response)
            .where(AttemptSlot.attempt_id == attempt_id)
            .order_by(AttemptSlot.position)
        ).all()
        return attempt.status, attempt.current_page, list(responses)


@pytest.mark.parametrize(("page", "fields", "message"), [
    (1, {"q2": "0", "q99": "1"}, "not in this attempt"),
    (1, {"q2": "0", "q6": "8"}, "does not belong to this page"),
    (1, {"q2": "7"}, "Question 2: unknown choice."),
    (1, {"q2": "-1"}, "Question 2: unknown choice."),
    (1, {"q2": "²"}, "Question 2: unknown choice."),
    (1, {"q2": ["0", "1"]}, "Question 2 takes one answer."),
    (1, {"q3": ["0", "9"]}, "Question 3: unknown choice."),
    (1, {"q3": ["zero"]}, "Question 3: unknown choice."),
    (1, {"q4": "maybe"}, "Question 4: answer true or false."),
    (2, {"q6": "eight"}, "Question 6 expects a number."),
    (2, {"q6": "8 mm"}, "Question 6 expects a number."),
    (2, {"q7-0": "5"}, "Question 7: unknown choice."),
    (2, {"q7-9": "0"}, "Question 7: unknown subquestion."),
    (1, {"q5": "x" * 6000}, "The answer to question 5 is too long."),
])  # fmt: skip
def test_invalid_answers_are_refused_and_nothing_saved_changes(
    app: Flask, client: FlaskClient, started: int, page: int, fields: Any, message: str
) -> None:
    before = _saved(app, started)
    response = _post(client, started, page, "submit", fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _saved(app, started) == before
    assert before[0] == "in_progress" and before[2][1] is not None


def test_another_users_attempt_does_not_exist_for_me(
    app: Flask, started: int, make_user: User_, client_for: ClientFor
) -> None:
    before = _saved(app, started)
    other = client_for(make_user())
    assert other.get(f"/learning/attempts/{started}").status_code == 404
    assert other.get(f"/learning/attempts/{started}/review").status_code == 404
    assert _post(other, started, 1, "submit", {"q2": "0"}).status_code == 404
    assert _saved(app, started) == before


def test_submitting_twice_is_a_conflict_and_keeps_the_grade(
    app: Flask, client: FlaskClient, started: int
) -> None:
    assert _post(client, started, 2, "submit", {}).status_code == 302
    status, _, responses = _saved(app, started)
    with app.app_context():
        score = db.session.get(Attempt, started).score  # type: ignore[union-attr]
    assert status == "submitted" and score == pytest.approx(100 * 4 / 6, abs=0.01)
    again = _post(client, started, 2, "submit", page_form(app, started, 2, right_answer))
    assert again.status_code == 409
    assert "already submitted" in again.get_data(as_text=True)
    assert _saved(app, started)[2] == responses
    with app.app_context():
        assert db.session.get(Attempt, started).score == score  # type: ignore[union-attr]


def test_a_submitted_attempt_opens_its_review(
    app: Flask, client: FlaskClient, started: int
) -> None:
    _post(client, started, 2, "submit", {})
    response = client.get(f"/learning/attempts/{started}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/learning/attempts/{started}/review")


def test_unknown_attempts_and_modules_are_not_found(
    app: Flask, client: FlaskClient, started: int
) -> None:
    assert client.get("/learning/attempts/424242").status_code == 404
    assert client.post("/modules/no-such-module/attempts").status_code == 404


def test_blank_answers_are_saved_as_unanswered_and_score_zero(
    app: Flask, client: FlaskClient, login: User_, take: Take, make_course: MakeCourse
) -> None:
    make_course()
    login()
    attempt_id = take(client, "basics-m1", lambda question, position: {})
    status, _, responses = _saved(app, attempt_id)
    assert status == "submitted" and responses == [None] * 8
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 0.0  # type: ignore[union-attr]
