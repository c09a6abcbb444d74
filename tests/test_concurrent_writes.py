"""Writes sent at the same moment by several signed-in users all succeed.

"Mark as read" records a LessonRead and the learner's last activity. Flask-Login loads the user
(a read) before the view writes; on SQLite a read that began a deferred transaction, upgraded to a
write under contention, failed at once with "database is locked" (HTTP 500) instead of waiting for
the lock. (Opening a lesson used to write; it is a plain read now.)
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


def _status_of_post(url: str) -> Callable[[FlaskClient, int], int]:
    return lambda client, _index: client.post(url).status_code


def test_simultaneous_marks_as_read_by_many_users_all_succeed_and_are_recorded(
    app: Flask, make_user: User_, client_for: ClientFor, make_course: MakeCourse
) -> None:
    make_course(modules=1)
    users = [make_user() for _ in range(THREADS)]
    clients = [client_for(user) for user in users]
    statuses: list[int] = []
    for _ in range(ROUNDS):
        for url in LESSONS:  # every user sends this POST at the same moment
            statuses += run_together(clients, _status_of_post(f"{url}/read"))

    assert sorted(set(statuses)) == [302], f"statuses: {statuses}"
    assert len(statuses) == THREADS * ROUNDS * len(LESSONS)
    with app.app_context():
        reads = db.session.execute(
            select(LessonRead.user_id, func.count()).group_by(LessonRead.user_id)
        ).all()
        enrolments = db.session.scalar(select(func.count()).select_from(Enrolment))
    assert dict(reads) == {user.id: len(LESSONS) for user in users}
    assert enrolments == THREADS
