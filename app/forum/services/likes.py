""" "This helped": a member marks someone else's published post, once; the post keeps a count."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import User
from app.core.db import db
from app.core.errors import Conflict, Forbidden
from app.forum.models import Post, PostLike, PostStatus


def _check(user: User, post: Post) -> None:
    if post.author_id == user.id:
        raise Forbidden(_("You cannot mark your own post as helpful."))
    if post.status != PostStatus.VISIBLE:
        raise Conflict(_("Only a published post can be marked as helpful."))


def like(user: User, post: Post) -> None:
    """Mark `post` (already checked visible to `user`) as helpful; a second time changes nothing."""
    _check(user, post)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    added = db.session.execute(
        insert(PostLike)
        .values(post_id=post.id, user_id=user.id)
        .on_conflict_do_nothing()
        .returning(PostLike.id)
    ).first()
    if added is not None:  # a second mark (even a simultaneous one) adds no row
        db.session.execute(
            update(Post).where(Post.id == post.id).values(like_count=Post.like_count + 1)
        )
    db.session.flush()


def unlike(user: User, post: Post) -> None:
    removed = db.session.execute(
        delete(PostLike)
        .where(PostLike.post_id == post.id, PostLike.user_id == user.id)
        .returning(PostLike.id)
    ).first()
    if removed is not None:
        db.session.execute(
            update(Post).where(Post.id == post.id).values(like_count=Post.like_count - 1)
        )
    db.session.flush()


def liked_by(user_id: int, post_ids: list[int]) -> set[int]:
    """Which of these posts the user marked as helpful (one query)."""
    if not post_ids:
        return set()
    return set(
        db.session.scalars(
            select(PostLike.post_id).where(
                PostLike.user_id == user_id, PostLike.post_id.in_(post_ids)
            )
        )
    )
