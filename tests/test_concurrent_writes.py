"""GET requests that write, sent at the same moment by several signed-in users, all succeed.

The lesson page records a LessonRead and the learner's last activity. Flask-Login loads the user
(a read) before the view declares its write with `intend_write()`; on SQLite that read began a
deferred transaction, and upgrading it to a write under contention failed at once with
"database is locked" (HTTP 500) instead of waiting for the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Enrolment, LessonRead
from tests.conftest import PASSWORD
from tests.learning.factory import load, write_course

THREADS = 8
ROUNDS = 3
LESSONS = ["/modules/basics-m1/lessons/lesson-1", "/modules/basics-m1/lessons/lesson-2"]


def _signed_in_clients(app: Flask, users: list[User]) -> list[FlaskClient]:
    clients = []
    for user in users:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        clients.append(client)
    return clients


def test_simultaneous_lesson_reads_by_many_users_all_succeed_and_are_recorded(
    app: Flask, make_user: Callable[..., User], tmp_path: Path
) -> None:
    write_course(tmp_path / "courses", modules=1)
    load(app, tmp_path / "courses")
    users = [make_user() for _ in range(THREADS)]
    clients = _signed_in_clients(app, users)
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def read_lessons(client: FlaskClient) -> None:
        for _ in range(ROUNDS):
            for url in LESSONS:
                start.wait(timeout=60)  # every thread sends this GET at the same moment
                status = client.get(url).status_code
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=read_lessons, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(set(statuses)) == [200], f"statuses: {statuses}"
    assert len(statuses) == THREADS * ROUNDS * len(LESSONS)
    with app.app_context():
        reads = db.session.execute(
            select(LessonRead.user_id, func.count()).group_by(LessonRead.user_id)
        ).all()
        enrolments = db.session.scalar(select(func.count()).select_from(Enrolment))
    assert dict(reads) == {user.id: len(LESSONS) for user in users}
    assert enrolments == THREADS
