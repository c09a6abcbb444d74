"""Certificates: issued on course completion, verified publicly by code, revocable."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, one_or_404
from app.core.errors import Conflict, ServiceError
from app.core.notifications import notify
from app.core.time import utcnow
from app.learning import policy
from app.learning.models import Certificate, Course, Enrolment

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_RE = re.compile(r"^[A-Z0-9-]{1,32}$")


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def issue(user_id: int, course: Course, progress: Any) -> Certificate:
    """Issue the course certificate once; later completions keep the first one."""
    existing = db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.course_id == course.id
        )
    )
    if existing is not None:
        return existing
    user = db.session.get(User, user_id)
    assert user is not None
    results = [state.result or 0.0 for state in progress.modules]
    certificate = Certificate(
        code=new_code(), user_id=user_id, course_id=course.id, holder_name=user.display_name,
        course_title=course.title, score=round(sum(results) / len(results), 1) if results else 0,
    )  # fmt: skip
    db.session.add(certificate)
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course.id)
    )
    if enrolment is not None and enrolment.completed_at is None:
        enrolment.completed_at = utcnow()
    db.session.flush()
    notify(user_id, "certificate", f"You completed {course.title}: your certificate is ready",
           f"/certificates/{certificate.code}")  # fmt: skip
    return certificate


def normalise_code(code: str) -> str:
    """The code as stored (upper case); a text that cannot be a code is refused."""
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise ServiceError("Certificate codes look like ABCD-EFGH-JKLM: letters, digits, dashes.")
    return code


def by_code(code: str) -> Certificate:
    statement = select(Certificate).where(Certificate.code == code.upper()[:32])
    return one_or_404(statement, "No certificate has this code. Check the code and try again.")


def mine(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)))


def revoke(moderator: User, code: str, reason: str) -> Certificate:
    policy.can_revoke_certificates.require(moderator)
    certificate = by_code(code)
    if certificate.revoked_at is not None:
        raise Conflict("This certificate is already revoked.")
    if not reason.strip():
        raise ServiceError("Give a reason for revoking the certificate.")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()[:2000]
    audit.record(
        moderator.id, "certificate.revoke", "certificate", certificate.code, reason.strip(),
        user_id=certificate.user_id, course=certificate.course_title,
    )  # fmt: skip
    notify(
        certificate.user_id, "certificate",
        f"Your certificate for {certificate.course_title} was revoked",
        f"/certificates/{certificate.code}",
    )  # fmt: skip
    return certificate
