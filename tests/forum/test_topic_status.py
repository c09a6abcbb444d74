"""A topic has its own status: replies inside a topic a member may not open stay out of reach.

Hiding a topic's first post hides that post only (the topic stays readable with its replies);
a topic awaiting approval or hidden by a moderator hides its replies from every other member on
every post route (flag, nominate, post link, quote), and tells nobody about them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.forum.models import Flag, GoodPracticeNomination
from tests.conftest import Outbox, sign_in
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic, load_category, load_topic
from tests.forum.moderation_helpers import open_review_items

User_ = Callable[..., User]


def client_for(app: Flask, user: User) -> FlaskClient:
    return sign_in(app.test_client(), user)


def _notifications(app: Flask, user: User) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
        return list(rows)


def _mails_to(outbox: Outbox, user: User) -> list[str]:
    return [str(message["Subject"]) for message in outbox.messages() if user.email in message["To"]]


def _count(app: Flask, model: type[Flag] | type[GoodPracticeNomination]) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(model.id))) or 0)


def _open_topic(app: Flask, author: User, title: str, body: str) -> int:
    """Open a topic through the page, as its author would; returns its id."""
    response = client_for(app, author).post(
        "/forum/c/general/new", data={"title": title, "body": body}
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _assert_reply_out_of_reach(app: Flask, member: User, topic_id: int, reply_id: int) -> None:
    """Every post route answers 404 to `member` for a reply they may not see, and saves nothing."""
    client = client_for(app, member)
    for url in (
        f"/forum/p/{reply_id}/flag",
        f"/forum/p/{reply_id}/nominate",
        f"/forum/p/{reply_id}",
        f"/forum/t/{topic_id}",
        f"/forum/p/{reply_id}/history",
        f"/forum/p/{reply_id}/edit",
        f"/forum/t/{topic_id}/reply?quote={reply_id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "A reply behind closed doors" not in response.get_data(as_text=True), url
    assert client.post(f"/forum/p/{reply_id}/flag", data={"reason": "spam"}).status_code == 404
    assert client.post(f"/forum/p/{reply_id}/nominate", data={"note": "Keep"}).status_code == 404
    assert _count(app, Flag) == 0 and _count(app, GoodPracticeNomination) == 0


def test_hiding_the_first_post_keeps_the_topic_and_its_replies_readable(
    app: Flask, make_user: User_, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner", display_name="Opening Author")
    replier = make_user("practitioner", display_name="Replier")
    reader = client_for(app, make_user("practitioner"))
    topic_id, first_id = make_topic(author, title="Serial numbers ground off",
                                    body="An opening post the moderators hide.")  # fmt: skip
    reply_id = make_reply(replier, topic_id, "Acid etching brought the numbers back.")

    moderator = client_for(app, make_user("moderator"))
    hidden = moderator.post(
        f"/forum/p/{first_id}/moderate", data={"action": "hide", "reason": "Sensitive details"}
    )
    assert hidden.status_code == 302

    page = reader.get(f"/forum/t/{topic_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Serial numbers ground off" in text and "hidden by a moderator" in text
    assert "An opening post the moderators hide." not in text
    assert "Acid etching brought the numbers back." in text
    assert "Serial numbers ground off" in reader.get("/forum/c/general").get_data(as_text=True)
    assert load_category(app).topic_count == 1
    found = reader.get("/forum/search?q=etching").get_data(as_text=True)
    assert f'href="/forum/p/{reply_id}"' in found
    replier_link = client_for(app, replier).get(f"/forum/p/{reply_id}")
    assert replier_link.status_code == 302
    assert reader.get(f"/forum/p/{first_id}").status_code == 404
    assert reader.get(f"/forum/p/{first_id}/flag").status_code == 404


def test_replies_in_a_topic_awaiting_approval_are_404_for_other_members(
    make_app: Callable[..., Flask],
    make_user: User_,
    make_reply: MakeReply,
    make_category: MakeCategory,
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    make_category()
    newcomer = make_user("practitioner", display_name="New Member")
    moderator = make_user("moderator")
    topic_id = _open_topic(app, newcomer, "A topic still held", "Waiting for a moderator.")
    reply_id = make_reply(moderator, topic_id, "A reply behind closed doors.")

    _assert_reply_out_of_reach(app, make_user("practitioner"), topic_id, reply_id)
    assert load_topic(app, topic_id).status == "pending"
    assert client_for(app, newcomer).get(f"/forum/p/{reply_id}").status_code == 302

    [(item_id, _, _)] = open_review_items(app, "post")
    client_for(app, moderator).post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    assert load_topic(app, topic_id).status == "visible"
    assert load_category(app).topic_count == 1
    other = client_for(app, make_user("practitioner"))
    assert other.get(f"/forum/p/{reply_id}/flag").status_code == 200


def test_rejecting_the_first_post_of_a_new_topic_deletes_the_topic(
    make_app: Callable[..., Flask], make_user: User_, make_category: MakeCategory
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    make_category()
    newcomer = make_user("practitioner")
    topic_id = _open_topic(app, newcomer, "Selling parts cheap", "Buy from me.")
    [(item_id, _, _)] = open_review_items(app, "post")
    client_for(app, make_user("moderator")).post(
        f"/moderation/items/{item_id}", data={"decision": "reject", "reason": "Advert"}
    )
    assert load_topic(app, topic_id).status == "deleted"
    assert client_for(app, newcomer).get(f"/forum/t/{topic_id}").status_code == 404
    assert load_category(app).topic_count == 0


def test_moderator_hides_a_whole_topic_with_its_replies_and_shows_it_again(
    app: Flask, make_user: User_, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner")
    replier = make_user("practitioner")
    topic_id, _ = make_topic(author, title="A topic to take down")
    reply_id = make_reply(replier, topic_id, "A reply behind closed doors.")
    moderator = client_for(app, make_user("moderator"))

    no_reason = moderator.post(f"/forum/t/{topic_id}/moderate", data={"action": "hide"})
    assert no_reason.status_code == 400
    hidden = moderator.post(
        f"/forum/t/{topic_id}/moderate", data={"action": "hide", "reason": "Operational details"}
    )
    assert hidden.status_code == 302
    assert load_topic(app, topic_id).status == "hidden"
    category = load_category(app)
    assert (category.topic_count, category.post_count) == (0, 0)
    _assert_reply_out_of_reach(app, replier, topic_id, reply_id)
    reader = client_for(app, make_user("practitioner"))
    assert "A topic to take down" not in reader.get("/forum/c/general").get_data(as_text=True)
    assert f"/forum/p/{reply_id}" not in reader.get("/forum/search?q=closed").get_data(as_text=True)
    own = client_for(app, author).get(f"/forum/t/{topic_id}")
    assert own.status_code == 200 and "Hidden by moderators" in own.get_data(as_text=True)

    shown = moderator.post(f"/forum/t/{topic_id}/moderate", data={"action": "unhide"})
    assert shown.status_code == 302
    assert load_topic(app, topic_id).status == "visible"
    category = load_category(app)
    assert (category.topic_count, category.post_count) == (1, 2)
    assert reader.get(f"/forum/p/{reply_id}/flag").status_code == 200


def test_a_mention_in_a_topic_awaiting_approval_tells_nobody_who_cannot_open_it(
    make_app: Callable[..., Flask],
    make_user: User_,
    outbox: Outbox,
    make_reply: MakeReply,
    make_category: MakeCategory,
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    make_category()
    newcomer = make_user("practitioner")
    mentioned = make_user("practitioner", display_name="Mentioned Officer")
    topic_id = _open_topic(app, newcomer, "A topic still held", "Waiting here.")
    make_reply(make_user("moderator"), topic_id, "Asking @Mentioned_Officer about this.")
    assert _notifications(app, mentioned) == []
    assert _mails_to(outbox, mentioned) == []


def test_a_mention_or_reply_in_a_hidden_topic_tells_nobody_who_cannot_open_it(
    app: Flask, make_user: User_, outbox: Outbox, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    author = make_user("practitioner", display_name="Topic Author")
    watcher = make_user("practitioner", display_name="Earlier Replier")
    mentioned = make_user("practitioner", display_name="Mentioned Officer")
    topic_id, _ = make_topic(author, title="A topic to take down")
    make_reply(watcher, topic_id, "I watch this topic now.")
    moderator = make_user("moderator")
    response = client_for(app, moderator).post(
        f"/forum/t/{topic_id}/moderate", data={"action": "hide", "reason": "Operational details"}
    )
    assert response.status_code == 302
    before = _notifications(app, watcher)

    make_reply(moderator, topic_id, "Asking @Mentioned_Officer about this.")
    make_reply(author, topic_id, "And @Mentioned_Officer again, from the author.")
    assert _notifications(app, mentioned) == []
    assert _mails_to(outbox, mentioned) == []
    assert _notifications(app, watcher) == before
    assert any("replied" in title for title in _notifications(app, author))
