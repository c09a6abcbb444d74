"""Watched words kept by admins: "block" refuses a post, "review" sends it to the queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Post, Topic, WatchedWord
from app.forum.services import watched_words
from tests.conftest import ClientFor
from tests.forum.factory import MakeReply, MakeTopic
from tests.forum.moderation_helpers import (
    audit_rows,
    latest_post_id,
    open_review_items,
    post_status,
)

User_ = Callable[..., User]


def _add(admin: FlaskClient, pattern: str, action: str) -> int:
    return admin.post(
        "/forum/admin/watched-words", data={"pattern": pattern, "action": action}
    ).status_code


def _count(app: Flask, model: type[Post] | type[Topic]) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id))) or 0


def test_admin_adds_and_removes_watched_words(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    admin = login("admin")
    assert _add(client, "  Ghost  GUN*  ", "block") == 302
    page = client.get("/forum/admin/watched-words").get_data(as_text=True)
    assert "ghost gun*" in page and "refuse the post" in page
    assert _add(client, "ghost gun*", "review") == 409
    assert _add(client, "***", "review") == 400
    assert _add(client, "valid", "explode") == 400
    with app.app_context():
        word_id = db.session.scalar(select(WatchedWord.id))
    assert client.post(f"/forum/admin/watched-words/{word_id}/delete").status_code == 302
    assert "ghost gun*" not in client.get("/forum/admin/watched-words").get_data(as_text=True)
    added, removed = (
        audit_rows(app, "forum.watched_word.add"),
        audit_rows(app, "forum.watched_word.remove"),
    )
    assert len(added) == 1 and len(removed) == 1 and added[0]["actor_id"] == admin.id


def test_only_admins_keep_watched_words(
    app: Flask, make_user: User_, client_for: ClientFor
) -> None:
    for role in ("practitioner", "moderator"):
        session = client_for(make_user(role))
        assert session.get("/forum/admin/watched-words").status_code == 403
        assert _add(session, "anything", "block") == 403
    with app.app_context():
        assert db.session.scalar(select(WatchedWord.id)) is None


def test_blocked_word_refuses_the_post_with_a_clear_message(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    _add(client_for(make_user("admin")), "buy now", "block")
    member = client_for(make_user("practitioner"))
    posts_before = _count(app, Post)
    reply = member.post(f"/forum/t/{topic_id}/reply", data={"body": "Great frames, BUY   now!"})
    assert reply.status_code == 400
    text = reply.get_data(as_text=True)
    assert "not allowed" in text and "buy now" in text
    assert "Great frames, BUY   now!" in text  # the text is kept in the form
    topics_before = _count(app, Topic)
    titled = member.post("/forum/c/general/new", data={"title": "Buy now please", "body": "Hi"})
    assert titled.status_code == 400
    assert (_count(app, Post), _count(app, Topic)) == (posts_before, topics_before)


def test_review_word_sends_the_post_to_the_queue(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    _add(client_for(make_user("admin")), "informant", "review")
    member = client_for(make_user("practitioner"))
    response = member.post(
        f"/forum/t/{topic_id}/reply", data={"body": "The informant said the shipment moved."}
    )
    assert response.status_code == 302
    post_id = latest_post_id(app)
    assert post_status(app, post_id) == "pending"
    [(_, target, summary)] = open_review_items(app, "post")
    assert target == post_id and "watched words: informant" in summary


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("launder*", "They were laundering money", True),
        ("launder*", "Money-launderers", True),
        ("gun", "A shotgun was seized", False),
        ("gun", "The GUN was seized", True),
        ("ghost gun", "a ghost\ngun kit", True),
        ("c++", "written in c++ code", True),
        ("a.b", "axb", False),
    ],
)
def test_patterns_match_whole_words_case_insensitively(
    pattern: str, text: str, matches: bool
) -> None:
    compiled = watched_words.compile_pattern(watched_words.normalise(pattern))
    assert bool(compiled.search(text)) is matches


def test_an_edit_cannot_bring_in_a_blocked_word(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    member = make_user("practitioner")
    _, post_id = make_topic(member, body="Clean text.")
    _add(client_for(make_user("admin")), "buy now", "block")
    edit = client_for(member).post(
        f"/forum/p/{post_id}/edit", data={"title": "Tracing a converted pistol", "body": "Buy now"}
    )
    assert edit.status_code == 400 and "not allowed" in edit.get_data(as_text=True)
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None and post.body == "Clean text."


def test_an_edit_that_brings_in_a_review_word_sends_the_post_back_to_the_queue(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    member = make_user("practitioner")
    post_id = make_reply(member, topic_id, "The shipment moved on Monday.")
    assert post_status(app, post_id) == "visible"
    _add(client_for(make_user("admin")), "informant", "review")
    author = client_for(member)
    body = "The informant said the shipment moved on Monday."
    assert author.post(f"/forum/p/{post_id}/edit", data={"body": body}).status_code == 302
    assert post_status(app, post_id) == "pending"
    [(_, target, summary)] = open_review_items(app, "post")
    assert target == post_id and "watched words: informant" in summary
    assert body in author.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    moderator = client_for(make_user("moderator"))
    assert body in moderator.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    other = client_for(make_user("practitioner")).get(f"/forum/t/{topic_id}")
    assert "shipment moved" not in other.get_data(as_text=True)


def test_an_edit_keeping_an_approved_review_word_is_not_held_again(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    member = make_user("practitioner")
    post_id = make_reply(member, topic_id, "The informant said the shipment moved.")
    _add(client_for(make_user("admin")), "informant", "review")  # after the post
    edit = {"body": "The informant said the shipment moved on Monday."}
    assert client_for(member).post(f"/forum/p/{post_id}/edit", data=edit).status_code == 302
    assert post_status(app, post_id) == "visible" and open_review_items(app, "post") == []
