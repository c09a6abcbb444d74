"""Permission decisions for the learning, certificates and training report routes.

Courses, modules, the first lesson of each module (a preview), the glossary and certificate
verification are public; other lessons, attempts and the dashboard need an account; an attempt
is visible only to its owner (anyone else gets 404); a certificate's settings belong to its
holder; reports and revocation need a moderator.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from app.core.db import db
from app.learning.files import read_curriculum
from app.learning.models import Certificate, Course, Module
from app.learning.services import attempts
from app.learning.services.content import load_curriculum
from tests.learning.factory import BLOCKS, write_course
from tests.permissions import RouteCase, World, at_least, everyone, signed_in


def build(world: World) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "courses"
        write_course(root, slug="perm", modules=2, blocks=BLOCKS)
        curriculum = read_curriculum(root)
        assert not curriculum.problems, curriculum.problems
        load_curriculum(curriculum)
    trainee = world["users"]["trainee"]
    first = db.session.scalar(select(Module).where(Module.slug == "perm-m1"))
    course = db.session.scalar(select(Course).where(Course.slug == "perm"))
    assert first is not None and course is not None
    finished = attempts.start_attempt(trainee.id, first, seed=1)
    attempts.submit(finished)
    world["submitted_attempt"] = finished.id
    world["attempt"] = attempts.start_attempt(trainee.id, first, seed=2).id
    certificate = Certificate(
        code="PERM-TEST-CODE", user_id=trainee.id, course_id=course.id,
        holder_name=trainee.display_name, course_title=course.title, score=90.0,
    )  # fmt: skip
    db.session.add(certificate)
    db.session.flush()


M1, M2 = "/modules/perm-m1/lessons", "/modules/perm-m2/lessons"


def _owner_only(status: int) -> dict[str, int]:
    """The trainee owns the attempt: everyone else signed in is told it does not exist."""
    return {**signed_in(404), "trainee": status}


CASES = [
    RouteCase("learning.catalogue", "/courses", everyone()),
    RouteCase("learning.course", "/courses/perm", everyone()),
    RouteCase("learning.course", "/courses/no-such-course", everyone(404)),
    RouteCase("learning.enrol", "/courses/perm/enrol", signed_in(302), method="POST"),
    RouteCase("learning.module_by_slug", "/modules/perm-m1", everyone()),
    RouteCase("learning.module_by_slug", "/modules/perm-m2", everyone()),
    RouteCase("learning.module_by_slug", "/modules/no-such-module", everyone(404)),
    # The first lesson of a module is a preview for visitors and for learners it is locked to.
    RouteCase("learning.lesson", f"{M1}/lesson-1", everyone()),
    RouteCase("learning.lesson", f"{M1}/lesson-2", signed_in()),
    RouteCase("learning.lesson", f"{M1}/nothing", everyone(404)),
    RouteCase("learning.lesson", f"{M2}/lesson-1", everyone()),
    RouteCase("learning.lesson", f"{M2}/lesson-2", signed_in(403)),
    RouteCase("learning.mark_lesson_read", f"{M1}/lesson-1/read", signed_in(302), "POST"),
    RouteCase("learning.mark_lesson_read", f"{M1}/nothing/read", signed_in(404), "POST"),
    RouteCase("learning.mark_lesson_read", f"{M2}/lesson-1/read", signed_in(403), "POST"),
    # A lesson's check or scenario: a visitor answering a preview lesson sees the feedback (200,
    # nothing kept); a learner's answer is kept (303 back to the lesson); a lesson the reader may
    # not open refuses (403); no such block is 404, no choice 400.
    RouteCase(
        "learning.answer_block",
        f"{M1}/lesson-1/blocks/goods",
        {**signed_in(303), "anonymous": 200},
        "POST",
        data={"choice": "1"},
    ),
    RouteCase(
        "learning.answer_block",
        f"{M1}/lesson-2/blocks/night-stop",
        {**signed_in(303), "anonymous": 403},
        "POST",
        data={"choice": "0"},
    ),
    RouteCase(
        "learning.answer_block",
        f"{M2}/lesson-1/blocks/goods",
        {**signed_in(303), "anonymous": 200},
        "POST",
        data={"choice": "0"},
    ),
    RouteCase(
        "learning.answer_block",
        f"{M2}/lesson-2/blocks/goods",
        everyone(403),
        "POST",
        data={"choice": "0"},
    ),
    RouteCase(
        "learning.answer_block",
        f"{M1}/lesson-1/blocks/nothing",
        everyone(404),
        "POST",
        data={"choice": "0"},
    ),
    RouteCase(
        "learning.answer_block",
        f"{M1}/lesson-1/blocks/goods",
        everyone(400),
        "POST",
        data={"choice": "7"},
    ),
    RouteCase("learning.start_attempt", "/modules/perm-m1/attempts", signed_in(302), "POST"),
    RouteCase("learning.start_attempt", "/modules/perm-m2/attempts", signed_in(303), "POST"),
    RouteCase("learning.attempt", lambda w: f"/learning/attempts/{w['attempt']}", _owner_only(200)),
    RouteCase(
        "learning.attempt",
        lambda w: f"/learning/attempts/{w['attempt']}",
        _owner_only(302),
        method="POST",
        data={"page": "1", "action": "save"},
    ),
    RouteCase(
        "learning.attempt",
        lambda w: f"/learning/attempts/{w['submitted_attempt']}",
        _owner_only(409),
        method="POST",
        data={"page": "1", "action": "submit"},
    ),
    RouteCase(
        "learning.attempt_summary",
        lambda w: f"/learning/attempts/{w['attempt']}/summary",
        _owner_only(200),
    ),
    RouteCase(
        "learning.submit_attempt",
        lambda w: f"/learning/attempts/{w['attempt']}/submit",
        _owner_only(303),
        method="POST",
    ),
    RouteCase(
        "learning.submit_attempt",
        lambda w: f"/learning/attempts/{w['submitted_attempt']}/submit",
        _owner_only(409),
        method="POST",
    ),
    RouteCase(
        "learning.review",
        lambda w: f"/learning/attempts/{w['submitted_attempt']}/review",
        _owner_only(200),
    ),
    RouteCase("learning.review", "/learning/attempts/999999/review", signed_in(404)),
    RouteCase("learning.dashboard", "/dashboard", signed_in()),
    RouteCase("learning.glossary_page", "/glossary", everyone()),
    RouteCase("learning.sources_page", "/sources", everyone()),
    RouteCase("learning.certificate_lookup", "/certificates/", everyone()),
    RouteCase("learning.certificate", "/certificates/PERM-TEST-CODE", everyone()),
    RouteCase("learning.certificate", "/certificates/NOPE-NOPE-NOPE", everyone(404)),
    RouteCase("learning.certificate_print", "/certificates/PERM-TEST-CODE/print", everyone()),
    # Open Badges: hosted verification means anyone (a backpack) fetches these.
    RouteCase(
        "learning.badge_assertion", "/certificates/PERM-TEST-CODE/assertion.json", everyone()
    ),
    RouteCase(
        "learning.badge_assertion", "/certificates/NOPE-NOPE-NOPE/assertion.json", everyone(404)
    ),
    RouteCase("learning.badge_class", "/courses/perm/badge.json", everyone()),
    RouteCase("learning.badge_class", "/courses/no-such-course/badge.json", everyone(404)),
    RouteCase("learning.badge_issuer", "/badges/issuer.json", everyone()),
    RouteCase("learning.certificate_print", "/certificates/NOPE-NOPE-NOPE/print", everyone(404)),
    RouteCase(
        "learning.certificate_settings",
        "/certificates/PERM-TEST-CODE/settings",
        {**signed_in(403), "trainee": 302},  # the trainee holds the certificate
        method="POST",
        data={"holder_name": "Perm Holder", "show_name": "y"},
    ),
    RouteCase(
        "learning.certificate_settings",
        "/certificates/NOPE-NOPE-NOPE/settings",
        signed_in(404),
        method="POST",
        data={"holder_name": "Perm Holder"},
    ),
    RouteCase(
        "learning.certificate_revoke",
        "/certificates/PERM-TEST-CODE/revoke",
        at_least("moderator", 400),
        method="POST",
        data={"reason": "  "},
    ),
    RouteCase(
        "learning.certificate_revoke",
        "/certificates/PERM-TEST-CODE/revoke",
        at_least("moderator", 302),
        method="POST",
        data={"reason": "Issued by mistake."},
    ),
    RouteCase("learning.reports", "/learning/reports/", at_least("moderator")),
    RouteCase("learning.course_report", "/learning/reports/perm", at_least("moderator")),
    RouteCase("learning.course_report", "/learning/reports/nope", at_least("moderator", 404)),
    RouteCase("learning.course_report_csv", "/learning/reports/perm.csv", at_least("moderator")),
]
