"""Forum pages run a fixed number of SQL statements, however many posts, topics or authors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user

from app.accounts.models import User
from app.core.db import db
from app.core.markdown import prefetch_references, render_markdown
from app.search import searchers
from tests.digest.factory import MakeCases
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]


def _count(client: FlaskClient, count_queries: Callable[[], Any], url: str) -> int:
    client.get(url)  # warm up: first-visit writes (read position) happen once
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return int(counter.count)


def test_topic_page_queries_do_not_grow_with_posts(
    client: FlaskClient,
    make_user: User_,
    login: User_,
    count_queries: Callable[[], Any],
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    short, first = make_topic(make_user("practitioner"), title="A short topic")
    long, opening = make_topic(make_user("practitioner"), title="A long topic")
    make_reply(make_user("practitioner"), short, body="Only reply", reply_to=first)
    for n in range(19):
        author = make_user("practitioner")
        make_reply(author, long, body=f"Reply {n} by its own author", reply_to=opening)
    login("practitioner")
    few = _count(client, count_queries, f"/forum/t/{short}")
    many = _count(client, count_queries, f"/forum/t/{long}")
    assert many == few
    assert many <= 12


def test_category_and_index_queries_do_not_grow_with_topics(
    client: FlaskClient,
    make_user: User_,
    login: User_,
    count_queries: Callable[[], Any],
    make_category: MakeCategory,
    make_topic: MakeTopic,
) -> None:
    make_category()
    make_category(name="Other category", slug="other")
    make_topic(make_user("practitioner"), slug="other", title="Lonely topic")
    for n in range(12):
        make_topic(make_user("practitioner"), title=f"Busy topic {n}")
    login("practitioner")
    assert _count(client, count_queries, "/forum/c/general") == _count(
        client, count_queries, "/forum/c/other"
    )
    assert _count(client, count_queries, "/forum/") <= 6


@pytest.fixture
def cited_world(make_cases: MakeCases, make_course: MakeCourse) -> None:
    """Twenty modules and twenty-one cases (one restricted) that posts can cite."""
    make_course(modules=20, chained=False)
    cases: dict[str, dict[str, Any]] = {f"case-{n}": {} for n in range(20)}
    cases["secret-case"] = {"restricted": "true", "title": '"Secret operation"'}
    make_cases(cases)


@pytest.mark.usefixtures("cited_world")
def test_topic_page_queries_do_not_grow_with_cited_cases_and_modules(
    client: FlaskClient,
    make_user: User_,
    login: User_,
    count_queries: Callable[[], Any],
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    make_category()
    cite = "See [[case:case-{n}]] and [[module:basics-m{m}]]."
    short, first = make_topic(make_user("practitioner"), body=cite.format(n=0, m=1))
    long, opening = make_topic(make_user("practitioner"), body=cite.format(n=0, m=1))
    make_reply(make_user("practitioner"), short, body=cite.format(n=1, m=2), reply_to=first)
    for n in range(1, 20):
        body = cite.format(n=n, m=n + 1)
        make_reply(make_user("practitioner"), long, body=body, reply_to=opening)
    login("practitioner")
    few = _count(client, count_queries, f"/forum/t/{short}")
    many = _count(client, count_queries, f"/forum/t/{long}")
    page = client.get(f"/forum/t/{long}").get_data(as_text=True)
    assert 'href="/cases/case-19"' in page and 'href="/modules/basics-m20"' in page
    assert many == few
    searchers.close_all()


@pytest.mark.usefixtures("cited_world")
def test_prefetched_references_keep_restricted_cases_hidden(app: Flask, make_user: User_) -> None:
    text = "[[case:secret-case]] [[case:case-1]] [[module:basics-m3]] [[case:no-such-case]]"
    for role, sees_secret in (("trainee", False), ("practitioner", True)):
        user = make_user(role)
        with app.test_request_context():
            login_user(db.session.get(User, user.id))
            prefetch_references([text])
            html = str(render_markdown(text))
        assert ('href="/cases/secret-case"' in html) is sees_secret
        assert "Secret operation" not in html or sees_secret
        assert 'href="/cases/case-1"' in html and 'href="/modules/basics-m3"' in html
        assert html.count("case reference (not available)") == (1 if sees_secret else 2)
    searchers.close_all()
