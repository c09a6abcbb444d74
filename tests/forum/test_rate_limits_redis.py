"""Posting limits kept in Redis (RATELIMIT_STORAGE_URI=redis://…) are shared by every app node."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app.accounts.models import User
from app.core.db import db
from tests.conftest import ClientFor
from tests.forum.factory import MakeTopic

REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def node(make_app: Callable[..., Flask]) -> Iterator[Callable[[], Flask]]:
    """Make app nodes whose limits live in one Redis, under a key prefix of this test."""
    if not _redis_up():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379: the shared limits are not tested")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    made: list[Flask] = []

    def factory() -> Flask:
        made.append(
            make_app(
                RATELIMIT_ENABLED=True,
                RATELIMIT_STORAGE_URI=REDIS,
                RATELIMIT_KEY_PREFIX=prefix,
                FORUM_NEW_MEMBER_RATE_LIMIT="2 per minute",
                FORUM_NEW_MEMBER_POSTS=3,
            )
        )
        return made[-1]

    yield factory
    from redis import Redis

    connection = Redis.from_url(REDIS)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    for application in made:
        db.engine_for(application).dispose()


def test_a_posting_limit_counted_on_one_node_holds_on_another(
    node: Callable[[], Flask],
    make_user: Callable[..., User],
    client_for: ClientFor,
    make_topic: MakeTopic,
) -> None:
    node_a = node()
    topic_id, _ = make_topic(make_user("moderator"))
    newcomer = make_user("practitioner")
    on_a = client_for(newcomer, on=node_a)
    for n in range(2):
        reply = on_a.post(f"/forum/t/{topic_id}/reply", data={"body": f"Reply {n}"})
        assert reply.status_code == 302
    # A second node (a fresh limiter storage, as in another process) sees the same count.
    node_b = node()
    refused = client_for(newcomer, on=node_b).post(
        f"/forum/t/{topic_id}/reply", data={"body": "Once more"}
    )
    assert refused.status_code == 429
    assert "Posting limit reached" in refused.get_data(as_text=True)
