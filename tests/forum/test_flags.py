"""Flags: reasons, auto-hide at the configured score, a moderator's flag, review decisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Flag, Post
from tests.concurrency import run_together
from tests.conftest import ClientFor
from tests.forum.factory import MakeThread, load_category, load_topic
from tests.forum.moderation_helpers import (
    audit_rows,
    notification_titles,
    open_review_items,
    post_status,
)

User_ = Callable[..., User]


@pytest.fixture
def flagged(make_thread: MakeThread) -> tuple[int, int, User]:
    """A reply to be flagged: (topic id, reply id, author)."""
    return make_thread("Flagged Author", "Contact me for cheap frames.")


def _flags(app: Flask, post_id: int) -> list[tuple[str, str, float]]:
    with app.app_context():
        rows = db.session.execute(
            select(Flag.reason, Flag.status, Flag.weight).where(Flag.post_id == post_id)
        )
        return [(r, s, w) for r, s, w in rows]


def _score(app: Flask, post_id: int) -> float:
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None
        return post.flag_score


def test_flag_needs_a_known_reason_and_a_message_for_other(
    app: Flask, client: FlaskClient, login: User_, flagged: tuple[int, int, User]
) -> None:
    _, post_id, _ = flagged
    login("practitioner")
    form = client.get(f"/forum/p/{post_id}/flag").get_data(as_text=True)
    assert "Sensitive operational information" in form and "Off-topic" in form
    assert client.post(f"/forum/p/{post_id}/flag", data={}).status_code == 400
    assert client.post(f"/forum/p/{post_id}/flag", data={"reason": "nonsense"}).status_code == 400
    other = client.post(f"/forum/p/{post_id}/flag", data={"reason": "other"})
    assert other.status_code == 400
    assert "Tell the moderators" in other.get_data(as_text=True)
    assert _flags(app, post_id) == []
    ok = client.post(
        f"/forum/p/{post_id}/flag", data={"reason": "other", "message": "Names an informant"}
    )
    assert ok.status_code == 302
    assert _flags(app, post_id) == [("other", "open", 1.0)]
    again = client.post(f"/forum/p/{post_id}/flag", data={"reason": "spam"})
    assert again.status_code == 409 and len(_flags(app, post_id)) == 1


def test_members_cannot_flag_their_own_posts(
    app: Flask, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    _, post_id, author = flagged
    response = client_for(author).post(f"/forum/p/{post_id}/flag", data={"reason": "spam"})
    assert response.status_code == 400 and _flags(app, post_id) == []


def test_post_is_hidden_once_member_flags_reach_the_threshold(
    app: Flask, make_user: User_, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    topic_id, post_id, author = flagged
    flaggers = [client_for(make_user("practitioner")) for _ in range(3)]
    for number, flagger in enumerate(flaggers[:2], start=1):
        assert flagger.post(f"/forum/p/{post_id}/flag", data={"reason": "spam"}).status_code == 302
        assert post_status(app, post_id) == "visible" and _score(app, post_id) == number
    assert len(open_review_items(app, "flag")) == 1
    flaggers[2].post(f"/forum/p/{post_id}/flag", data={"reason": "inappropriate"})
    assert post_status(app, post_id) == "hidden"
    assert load_topic(app, topic_id).post_count == 1
    page = flaggers[0].get(f"/forum/t/{topic_id}").get_data(as_text=True)
    assert "Contact me for cheap frames." not in page
    [(_, target, _)] = open_review_items(app, "flag")
    assert target == post_id
    [entry] = audit_rows(app, "forum.post.auto_hide")
    assert entry["actor_id"] is None and entry["target_id"] == str(post_id)
    assert any("hidden after members flagged" in t for t in notification_titles(app, author.id))


def test_threshold_is_configurable(
    make_app: Callable[..., Flask],
    make_user: User_,
    client_for: ClientFor,
    flagged: tuple[int, int, User],
) -> None:
    app = make_app(FORUM_FLAG_HIDE_SCORE=1)
    _, post_id, _ = flagged
    client_for(make_user("practitioner"), app).post(
        f"/forum/p/{post_id}/flag", data={"reason": "off-topic"}
    )
    assert post_status(app, post_id) == "hidden"


def test_a_moderators_flag_hides_at_once(
    app: Flask, make_user: User_, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    _, post_id, _ = flagged
    moderator = make_user("moderator")
    client_for(moderator).post(f"/forum/p/{post_id}/flag", data={"reason": "sensitive"})
    assert post_status(app, post_id) == "hidden"
    assert _flags(app, post_id) == [("sensitive", "open", 3.0)]
    assert audit_rows(app, "forum.post.auto_hide")[0]["actor_id"] == moderator.id


def test_dismissing_flags_shows_the_post_again_and_resets_its_score(
    app: Flask, make_user: User_, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    topic_id, post_id, _ = flagged
    for _ in range(3):
        client_for(make_user("practitioner")).post(
            f"/forum/p/{post_id}/flag", data={"reason": "spam"}
        )
    assert post_status(app, post_id) == "hidden"
    mod = client_for(make_user("moderator"))
    [(item_id, _, _)] = open_review_items(app, "flag")
    page = mod.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "Spam or advertising" in page and "Contact me for cheap frames." in page
    assert mod.post(f"/moderation/items/{item_id}", data={"decision": "dismiss"}).status_code == 302
    assert post_status(app, post_id) == "visible" and _score(app, post_id) == 0
    assert {status for _, status, _ in _flags(app, post_id)} == {"dismissed"}
    assert open_review_items(app, "flag") == []
    assert load_topic(app, topic_id).post_count == 2
    assert len(audit_rows(app, "forum.flag.dismiss")) == 1


def test_agreeing_with_a_flag_hides_the_post_and_needs_a_reason(
    app: Flask, make_user: User_, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    _, post_id, _ = flagged
    client_for(make_user("practitioner")).post(f"/forum/p/{post_id}/flag", data={"reason": "spam"})
    mod = client_for(make_user("moderator"))
    [(item_id, _, _)] = open_review_items(app, "flag")
    assert mod.post(f"/moderation/items/{item_id}", data={"decision": "hide"}).status_code == 400
    assert post_status(app, post_id) == "visible"
    mod.post(f"/moderation/items/{item_id}", data={"decision": "hide", "reason": "Advert"})
    assert post_status(app, post_id) == "hidden"
    assert _flags(app, post_id)[0][1] == "agreed"
    assert audit_rows(app, "forum.flag.agree")[0]["reason"] == "Advert"


def test_simultaneous_flags_hide_the_post_once_with_exact_counts(
    app: Flask, make_user: User_, client_for: ClientFor, flagged: tuple[int, int, User]
) -> None:
    topic_id, post_id, _ = flagged
    flaggers = [client_for(make_user("practitioner")) for _ in range(6)]

    def flag_it(client: FlaskClient, index: int) -> int:
        return client.post(f"/forum/p/{post_id}/flag", data={"reason": "spam"}).status_code

    statuses = run_together(flaggers, flag_it)
    # A flag arriving after the post was hidden finds nothing to flag (404).
    assert statuses.count(302) >= 3 and set(statuses) <= {302, 404}
    assert post_status(app, post_id) == "hidden"
    assert _score(app, post_id) == statuses.count(302) == len(_flags(app, post_id))
    assert load_topic(app, topic_id).post_count == 1
    assert load_category(app).post_count == 1
    assert len(audit_rows(app, "forum.post.auto_hide")) == 1
    assert len(open_review_items(app, "flag")) == 1
