"""Case digests: one row per case with its structured fields, and the revisions of each case.

List and mapping fields are JSON columns (portable across SQLite and PostgreSQL); their values are
codes from the controlled lists in `app.digest.vocab`. `CaseRevision.snapshot` holds every field
of `CASE_FIELDS` plus the body, so a revision can be compared with another or restored.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.core.time import utcnow


class CaseStatus(StrEnum):
    DRAFT = "draft"  # seen by curators only, until a moderator publishes it
    PUBLISHED = "published"


# Every structured field, in the order of docs/CONTENT.md; with `body` this is a full snapshot.
CASE_FIELDS = (
    "title",
    "slug",
    "kind",
    "country",
    "region",
    "court",
    "court_level",
    "decision_date",
    "decision_year",
    "stage",
    "outcome",
    "offences",
    "protocol_articles",
    "convention_articles",
    "modus_operandi",
    "weapons",
    "quantities",
    "route_origin",
    "route_transit",
    "route_destination",
    "links",
    "techniques",
    "sentences",
    "illustrative",
    "restricted",
    "sources",
    "modules",
)


class CaseDigest(Base):
    """A digest of one court case or operation: structured fields and a Markdown body."""

    __tablename__ = "case_digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="case")  # case | operation
    country: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(60), default="")
    court: Mapped[str] = mapped_column(String(300), default="")
    court_level: Mapped[str] = mapped_column(String(20), default="none")
    # A real case or operation has its full date; an illustrative composite only a year, so it
    # cannot pass for a citable judgment. decision_year is set for both (derived from the date).
    decision_date: Mapped[date | None] = mapped_column(default=None)
    decision_year: Mapped[int | None] = mapped_column(default=None)
    stage: Mapped[str] = mapped_column(String(20), default="final")
    outcome: Mapped[str] = mapped_column(String(30), default="pending")
    offences: Mapped[list[str]] = mapped_column(JSON, default=list)
    protocol_articles: Mapped[list[int]] = mapped_column(JSON, default=list)
    convention_articles: Mapped[list[int]] = mapped_column(JSON, default=list)
    modus_operandi: Mapped[list[str]] = mapped_column(JSON, default=list)
    weapons: Mapped[list[str]] = mapped_column(JSON, default=list)
    quantities: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    route_origin: Mapped[list[str]] = mapped_column(JSON, default=list)
    route_transit: Mapped[list[str]] = mapped_column(JSON, default=list)
    route_destination: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    sentences: Mapped[list[str]] = mapped_column(JSON, default=list)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    modules: Mapped[list[str]] = mapped_column(JSON, default=list)  # course module slugs
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.PUBLISHED, index=True)
    # When the case became visible to its readers (approval or first load from its file); the
    # saved-search alerts list the cases published since their last run.
    published_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    revisions: Mapped[list[CaseRevision]] = relationship(
        back_populates="case",
        order_by="CaseRevision.number",
        cascade="all, delete-orphan",
        lazy="select",
    )

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def year(self) -> int | None:
        if self.decision_date is not None:
            return self.decision_date.year
        return self.decision_year

    def snapshot(self) -> dict[str, Any]:
        """Every structured field and the body as JSON-ready values (for revisions, exports)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in CASE_FIELDS}
        data["decision_date"] = self.decision_date.isoformat() if self.decision_date else None
        data["body"] = self.body
        data["status"] = self.status
        return data


class CaseRevision(Base):
    """One saved state of a case: who changed it (none for file loads), when and why."""

    __tablename__ = "case_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_digests.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[CaseDigest] = relationship(back_populates="revisions")

    __table_args__ = (
        UniqueConstraint("case_id", "number", name="uq_case_revisions_case_number"),
        Index("ix_case_revisions_author_id", "author_id"),
    )


class AlertFrequency(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"


class SavedSearch(Base):
    """A member's case search kept under a name: the search page's URL query (canonical form),
    and how often to tell them about newly published cases that match it."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(2000), default="")
    alert: Mapped[str] = mapped_column(String(10), default=AlertFrequency.NONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Cases published before `alerts_from` are never new to the alerts (the search was saved or
    # its alert switched on then); those published up to `checked_until` were looked at.
    alerts_from: Mapped[datetime] = mapped_column(default=utcnow)
    checked_until: Mapped[datetime] = mapped_column(default=utcnow)
    # The period ("2026-12-06" or "2026-W49") and time of the last alert sent.
    last_alert_period: Mapped[str | None] = mapped_column(String(20), default=None)
    last_alert_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("user_id", "name", name="uq_saved_searches_user_name"),
        Index("ix_saved_searches_alert", "alert"),
    )


class SavedSearchAlert(Base):
    """One alert sent for a saved search: at most one per period, with the cases it listed."""

    __tablename__ = "saved_search_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE")
    )
    period: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    cases: Mapped[list[str]] = mapped_column(JSON, default=list)  # slugs

    __table_args__ = (
        UniqueConstraint("saved_search_id", "period", name="uq_saved_search_alerts_period"),
        Index("ix_saved_search_alerts_sent", "saved_search_id", "sent_at"),
    )
