"""Members posting at the same moment never lose a post, share a number or corrupt counters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category, Post, Topic
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.forum.factory import MakeCategory, MakeTopic, load_category, load_topic

User_ = Callable[..., User]

THREADS = 6
POSTS_EACH = 5


@pytest.fixture
def members(make_user: User_, client_for: ClientFor) -> list[FlaskClient]:
    """Signed-in clients of THREADS practitioners."""
    return [client_for(make_user("practitioner")) for _ in range(THREADS)]


def test_simultaneous_replies_get_distinct_numbers_and_exact_counts(
    app: Flask, make_user: User_, members: list[FlaskClient], make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))

    def reply(client: FlaskClient, index: int) -> list[int]:
        return [
            client.post(
                f"/forum/t/{topic_id}/reply", data={"body": f"Reply {index}-{n}"}
            ).status_code
            for n in range(POSTS_EACH)
        ]

    statuses = run_together(members, reply)
    assert statuses == [[302] * POSTS_EACH] * THREADS
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
    app: Flask, members: list[FlaskClient], make_category: MakeCategory
) -> None:
    make_category()

    def open_topics(client: FlaskClient, index: int) -> list[int]:
        return [
            client.post(
                "/forum/c/general/new",
                data={"title": f"Topic {index}-{n}", "body": "Simultaneous opening post."},
            ).status_code
            for n in range(3)
        ]

    statuses = run_together(members, open_topics)
    assert statuses == [[302] * 3] * THREADS
    with app.app_context():
        topics = db.session.scalar(select(func.count(Topic.id)))
        category = db.session.scalar(select(Category).where(Category.slug == "general"))
        assert category is not None
        assert (category.topic_count, category.post_count) == (topics, topics) == (THREADS * 3,) * 2
