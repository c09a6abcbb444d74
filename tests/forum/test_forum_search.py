"""Forum search never shows hidden, unapproved or deleted posts to those who may not see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.db import db
from app.forum.models import Post
from app.forum.services import moderation
from app.forum.services import posts as services
from app.search import drain, rebuild
from tests.conftest import ClientFor
from tests.forum.factory import MakeCategory, MakeReply, MakeTopic
from tests.search.backends import search_backend  # noqa: F401  (both backends)

User_ = Callable[..., User]


def _set(app: Flask, post_id: int, status: str) -> None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post is not None
        moderation.change_status(post, status)
        db.commit()


@pytest.fixture
def world(
    app: Flask,
    make_user: User_,
    make_category: MakeCategory,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> dict[str, int | User]:
    """One topic with a post of every status, each mentioning 'carbine'."""
    make_category("Investigations and tracing", "investigations")
    make_category("Border detection", "border")
    author = make_user("practitioner", display_name="Writer")
    topic_id, first = make_topic(author, "investigations", "Carbine tracing request",
                                 "Tracing a carbine through import records.")  # fmt: skip
    ids = {
        status: make_reply(author, topic_id, f"The {status} carbine reply.")
        for status in ("visible", "hidden", "rejected", "deleted", "pending")
    }
    for status in ("hidden", "deleted"):
        _set(app, ids[status], status)
    for status in ("rejected", "pending"):
        _set(app, ids[status], "pending")
    _set(app, ids["rejected"], "rejected")
    border_topic, _ = make_topic(author, "border", "Carbine parts by post",
                                 "Carbine parts were found in parcels.")  # fmt: skip
    return {"author": author, "topic": topic_id, "first": first, "border": border_topic, **ids}


def _texts(client: FlaskClient, query: str) -> str:
    response = client.get(f"/forum/search?q={query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _link(post_id: object) -> str:
    return f'href="/forum/p/{post_id}"'


def test_members_find_only_visible_posts(
    make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    page = _texts(client_for(make_user("practitioner")), "carbine")
    assert _link(world["visible"]) in page and "<mark>carbine</mark>" in page
    for status in ("hidden", "rejected", "deleted", "pending"):
        assert _link(world[status]) not in page
    assert "3 posts found" in page  # both opening posts and the visible reply, nothing else
    assert "Investigations and tracing (2)" in page and "Border detection (1)" in page


def test_authors_find_their_own_posts_awaiting_approval(
    client_for: ClientFor, world: dict[str, int | User]
) -> None:
    author = world["author"]
    assert isinstance(author, User)
    page = _texts(client_for(author), "carbine")
    assert _link(world["pending"]) in page and "Awaiting approval" in page
    assert _link(world["hidden"]) not in page and _link(world["rejected"]) not in page


def test_moderators_also_find_hidden_posts_labelled(
    make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    page = _texts(client_for(make_user("moderator")), "carbine")
    assert _link(world["hidden"]) in page and "Hidden</span>" in page
    assert _link(world["rejected"]) not in page and _link(world["deleted"]) not in page


def test_deleting_a_topic_removes_its_posts_from_search(
    app: Flask, make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    moderator = make_user("moderator")
    with app.app_context():
        first = db.session.get(Post, world["first"])
        user = db.session.get(User, moderator.id)
        assert first is not None
        services.delete_topic(user, first.topic, "Duplicate")
        db.commit()
    page = _texts(client_for(make_user("practitioner")), "carbine")
    assert _link(world["first"]) not in page and _link(world["visible"]) not in page
    assert "Carbine parts by post" in page and "1 post found" in page


def test_category_filter_sort_and_author_field(
    make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    member = client_for(make_user("practitioner"))
    page = member.get("/forum/search?q=carbine&category=border").get_data(as_text=True)
    assert "Carbine parts by post" in page and _link(world["visible"]) not in page
    newest = member.get("/forum/search?q=carbine&sort=newest").get_data(as_text=True)
    oldest = member.get("/forum/search?q=carbine&sort=oldest").get_data(as_text=True)
    assert newest.index("Carbine parts by post") < newest.index(_link(world["visible"]))
    assert oldest.index("Carbine parts by post") > oldest.index(_link(world["visible"]))
    assert _link(world["visible"]) in _texts(member, "author:Writer+visible")


def test_search_survives_malformed_queries(
    make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    member = client_for(make_user("practitioner"))
    for query in ('"carbine', "(carbine", "carbine AND", "title:", "x" * 10_000, "\x00\x07"):
        response = member.get("/forum/search", query_string={"q": query})
        assert response.status_code == 200, query[:20]
    long = member.get("/forum/search", query_string={"q": "x" * 10_000}).get_data(as_text=True)
    assert "too long" in long


def test_suggestions_never_reveal_hidden_words(
    app: Flask,
    make_user: User_,
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author, title="Ordinary topic", body="Nothing special here.")
    secret = make_reply(author, topic_id, "Zanzibarian route details.")
    _set(app, secret, "hidden")
    with app.app_context():
        drain(app)
    page = _texts(client_for(make_user("practitioner")), "zanzibarion")
    assert "zanzibarian" not in page.lower()


def test_search_and_library_pages_do_not_grow_queries_with_results(
    make_user: User_,
    count_queries: Callable[[], Any],
    client_for: ClientFor,
    make_topic: MakeTopic,
    make_reply: MakeReply,
) -> None:
    author = make_user("practitioner")
    topic_id, _ = make_topic(author, title="Revolver frames", body="Revolver frames seen.")
    reader = client_for(make_user("practitioner"))

    def measure(url: str) -> int:
        reader.get(url)  # warm the cached searcher
        with count_queries() as counter:
            assert reader.get(url).status_code == 200
        return int(counter.count)

    few = measure("/forum/search?q=revolver")
    for n in range(15):
        make_reply(author, topic_id, f"Revolver report {n}.")
    assert measure("/forum/search?q=revolver") == few
    assert "16 posts found" in reader.get("/forum/search?q=revolver").get_data(as_text=True)


def test_rebuild_indexes_only_what_someone_may_find(
    app: Flask, make_user: User_, client_for: ClientFor, world: dict[str, int | User]
) -> None:
    with app.app_context():
        counts = rebuild(app, ["posts", "library"])
    # 2 opening posts + visible, hidden and pending replies; rejected and deleted stay out.
    assert counts == {"posts": 5, "library": 0}
    page = _texts(client_for(make_user("practitioner")), "carbine")
    assert _link(world["visible"]) in page and _link(world["hidden"]) not in page


def test_snippets_read_as_prose_not_markdown(
    make_user: User_, client_for: ClientFor, make_category: MakeCategory, make_topic: MakeTopic
) -> None:
    make_category()
    author = make_user("practitioner")
    body = (
        "We seized a **carbine** near the _border_, see [the report](https://example.org/r).\n\n"
        "- one <b>item</b> & [[case:secret-slug]]\n\n`code` a < b"
    )
    make_topic(author, title="Seizure report", body=body)
    make_topic(author, title="Another report", body="Nothing about long guns.")
    page = _texts(client_for(make_user("practitioner")), "carbine")
    snippet = page.split("<mark>carbine</mark>", 1)
    assert len(snippet) == 2
    text = snippet[0][-40:] + snippet[1][:200]
    assert "We seized a " in text and " near the border, see the report." in text
    for markup in ("**", "_border_", "](", "https://example.org", "[[", "secret-slug", "`"):
        assert markup not in text
    assert "one item &amp; case reference" in text and "a &lt; b" in text  # still escaped
    assert "<b>" not in text
