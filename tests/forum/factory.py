"""Forum content for tests, built through the services and committed.

Fixtures (registered in tests/conftest.py): `make_category`, `make_topic`, `make_reply`,
`make_thread`. Plain readers of committed rows: `load_topic`, `load_category`, `posts_of`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category, Post, Topic
from app.forum.services import posts as services

MakeCategory = Callable[..., int]
MakeTopic = Callable[..., tuple[int, int]]
MakeReply = Callable[..., int]
MakeThread = Callable[..., tuple[int, int, User]]


def _add_category(name: str = "General discussion", slug: str = "general") -> Category:
    category = Category(name=name, slug=slug, description=f"About {name.lower()}.")
    db.session.add(category)
    db.session.flush()
    return category


@pytest.fixture
def make_category(app: Flask) -> MakeCategory:
    """Add a category (by default `general`); returns its id."""

    def factory(name: str = "General discussion", slug: str = "general") -> int:
        with app.app_context():
            category = _add_category(name, slug)
            db.commit()
            return category.id

    return factory


@pytest.fixture
def make_topic(app: Flask) -> MakeTopic:
    """Open a topic by `author` in the category `slug`; returns (topic id, first post id).

    The default category, `general`, is added on first use; another must exist already.
    """

    def factory(
        author: User,
        slug: str = "general",
        title: str = "Tracing a converted pistol",
        body: str = "Opening post of an illustrative topic.",
    ) -> tuple[int, int]:
        with app.app_context():
            user = db.session.get(User, author.id)
            category = db.session.scalar(select(Category).where(Category.slug == slug))
            if category is None and slug == "general":
                category = _add_category()
            assert user is not None and category is not None
            post = services.create_topic(user, category, title, body)
            db.commit()
            return post.topic_id, post.id

    return factory


@pytest.fixture
def make_reply(app: Flask) -> MakeReply:
    """Reply to a topic as `author` (quoting post `reply_to`, if given); returns the post id."""

    def factory(
        author: User,
        topic_id: int,
        body: str = "An illustrative reply.",
        reply_to: int | None = None,
    ) -> int:
        with app.app_context():
            user = db.session.get(User, author.id)
            topic = db.session.get(Topic, topic_id)
            assert user is not None and topic is not None
            post = services.reply(user, topic, body, reply_to)
            db.commit()
            return post.id

    return factory


@pytest.fixture
def make_thread(
    make_user: Callable[..., User], make_topic: MakeTopic, make_reply: MakeReply
) -> MakeThread:
    """A topic in the `general` category by a new practitioner, and their reply.

    Returns (topic id, reply id, author); `topic` passes a title or body to `make_topic`.
    """

    def factory(display_name: str, reply: str, **topic: str) -> tuple[int, int, User]:
        author = make_user("practitioner", display_name=display_name)
        topic_id, _ = make_topic(author, **topic)
        return topic_id, make_reply(author, topic_id, reply), author

    return factory


def load_topic(app: Flask, topic_id: int) -> Topic:
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert topic is not None
        db.session.expunge(topic)
        return topic


def load_category(app: Flask, slug: str = "general") -> Category:
    with app.app_context():
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        assert category is not None
        db.session.expunge(category)
        return category


def posts_of(app: Flask, topic_id: int) -> list[tuple[int, str, str]]:
    """(number, status, body) of every post in a topic, in order."""
    with app.app_context():
        rows = db.session.execute(
            select(Post.number, Post.status, Post.body)
            .where(Post.topic_id == topic_id)
            .order_by(Post.number)
        )
        return [(n, s, b) for n, s, b in rows]
