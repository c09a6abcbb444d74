"""Read tracking: unread counts per category and topic, jump to the first unread post, paging."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Post, WatchedWord
from app.forum.services import posts as services
from app.forum.services import read_state
from tests.conftest import Auth
from tests.forum.factory import MakeReply, MakeTopic

User_ = Callable[..., User]


def _unread_in_category(page: str, name: str) -> str:
    row = re.search(rf"{re.escape(name)}</strong>.*?</tr>", page, re.S)
    assert row is not None, page
    badge = re.search(r'class="badge">(\d+)', row.group(0))
    return badge.group(1) if badge else "none"


def test_unread_counts_per_category_and_topic_follow_reading(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    login: User_,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    make_reply(author, topic_id)
    reader = login("practitioner")
    assert (
        _unread_in_category(client.get("/forum/").get_data(as_text=True), "General discussion")
        == "2"
    )
    assert ">New<" in client.get("/forum/c/general").get_data(as_text=True)
    client.get(f"/forum/t/{topic_id}")
    assert (
        _unread_in_category(client.get("/forum/").get_data(as_text=True), "General discussion")
        == "none"
    )
    make_reply(author, topic_id, body="Something new")
    make_reply(author, topic_id, body="Something newer")
    listing = client.get("/forum/c/general").get_data(as_text=True)
    assert "2 unread" in listing
    assert (
        _unread_in_category(client.get("/forum/").get_data(as_text=True), "General discussion")
        == "2"
    )
    with app.app_context():
        assert read_state.last_read(reader.id, topic_id) == 2


def test_own_post_and_hidden_posts_do_not_count_as_unread(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    auth: Auth,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    reader = make_user("practitioner")
    topic_id, _ = make_topic(author)
    auth.sign_in(reader)
    client.get(f"/forum/t/{topic_id}")
    hidden_id = make_reply(author, topic_id, body="Soon hidden")
    with app.app_context():
        post = db.session.get(Post, hidden_id)
        assert post is not None
        services.set_post_status(post, "hidden")
        db.commit()
    assert "read" in client.get("/forum/c/general").get_data(as_text=True)
    assert "unread" not in client.get("/forum/c/general").get_data(as_text=True)


def test_topic_pages_hold_twenty_posts_and_jump_to_first_unread(
    client: FlaskClient,
    make_user: User_,
    login: User_,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    for n in range(2, 26):
        make_reply(author, topic_id, body=f"Reply number {n}")
    login("practitioner")
    first = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert 'id="p20"' in first and 'id="p21"' not in first
    assert "Page 1 of 2" in first
    response = client.get(f"/forum/t/{topic_id}/unread")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forum/t/{topic_id}?page=2#p21")
    second = client.get(f"/forum/t/{topic_id}?page=2").get_data(as_text=True)
    assert 'id="p25"' in second and 'id="p20"' not in second
    response = client.get(f"/forum/t/{topic_id}/unread")
    assert response.headers["Location"].endswith(f"/forum/t/{topic_id}?page=2#p25")


def test_odd_page_numbers_fall_back_to_the_first_page(
    client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    login("practitioner")
    for value in ("abc", "-3", "0", "9" * 30):
        response = client.get(f"/forum/t/{topic_id}?page={value}")
        assert response.status_code == 200, value
    assert client.get("/forum/c/general?page=xyz").status_code == 200


def test_trainees_and_visitors_cannot_read_the_forum(
    client: FlaskClient, make_user: User_, login: User_, make_topic: MakeTopic
) -> None:
    topic_id, post_id = make_topic(make_user("practitioner"), title="Secret trends seen")
    assert client.get(f"/forum/t/{topic_id}").status_code == 302
    login("trainee")
    for url in ("/forum/", f"/forum/t/{topic_id}", f"/forum/p/{post_id}", "/forum/c/general"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Secret trends seen" not in response.get_data(as_text=True)
    assert ">Forum<" not in client.get("/").get_data(as_text=True)


def test_nav_shows_forum_to_practitioners(client: FlaskClient, login: User_) -> None:
    login("practitioner")
    assert ">Forum</a>" in client.get("/").get_data(as_text=True)


def test_pending_topic_is_seen_by_its_author_and_moderators_only(
    app: Flask, client: FlaskClient, make_user: User_, auth: Auth, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    with app.app_context():
        db.session.add(WatchedWord(pattern="held", action="review"))
        db.commit()
    topic_id, _ = make_topic(author, title="Waiting for approval", body="A held opening.")
    auth.sign_in(make_user("practitioner"))
    assert client.get(f"/forum/t/{topic_id}").status_code == 404
    assert "Waiting for approval" not in client.get("/forum/c/general").get_data(as_text=True)
    client.post("/sign-out")
    auth.sign_in(author)
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "Awaiting approval" in page
    client.post("/sign-out")
    auth.sign_in(make_user("moderator"))
    assert client.get(f"/forum/t/{topic_id}").status_code == 200


def test_a_trainee_opening_the_forum_is_told_how_to_join(
    client: FlaskClient, login: Callable[..., User]
) -> None:
    login("trainee")
    response = client.get("/forum/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "open to vetted practitioners only" in page
    assert "apply for practitioner access from your account page" in page
