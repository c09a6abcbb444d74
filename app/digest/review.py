"""How case drafts appear in the moderation review queue (kind `case_draft`)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.db import db
from app.digest.models import CaseDigest, CaseRevision
from app.digest.services import curation
from app.moderation.services.queue import ReviewKind, register_kind


def _load(case_id: int) -> dict[str, Any] | None:
    case = db.session.get(CaseDigest, case_id)
    if case is None:
        return None
    count = db.session.scalar(
        select(func.count(CaseRevision.id)).where(CaseRevision.case_id == case.id)
    )
    return {"case": case, "revisions": count or 0}


def register(app: Flask) -> None:
    register_kind(
        app,
        ReviewKind(
            name=curation.REVIEW_KIND,
            label=_l("Case drafts"),
            load=_load,
            template="digest/review_case_draft.html",
            decisions={"approve": curation.publish, "reject": curation.reject},
            needs_reason=frozenset({"reject"}),
            authors=curation.draft_authors,
            second_person=frozenset({"approve"}),
        ),
    )
