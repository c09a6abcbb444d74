"""The glossary shown at /glossary, loaded from courses/glossary.yaml."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.db import db
from app.learning.models import GlossaryTerm


def all_terms() -> list[GlossaryTerm]:
    return list(db.session.scalars(select(GlossaryTerm).order_by(func.lower(GlossaryTerm.term))))
