"""Models shared by every feature: the audit log, on-site notifications and site settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.time import utcnow


class AuditEntry(Base):
    """One moderator or administrator action: who did what to which object, when and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)


class Notification(Base):
    """A message shown on the site to one user (header count and list)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    read_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)


class SiteSetting(Base):
    """One site-wide setting an administrator changed (`app/core/settings.py` declares them and
    their defaults; a setting never changed has no row)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class ContentGeneration(Base):
    """One row: a counter bumped in the transaction of every change to shared content (cases,
    courses, glossary, posts), so that every app node keys its caches on the same number."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class MemberState(Base):
    """One row per member whose own state changed: a counter bumped in the transaction of every
    write made in that member's request, or to a row that names them (their progress, their
    read positions, their account). Pages kept per member are keyed by it (`member_state`)."""

    __tablename__ = "member_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(default=0)
