"""Silence (reads, cannot post) and suspension (cannot sign in), with end dates and reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.time import utcnow
from app.forum.models import Post
from app.moderation.models import Sanction
from tests.conftest import PASSWORD, ClientFor
from tests.forum.factory import MakeTopic
from tests.forum.moderation_helpers import audit_rows, notification_titles

User_ = Callable[..., User]
FUTURE = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%d")


def _restrict(mod: FlaskClient, user_id: int, kind: str, reason: str = "Repeated spam") -> int:
    response = mod.post(
        f"/forum/members/{user_id}/restrictions",
        data={"kind": kind, "ends_at": f"{FUTURE} 18:30", "reason": reason},
    )
    return response.status_code


def _post_count(app: Flask) -> int:
    with app.app_context():
        return len(list(db.session.scalars(select(Post.id))))


def test_suspended_member_cannot_sign_in_and_is_told_until_when(
    app: Flask, make_user: User_, client_for: ClientFor
) -> None:
    member = make_user("practitioner", email="member@example.org")
    mod = client_for(make_user("moderator"))
    assert _restrict(mod, member.id, "suspend", "Sharing a suspect's address") == 302
    response = app.test_client().post(
        "/sign-in", data={"email": "member@example.org", "password": PASSWORD}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "suspended until" in text and "18:30" in text and "a suspect&#39;s address" in text
    [entry] = audit_rows(app, "user.suspend")
    assert entry["target_id"] == str(member.id) and entry["reason"] == "Sharing a suspect's address"


def test_an_open_session_is_signed_out_on_the_next_request(
    make_user: User_, client_for: ClientFor
) -> None:
    member = make_user("practitioner")
    session = client_for(member)
    assert session.get("/forum/").status_code == 200
    _restrict(client_for(make_user("moderator")), member.id, "suspend")
    response = session.get("/forum/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = session.get(response.headers["Location"]).get_data(as_text=True)
    assert "This account is suspended until" in page
    assert session.get("/forum/").status_code == 302  # no longer signed in


def test_silenced_member_reads_but_every_post_form_is_refused(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner")
    topic_id, _ = make_topic(make_user("practitioner"))
    _restrict(client_for(make_user("moderator")), member.id, "silence", "Cool down")
    session = client_for(member)
    assert session.get(f"/forum/t/{topic_id}").status_code == 200
    before = _post_count(app)
    reply = session.post(f"/forum/t/{topic_id}/reply", data={"body": "I want to answer."})
    assert reply.status_code == 403
    text = reply.get_data(as_text=True)
    assert "You cannot post until" in text and "18:30" in text and "Cool down" in text
    topic = session.post("/forum/c/general/new", data={"title": "New subject", "body": "Text"})
    assert topic.status_code == 403
    assert _post_count(app) == before
    assert any("cannot post" in t for t in notification_titles(app, member.id))


def test_lifting_a_silence_lets_the_member_post_again(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner")
    topic_id, _ = make_topic(make_user("practitioner"))
    mod = client_for(make_user("moderator"))
    _restrict(mod, member.id, "silence")
    with app.app_context():
        sanction_id = db.session.scalar(select(Sanction.id).where(Sanction.user_id == member.id))
    page = mod.get(f"/forum/members/{member.id}/restrictions").get_data(as_text=True)
    assert "Lift now" in page and "Repeated spam" in page
    lifted = mod.post(f"/forum/restrictions/{sanction_id}/lift", data={"reason": "Apologised"})
    assert lifted.status_code == 302
    reply = client_for(member).post(f"/forum/t/{topic_id}/reply", data={"body": "Thanks."})
    assert reply.status_code == 302
    assert audit_rows(app, "user.lift_silence")[0]["reason"] == "Apologised"
    again = mod.post(f"/forum/restrictions/{sanction_id}/lift", data={"reason": "Twice"})
    assert again.status_code == 400


def test_restriction_form_rejects_bad_input(
    app: Flask, make_user: User_, client_for: ClientFor
) -> None:
    member = make_user("practitioner")
    mod = client_for(make_user("moderator"))
    url = f"/forum/members/{member.id}/restrictions"
    cases = [
        {"kind": "silence", "ends_at": FUTURE},  # no reason
        {"kind": "silence", "ends_at": "tomorrow", "reason": "x"},
        {"kind": "silence", "ends_at": "2001-01-01", "reason": "x"},
        {"kind": "banish", "ends_at": FUTURE, "reason": "x"},
    ]
    for data in cases:
        response = mod.post(url, data=data)
        assert response.status_code == 400, data
    with app.app_context():
        assert db.session.scalar(select(Sanction.id)) is None
        user = db.session.get(User, member.id)
        assert user is not None and user.silenced_until is None


def test_moderators_cannot_restrict_moderators_or_themselves(
    make_user: User_, client_for: ClientFor
) -> None:
    moderator = make_user("moderator")
    peer = make_user("moderator")
    mod = client_for(moderator)
    assert _restrict(mod, peer.id, "suspend") == 403
    assert _restrict(mod, moderator.id, "silence") == 403
    admin = client_for(make_user("admin"))
    assert _restrict(admin, peer.id, "silence") == 302


def test_members_cannot_restrict_anyone(make_user: User_, client_for: ClientFor) -> None:
    target = make_user("practitioner")
    member = client_for(make_user("practitioner"))
    assert member.get(f"/forum/members/{target.id}/restrictions").status_code == 403
    assert _restrict(member, target.id, "suspend") == 403


def test_silenced_member_cannot_edit_either(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner")
    _, post_id = make_topic(member, body="Original text.")
    _restrict(client_for(make_user("moderator")), member.id, "silence")
    edit = client_for(member).post(
        f"/forum/p/{post_id}/edit", data={"title": "Tracing a converted pistol", "body": "New"}
    )
    assert edit.status_code == 403 and "You cannot post until" in edit.get_data(as_text=True)
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None and post.body == "Original text."
