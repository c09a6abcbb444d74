"""Certificates: issued once on completion, verified publicly, printable, revoked by moderators."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.core.permissions import Role
from app.learning.models import Certificate, Enrolment
from tests.conftest import ClientFor
from tests.learning.factory import MakeCourse, Take, wrong_answer

User_ = Callable[..., User]

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


@pytest.fixture
def course_app(app: Flask, make_course: MakeCourse) -> Flask:
    make_course(modules=2)
    return app


def _certificates(app: Flask, user_id: int | None = None) -> list[Certificate]:
    with app.app_context():
        query = select(Certificate).order_by(Certificate.id)
        if user_id is not None:
            query = query.where(Certificate.user_id == user_id)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


@pytest.fixture
def complete(take: Take) -> Callable[[FlaskClient], None]:
    """Pass both modules of the course as the learner signed in on `client`."""

    def factory(client: FlaskClient) -> None:
        take(client, "basics-m1")
        take(client, "basics-m2")

    return factory


@pytest.fixture
def earn(
    course_app: Flask,
    make_user: User_,
    client_for: ClientFor,
    complete: Callable[[FlaskClient], None],
) -> Callable[..., Certificate]:
    """A new learner completes the course; returns their certificate."""

    def factory(name: str = "Amina Diallo") -> Certificate:
        user = make_user(display_name=name)
        complete(client_for(user))
        (certificate,) = _certificates(course_app, user.id)
        return certificate

    return factory


def test_completing_the_course_issues_one_certificate_with_a_unique_code(
    course_app: Flask,
    client: FlaskClient,
    login: User_,
    earn: Callable[..., Certificate],
    take: Take,
) -> None:
    user = login(display_name="Amina Diallo")
    take(client, "basics-m1")
    assert _certificates(course_app) == []
    take(client, "basics-m2")
    (certificate,) = _certificates(course_app, user.id)
    assert CODE.match(certificate.code)
    assert certificate.holder_name == "Amina Diallo"
    assert certificate.course_title == "Course basics"
    assert certificate.score == 100.0
    take(client, "basics-m2", wrong_answer)  # a later attempt keeps the first
    assert [c.code for c in _certificates(course_app, user.id)] == [certificate.code]
    with course_app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
        assert enrolment is not None and enrolment.completed_at is not None

    other = earn("Second Learner")
    assert other.code != certificate.code
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"code {certificate.code}" in dashboard and "Completed" in dashboard


def test_failing_a_module_issues_no_certificate(
    course_app: Flask, client: FlaskClient, login: User_, take: Take
) -> None:
    login()
    take(client, "basics-m1")
    take(client, "basics-m2", wrong_answer)
    assert _certificates(course_app) == []


def test_anyone_can_verify_a_certificate_by_its_code(
    course_app: Flask, earn: Callable[..., Certificate]
) -> None:
    certificate = earn()
    visitor = course_app.test_client()
    page = visitor.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "Amina Diallo" in page
    assert "Course basics" in page
    assert certificate.issued_at.strftime("%d %b %Y") in page
    assert "<strong>Valid.</strong>" in page
    assert "Revoke the certificate" not in page
    lookup = visitor.get(f"/certificates/?code={certificate.code.lower()}")
    assert lookup.status_code == 302
    assert visitor.get(lookup.headers["Location"]).status_code == 200
    odd = visitor.get("/certificates/", query_string={"code": "../../sign-out"})
    assert odd.status_code == 400
    assert "Certificate codes look like ABCD-EFGH-JKLM" in odd.get_data(as_text=True)
    missing = visitor.get("/certificates/ABCD-EFGH-JKLM")
    assert missing.status_code == 404
    assert "No certificate has this code" in missing.get_data(as_text=True)


def test_the_printable_certificate_has_print_styles(
    course_app: Flask, earn: Callable[..., Certificate]
) -> None:
    certificate = earn()
    page = course_app.test_client().get(f"/certificates/{certificate.code}/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Certificate of completion" in html and "Amina Diallo" in html
    assert certificate.code in html and "certificate.css" in html
    static = course_app.test_client().get("/static/certificate.css")
    css = static.get_data(as_text=True)
    static.close()
    assert "@media print" in css and "@page" in css


def test_a_moderator_revokes_with_a_reason_and_the_revocation_is_audited(
    course_app: Flask, client: FlaskClient, login: User_, earn: Callable[..., Certificate]
) -> None:
    certificate = earn()
    moderator = login(Role.MODERATOR)
    url = f"/certificates/{certificate.code}/revoke"
    assert "Revoke the certificate" in client.get(f"/certificates/{certificate.code}").get_data(
        as_text=True
    )

    refused = client.post(url, data={"reason": "   "})
    assert refused.status_code == 400
    assert "Give a reason for revoking the certificate." in refused.get_data(as_text=True)
    assert _certificates(course_app)[0].revoked_at is None

    assert client.post(url, data={"reason": "Exam taken by someone else."}).status_code == 302
    (revoked,) = _certificates(course_app)
    assert revoked.revoked_at is not None
    assert revoked.revoked_reason == "Exam taken by someone else."
    with course_app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "certificate.revoke")
        ).all()
        assert [(e.actor_id, e.target_id, e.reason) for e in entries] == [
            (moderator.id, certificate.code, "Exam taken by someone else.")
        ]
    page = course_app.test_client().get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "<strong>Revoked</strong>" in page and "Exam taken by someone else." in page
    assert "<strong>Valid.</strong>" not in page
    printable = course_app.test_client().get(f"/certificates/{certificate.code}/print")
    assert "REVOKED" in printable.get_data(as_text=True)
    assert client.post(url, data={"reason": "Again."}).status_code == 409


def test_a_trainee_cannot_revoke_even_their_own_certificate(
    course_app: Flask, client: FlaskClient, login: User_, complete: Callable[[FlaskClient], None]
) -> None:
    user = login()
    complete(client)
    (certificate,) = _certificates(course_app, user.id)
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "Revoke the certificate" not in page
    response = client.post(f"/certificates/{certificate.code}/revoke", data={"reason": "Mine."})
    assert response.status_code == 403
    assert _certificates(course_app)[0].revoked_at is None
