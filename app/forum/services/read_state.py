"""Each member's read position in a topic: reading a page moves it forward, never back."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.core.db import db
from app.forum import policy
from app.forum.models import Post, Topic, TopicRead


def last_read(user_id: int, topic_id: int) -> int:
    stmt = select(TopicRead.last_read_number).where(
        TopicRead.user_id == user_id, TopicRead.topic_id == topic_id
    )
    return int(db.session.scalar(stmt) or 0)


def mark_read(user_id: int, topic_id: int, number: int) -> None:
    """Move the read position forward to `number` (an upsert that never moves it back)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(TopicRead).values(user_id=user_id, topic_id=topic_id, last_read_number=number)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "topic_id"],
        set_={
            "last_read_number": func.max(TopicRead.last_read_number, stmt.excluded.last_read_number)
            if dialect == "sqlite"
            else func.greatest(TopicRead.last_read_number, stmt.excluded.last_read_number)
        },
    )
    db.session.execute(stmt)


def first_unread(user: User, topic: Topic) -> int | None:
    """The number of the first post the user may see after their read position, if any."""
    position = last_read(user.id, topic.id)
    return db.session.scalar(
        select(func.min(Post.number)).where(
            Post.topic_id == topic.id, Post.number > position, policy.visible_posts_for(user)
        )
    )
