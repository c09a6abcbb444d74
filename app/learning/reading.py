"""Reads of learning that several places share: a member's own training history, for their
data export."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import Actor, User
from app.accounts.reading import iso
from app.core.db import db
from app.core.hooks import HomeSection
from app.learning.blocks import blocks_by_id
from app.learning.models import (
    Attempt,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonBlockAnswer,
    Module,
)


def member_data(user: User) -> dict[str, Any]:
    """Enrolments, attempts, certificates and lesson block answers of `user`, oldest first."""
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
                "language": row.language,
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
                "language": row.language,
            }
            for row in certificates
        ],
        "lesson_block_answers": _block_answers(user),
    }


def _block_answers(user: User) -> list[dict[str, Any]]:
    """The learner's choices in lesson check and scenario blocks, with the option's text as the
    lesson has it now (None where the lesson no longer has the block or the option)."""
    rows = db.session.execute(
        select(LessonBlockAnswer, Lesson, Module.slug)
        .join(Lesson, Lesson.id == LessonBlockAnswer.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(LessonBlockAnswer.user_id == user.id)
        .order_by(LessonBlockAnswer.id)
    )
    answers = []
    for row, lesson, module_slug in rows:
        block = blocks_by_id(lesson.body).get(row.block_id)
        option = block.options[row.choice] if block and row.choice < len(block.options) else None
        answers.append(
            {
                "module": module_slug,
                "lesson": lesson.slug,
                "block": row.block_id,
                "kind": block.kind if block else None,
                "choice": row.choice,
                "choice_text": option.text if option else None,
                "right": (row.choice == block.right) if block and block.kind == "check" else None,
                "answered_at": iso(row.answered_at),
            }
        )
    return answers


def home_section(reader: Actor) -> HomeSection:
    """The curriculum on the home page: its courses with their size, and certificates issued."""
    courses = db.session.execute(select(Course.slug, Course.title).order_by(Course.position)).all()
    modules = db.session.scalar(select(func.count(Module.id))) or 0
    lessons = db.session.scalar(select(func.count(Lesson.id))) or 0
    certificates = db.session.scalar(select(func.count(Certificate.id))) or 0
    text = _(
        "Self-paced courses built on the Firearms Protocol and the Organized Crime Convention: "
        "lessons that make you decide, quizzes, progress you can resume, and certificates anyone "
        "can verify."
    )
    items = tuple((title, url_for("learning.course", slug=slug)) for slug, title in courses)
    note = "" if reader.is_authenticated else _("Create a free account to track progress.")
    # Each figure's noun in the number's form of the reader's language (both slots hold it).
    figures = tuple(
        (number, noun, noun)
        for number, noun in (
            (len(courses), ngettext("course", "courses", len(courses))),
            (modules, ngettext("module", "modules", modules)),
            (lessons, ngettext("lesson", "lessons", lessons)),
            (certificates, ngettext("certificate issued", "certificates issued", certificates)),
        )
    )
    return HomeSection(_("Training curriculum"), text, url_for("learning.catalogue"),
                       _("Browse the courses"), 10, figures, items, _("Courses"), note)  # fmt: skip
