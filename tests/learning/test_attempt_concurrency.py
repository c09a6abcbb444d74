"""Simultaneous "Start the quiz" requests by one learner leave one attempt in progress.

A double click, two tabs or a retrying proxy send the same POST at once. Each request looked for
an attempt in progress, found none and created one; on PostgreSQL (READ COMMITTED, no
BEGIN IMMEDIATE) both succeeded and the learner had two attempts in progress.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Attempt
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]

REQUESTS = 6


def test_simultaneous_starts_give_one_attempt_in_progress(
    app: Flask, make_user: User_, client_for: ClientFor, make_course: MakeCourse
) -> None:
    make_course(modules=1)
    user = make_user()
    # one browser tab each, all signed in as the same learner
    tabs = [client_for(user) for _ in range(REQUESTS)]

    def click_start(client: FlaskClient, _index: int) -> str:
        response = client.post("/modules/basics-m1/attempts")
        return f"{response.status_code} {response.headers.get('Location')}"

    locations = run_together(tabs, click_start)

    with app.app_context():
        rows = db.session.execute(
            select(Attempt.id, Attempt.number, Attempt.status).where(Attempt.user_id == user.id)
        ).all()
    assert [(number, status) for _, number, status in rows] == [(1, "in_progress")]
    attempt_id = rows[0].id
    assert len(locations) == REQUESTS
    for location in locations:  # every tab lands on the one attempt
        assert re.fullmatch(rf"302 /learning/attempts/{attempt_id}\?page=1", location), location
