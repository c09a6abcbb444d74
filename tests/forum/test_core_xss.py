"""Payloads in edit history, quote forms, notifications and category names stay text."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Category
from tests.conftest import Auth
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic
from tests.forum.xss_payloads import PAYLOADS, executable_markup

User_ = Callable[..., User]

SITE_TAGS = frozenset({"form"})


def _clean(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    problems = executable_markup(response.get_data(as_text=True), SITE_TAGS)
    assert not problems, f"{url}: {problems}"


def test_history_quotes_notifications_and_categories_render_payloads_as_text(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    make_category()
    with app.app_context():
        for number, payload in enumerate(PAYLOADS[:40]):
            db.session.add(Category(name=f"C{number} {payload}"[:120], slug=f"c-{number}",
                                    description=payload, position=number + 1))  # fmt: skip
        db.commit()
    author = make_user("practitioner", display_name="Author Of Payloads")
    topic_id, first_id = make_topic(author, title="Payload topic", body=PAYLOADS[0])
    replies = []
    for payload in PAYLOADS[:25]:
        replies.append(
            make_reply(
                make_user("practitioner", display_name=payload[:80]),
                topic_id,
                body=f"@Author_Of_Payloads {payload}",
                reply_to=first_id,
            )
        )
    auth.sign_in(author)
    for payload in PAYLOADS[1:6]:
        client.post(f"/forum/p/{first_id}/edit", data={"title": "Payload topic", "body": payload})
    _clean(client, f"/forum/p/{first_id}/history")
    _clean(client, "/notifications")
    _clean(client, "/forum/")
    for post_id in replies:
        _clean(client, f"/forum/t/{topic_id}/reply?quote={post_id}")
    client.post("/sign-out")
    auth.sign_in(make_user("admin"))
    _clean(client, "/forum/admin/categories")
