"""Members posting at the same moment never lose a post, share a number or corrupt counters.

Real threads, each with its own test client and database connection, against the SQLite file
or PostgreSQL (TEST_DATABASE_URL): the same guarantees must hold on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category, Post, Topic
from tests.conftest import PASSWORD
from tests.forum.factory import load_category, load_topic, make_category, make_topic

THREADS = 6
POSTS_EACH = 5


def _run_together(app: Flask, users: list[User], work: Callable[..., list[int]]) -> list[int]:
    barrier = threading.Barrier(len(users))
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(user: User, index: int) -> None:
        try:
            client = app.test_client()
            signed = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
            assert signed.status_code == 302
            barrier.wait(timeout=30)
            result = work(client, index)
            with lock:
                statuses.extend(result)
        except BaseException as error:  # reported to the test below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=run, args=(u, i)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def test_simultaneous_replies_get_distinct_numbers_and_exact_counts(
    app: Flask, make_user: Callable[..., User]
) -> None:
    make_category(app)
    topic_id, _ = make_topic(app, make_user("practitioner"))
    users = [make_user("practitioner") for _ in range(THREADS)]

    def reply(client: object, index: int) -> list[int]:
        return [
            client.post(  # type: ignore[attr-defined]
                f"/forum/t/{topic_id}/reply", data={"body": f"Reply {index}-{n}"}
            ).status_code
            for n in range(POSTS_EACH)
        ]

    statuses = _run_together(app, users, reply)
    assert statuses == [302] * (THREADS * POSTS_EACH)
    expected = 1 + THREADS * POSTS_EACH
    with app.app_context():
        numbers = list(
            db.session.scalars(
                select(Post.number).where(Post.topic_id == topic_id).order_by(Post.number)
            )
        )
        bodies = set(db.session.scalars(select(Post.body).where(Post.topic_id == topic_id)))
    assert numbers == list(range(1, expected + 1))
    assert {f"Reply {i}-{n}" for i in range(THREADS) for n in range(POSTS_EACH)} <= bodies
    topic = load_topic(app, topic_id)
    assert (topic.post_count, topic.last_number) == (expected, expected)
    assert load_category(app).post_count == expected


def test_simultaneous_topics_keep_category_counters_exact(
    app: Flask, make_user: Callable[..., User]
) -> None:
    make_category(app)
    users = [make_user("practitioner") for _ in range(THREADS)]

    def open_topics(client: object, index: int) -> list[int]:
        return [
            client.post(  # type: ignore[attr-defined]
                "/forum/c/general/new",
                data={"title": f"Topic {index}-{n}", "body": "Simultaneous opening post."},
            ).status_code
            for n in range(3)
        ]

    statuses = _run_together(app, users, open_topics)
    assert statuses == [302] * (THREADS * 3)
    with app.app_context():
        topics = db.session.scalar(select(func.count(Topic.id)))
        category = db.session.scalar(select(Category).where(Category.slug == "general"))
        assert category is not None
        assert (category.topic_count, category.post_count) == (topics, topics) == (THREADS * 3,) * 2
