"""The training history as xAPI 1.0.3 statements, for an organisation's Learning Record Store.

Per quiz attempt: "attempted" when it started and, once submitted, "passed" or "failed" with its
score, success and duration. Per course completed (a certificate that is not revoked):
"completed" on the course. The actor is the member's account on this site (an Agent identified
by `account`: the site's address and the member's id), never an e-mail address. Statement ids
are UUIDs derived from what they record, so exporting again gives the same ids and an LRS keeps
one copy. These are reads: nothing here writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.core.db import db
from app.core.urls import external_url
from app.learning.models import Attempt, AttemptStatus, Certificate, Course, Module

VERSION = "1.0.3"
PLATFORM = "Firearms Practitioners' Platform"
VERBS = {
    name: {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}
    for name in ("attempted", "passed", "failed", "completed")
}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
# Ids are version-5 UUIDs in a namespace of their own (itself derived from the xAPI verbs' IRI).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "http://adlnet.gov/expapi/verbs/")


def _base() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


def statement_id(kind: str, row_id: int, verb: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{_base()}/{kind}/{row_id}/{verb}"))


def timestamp(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"


def duration(start: datetime, end: datetime) -> str:
    """An ISO 8601 duration in whole seconds: PT1H2M3S."""
    seconds = max(0, int((end - start).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "PT" + text + (f"{seconds}S" if seconds or not text else "")


def actor(user_id: int) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": _base() + "/", "name": str(user_id)}}


def _course_activity(course: Course) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": external_url("learning.course", slug=course.slug),
        "definition": {"name": {"en-US": course.title}, "type": COURSE},
    }


def _module_activity(module: Module) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": external_url("learning.module_by_slug", slug=module.slug),
        "definition": {"name": {"en-US": f"Quiz: {module.title}"}, "type": ASSESSMENT},
    }


def _context(course: Course | None) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": PLATFORM, "language": "en"}
    if course is not None:
        context["contextActivities"] = {"parent": [_course_activity(course)]}
    return context


def attempt_statements(attempt: Attempt, module: Module, course: Course) -> list[dict[str, Any]]:
    base = {"actor": actor(attempt.user_id), "object": _module_activity(module),
            "context": _context(course), "version": VERSION}  # fmt: skip
    statements = [{
        "id": statement_id("attempts", attempt.id, "attempted"), **base,
        "verb": VERBS["attempted"], "timestamp": timestamp(attempt.started_at),
    }]  # fmt: skip
    if attempt.status == AttemptStatus.SUBMITTED and attempt.submitted_at is not None:
        verb = "passed" if attempt.passed else "failed"
        score = attempt.score or 0.0
        statements.append({
            "id": statement_id("attempts", attempt.id, verb), **base, "verb": VERBS[verb],
            "result": {
                "score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
                "success": attempt.passed, "completion": True,
                "duration": duration(attempt.started_at, attempt.submitted_at),
            },
            "timestamp": timestamp(attempt.submitted_at),
        })  # fmt: skip
    return statements


def completion_statement(certificate: Certificate, course: Course) -> dict[str, Any]:
    return {
        "id": statement_id("certificates", certificate.id, "completed"),
        "actor": actor(certificate.user_id),
        "verb": VERBS["completed"],
        "object": _course_activity(course),
        "result": {"completion": True, "success": True},
        "context": _context(None),
        "timestamp": timestamp(certificate.issued_at),
        "version": VERSION,
    }


def statements(course_slug: str | None = None) -> Iterator[dict[str, Any]]:
    """Every statement of the history in time order (of one course when a slug is given)."""
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    modules = {m.id: m for m in db.session.scalars(select(Module))}
    wanted = {c.id for c in courses.values() if course_slug in (None, c.slug)}
    found: list[dict[str, Any]] = []
    for attempt in db.session.scalars(select(Attempt).order_by(Attempt.id)):
        module = modules[attempt.module_id]
        if module.course_id in wanted:
            found.extend(attempt_statements(attempt, module, courses[module.course_id]))
    certified = select(Certificate).where(Certificate.revoked_at.is_(None)).order_by(Certificate.id)
    for certificate in db.session.scalars(certified):
        if certificate.course_id in wanted:
            found.append(completion_statement(certificate, courses[certificate.course_id]))
    found.sort(key=lambda s: s["timestamp"])  # stable: equal times keep their order
    yield from found
