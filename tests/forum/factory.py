"""Build forum content through the services, committed, for tests (run inside the app)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category, Post, Topic
from app.forum.services import categories
from app.forum.services import posts as services


def make_category(app: Flask, name: str = "General discussion", slug: str = "general") -> int:
    with app.app_context():
        category = Category(name=name, slug=slug, description=f"About {name.lower()}.")
        db.session.add(category)
        db.commit()
        return category.id


def seed_categories(app: Flask) -> None:
    with app.app_context():
        categories.seed()
        db.commit()


def make_topic(
    app: Flask, author: User, slug: str = "general", title: str = "Tracing a converted pistol",
    body: str = "Opening post of an illustrative topic.",
) -> tuple[int, int]:  # fmt: skip
    """Open a topic; returns (topic id, first post id)."""
    with app.app_context():
        user = db.session.get(User, author.id)
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        assert user is not None and category is not None
        post = services.create_topic(user, category, title, body)
        db.commit()
        return post.topic_id, post.id


def make_reply(app: Flask, author: User, topic_id: int, body: str = "An illustrative reply.",
               reply_to: int | None = None) -> int:  # fmt: skip
    with app.app_context():
        user = db.session.get(User, author.id)
        topic = db.session.get(Topic, topic_id)
        assert user is not None and topic is not None
        post = services.reply(user, topic, body, reply_to)
        db.commit()
        return post.id


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
