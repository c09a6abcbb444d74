"""End to end through the site: the real first-line awareness course, lessons to certificate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.learning.files import read_curriculum
from app.learning.models import Attempt, Certificate, Course, Module
from tests.learning.factory import LoadCourses, Take

User_ = Callable[..., User]

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "first-line-awareness"
EVERY_TYPE = {
    "multichoice", "multiresponse", "truefalse", "shortanswer",
    "matching", "numerical", "essay", "description",
}  # fmt: skip


def test_the_first_line_course_uses_every_question_type() -> None:
    curriculum = read_curriculum(COURSES)
    course = next(c for c in curriculum.courses if c.slug == COURSE)
    types = {q.type for module in course.modules for q in module.questions}
    assert types == EVERY_TYPE


def test_a_learner_completes_the_first_line_course_through_the_site(
    app: Flask, client: FlaskClient, login: User_, load_courses: LoadCourses, take: Take
) -> None:
    load_courses(COURSES)
    user = login(display_name="Kofi Mensah")
    with app.app_context():
        modules = [
            (m.slug, m.kind, [lesson.slug for lesson in m.lessons if lesson.active])
            for m in db.session.scalars(
                select(Module)
                .join(Course, Course.id == Module.course_id)
                .where(Module.active, Course.slug == COURSE)
                .order_by(Module.position)
            )
        ]
    assert [kind for _, kind, _ in modules] == ["module"] * 5 + ["final"]

    assert "Enrol in this course" in client.get(f"/courses/{COURSE}").get_data(as_text=True)
    client.post(f"/courses/{COURSE}/enrol")
    for slug, _kind, lessons in modules:
        for lesson in lessons:
            page = client.get(f"/modules/{slug}/lessons/{lesson}")
            assert page.status_code == 200, (slug, lesson)
        attempt_id = take(client, slug)
        review = client.get(f"/learning/attempts/{attempt_id}/review").get_data(as_text=True)
        assert "You scored <strong>100.0%</strong>" in review, slug
        assert "passed." in review

    with app.app_context():
        scores = db.session.scalars(select(Attempt.score).where(Attempt.user_id == user.id)).all()
        assert scores == [100.0] * 6
        certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id))
        assert certificate is not None
        code = certificate.code
    course_page = client.get(f"/courses/{COURSE}").get_data(as_text=True)
    assert "6 of 6 passed (100%)" in course_page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"code {code}" in dashboard
    visitor = app.test_client()
    private = visitor.get(f"/certificates/{code}").get_data(as_text=True)
    assert "Kofi Mensah" not in private and "100.0%" not in private
    chosen = {"holder_name": "Kofi Mensah", "show_name": "y", "show_score": "y"}
    assert client.post(f"/certificates/{code}/settings", data=chosen).status_code == 302
    verified = visitor.get(f"/certificates/{code}").get_data(as_text=True)
    assert "Kofi Mensah" in verified
    assert "Firearms trafficking awareness for first-line officers" in verified
    assert "<strong>Valid.</strong>" in verified
    printable = visitor.get(f"/certificates/{code}/print").get_data(as_text=True)
    assert "with an average result of 100.0%" in printable
