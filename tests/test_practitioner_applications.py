"""A trainee applies for practitioner status; a moderator approves or rejects it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import PractitionerApplication, User
from app.core.db import db
from app.core.models import AuditEntry, Notification
from app.moderation.models import ReviewItem
from tests.conftest import ClientFor, Outbox

User_ = Callable[..., User]

FORM = {
    "organisation": "Border Police",
    "function": "Investigator",
    "country": "Senegal",
    "reason": "I lead investigations into weapons smuggled across the land border.",
}


def _audit(action: str) -> AuditEntry | None:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action))


@pytest.fixture
def applied(app: Flask, make_user: User_, client_for: ClientFor) -> tuple[User, int]:
    """A trainee's application, open in the review queue: (the trainee, the item's id)."""
    trainee = make_user(email="applicant@example.org")
    response = client_for(trainee).post("/account/practitioner", data=FORM)
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == "application"))
        assert item is not None and item.status == "open"
        return trainee, item.id


def test_application_waits_in_the_queue_and_cannot_be_sent_twice(
    app: Flask, client_for: ClientFor, applied: tuple[User, int]
) -> None:
    trainee, _ = applied
    client = client_for(trainee)
    page = client.get("/account/practitioner").get_data(as_text=True)
    assert "waiting for review" in page
    again = client.post("/account/practitioner", data=FORM)
    assert again.status_code == 409
    with app.app_context():
        count = len(db.session.scalars(select(PractitionerApplication)).all())
    assert count == 1


def test_unconfirmed_trainee_cannot_apply(client: FlaskClient, login: User_) -> None:
    login(confirmed=False)
    response = client.post("/account/practitioner", data=FORM)
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.get_data(as_text=True)


def test_moderator_approves_and_the_applicant_becomes_practitioner(
    app: Flask, client: FlaskClient, login: User_, outbox: Outbox, applied: tuple[User, int]
) -> None:
    trainee, item_id = applied
    moderator = login("moderator")
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Border Police" in queue
    detail = client.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "weapons smuggled across the land border" in detail
    response = client.post(
        f"/moderation/items/{item_id}", data={"decision": "approve", "reason": "Verified"}
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, trainee.id)
        assert user is not None and user.role == "practitioner"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.approve")
        )
        assert entry is not None and entry.actor_id == moderator.id and entry.reason == "Verified"
        assert json.loads(entry.details)["user_id"] == trainee.id
        note = db.session.scalar(select(Notification).where(Notification.user_id == trainee.id))
        assert note is not None and "approved" in note.title
        item = db.session.get(ReviewItem, item_id)
        assert item is not None and item.status == "closed"
    mails = [m for m in outbox.messages() if m["To"] == trainee.email]
    assert any("approved" in m["Subject"] for m in mails)
    assert "Nothing is waiting for review." in client.get("/moderation/").get_data(as_text=True)


def test_rejection_needs_a_reason_and_tells_the_applicant_why(
    app: Flask, client: FlaskClient, login: User_, client_for: ClientFor, applied: tuple[User, int]
) -> None:
    trainee, item_id = applied
    login("moderator")
    no_reason = client.post(f"/moderation/items/{item_id}", data={"decision": "reject"})
    assert no_reason.status_code == 400
    assert "Give a reason" in no_reason.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ReviewItem, item_id).status == "open"  # type: ignore[union-attr]
    client.post(
        f"/moderation/items/{item_id}",
        data={"decision": "reject", "reason": "Please use your official e-mail address."},
    )
    with app.app_context():
        user = db.session.get(User, trainee.id)
        assert user is not None and user.role == "trainee"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.reject")
        )
        assert entry is not None and entry.reason == "Please use your official e-mail address."
    applicant = client_for(trainee)
    page = applicant.get("/account/practitioner").get_data(as_text=True)
    assert "was not approved" in page and "official e-mail address" in page
    assert "1" in applicant.get("/notifications").get_data(as_text=True)


def test_decided_item_cannot_be_decided_again(
    app: Flask, client: FlaskClient, login: User_, applied: tuple[User, int]
) -> None:
    _, item_id = applied
    login("moderator")
    client.post(f"/moderation/items/{item_id}", data={"decision": "approve", "reason": ""})
    again = client.post(f"/moderation/items/{item_id}", data={"decision": "reject", "reason": "x"})
    assert again.status_code == 400
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("application.approve") == 1 and "application.reject" not in actions


def test_admin_browses_and_exports_the_audit_log(
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    applied: tuple[User, int],
) -> None:
    _, item_id = applied
    moderator = make_user("moderator", email="mod@example.org", display_name="Moderator M")
    mod_client = client_for(moderator)
    mod_client.post(f"/moderation/items/{item_id}", data={"decision": "approve", "reason": "ok"})
    login("admin")
    page = client.get("/moderation/audit?action=application.approve").get_data(as_text=True)
    assert "application.approve" in page and "Moderator M" in page
    csv_text = client.get("/moderation/audit.csv?actor=mod@example.org").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("time,actor,action")
    assert len(lines) == 2 and "application.approve" in lines[1]
    assert client.get("/moderation/audit?from=not-a-date&page=abc").status_code == 200
