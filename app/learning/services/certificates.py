"""Certificates: issued on course completion, verified publicly by code, revocable."""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.db import db, one_or_404
from app.core.errors import Conflict, Forbidden, NotFound, ServiceError
from app.core.i18n import recipient_language
from app.core.notifications import notify
from app.core.time import utcnow
from app.learning import policy, translations
from app.learning.models import Certificate, Course, Enrolment

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_RE = re.compile(r"^[A-Z0-9-]{1,32}$")
# Spaces, hyphens, and the dashes a word processor puts in their place.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
NOT_FOUND = _l("No certificate has this code. Check the code and try again.")


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def issue(user_id: int, course: Course, progress: Any, language: str = "en") -> Certificate:
    """Issue the course certificate once; later completions keep the first one. `language` is
    the language of the attempt that completed the course: the certificate records it and
    carries the course's title in it where the course page is translated."""
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
    translated = translations.translations_of("course", [course.id], language).get(course.id)
    certificate = Certificate(
        code=new_code(), user_id=user_id, course_id=course.id, holder_name=user.display_name,
        course_title=translated.title if translated else course.title,
        score=round(sum(results) / len(results), 1) if results else 0, language=language,
    )  # fmt: skip
    db.session.add(certificate)
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course.id)
    )
    if enrolment is not None and enrolment.completed_at is None:
        enrolment.completed_at = utcnow()
    db.session.flush()
    # Stored as written: in the holder's language, with the course's title as certified.
    with force_locale(recipient_language(user.language)):
        title = _("You completed %(course)s: your certificate is ready",
                  course=certificate.course_title)  # fmt: skip
    notify(user_id, "certificate", title, f"/certificates/{certificate.code}")
    return certificate


def normalise_code(code: str) -> str:
    """The code as stored, from what a reader typed: any case, with spaces or dashes anywhere or
    none (`c3rs b5jy ek6r`, `C3RSB5JYEK6R`); a text that cannot be a code is refused."""
    compact = SEPARATORS.sub("", code).upper()
    if len(compact) == 12 and compact.isascii() and compact.isalnum():
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"  # the shape of every issued code
    code = re.sub(r"\s+", "", code).upper()
    if not CODE_RE.match(code):
        raise ServiceError(
            _("Certificate codes look like ABCD-EFGH-JKLM: letters, digits, dashes.")
        )
    return code


def by_code(code: str) -> Certificate:
    try:
        code = normalise_code(code)
    except ServiceError as error:
        raise NotFound(str(NOT_FOUND)) from error
    return one_or_404(select(Certificate).where(Certificate.code == code), str(NOT_FOUND))


def for_holder(user: User, code: str) -> Certificate:
    certificate = by_code(code)
    if certificate.user_id != user.id:
        raise Forbidden(_("Only the holder of a certificate chooses what it shows."))
    return certificate


def update_for_holder(
    user: User, code: str, name: str, show_name: bool, show_score: bool
) -> Certificate:
    """The holder sets the name on their certificate and what its public page shows."""
    certificate = for_holder(user, code)
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("Give the name to print on the certificate."))
    if len(name) > 80:
        raise ServiceError(_("The name on the certificate is at most 80 characters."))
    certificate.holder_name = name
    certificate.show_name = show_name
    certificate.show_score = show_score
    db.session.flush()
    return certificate


def mine(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)))


def revoke(moderator: User, code: str, reason: str) -> Certificate:
    policy.can_revoke_certificates.require(moderator)
    certificate = by_code(code)
    if certificate.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."))
    if not reason.strip():
        raise ServiceError(_("Give a reason for revoking the certificate."))
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()[:2000]
    audit.record(
        moderator.id, "certificate.revoke", "certificate", certificate.code, reason.strip(),
        user_id=certificate.user_id, course=certificate.course_title,
    )  # fmt: skip
    holder = db.session.get(User, certificate.user_id)
    with force_locale(recipient_language(holder.language if holder is not None else "")):
        title = _("Your certificate for %(course)s was revoked", course=certificate.course_title)
    notify(certificate.user_id, "certificate", title, f"/certificates/{certificate.code}")
    return certificate
