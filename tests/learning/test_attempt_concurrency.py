"""Simultaneous "Start the quiz" requests by one learner leave one attempt in progress.

A double click, two tabs or a retrying proxy send the same POST at once. Each request looked for
an attempt in progress, found none and created one; on PostgreSQL (READ COMMITTED, no
BEGIN IMMEDIATE) both succeeded and the learner had two attempts in progress.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Attempt
from tests.conftest import PASSWORD
from tests.learning.factory import load, write_course

REQUESTS = 6


def test_simultaneous_starts_give_one_attempt_in_progress(
    app: Flask, make_user: Callable[..., User], tmp_path: Path
) -> None:
    write_course(tmp_path / "courses", modules=1)
    load(app, tmp_path / "courses")
    user = make_user()
    clients = []
    for _ in range(REQUESTS):  # one browser tab each, all signed in as the same learner
        client = app.test_client()
        signed_in = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert signed_in.status_code == 302
        clients.append(client)
    start = threading.Barrier(REQUESTS)
    locations: list[str] = []
    lock = threading.Lock()

    def click_start(client: FlaskClient) -> None:
        start.wait(timeout=60)
        response = client.post("/modules/basics-m1/attempts")
        with lock:
            locations.append(f"{response.status_code} {response.headers.get('Location')}")

    threads = [threading.Thread(target=click_start, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    with app.app_context():
        rows = db.session.execute(
            select(Attempt.id, Attempt.number, Attempt.status).where(Attempt.user_id == user.id)
        ).all()
    assert [(number, status) for _, number, status in rows] == [(1, "in_progress")]
    attempt_id = rows[0].id
    assert len(locations) == REQUESTS
    for location in locations:  # every tab lands on the one attempt
        assert re.fullmatch(rf"302 /learning/attempts/{attempt_id}\?page=1", location), location
