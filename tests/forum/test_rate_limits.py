"""Posting rate limits: per member, shared by every posting form, tighter for new members."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from tests.conftest import ClientFor
from tests.forum.factory import MakeReply, MakeTopic

User_ = Callable[..., User]


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The app of these tests has rate limits on (the limiter is one object: the last init wins)."""
    application = make_app(
        RATELIMIT_ENABLED=True,
        FORUM_RATE_LIMIT="4 per minute",
        FORUM_NEW_MEMBER_RATE_LIMIT="2 per minute",
        FORUM_NEW_MEMBER_POSTS=3,
    )
    yield application
    db.engine_for(application).dispose()


def _statuses(session: FlaskClient, topic_id: int, count: int) -> list[int]:
    return [
        session.post(f"/forum/t/{topic_id}/reply", data={"body": f"Reply {n}"}).status_code
        for n in range(count)
    ]


def test_new_members_get_the_tighter_limit(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    newcomer = make_user("practitioner")
    assert _statuses(client_for(newcomer), topic_id, 3) == [302, 302, 429]
    refused = client_for(newcomer).post(f"/forum/t/{topic_id}/reply", data={"body": "Once more"})
    assert "Posting limit reached" in refused.get_data(as_text=True)


def test_established_members_get_the_normal_limit(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic, make_reply: MakeReply
) -> None:
    regular = make_user("practitioner")
    topic_id, _ = make_topic(regular)
    for _ in range(2):
        make_reply(regular, topic_id)  # three visible posts: no longer new
    assert _statuses(client_for(regular), topic_id, 5) == [302, 302, 302, 302, 429]


def test_the_limit_is_shared_by_topics_and_replies(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    session = client_for(make_user("practitioner"))
    new = session.post("/forum/c/general/new", data={"title": "A new subject", "body": "Text"})
    assert new.status_code == 302
    assert session.post(f"/forum/t/{topic_id}/reply", data={"body": "One"}).status_code == 302
    assert session.post(f"/forum/t/{topic_id}/reply", data={"body": "Two"}).status_code == 429


def test_limits_are_per_member_and_spare_moderators(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    assert _statuses(client_for(make_user("practitioner")), topic_id, 3)[-1] == 429
    assert _statuses(client_for(make_user("practitioner")), topic_id, 2) == [302, 302]
    assert _statuses(client_for(make_user("moderator")), topic_id, 6) == [302] * 6


def test_a_refused_post_does_not_use_up_the_limit(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    """A post refused by a watched word saves nothing, so it must not count against the member."""
    from app.forum.models import WatchedWord

    topic_id, _ = make_topic(make_user("moderator"))
    with app.app_context():
        db.session.add(WatchedWord(pattern="forbidden", action="block"))
        db.session.commit()
    newcomer = client_for(make_user("practitioner"))
    refused = [
        newcomer.post(f"/forum/t/{topic_id}/reply", data={"body": "A forbidden word"}).status_code
        for _ in range(3)
    ]
    assert all(400 <= status < 429 for status in refused), refused
    assert _statuses(newcomer, topic_id, 2) == [302, 302]


def test_the_limit_page_gives_back_the_text(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    newcomer = client_for(make_user("practitioner"))
    assert _statuses(newcomer, topic_id, 2) == [302, 302]
    text = "Three paragraphs of careful advice about <tracing> requests"
    refused = newcomer.post(f"/forum/t/{topic_id}/reply", data={"body": text})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Nothing was posted" in page
    assert "Three paragraphs of careful advice about &lt;tracing&gt; requests" in page
    new_topic = newcomer.post(
        "/forum/c/general/new", data={"title": "Kept title", "body": "Kept body text"}
    )
    kept = new_topic.get_data(as_text=True)
    assert new_topic.status_code == 429 and "Kept title" in kept and "Kept body text" in kept


def test_the_limit_page_speaks_the_members_language(
    make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    newcomer = client_for(make_user("practitioner", language="fr"))
    assert _statuses(newcomer, topic_id, 2) == [302, 302]
    refused = newcomer.post(f"/forum/t/{topic_id}/reply", data={"body": "Texte gardé"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "<h1>Limite de publication atteinte</h1>" in page
    assert "la limite de publication (2 messages en 1 minute)" in page
    assert re.search(r"Attendez \d+ secondes? puis renvoyez-le", page)
    assert "Texte gardé" in page and "Posting limit reached" not in page
