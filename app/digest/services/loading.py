"""Load the case files into the database: upsert by slug, write a "loaded from file" revision
only for a case that changed, and never delete a case whose file disappeared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.core.db import db
from app.core.time import utcnow
from app.digest.files import CaseFile
from app.digest.models import CASE_FIELDS, CaseDigest, CaseRevision, CaseStatus

LOADED_REASON = "loaded from file"


@dataclass
class LoadReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    changed_slugs: list[str] = field(default_factory=list)


def load_cases(
    cases: list[CaseFile], on_change: Callable[[CaseDigest], None] | None = None
) -> LoadReport:
    """Upsert the cases by slug; a new or changed case gets a revision and `on_change(case)`."""
    report = LoadReport()
    slugs = [case.slug for case in cases]
    query = select(CaseDigest).where(CaseDigest.slug.in_(slugs))
    rows: list[CaseDigest] = list(db.session.scalars(query)) if slugs else []
    existing = {row.slug: row for row in rows}
    numbers = dict(
        db.session.execute(
            select(CaseRevision.case_id, func.max(CaseRevision.number)).group_by(
                CaseRevision.case_id
            )
        ).all()
    )
    for source in cases:
        row = existing.get(source.slug)
        values = {name: source.fields[name] for name in (*CASE_FIELDS, "body")}
        if row is None:
            row = CaseDigest(status=CaseStatus.PUBLISHED, published_at=utcnow(), **values)
            db.session.add(row)
            report.new += 1
        elif _same(row, values):
            report.unchanged += 1
            continue
        else:
            for name, value in values.items():
                setattr(row, name, value)
            report.changed += 1
        db.session.flush()
        number = (numbers.get(row.id) or 0) + 1
        db.session.add(
            CaseRevision(
                case_id=row.id, number=number, reason=LOADED_REASON, snapshot=row.snapshot()
            )
        )
        report.changed_slugs.append(row.slug)
        if on_change is not None:
            on_change(row)
    db.session.flush()
    return report


def _same(row: CaseDigest, values: Mapping[str, Any]) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())
