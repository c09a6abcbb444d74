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
    assert "Amina Diallo" not in page  # until the holder chooses to show it
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
    assert "Certificate of completion" in html and "the holder of this code" in html
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


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower().replace("-", " "),  # c3rs b5jy ek6r
        lambda code: code.replace("-", ""),
        lambda code: f"  {code.lower()}  ",
        lambda code: code[:4] + "\u2013" + code[5:].replace("-", " - "),
    ],
)
def test_codes_typed_with_spaces_lower_case_or_without_dashes_are_found(
    course_app: Flask, earn: Callable[..., Certificate], typed: Callable[[str], str]
) -> None:
    code = earn().code
    visitor = course_app.test_client()
    lookup = visitor.get("/certificates/", query_string={"code": typed(code)})
    assert lookup.status_code == 302, lookup.get_data(as_text=True)
    assert lookup.headers["Location"] == f"/certificates/{code}"
    direct = visitor.get(f"/certificates/{typed(code).strip()}")
    assert direct.status_code == 200
    assert "<strong>Valid.</strong>" in direct.get_data(as_text=True)


def _settings(client: FlaskClient, code: str, **fields: str) -> int:
    data = {"holder_name": "Amina Diallo", **fields}
    return client.post(f"/certificates/{code}/settings", data=data).status_code


def test_the_public_page_shows_name_and_result_only_when_the_holder_chooses(
    course_app: Flask,
    client: FlaskClient,
    login: User_,
    complete: Callable[[FlaskClient], None],
) -> None:
    user = login(display_name="Nightowl")
    complete(client)
    (certificate,) = _certificates(course_app, user.id)
    visitor = course_app.test_client()
    url = f"/certificates/{certificate.code}"

    public = visitor.get(url).get_data(as_text=True)
    assert "Nightowl" not in public and "100.0%" not in public
    assert "The holder has not chosen to show their name." in public
    printed = visitor.get(f"{url}/print").get_data(as_text=True)
    assert "Nightowl" not in printed and "100.0%" not in printed
    own = client.get(url).get_data(as_text=True)
    assert "Nightowl" in own and "100.0%" in own and "only you see the result" in own
    assert 'value="Nightowl"' in own  # the name on the certificate defaults to the display name

    spaced = "  Amina   Diallo "
    assert _settings(client, certificate.code, holder_name=spaced, show_name="y") == 302
    public = visitor.get(url).get_data(as_text=True)
    assert "Amina Diallo" in public and "Nightowl" not in public and "100.0%" not in public
    assert _settings(client, certificate.code, show_name="y", show_score="y") == 302
    public = visitor.get(url).get_data(as_text=True)
    assert "Amina Diallo" in public and "100.0%" in public
    assert "Amina Diallo" in visitor.get(f"{url}/print").get_data(as_text=True)
    (saved,) = _certificates(course_app, user.id)
    assert (saved.holder_name, saved.show_name, saved.show_score) == ("Amina Diallo", True, True)


def test_only_the_holder_changes_what_a_certificate_shows(
    course_app: Flask,
    client: FlaskClient,
    login: User_,
    earn: Callable[..., Certificate],
) -> None:
    certificate = earn()
    login(Role.MODERATOR)
    assert _settings(client, certificate.code, holder_name="Someone", show_name="y") == 403
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "Name on the certificate" not in page
    (unchanged,) = _certificates(course_app)
    assert (unchanged.holder_name, unchanged.show_name) == ("Amina Diallo", False)


def test_the_name_on_a_certificate_cannot_be_blank(
    course_app: Flask,
    client: FlaskClient,
    login: User_,
    complete: Callable[[FlaskClient], None],
) -> None:
    user = login(display_name="Amina Diallo")
    complete(client)
    (certificate,) = _certificates(course_app, user.id)
    response = client.post(f"/certificates/{certificate.code}/settings", data={"holder_name": " "})
    assert response.status_code == 400
    assert "Give the name to print on the certificate." in response.get_data(as_text=True)
    assert _certificates(course_app, user.id)[0].holder_name == "Amina Diallo"
