"""Helpers shared by the forum moderation tests: reading rows back."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.core.db import db
from app.core.models import AuditEntry, Notification
from app.forum.models import Post
from app.moderation.models import ReviewItem


def post_status(app: Flask, post_id: int) -> str:
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None
        return post.status


def open_review_items(app: Flask, kind: str) -> list[tuple[int, int, str]]:
    """(item id, target id, summary) of the open review items of one kind."""
    with app.app_context():
        rows = db.session.execute(
            select(ReviewItem.id, ReviewItem.target_id, ReviewItem.summary)
            .where(ReviewItem.kind == kind, ReviewItem.status == "open")
            .order_by(ReviewItem.id)
        )
        return [(i, t, s) for i, t, s in rows]


def audit_rows(app: Flask, action: str) -> list[dict[str, Any]]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [
            {
                "actor_id": e.actor_id,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "reason": e.reason,
                "created_at": e.created_at,
            }
            for e in entries
        ]


def notification_titles(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification.title)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


def latest_post_id(app: Flask) -> int:
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1))
        assert post_id is not None
        return int(post_id)
