"""On-site notifications: a count in the header and a list page."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import ScalarSelect, func, select, update
from sqlalchemy.orm import InstrumentedAttribute

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


def unread_count_of(user_id: InstrumentedAttribute[int] | int) -> ScalarSelect[int]:
    """The unread count as a scalar subquery: the sign-in check selects it with the user, so the
    header's count costs no statement of its own."""
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def remember_unread_count(user_id: int, count: int) -> None:
    """Keep a count read along with the user for the rest of the request."""
    g.setdefault(_UNREAD, {})[user_id] = count


def unread_count(user_id: int) -> int:
    """The user's unread notifications, counted once per request (`forget_unread_count` after
    marking some read)."""
    counts: dict[int, int] = g.setdefault(_UNREAD, {})
    if user_id not in counts:
        counts[user_id] = db.session.scalar(select(unread_count_of(user_id))) or 0
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
