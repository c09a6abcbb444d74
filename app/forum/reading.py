"""Reading the forum: category and topic listings, topic pages, and each member's read position.

A topic page runs a fixed number of queries whatever the number of posts (authors and quoted
posts are loaded with the page). Reading a page moves the member's read position forward, never
back; unread counts are the visible posts after that position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app.core.db import db
from app.core.pagination import Page, paginate
from app.forum import policy
from app.forum.models import Category, Post, Topic, TopicRead

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


@dataclass
class CategoryRow:
    category: Category
    unread: int


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_rows(user: Any) -> list[CategoryRow]:
    """Every category with the number of posts the user has not read in it."""
    unread_stmt = (
        select(Topic.category_id, func.count(Post.id))
        .join(Post, Post.topic_id == Topic.id)
        .outerjoin(TopicRead, and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == user.id))
        .where(
            policy.visible_topics_for(user),
            Topic.deleted.is_(False),
            Post.status == "visible",
            Post.number > func.coalesce(TopicRead.last_read_number, 0),
        )
        .group_by(Topic.category_id)
    )
    unread: dict[int, int] = {row[0]: row[1] for row in db.session.execute(unread_stmt)}
    return [CategoryRow(c, unread.get(c.id, 0)) for c in categories()]


@dataclass
class TopicRow:
    topic: Topic
    unread: int
    last_read: int | None  # None: never opened


def topic_rows(user: Any, category: Category, page: int) -> tuple[Page[Any], list[TopicRow]]:
    """One page of a category's topics, pinned first, then by latest activity."""
    stmt = (
        select(Topic)
        .options(joinedload(Topic.author))
        .where(Topic.category_id == category.id, policy.visible_topics_for(user))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
    )
    result = paginate(stmt, page, TOPICS_PER_PAGE)
    ids = [topic.id for topic in result.items]
    reads: dict[int, int] = {}
    unread: dict[int, int] = {}
    if ids:
        reads = dict(
            db.session.execute(
                select(TopicRead.topic_id, TopicRead.last_read_number).where(
                    TopicRead.user_id == user.id, TopicRead.topic_id.in_(ids)
                )
            ).all()
        )
        unread_stmt = (
            select(Post.topic_id, func.count(Post.id))
            .outerjoin(
                TopicRead, and_(TopicRead.topic_id == Post.topic_id, TopicRead.user_id == user.id)
            )
            .where(
                Post.topic_id.in_(ids),
                Post.status == "visible",
                Post.number > func.coalesce(TopicRead.last_read_number, 0),
            )
            .group_by(Post.topic_id)
        )
        unread = dict(db.session.execute(unread_stmt).all())
    rows = [TopicRow(t, unread.get(t.id, 0), reads.get(t.id)) for t in result.items]
    return result, rows


def posts_page(user: Any, topic: Topic, page: int) -> Page[Any]:
    """One page of a topic's posts the user may see, with authors and quoted posts loaded."""
    stmt = (
        select(Post)
        .options(joinedload(Post.author))
        .where(Post.topic_id == topic.id, policy.visible_posts_for(user))
        .order_by(Post.number)
    )
    return paginate(stmt, page, POSTS_PER_PAGE)


def quoted_numbers(posts: list[Post]) -> dict[int, int]:
    """reply_to post id → its number in the topic, for "in reply to #n" links (one query)."""
    ids = {post.reply_to_id for post in posts if post.reply_to_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Post.id, Post.number).where(Post.id.in_(ids))).all())


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


def page_of(user: Any, topic: Topic, number: int) -> int:
    """The page of the topic on which post `number` (or the first visible after it) appears."""
    before = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.topic_id == topic.id, Post.number < number, policy.visible_posts_for(user)
        )
    )
    return int(before or 0) // POSTS_PER_PAGE + 1


def first_unread(user: Any, topic: Topic) -> int | None:
    """The number of the first post the user may see after their read position, if any."""
    position = last_read(user.id, topic.id)
    return db.session.scalar(
        select(func.min(Post.number)).where(
            Post.topic_id == topic.id, Post.number > position, policy.visible_posts_for(user)
        )
    )


def last_visible_number(user: Any, topic: Topic) -> int | None:
    return db.session.scalar(
        select(func.max(Post.number)).where(
            Post.topic_id == topic.id, policy.visible_posts_for(user)
        )
    )
