"""A signed-in member's page is kept and served again without being rendered (issue 15), and is
never served once something it shows has changed: the member's own change, a row written by
someone else that names them, someone else's post, a flash. Each browser gets its own CSRF
token in the kept copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Post
from tests.conftest import ClientFor, form_token, sign_in_with_token
from tests.forum.factory import MakeReply, MakeTopic
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]


def _kept(client: FlaskClient, url: str, count_queries: Callable[[], Any]) -> str:
    """The page at `url`, asked until kept: a visit that wrote (a first read) is rendered again
    on the next, which keeps it; the third answer is the kept copy (one statement)."""
    for _ in range(2):
        assert client.get(url).status_code == 200
    with count_queries() as counter:
        again = client.get(url)
    assert again.status_code == 200
    assert counter.count == 1, counter.statements
    return again.get_data(as_text=True)


def test_a_members_own_change_shows_at_once(
    make_course: MakeCourse,
    make_user: User_,
    client_for: ClientFor,
    count_queries: Callable[[], Any],
) -> None:
    make_course(slug="basics")
    trainee = client_for(make_user("trainee"))
    before = _kept(trainee, "/courses/basics", count_queries)
    assert "Enrol in this course" in before and "Your progress" not in before

    enrolled = trainee.post("/courses/basics/enrol")
    assert enrolled.status_code == 302
    after = trainee.get("/courses/basics").get_data(as_text=True)
    assert "Your progress" in after and "Enrol in this course" not in after
    assert "You are enrolled in" in after  # the flash, shown once
    again = trainee.get("/courses/basics").get_data(as_text=True)
    assert "You are enrolled in" not in again and "Your progress" in again


def test_a_row_naming_the_member_shows_at_once_whoever_writes_it(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    count_queries: Callable[[], Any],
) -> None:
    user = make_user("trainee", display_name="Avery Example")
    trainee = client_for(user)
    assert "Avery Example" in _kept(trainee, "/dashboard", count_queries)
    with app.app_context():  # an administrator's change, outside the member's requests
        row = db.session.get(User, user.id)
        assert row is not None
        row.display_name = "Robin Example"
        db.commit()
    page = trainee.get("/dashboard").get_data(as_text=True)
    assert "Robin Example" in page and "Avery Example" not in page


def test_another_members_reply_shows_on_a_kept_topic_page(
    make_user: User_,
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
    count_queries: Callable[[], Any],
) -> None:
    reader = make_user("practitioner")
    topic_id, _first = make_topic(make_user("practitioner"))
    browser = client_for(reader)
    assert "Stamped serial numbers" not in _kept(browser, f"/forum/t/{topic_id}", count_queries)
    make_reply(make_user("practitioner"), topic_id, body="Stamped serial numbers matter.")
    assert "Stamped serial numbers" in browser.get(f"/forum/t/{topic_id}").get_data(as_text=True)


def _browser(app: Flask, user: User) -> FlaskClient:
    """A browser signed in through the form, CSRF token and all."""
    browser = app.test_client()
    assert sign_in_with_token(browser, user).status_code == 302
    return browser


def test_each_browser_gets_its_own_token_in_a_kept_page(
    make_app: Callable[..., Flask],
    make_user: User_,
    make_topic: MakeTopic,
    count_queries: Callable[..., Any],
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user("practitioner")
    topic_id, _first = make_topic(make_user("practitioner"))
    laptop, phone = _browser(app, user), _browser(app, user)
    url = f"/forum/t/{topic_id}"
    on_laptop = laptop.get(url).get_data(as_text=True)
    laptop.get(url)  # the copy is kept now
    on_phone = phone.get(url).get_data(as_text=True)
    assert "\x00" not in on_phone
    assert form_token(on_phone) != form_token(on_laptop)
    assert on_phone.replace(form_token(on_phone), "") == on_laptop.replace(
        form_token(on_laptop), ""
    )

    replied = phone.post(
        url + "/reply",
        data={
            "body": "Replying from the phone, token and all.",
            "csrf_token": form_token(on_phone),
        },
    )
    assert replied.status_code == 302
    with app.app_context():
        bodies = db.session.scalars(select(Post.body).where(Post.topic_id == topic_id)).all()
    assert "Replying from the phone, token and all." in bodies
    assert "Replying from the phone" in laptop.get(url).get_data(as_text=True)
