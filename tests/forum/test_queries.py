"""Forum pages run a fixed number of SQL statements, however many posts, topics or authors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from tests.forum.factory import make_category, make_reply, make_topic


def _count(client: FlaskClient, count_queries: Callable[[], Any], url: str) -> int:
    client.get(url)  # warm up: first-visit writes (read position) happen once
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return int(counter.count)


def test_topic_page_queries_do_not_grow_with_posts(
    app: Flask, client: FlaskClient, make_user: Callable[..., User],
    login: Callable[..., User], count_queries: Callable[[], Any],
) -> None:  # fmt: skip
    make_category(app)
    short, first = make_topic(app, make_user("practitioner"), title="A short topic")
    long, opening = make_topic(app, make_user("practitioner"), title="A long topic")
    make_reply(app, make_user("practitioner"), short, body="Only reply", reply_to=first)
    for n in range(19):
        author = make_user("practitioner")
        make_reply(app, author, long, body=f"Reply {n} by its own author", reply_to=opening)
    login("practitioner")
    few = _count(client, count_queries, f"/forum/t/{short}")
    many = _count(client, count_queries, f"/forum/t/{long}")
    assert many == few
    assert many <= 12


def test_category_and_index_queries_do_not_grow_with_topics(
    app: Flask, client: FlaskClient, make_user: Callable[..., User],
    login: Callable[..., User], count_queries: Callable[[], Any],
) -> None:  # fmt: skip
    make_category(app)
    make_category(app, name="Other category", slug="other")
    make_topic(app, make_user("practitioner"), slug="other", title="Lonely topic")
    for n in range(12):
        make_topic(app, make_user("practitioner"), title=f"Busy topic {n}")
    login("practitioner")
    assert _count(client, count_queries, "/forum/c/general") == _count(
        client, count_queries, "/forum/c/other"
    )
    assert _count(client, count_queries, "/forum/") <= 6
