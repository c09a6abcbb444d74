"""Open Badges 2.0 hosted assertions for certificates (https://www.imsglobal.org/spec/ob/v2p0/).

Each certificate is also a badge a learner can add to a backpack: the Assertion lives at a
stable URL of the site (hosted verification: the backpack checks it by fetching that URL), it
names its BadgeClass (one per course), which names the Issuer (the platform). The recipient is
the holder's e-mail address, hashed with SHA-256 and a salt of the certificate's own, so the
public JSON does not reveal it. A revoked certificate answers 410 Gone with `revoked: true`.
These are reads: nothing here writes.
"""

from __future__ import annotations

import hashlib
from email.utils import parseaddr
from typing import Any

from flask import current_app

from app.accounts.models import User
from app.core.urls import external_url
from app.learning.models import Certificate, Course

CONTEXT = "https://w3id.org/openbadges/v2"
SITE_NAME = "Firearms Practitioners' Platform"


def hashed_identity(email: str, salt: str) -> str:
    """Open Badges' IdentityHash: 'sha256$' and the hex digest of the address and the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def assertion(certificate: Certificate, holder: User, course: Course) -> dict[str, Any]:
    url = external_url("learning.badge_assertion", code=certificate.code)
    if certificate.revoked_at is not None:
        return {
            "@context": CONTEXT, "type": "Assertion", "id": url, "revoked": True,
            "revocationReason": certificate.revoked_reason or "Revoked by the issuer.",
        }  # fmt: skip
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": certificate.badge_salt,
            "identity": hashed_identity(holder.email, certificate.badge_salt),
        },
        "badge": external_url("learning.badge_class", slug=course.slug),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.replace(microsecond=0).isoformat() + "Z",
        "evidence": external_url("learning.certificate", code=certificate.code),
    }


def badge_class(course: Course) -> dict[str, Any]:
    modules = [m for m in course.modules if m.active]
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": external_url("learning.badge_class", slug=course.slug),
        "name": course.title,
        "description": course.summary or f"Completion of the course {course.title}.",
        "image": external_url("static", filename="badge.svg"),
        "criteria": {
            "id": external_url("learning.course", slug=course.slug),
            "narrative": (
                f"Pass the quiz of each of the {len(modules)} modules of the course, each at "
                "its pass mark, on the platform."
            ),
        },
        "issuer": external_url("learning.badge_issuer"),
    }


def issuer() -> dict[str, Any]:
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": external_url("learning.badge_issuer"),
        "name": SITE_NAME,
        "url": str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/") + "/",
        "description": (
            "A training and knowledge platform for practitioners countering illicit firearms "
            "trafficking."
        ),
    }
    email = parseaddr(str(current_app.config.get("MAIL_SENDER", "")))[1]
    if "@" in email:
        profile["email"] = email
    return profile
