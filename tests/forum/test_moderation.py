"""Pre-moderation, moderator actions on posts and topics, permissions and the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.accounts.services import users as accounts_users
from app.core.db import db
from app.core.permissions import Role
from app.forum.models import Topic
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.forum.factory import MakeCategory, MakeThread, MakeTopic, load_category, load_topic
from tests.forum.moderation_helpers import (
    audit_rows,
    latest_post_id,
    notification_titles,
    open_review_items,
    post_status,
)

User_ = Callable[..., User]


def test_first_two_posts_of_a_new_member_wait_for_approval(
    make_app: Callable[..., Flask], make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=2)
    newcomer = make_user("practitioner", display_name="New Member")
    other = make_user("practitioner", display_name="Other Member")
    moderator = make_user("moderator")
    topic_id, _ = make_topic(moderator)  # moderators are never held
    author = client_for(newcomer, app)

    response = author.post(f"/forum/t/{topic_id}/reply", data={"body": "My first reply here."})
    assert response.status_code == 302
    first = latest_post_id(app)
    assert post_status(app, first) == "pending"
    own_view = author.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "My first reply here." in own_view and "Awaiting approval" in own_view
    others_view = client_for(other, app).get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "My first reply here." not in others_view
    [(item_id, target, summary)] = open_review_items(app, "post")
    assert target == first and "New Member" in summary and "first posts" in summary

    mod = client_for(moderator, app)
    assert "My first reply here." in mod.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    decided = mod.post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    assert decided.status_code == 302
    assert post_status(app, first) == "visible"
    assert "My first reply here." in client_for(other, app).get(f"/forum/t/{topic_id}").get_data(
        as_text=True
    )
    assert load_topic(app, topic_id).post_count == 2
    [entry] = audit_rows(app, "forum.post.approve")
    assert (entry["actor_id"], entry["target_type"], entry["target_id"]) == (
        moderator.id, "post", str(first),
    )  # fmt: skip

    author.post(f"/forum/t/{topic_id}/reply", data={"body": "Second reply, still held."})
    second = latest_post_id(app)
    assert post_status(app, second) == "pending"
    item_id = open_review_items(app, "post")[0][0]
    mod.post(f"/moderation/items/{item_id}", data={"decision": "approve"})
    author.post(f"/forum/t/{topic_id}/reply", data={"body": "Third reply goes straight out."})
    assert post_status(app, latest_post_id(app)) == "visible"
    assert open_review_items(app, "post") == []


def test_rejecting_needs_a_reason_which_the_author_is_told(
    make_app: Callable[..., Flask],
    make_user: User_,
    client_for: ClientFor,
    make_category: MakeCategory,
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    make_category()
    newcomer = make_user("practitioner")
    moderator = make_user("moderator")
    client_for(newcomer, app).post(
        "/forum/c/general/new", data={"title": "Selling parts cheap", "body": "Buy from me."}
    )
    post_id = latest_post_id(app)
    [(item_id, _, summary)] = open_review_items(app, "post")
    assert summary.startswith("New topic")
    mod = client_for(moderator, app)
    refused = mod.post(f"/moderation/items/{item_id}", data={"decision": "reject"})
    assert refused.status_code == 400
    assert "reason" in refused.get_data(as_text=True)
    assert post_status(app, post_id) == "pending"
    mod.post(f"/moderation/items/{item_id}", data={"decision": "reject", "reason": "Advert"})
    assert post_status(app, post_id) == "rejected"
    assert any("Reason: Advert" in t for t in notification_titles(app, newcomer.id))
    assert audit_rows(app, "forum.post.reject")[0]["reason"] == "Advert"
    assert load_category(app).topic_count == 0


@pytest.fixture
def reply_by(make_thread: MakeThread) -> tuple[int, int, User]:
    """A reply the moderators act on: (topic id, reply id, author)."""
    return make_thread("Poster", "A reply the moderators act on.")


def test_moderator_hides_unhides_and_deletes_a_post_with_reasons(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    reply_by: tuple[int, int, User],
) -> None:
    topic_id, post_id, author = reply_by
    reader = client_for(make_user("practitioner"))
    moderator = login("moderator")

    no_reason = client.post(f"/forum/p/{post_id}/moderate", data={"action": "hide"})
    assert no_reason.status_code == 400 and post_status(app, post_id) == "visible"
    hidden = client.post(
        f"/forum/p/{post_id}/moderate", data={"action": "hide", "reason": "Off-topic rant"}
    )
    assert hidden.status_code == 302 and post_status(app, post_id) == "hidden"
    assert "A reply the moderators act on." not in reader.get(f"/forum/t/{topic_id}").get_data(
        as_text=True
    )
    assert reader.get(f"/forum/p/{post_id}").status_code == 404
    mod_view = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "A reply the moderators act on." in mod_view and "Hidden by moderators" in mod_view
    assert load_topic(app, topic_id).post_count == 1

    client.post(f"/forum/p/{post_id}/moderate", data={"action": "unhide"})
    assert post_status(app, post_id) == "visible" and load_topic(app, topic_id).post_count == 2
    client.post(f"/forum/p/{post_id}/moderate", data={"action": "delete", "reason": "Duplicate"})
    assert post_status(app, post_id) == "deleted"
    for action, reason in (("forum.post.hide", "Off-topic rant"), ("forum.post.unhide", ""),
                           ("forum.post.delete", "Duplicate")):  # fmt: skip
        [entry] = audit_rows(app, action)
        assert entry["actor_id"] == moderator.id and entry["reason"] == reason
        assert entry["target_id"] == str(post_id)
    assert any("Off-topic rant" in t for t in notification_titles(app, author.id))


def test_lock_pin_move_and_slow_mode(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    make_category: MakeCategory,
    reply_by: tuple[int, int, User],
) -> None:
    topic_id, _, author = reply_by
    make_category("Legislation", "legislation")
    member = client_for(author)
    login("moderator")
    url = f"/forum/t/{topic_id}/moderate"

    assert client.post(url, data={"action": "lock", "reason": "Heated"}).status_code == 302
    refused = member.post(f"/forum/t/{topic_id}/reply", data={"body": "Let me add one more."})
    assert refused.status_code == 403 and "locked" in refused.get_data(as_text=True)
    client.post(url, data={"action": "unlock"})
    client.post(url, data={"action": "pin"})
    assert load_topic(app, topic_id).pinned and not load_topic(app, topic_id).locked

    target = load_category(app, "legislation")
    client.post(url, data={"action": "move", "category": str(target.id), "reason": "Better fit"})
    assert load_topic(app, topic_id).category_id == target.id
    moved, source = load_category(app, "legislation"), load_category(app, "general")
    assert (moved.topic_count, moved.post_count) == (1, 2)
    assert (source.topic_count, source.post_count) == (0, 0)

    bad = client.post(url, data={"action": "slow_mode", "seconds": "-5"})
    assert bad.status_code == 400
    client.post(url, data={"action": "slow_mode", "seconds": "600"})
    assert load_topic(app, topic_id).slow_mode_seconds == 600
    newcomer = client_for(make_user("practitioner"))
    assert newcomer.post(f"/forum/t/{topic_id}/reply", data={"body": "Once."}).status_code == 302
    slowed = newcomer.post(f"/forum/t/{topic_id}/reply", data={"body": "Again too soon."})
    assert slowed.status_code == 429 and "slow mode" in slowed.get_data(as_text=True)
    assert member.post(f"/forum/t/{topic_id}/reply", data={"body": "Me too."}).status_code == 429
    actions = ["forum.topic.lock", "forum.topic.unlock", "forum.topic.pin", "forum.topic.move",
               "forum.topic.slow_mode"]  # fmt: skip
    assert all(len(audit_rows(app, action)) == 1 for action in actions)


def test_members_cannot_moderate(
    app: Flask, client: FlaskClient, login: User_, reply_by: tuple[int, int, User]
) -> None:
    topic_id, post_id, _ = reply_by
    login("practitioner")
    assert client.get(f"/forum/p/{post_id}/moderate").status_code == 403
    hide = client.post(f"/forum/p/{post_id}/moderate", data={"action": "hide", "reason": "x"})
    assert hide.status_code == 403 and post_status(app, post_id) == "visible"
    lock = client.post(f"/forum/t/{topic_id}/moderate", data={"action": "lock"})
    assert lock.status_code == 403 and not load_topic(app, topic_id).locked
    assert client.get("/moderation/").status_code == 403
    page = client.get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "Moderate" not in page and "Flag" in page


def test_trainees_cannot_read_the_forum_or_its_pages(
    client: FlaskClient, login: User_, reply_by: tuple[int, int, User]
) -> None:
    topic_id, post_id, _ = reply_by
    login("trainee")
    for url in ("/forum/", f"/forum/t/{topic_id}", "/forum/search?q=reply", "/forum/library",
                f"/forum/p/{post_id}/flag"):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_audit_log_lists_forum_actions_with_target_links_and_exports_them(
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    reply_by: tuple[int, int, User],
) -> None:
    topic_id, post_id, _ = reply_by
    moderator = make_user("moderator", email="mod@example.org")
    mod = client_for(moderator)
    mod.post(f"/forum/p/{post_id}/moderate", data={"action": "hide", "reason": "Spam link"})
    mod.post(f"/forum/t/{topic_id}/moderate", data={"action": "lock", "reason": "Closed"})
    login("admin")
    page = client.get("/moderation/audit").get_data(as_text=True)
    assert f'href="/forum/p/{post_id}"' in page and f'href="/forum/t/{topic_id}"' in page
    assert "forum.post.hide" in page and "Spam link" in page
    exported = client.get("/moderation/audit.csv?actor=mod@example.org").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {row["action"] for row in rows} == {"forum.post.hide", "forum.topic.lock"}
    hide = next(row for row in rows if row["action"] == "forum.post.hide")
    assert hide["reason"] == "Spam link" and hide["target_url"].endswith(f"/forum/p/{post_id}")
    assert hide["time"] and hide["actor"]


def test_queue_item_of_a_post_its_author_deleted_closes_without_publishing(
    make_app: Callable[..., Flask], make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    moderator = make_user("moderator")
    topic_id, _ = make_topic(moderator)
    author = client_for(make_user("practitioner"), app)
    author.post(f"/forum/t/{topic_id}/reply", data={"body": "Posted by mistake."})
    post_id = latest_post_id(app)
    assert author.post(f"/forum/p/{post_id}/delete").status_code == 302
    [(item_id, _, _)] = open_review_items(app, "post")
    decided = client_for(moderator, app).post(
        f"/moderation/items/{item_id}", data={"decision": "approve"}
    )
    assert decided.status_code == 302
    assert post_status(app, post_id) == "deleted" and open_review_items(app, "post") == []
    assert audit_rows(app, "forum.post.approve") == []


def test_moderators_hiding_the_same_post_at_once_keep_counters_exact(
    app: Flask, make_user: User_, client_for: ClientFor, reply_by: tuple[int, int, User]
) -> None:
    topic_id, post_id, _ = reply_by
    moderators = [client_for(make_user("moderator")) for _ in range(4)]

    def hide(client: FlaskClient, index: int) -> int:
        data = {"action": "hide", "reason": f"Moderator {index}"}
        return client.post(f"/forum/p/{post_id}/moderate", data=data).status_code

    statuses = run_together(moderators, hide)
    assert 302 in statuses and set(statuses) <= {302, 409}
    assert post_status(app, post_id) == "hidden"
    assert load_topic(app, topic_id).post_count == 1
    assert load_category(app).post_count == 1


def test_audit_log_names_its_targets_and_shows_details(
    app: Flask,
    client: FlaskClient,
    login: User_,
    make_user: User_,
    client_for: ClientFor,
    reply_by: tuple[int, int, User],
) -> None:
    """Issue 17 item 7: "post #4" and "user #4" were all the page said, with no details."""
    topic_id, post_id, _ = reply_by
    mod = client_for(make_user("moderator"))
    mod.post(f"/forum/p/{post_id}/moderate", data={"action": "hide", "reason": "Spam link"})
    member = make_user("trainee", display_name="Promoted Member")
    with app.app_context():
        target = db.session.get(User, member.id)
        assert target is not None
        accounts_users.set_role(None, target, Role.PRACTITIONER, "Vetted")
        db.session.commit()
        topic_title = db.session.get(Topic, topic_id).title  # type: ignore[union-attr]
    login("admin")
    page = client.get("/moderation/audit").get_data(as_text=True)
    assert f"Post: #2 in “{topic_title}”" in page
    assert "User: Promoted Member" in page and "user #" not in page
    assert "<dt>previous</dt><dd>trainee</dd>" in page
    assert "<dt>role</dt><dd>practitioner</dd>" in page
