"""Opening topics, replying, quoting, editing with history, soft deletion, and bad input."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.core.models import AuditEntry
from app.forum.models import Post, PostRevision, Topic, TopicStatus
from app.forum.services import posts as services
from app.search import SearchRequest, search
from tests.conftest import Auth
from tests.forum.factory import (
    MakeCategory,
    MakeReply,
    MakeTopic,
    load_category,
    load_topic,
    posts_of,
)

User_ = Callable[..., User]


def test_practitioner_opens_a_topic_and_sees_it_listed(
    app: Flask, client: FlaskClient, login: User_, make_category: MakeCategory
) -> None:
    make_category()
    login("practitioner")
    response = client.post(
        "/forum/c/general/new",
        data={"title": "Marking of imported frames", "body": "How do you **check** markings?"},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marking of imported frames" in page
    assert "<strong>check</strong>" in page
    listing = client.get("/forum/c/general").get_data(as_text=True)
    assert "Marking of imported frames" in listing
    category = load_category(app)
    assert (category.topic_count, category.post_count) == (1, 1)


def test_replies_are_numbered_and_counted(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    login("practitioner")
    for text in ("First answer", "Second answer"):
        response = client.post(f"/forum/t/{topic_id}/reply", data={"body": text})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(("#p2", "#p3"))
    assert [(n, s) for n, s, _ in posts_of(app, topic_id)] == [
        (1, "visible"), (2, "visible"), (3, "visible")
    ]  # fmt: skip
    assert load_topic(app, topic_id).post_count == 3
    assert load_category(app).post_count == 3


def test_markdown_is_sanitised(
    client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    login("practitioner")
    body = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    client.post(f"/forum/t/{topic_id}/reply", data={"body": body})
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert "javascript:alert" not in page


def test_quote_reply_prefills_the_quote_and_links_back(
    client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner", display_name="Quoted Officer")
    topic_id, first_id = make_topic(author, body="Serial numbers were ground off.")
    login("practitioner")
    form = client.get(f"/forum/t/{topic_id}/reply?quote={first_id}").get_data(as_text=True)
    assert "&gt; **Quoted Officer** wrote in #1:" in form
    assert "&gt; Serial numbers were ground off." in form
    response = client.post(
        f"/forum/t/{topic_id}/reply",
        data={"body": "> Serial numbers were ground off.\n\nTry etching.", "reply_to": first_id},
    )
    assert response.status_code == 302
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert f'in reply to <a href="/forum/p/{first_id}">#1</a>' in page


def test_reply_to_a_post_of_another_topic_is_refused(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    topic_a, _ = make_topic(author, title="Topic number one")
    _, other_first = make_topic(author, title="Topic number two")
    login("practitioner")
    response = client.post(
        f"/forum/t/{topic_a}/reply", data={"body": "Hello there", "reply_to": other_first}
    )
    assert response.status_code == 400
    assert "not in this topic" in response.get_data(as_text=True)
    assert len(posts_of(app, topic_a)) == 1


def test_bad_input_gets_clear_messages_and_saves_nothing(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    login("practitioner")
    cases = [
        ("/forum/c/general/new", {"title": "", "body": "Body"}, "Give the topic a title"),
        ("/forum/c/general/new", {"title": "Hi", "body": "Body"}, "between 5 and 200"),
        ("/forum/c/general/new", {"title": "A fine title", "body": "   "}, "Write a message"),
        ("/forum/c/general/new", {"title": "x" * 201, "body": "Body"}, "between 5 and 200"),
        ("/forum/c/general/new", {"title": "A fine title", "body": "x" * 20_001}, "20000"),
        (f"/forum/t/{topic_id}/reply", {"body": ""}, "Write a message"),
        (f"/forum/t/{topic_id}/reply", {"body": "ok ok", "reply_to": "abc"}, "Bad reply"),
        (f"/forum/t/{topic_id}/reply", {"body": "\x00\x01"}, "Write a message"),
    ]
    for url, data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, data)
        assert message in response.get_data(as_text=True), (url, data)
    assert len(posts_of(app, topic_id)) == 1
    assert load_category(app).topic_count == 1
    assert client.get("/forum/c/nowhere/new").status_code == 404
    assert client.get("/forum/t/99999").status_code == 404
    assert client.get("/forum/t/abc").status_code == 404


def test_author_edits_and_keeps_history_others_cannot(
    app: Flask, client: FlaskClient, auth: Auth, make_user: User_, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    other = make_user("practitioner")
    moderator = make_user("moderator")
    topic_id, first_id = make_topic(author, body="Original line\nSecond line")
    auth.sign_in(other)
    assert client.get(f"/forum/p/{first_id}/edit").status_code == 403
    assert client.post(f"/forum/p/{first_id}/edit", data={"body": "Vandal"}).status_code == 403
    assert client.get(f"/forum/p/{first_id}/history").status_code == 404
    client.post("/sign-out")
    auth.sign_in(author)
    response = client.post(
        f"/forum/p/{first_id}/edit",
        data={"title": "Tracing a converted pistol", "body": "Changed line\nSecond line"},
    )
    assert response.status_code == 302
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "Changed line" in page and "history" in page
    history = client.get(f"/forum/p/{first_id}/history").get_data(as_text=True)
    # The changed word is marked within its line (issue 17 item 9), not the whole line twice.
    assert "~ <del>Original</del><ins>Changed</ins> line" in history
    client.post("/sign-out")
    auth.sign_in(moderator)
    assert "<del>Original</del>" in client.get(f"/forum/p/{first_id}/history").get_data(
        as_text=True
    )
    with app.app_context():
        revisions = db.session.scalars(select(PostRevision)).all()
        assert [(r.old_body, r.editor_id) for r in revisions] == [
            ("Original line\nSecond line", author.id)
        ]


def test_moderator_edit_is_audited(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    _, first_id = make_topic(make_user("practitioner"))
    moderator = login("moderator")
    client.post(f"/forum/p/{first_id}/edit", data={"body": "Redacted by the moderators."})
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "forum.post.edit"))
        assert entry is not None and entry.actor_id == moderator.id


def test_author_soft_deletes_a_reply_and_counters_follow(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reply_id = make_reply(author, topic_id, body="A reply I regret")
    auth.sign_in(author)
    assert client.post(f"/forum/p/{reply_id}/delete").status_code == 302
    assert posts_of(app, topic_id)[1][:2] == (2, "deleted")
    assert load_topic(app, topic_id).post_count == 1
    assert load_category(app).post_count == 1
    client.post("/sign-out")
    auth.sign_in(make_user("practitioner"))
    assert "A reply I regret" not in client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert client.get(f"/forum/p/{reply_id}").status_code == 404


def test_deleting_the_opening_post_deletes_the_topic(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, first_id = make_topic(author)
    make_reply(make_user("practitioner"), topic_id)
    auth.sign_in(author)
    assert client.post(f"/forum/p/{first_id}/delete").status_code == 302
    assert load_topic(app, topic_id).status == "deleted"
    category = load_category(app)
    assert (category.topic_count, category.post_count) == (0, 0)
    assert client.get(f"/forum/t/{topic_id}").status_code == 404


def test_member_cannot_delete_someone_elses_post(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, first_id = make_topic(make_user("practitioner"))
    login("practitioner")
    assert client.get(f"/forum/p/{first_id}/delete").status_code == 403
    assert client.post(f"/forum/p/{first_id}/delete").status_code == 403
    assert "Delete the topic" not in client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert posts_of(app, topic_id)[0][1] == "visible"


def test_deletion_asks_first_and_checks_the_reason(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, first_id = make_topic(make_user("practitioner"), title="Asked before deleting")
    login("moderator")
    page = client.get(f"/forum/p/{first_id}/delete").get_data(as_text=True)
    assert "Delete the topic “Asked before deleting”?" in page
    response = client.post(f"/forum/p/{first_id}/delete", data={"reason": "x" * 501})
    assert response.status_code == 400
    assert "500" in response.get_data(as_text=True)
    assert load_topic(app, topic_id).status == "visible"
    response = client.post(f"/forum/p/{first_id}/delete", data={"reason": "Duplicate topic."})
    assert response.status_code == 302
    assert load_topic(app, topic_id).status == "deleted"
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "forum.topic.delete")
        )
        assert entry is not None and entry.reason == "Duplicate topic."


def test_locked_topic_refuses_replies_from_members(
    app: Flask, client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert topic is not None
        topic.locked = True
        db.commit()
    login("practitioner")
    response = client.post(f"/forum/t/{topic_id}/reply", data={"body": "Let me in"})
    assert response.status_code == 403
    assert "locked" in response.get_data(as_text=True)
    assert len(posts_of(app, topic_id)) == 1


def test_renaming_a_topic_hiding_its_opening_post_and_hiding_it_reach_the_search_index(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, first_id = make_topic(author, title="Old wording here")
    make_reply(make_user("practitioner"), topic_id, body="A reply about frames.")
    auth.sign_in(author)
    response = client.post(
        f"/forum/p/{first_id}/edit",
        data={"title": "Converted alarm pistols", "body": "Opening post of an illustrative topic."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert search(SearchRequest("posts", "alarm", fields=["title"])).total == 1
        assert search(SearchRequest("posts", "wording", fields=["title"])).total == 0
        assert search(SearchRequest("posts", "frames", fields=["body"])).total == 1
        opening = db.session.get(Post, first_id)
        assert opening is not None
        services.set_post_status(opening, "rejected")
        db.commit()
        assert search(SearchRequest("posts", "alarm", fields=["title"])).total == 0
        visible = {"status": ["visible"]}
        frames = search(SearchRequest("posts", "frames", fields=["body"], filters=visible))
        assert frames.total == 1  # the topic stays, with its replies
        topic = db.session.get(Topic, topic_id)
        assert topic is not None
        services.set_topic_status(topic, TopicStatus.HIDDEN)
        db.commit()
        frames = search(SearchRequest("posts", "frames", fields=["body"], filters=visible))
        assert frames.total == 0


def test_a_locked_topic_refuses_its_author_before_they_write(
    app: Flask, client: FlaskClient, make_user: User_, auth: Auth, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert topic is not None
        topic.locked = True
        db.commit()
    auth.sign_in(author)
    assert "Post the reply" not in client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    form = client.get(f"/forum/t/{topic_id}/reply")
    assert form.status_code == 403
    assert "This topic is locked: no new replies." in form.get_data(as_text=True)
