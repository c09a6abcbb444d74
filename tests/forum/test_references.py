"""Typed references `[[module:slug]]`: links with titles in posts, "Discussed in" backlinks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Reference
from tests.conftest import Auth
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]


@pytest.fixture
def refs_course(make_course: MakeCourse) -> None:
    """A one-module course `refs` that posts can cite as [[module:refs-m1]]."""
    make_course(slug="refs", modules=1)


@pytest.mark.usefixtures("refs_course")
def test_module_reference_renders_as_a_link_with_its_title(
    app: Flask,
    client: FlaskClient,
    make_user: User_,
    login: User_,
    make_category: MakeCategory,
    make_topic: MakeTopic,
) -> None:
    make_category()
    body = "See [[module:refs-m1]] and [[module:no-such-module]]."
    topic_id, post_id = make_topic(make_user("practitioner"), body=body)
    login("practitioner")
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert '<a href="/modules/refs-m1" rel="noopener noreferrer nofollow">Module 1</a>' in page
    assert "module reference (not available)" in page
    assert "no-such-module" not in page
    with app.app_context():
        rows = db.session.execute(
            select(Reference.kind, Reference.slug).where(Reference.post_id == post_id)
        ).all()
        assert sorted(rows) == [("module", "no-such-module"), ("module", "refs-m1")]


@pytest.mark.usefixtures("refs_course")
def test_module_page_lists_discussing_topics_for_practitioners_only(
    client: FlaskClient, make_user: User_, auth: Auth, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author, title="Using the module in class")
    make_reply(author, topic_id, body="This matches [[module:refs-m1]] well.")
    make_topic(author, title="Unrelated topic", body="Nothing here.")
    assert "Using the module in class" not in client.get("/modules/refs-m1").get_data(as_text=True)
    auth.sign_in(make_user("trainee"))
    assert "Using the module in class" not in client.get("/modules/refs-m1").get_data(as_text=True)
    client.post("/sign-out")
    auth.sign_in(make_user("practitioner"))
    page = client.get("/modules/refs-m1").get_data(as_text=True)
    assert "Discussed in" in page
    assert f'<a href="/forum/t/{topic_id}">Using the module in class</a>' in page
    assert "Unrelated topic" not in page


@pytest.mark.usefixtures("refs_course")
def test_backlink_goes_when_the_reference_is_edited_out_or_the_post_deleted(
    client: FlaskClient, make_user: User_, auth: Auth, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author, title="First discussion")
    edited = make_reply(author, topic_id, body="About [[module:refs-m1]].")
    other_topic, _ = make_topic(author, title="Second discussion")
    deleted = make_reply(author, other_topic, body="Also [[module:refs-m1]].")
    auth.sign_in(author)
    page = client.get("/modules/refs-m1").get_data(as_text=True)
    assert "First discussion" in page and "Second discussion" in page
    client.post(f"/forum/p/{edited}/edit", data={"body": "About something else."})
    client.post(f"/forum/p/{deleted}/delete")
    page = client.get("/modules/refs-m1").get_data(as_text=True)
    assert "First discussion" not in page and "Second discussion" not in page
