"""On-site notifications: a count in the header and a list page."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import func, select, update

from app.core.db import db
from app.core.models import Notification
from app.core.time import utcnow

_UNREAD = "unread_notifications"  # flask.g: {user id: unread count} for this request


def notify(user_id: int, kind: str, title: str, url: str = "") -> Notification:
    """Add a notification for one user to the current transaction."""
    note = Notification(user_id=user_id, kind=kind, title=title[:300], url=url[:500])
    db.session.add(note)
    db.session.flush()
    forget_unread_count()
    return note


def unread_count(user_id: int) -> int:
    """The user's unread notifications, counted once per request (`forget_unread_count` after
    marking some read)."""
    counts: dict[int, int] = g.setdefault(_UNREAD, {})
    if user_id not in counts:
        stmt = select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
        counts[user_id] = db.session.scalar(stmt) or 0
    return counts[user_id]


def forget_unread_count() -> None:
    if has_app_context():
        g.pop(_UNREAD, None)


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    forget_unread_count()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
