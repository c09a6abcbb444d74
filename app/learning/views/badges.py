"""Open Badges 2.0 JSON-LD: a certificate's Assertion, a course's BadgeClass, the Issuer."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

from app.accounts.models import User
from app.core.db import db
from app.learning import badges
from app.learning.models import Course
from app.learning.services import certificates, progress


def _json(data: dict[str, Any], status: int = 200) -> Response:
    # A backpack fetches these from another origin.
    return Response(json.dumps(data, ensure_ascii=False, indent=2), status=status,
                    mimetype="application/ld+json",
                    headers={"Access-Control-Allow-Origin": "*"})  # fmt: skip


def badge_assertion(code: str) -> Response:
    certificate = certificates.by_code(code)
    holder = db.session.get(User, certificate.user_id)
    course = db.session.get(Course, certificate.course_id)
    assert holder is not None and course is not None  # both cascade-delete the certificate
    status = 410 if certificate.revoked_at is not None else 200
    return _json(badges.assertion(certificate, holder, course), status)


def badge_class(slug: str) -> Response:
    return _json(badges.badge_class(progress.get_course(slug)))


def badge_issuer() -> Response:
    return _json(badges.issuer())
