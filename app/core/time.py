"""Time helpers: the platform stores naive UTC datetimes (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def format_datetime(value: datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    return value.strftime("%d %b %Y, %H:%M UTC" if with_time else "%d %b %Y")
