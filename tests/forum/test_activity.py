"""Reading across categories (Latest, Unread), "new since your last visit", "this helped" likes
and the summary of the most helpful replies in long topics."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Post, PostLike, Topic
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic

MakeUser = Callable[..., User]


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/forum/t/\d+">([^<]+)</a>', page)


def test_latest_lists_topics_of_every_category_newest_activity_first(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    make_category()
    make_category("Customs practice", "customs")
    author = make_user("practitioner")
    older, _ = make_topic(author, title="An older question on marking")
    make_topic(author, slug="customs", title="A customs seizure question")
    hidden, _ = make_topic(author, title="A topic moderators hid")
    with app.app_context():
        topic = db.session.get(Topic, hidden)
        assert topic is not None
        topic.status = "hidden"
        db.commit()
    make_reply(author, older, "New activity brings it to the top.")
    page = client_for(make_user("practitioner")).get("/forum/latest").get_data(as_text=True)
    assert _titles(page) == ["An older question on marking", "A customs seizure question"]
    assert "Customs practice" in page


def test_unread_lists_only_topics_with_posts_not_yet_read(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    read_topic, _ = make_topic(author, title="Read all of it")
    make_topic(author, title="Never opened")
    reader = client_for(make_user("practitioner"))
    reader.get(f"/forum/t/{read_topic}")
    assert _titles(reader.get("/forum/unread").get_data(as_text=True)) == ["Never opened"]
    make_reply(author, read_topic, "Something new here.")
    page = reader.get("/forum/unread").get_data(as_text=True)
    assert _titles(page) == ["Read all of it", "Never opened"]
    assert "1 unread" in page


def test_topic_marks_where_the_new_posts_start(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reader = client_for(make_user("practitioner"))
    first_visit = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "New since your last visit" not in first_visit
    make_reply(author, topic_id, "The first reply after the visit.")
    make_reply(author, topic_id, "The second reply after the visit.")
    page = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert page.count("New since your last visit") == 1
    assert page.index('id="p1"') < page.index("New since your last visit") < page.index('id="p2"')
    again = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "New since your last visit" not in again


def test_a_member_marks_a_post_helpful_once_and_can_take_it_back(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reply_id = make_reply(author, topic_id, "Ask the manufacturer for the shipping records.")
    reader = client_for(make_user("practitioner"))
    for _ in range(2):
        assert reader.post(f"/forum/p/{reply_id}/like", data={"action": "like"}).status_code == 302
    with app.app_context():
        post = db.session.get(Post, reply_id)
        assert post is not None and post.like_count == 1
        assert db.session.scalar(select(PostLike.user_id).where(PostLike.post_id == reply_id))
    page = reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert (
        'aria-pressed="true">This helped<span class="visually-hidden"> (post #2)</span> · 1' in page
    )
    reader.post(f"/forum/p/{reply_id}/like", data={"action": "unlike"})
    with app.app_context():
        post = db.session.get(Post, reply_id)
        assert post is not None and post.like_count == 0
        assert db.session.scalar(select(PostLike.id)) is None


def test_own_posts_and_hidden_posts_cannot_be_liked(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, post_id = make_topic(author)
    own = client_for(author).post(f"/forum/p/{post_id}/like", data={"action": "like"})
    assert own.status_code == 403
    assert "your own post" in own.get_data(as_text=True)
    hidden_id = make_reply(make_user("practitioner"), topic_id, "Soon hidden.")
    with app.app_context():
        post = db.session.get(Post, hidden_id)
        assert post is not None
        post.status = "hidden"
        db.commit()
    other = client_for(make_user("practitioner"))
    assert other.post(f"/forum/p/{hidden_id}/like").status_code == 404
    moderator = client_for(make_user("moderator"))
    refused = moderator.post(f"/forum/p/{hidden_id}/like")
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(PostLike.id)) is None


def test_long_topics_open_with_their_most_helpful_replies(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    replies = [make_reply(author, topic_id, f"Reply number {n} with advice.") for n in range(21)]
    readers = [client_for(make_user("practitioner")) for _ in range(3)]
    for count, reply_id in zip((3, 1, 2), (replies[5], replies[9], replies[15]), strict=True):
        for reader in readers[:count]:
            reader.post(f"/forum/p/{reply_id}/like", data={"action": "like"})
    page = readers[0].get(f"/forum/t/{topic_id}").get_data(as_text=True)
    summary = page[
        page.index("Most helpful replies") : page.index(
            "</section>", page.index("Most helpful replies")
        )
    ]
    assert re.findall(r"#(\d+)</a>", summary) == ["7", "17", "11"]
    assert "3 found this helpful" in summary
    assert "Reply number 5 with advice." in summary
    second_page = readers[0].get(f"/forum/t/{topic_id}?page=2").get_data(as_text=True)
    assert "Most helpful replies" not in second_page


def test_short_topics_have_no_summary(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reply_id = make_reply(author, topic_id)
    reader = client_for(make_user("practitioner"))
    reader.post(f"/forum/p/{reply_id}/like", data={"action": "like"})
    assert "Most helpful replies" not in reader.get(f"/forum/t/{topic_id}").get_data(as_text=True)


def test_latest_and_topic_pages_run_a_constant_number_of_queries(
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
    count_queries: Callable[[], Any],
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reader = client_for(make_user("practitioner"))

    def queries(url: str) -> int:
        with count_queries() as counter:
            assert reader.get(url).status_code == 200
        return len(counter.statements)

    make_reply(author, topic_id)
    latest, topic = queries("/forum/latest"), queries(f"/forum/t/{topic_id}")
    for n in range(4):
        make_topic(author, title=f"Another topic number {n}")
        reply_id = make_reply(author, topic_id)
        reader.post(f"/forum/p/{reply_id}/like", data={"action": "like"})
    assert queries("/forum/latest") == latest
    assert queries("/forum/unread") <= latest + 1
    assert queries(f"/forum/t/{topic_id}") == topic


def test_many_members_marking_at_once_are_all_counted(
    app: Flask,
    client_for: ClientFor,
    make_user: MakeUser,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author)
    reply_id = make_reply(author, topic_id)
    member = make_user("practitioner")
    clients = [client_for(make_user("practitioner")) for _ in range(3)]
    clients += [client_for(member), client_for(member)]  # one member, two browsers
    statuses = run_together(
        clients,
        lambda c, _: c.post(f"/forum/p/{reply_id}/like", data={"action": "like"}).status_code,
    )
    assert statuses == [302] * 5
    with app.app_context():
        post = db.session.get(Post, reply_id)
        assert post is not None and post.like_count == 4
        assert len(db.session.scalars(select(PostLike.id)).all()) == 4
