"""Reads of learning that several places share: a member's own training history, for their
data export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.reading import iso
from app.core.db import db
from app.learning.models import Attempt, Certificate, Course, Enrolment, Module


def member_data(user: User) -> dict[str, Any]:
    """Enrolments, attempts and certificates of `user`, oldest first."""
    enrolments = db.session.execute(
        select(Enrolment, Course.slug)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id)
        .order_by(Enrolment.id)
    )
    attempts = db.session.execute(
        select(Attempt, Module.slug)
        .join(Module, Module.id == Attempt.module_id)
        .where(Attempt.user_id == user.id)
        .order_by(Attempt.id)
    )
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)
    )
    return {
        "enrolments": [
            {
                "course": slug,
                "enrolled_at": iso(row.enrolled_at),
                "completed_at": iso(row.completed_at),
            }
            for row, slug in enrolments
        ],
        "attempts": [
            {
                "module": slug,
                "number": row.number,
                "status": row.status,
                "started_at": iso(row.started_at),
                "submitted_at": iso(row.submitted_at),
                "score": row.score,
                "passed": row.passed,
            }
            for row, slug in attempts
        ],
        "certificates": [
            {
                "code": row.code,
                "course": row.course_title,
                "holder_name": row.holder_name,
                "score": row.score,
                "issued_at": iso(row.issued_at),
                "revoked_at": iso(row.revoked_at),
            }
            for row in certificates
        ],
    }
