"""The search outbox (one row per searchable change, written in the transaction of the change)
and the synonym groups applied to queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.time import utcnow


class SearchOutbox(Base):
    """A key of an index to re-read from the database and write to (or delete from) the index.

    Rows are deleted only after the index commit that reflects them, so a process that dies
    between the database commit and the indexing leaves its rows for the next drain.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    index_name: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_search_outbox_index_name_id", "index_name", "id"),)


class SynonymGroup(Base):
    """Words and phrases a searcher means alike, searched as one (app/search/synonyms.py)."""

    __tablename__ = "search_synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
