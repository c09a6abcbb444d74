"""GET requests that write, sent at the same moment by several signed-in users, all succeed.

The lesson page records a LessonRead and the learner's last activity. Flask-Login loads the user
(a read) before the view declares its write with `intend_write()`; on SQLite that read began a
deferred transaction, and upgrading it to a write under contention failed at once with
"database is locked" (HTTP 500) instead of waiting for the lock.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.learning.models import Enrolment, LessonRead
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]

THREADS = 8
ROUNDS = 3
LESSONS = ["/modules/basics-m1/lessons/lesson-1", "/modules/basics-m1/lessons/lesson-2"]


def _status_of_get(url: str) -> Callable[[FlaskClient, int], int]:
    return lambda client, _index: client.get(url).status_code


def test_simultaneous_lesson_reads_by_many_users_all_succeed_and_are_recorded(
    app: Flask, make_user: User_, client_for: ClientFor, make_course: MakeCourse
) -> None:
    make_course(modules=1)
    users = [make_user() for _ in range(THREADS)]
    clients = [client_for(user) for user in users]
    statuses: list[int] = []
    for _ in range(ROUNDS):
        for url in LESSONS:  # every user sends this GET at the same moment
            statuses += run_together(clients, _status_of_get(url))

    assert sorted(set(statuses)) == [200], f"statuses: {statuses}"
    assert len(statuses) == THREADS * ROUNDS * len(LESSONS)
    with app.app_context():
        reads = db.session.execute(
            select(LessonRead.user_id, func.count()).group_by(LessonRead.user_id)
        ).all()
        enrolments = db.session.scalar(select(func.count()).select_from(Enrolment))
    assert dict(reads) == {user.id: len(LESSONS) for user in users}
    assert enrolments == THREADS
