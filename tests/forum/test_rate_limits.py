"""Posting rate limits: per member, shared by every posting form, tighter for new members."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from tests.forum.factory import make_category, make_reply, make_topic

User_ = Callable[..., User]


@pytest.fixture
def limited(app: Flask, make_app: Callable[..., Flask]) -> Flask:
    # Built after `app` (which make_user uses): the limiter is one object, enabled per last init.
    return make_app(
        RATELIMIT_ENABLED=True,
        FORUM_RATE_LIMIT="4 per minute",
        FORUM_NEW_MEMBER_RATE_LIMIT="2 per minute",
        FORUM_NEW_MEMBER_POSTS=3,
    )


def _statuses(session: FlaskClient, topic_id: int, count: int) -> list[int]:
    return [
        session.post(f"/forum/t/{topic_id}/reply", data={"body": f"Reply {n}"}).status_code
        for n in range(count)
    ]


def test_new_members_get_the_tighter_limit(
    limited: Flask, make_user: User_, client_for: Callable[..., FlaskClient]
) -> None:
    make_category(limited)
    topic_id, _ = make_topic(limited, make_user("moderator"))
    newcomer = make_user("practitioner")
    assert _statuses(client_for(newcomer, limited), topic_id, 3) == [302, 302, 429]
    refused = client_for(newcomer, limited).post(
        f"/forum/t/{topic_id}/reply", data={"body": "Once more"}
    )
    assert "Too many requests" in refused.get_data(as_text=True)


def test_established_members_get_the_normal_limit(
    limited: Flask, make_user: User_, client_for: Callable[..., FlaskClient]
) -> None:
    make_category(limited)
    regular = make_user("practitioner")
    topic_id, _ = make_topic(limited, regular)
    for _ in range(2):
        make_reply(limited, regular, topic_id)  # three visible posts: no longer new
    assert _statuses(client_for(regular, limited), topic_id, 5) == [302, 302, 302, 302, 429]


def test_the_limit_is_shared_by_topics_and_replies(
    limited: Flask, make_user: User_, client_for: Callable[..., FlaskClient]
) -> None:
    make_category(limited)
    topic_id, _ = make_topic(limited, make_user("moderator"))
    session = client_for(make_user("practitioner"), limited)
    new = session.post("/forum/c/general/new", data={"title": "A new subject", "body": "Text"})
    assert new.status_code == 302
    assert session.post(f"/forum/t/{topic_id}/reply", data={"body": "One"}).status_code == 302
    assert session.post(f"/forum/t/{topic_id}/reply", data={"body": "Two"}).status_code == 429


def test_limits_are_per_member_and_spare_moderators(
    limited: Flask, make_user: User_, client_for: Callable[..., FlaskClient]
) -> None:
    make_category(limited)
    topic_id, _ = make_topic(limited, make_user("moderator"))
    assert _statuses(client_for(make_user("practitioner"), limited), topic_id, 3)[-1] == 429
    assert _statuses(client_for(make_user("practitioner"), limited), topic_id, 2) == [302, 302]
    assert _statuses(client_for(make_user("moderator"), limited), topic_id, 6) == [302] * 6
