"""Watching, @mentions, quote notifications, preferences, and e-mails without post bodies."""

from __future__ import annotations

from collections.abc import Callable
from email.header import decode_header, make_header

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.forum import policy
from app.forum.models import Mention, Post
from app.forum.services import posts as services
from tests.conftest import Auth, Outbox
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic

User_ = Callable[..., User]


def _notes(app: Flask, user: User) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
        return [(n.kind, n.title) for n in rows]


def test_topic_author_is_told_about_replies_on_the_site(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    replier = make_user("practitioner", display_name="Replying Officer")
    topic_id, _ = make_topic(author, title="Reactivated rifles")
    reply_id = make_reply(replier, topic_id, body="We saw the same.")
    assert _notes(app, author) == [
        ("forum.reply", "Replying Officer replied in “Reactivated rifles”")
    ]
    assert _notes(app, replier) == []
    auth.sign_in(author)
    home = client.get("/").get_data(as_text=True)
    assert 'class="badge">1<' in home
    listing = client.get("/notifications").get_data(as_text=True)
    assert f'href="/forum/p/{reply_id}"' in listing
    response = client.get(f"/forum/p/{reply_id}")
    assert response.headers["Location"].endswith(f"/forum/t/{topic_id}?page=1#p2")
    client.get(response.headers["Location"])
    assert 'class="badge">' not in client.get("/").get_data(as_text=True)


def test_category_watchers_hear_of_new_topics_and_can_stop(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    login: User_,
    make_category: MakeCategory,
    make_topic: MakeTopic,
) -> None:
    make_category()
    watcher = login("practitioner")
    assert client.post("/forum/c/general/watch").status_code == 302
    assert "Stop watching this category" in client.get("/forum/c/general").get_data(as_text=True)
    make_topic(make_user("practitioner", display_name="Opening Officer"), title="New route")
    assert _notes(app, watcher) == [
        ("forum.topic", "Opening Officer opened a new topic: “New route”")
    ]
    client.post("/forum/c/general/watch", data={"action": "unwatch"})
    make_topic(make_user("practitioner"), title="Another route")
    assert len(_notes(app, watcher)) == 1


def test_unwatching_a_topic_stops_reply_notifications(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    auth.sign_in(author)
    client.post(f"/forum/t/{topic_id}/watch", data={"action": "unwatch"})
    make_reply(make_user("practitioner"), topic_id)
    assert _notes(app, author) == []


def test_mention_notifies_once_with_the_strongest_kind_and_by_email(
    app: Flask, make_user: User_, outbox: Outbox, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner", display_name="Topic Author")
    named = make_user("practitioner", display_name="Jane Example")
    trainee = make_user("trainee", display_name="Trainee Person")
    topic_id, _ = make_topic(author, title="Ammunition markings")
    body = "Secret operational detail. @Jane_Example and @Topic_Author, @Trainee_Person, @nobody"
    post_id = make_reply(make_user("practitioner", display_name="Writer"), topic_id, body)
    assert _notes(app, named) == [
        ("forum.mention", "Writer mentioned you in “Ammunition markings”")
    ]
    assert _notes(app, author) == [
        ("forum.mention", "Writer mentioned you in “Ammunition markings”")
    ]
    assert _notes(app, trainee) == []
    with app.app_context():
        mentioned = set(
            db.session.scalars(select(Mention.user_id).where(Mention.post_id == post_id))
        )
        assert mentioned == {named.id, author.id}
    mails = [m for m in outbox.messages() if m["To"] == named.email]
    assert len(mails) == 1
    text = mails[0].get_payload(decode=True).decode()
    assert "Ammunition markings" in text and f"/forum/p/{post_id}" in text
    assert "Secret operational detail" not in text


def test_quoted_author_is_told_and_preferences_switch_email_on_and_site_off(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    outbox: Outbox,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    quoted = make_user("practitioner", display_name="Quoted Member")
    topic_id, _ = make_topic(make_user("practitioner"))
    quoted_post = make_reply(quoted, topic_id, body="My experience")
    auth.sign_in(quoted)
    page = client.get("/forum/preferences").get_data(as_text=True)
    assert "@Quoted_Member" in page
    response = client.post("/forum/preferences", data={"quote_email": "y", "mention_site": "y"})
    assert response.status_code == 302
    make_reply(make_user("practitioner", display_name="Quoter"), topic_id,
               body="> My experience\n\nAgreed, with a caveat.", reply_to=quoted_post)  # fmt: skip
    assert _notes(app, quoted) == []
    mails = [m for m in outbox.messages() if m["To"] == quoted.email]
    assert [str(make_header(decode_header(m["Subject"]))) for m in mails] == [
        "Quoter replied to your post in “Tracing a converted pistol”"
    ]
    assert "Agreed, with a caveat" not in mails[0].get_payload(decode=True).decode()


def test_pending_post_notifies_only_when_approved(
    app: Flask,
    make_user: User_,
    monkeypatch: pytest.MonkeyPatch,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    monkeypatch.setattr(policy, "new_post_status", lambda user, topic, body: "pending")
    post_id = make_reply(make_user("practitioner"), topic_id, body="Held back")
    assert _notes(app, author) == []
    with app.app_context():
        held = db.session.get(Post, post_id)
        assert held is not None and held.status == "pending"
        services.set_post_status(held, "visible")
        db.commit()
    assert [kind for kind, _ in _notes(app, author)] == ["forum.reply"]
