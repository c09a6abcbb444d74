"""Review items (one row per thing waiting for a moderator, whatever its kind) and sanctions
(silences and suspensions of accounts)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.time import utcnow


class ReviewStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class SanctionKind(StrEnum):
    SILENCE = "silence"  # can read, cannot post
    SUSPEND = "suspend"  # cannot sign in


class ReviewItem(Base):
    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    summary: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    outcome: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_review_items_status_kind", "status", "kind"),
        Index("ix_review_items_target", "kind", "target_id"),
    )


class Sanction(Base):
    """A silence (cannot post) or suspension (cannot sign in) of a user until `ends_at`."""

    __tablename__ = "forum_sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(default=None)
    lifted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
