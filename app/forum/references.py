"""'Discussed in' backlinks: forum topics whose visible posts reference a case or a module."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from app.core.db import db
from app.forum import policy
from app.forum.models import Post, Reference, Topic

MAX_BACKLINKS = 20


def discussed_in(kind: str, slug: str) -> list[tuple[str, str]]:
    """(topic title, url) for topics referencing `[[kind:slug]]` the current user may read."""
    if not policy.can_read_forum(current_user):
        return []
    stmt = (
        select(Topic.id, Topic.title)
        .join(Post, Post.topic_id == Topic.id)
        .join(Reference, Reference.post_id == Post.id)
        .where(
            Reference.kind == kind,
            Reference.slug == slug,
            Post.status == "visible",
            policy.visible_topics_for(current_user),
            Topic.deleted.is_(False),
        )
        .group_by(Topic.id, Topic.title, Topic.last_post_at)
        .order_by(Topic.last_post_at.desc())
        .limit(MAX_BACKLINKS)
    )
    return [
        (title, url_for("forum.topic", topic_id=topic_id))
        for topic_id, title in db.session.execute(stmt)
    ]
