"""On-site notifications: a count in the header and a list page."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.core.db import db
from app.core.models import Notification
from app.core.time import utcnow


def notify(user_id: int, kind: str, title: str, url: str = "") -> Notification:
    """Add a notification for one user to the current transaction."""
    note = Notification(user_id=user_id, kind=kind, title=title[:300], url=url[:500])
    db.session.add(note)
    db.session.flush()
    return note


def unread_count(user_id: int) -> int:
    stmt = select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return db.session.scalar(stmt) or 0


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
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
