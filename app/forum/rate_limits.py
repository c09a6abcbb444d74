"""Posting rate limits: FORUM_RATE_LIMIT for members, FORUM_NEW_MEMBER_RATE_LIMIT (tighter) for
members with fewer than FORUM_NEW_MEMBER_POSTS approved posts. Moderators are not limited.

Limits are flask-limiter strings ("6 per minute;100 per day"), counted per account and shared by
every posting form (new topic, reply, edit).
"""

from __future__ import annotations

from flask import current_app, g
from flask_login import current_user
from sqlalchemy import func, select

from app.core.db import db
from app.core.permissions import Role, has_role
from app.extensions import limiter
from app.forum.models import Post, PostStatus


def is_new_member() -> bool:
    if "forum_new_member" not in g:
        threshold = int(current_app.config["FORUM_NEW_MEMBER_POSTS"])
        approved = db.session.scalar(
            select(func.count(Post.id)).where(
                Post.author_id == current_user.id, Post.status == PostStatus.VISIBLE
            )
        )
        g.forum_new_member = (approved or 0) < threshold
    return bool(g.forum_new_member)


def posting_limit() -> str:
    """The limit that applies to the member posting now."""
    config = current_app.config
    if current_user.is_authenticated and is_new_member():
        return str(config["FORUM_NEW_MEMBER_RATE_LIMIT"])
    return str(config["FORUM_RATE_LIMIT"])


def _poster() -> str:
    return f"forum-poster:{current_user.id if current_user.is_authenticated else 'anonymous'}"


def _exempt() -> bool:
    return has_role(current_user, Role.MODERATOR)


# Decorate every view that creates or changes a post (POST only).
posting = limiter.shared_limit(
    posting_limit, scope="forum-posting", key_func=_poster, methods=["POST"], exempt_when=_exempt
)
