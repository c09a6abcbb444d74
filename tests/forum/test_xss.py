"""Script and event-handler payloads in posts, titles, profile fields, flag messages and library
entries never reach a page as markup (tests/forum/xss_payloads.py holds the payloads)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.forum.models import LibraryEntry, Post
from app.forum.services import flags, library
from app.moderation.models import ReviewItem
from tests.conftest import ClientFor
from tests.forum.factory import MakeCategory, MakeTopic
from tests.forum.xss_payloads import PAYLOADS, executable_markup

User_ = Callable[..., User]
SITE_TAGS = frozenset({"form"})  # the site's own forms (sign-out, search, replies)


def _assert_clean(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    problems = executable_markup(page, SITE_TAGS)
    assert not problems, f"{url}: {problems}"
    return page


def test_the_payload_set_is_large_and_dangerous_when_not_escaped() -> None:
    assert len(PAYLOADS) >= 30
    raw = [p for p in PAYLOADS if executable_markup(p)]
    assert len(raw) >= 30  # the checker sees the danger when a payload reaches a page as markup
    assert executable_markup('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert executable_markup("<svg/onload=alert(1)>")


@pytest.fixture
def xss_forum(
    app: Flask, make_user: User_, make_category: MakeCategory, make_topic: MakeTopic
) -> dict[str, list[int]]:
    """A topic per payload: written by a member whose profile is the payload, flagged with it."""
    make_category()
    flagger = make_user("practitioner")
    made: dict[str, list[int]] = {"users": [], "topics": [], "posts": []}
    for number, payload in enumerate(PAYLOADS):
        author = make_user(
            "practitioner",
            display_name=payload[:80],
            organisation=payload[:200],
            function=payload[:200],
            expertise=payload,
        )
        topic_id, post_id = make_topic(author, title=f"Topic {number}: {payload}"[:200],
                                       body=f"Body {number}\n\n{payload}")  # fmt: skip
        made["users"].append(author.id)
        made["topics"].append(topic_id)
        made["posts"].append(post_id)
    with app.app_context():
        user = db.session.get(User, flagger.id)
        assert user is not None
        for post_id, payload in zip(made["posts"], PAYLOADS, strict=True):
            post = db.session.get(Post, post_id)
            assert post is not None
            flags.flag(user, post, "other", payload)
        db.commit()
    return made


def test_posts_titles_profiles_and_flag_messages_render_as_text(
    app: Flask, make_user: User_, xss_forum: dict[str, list[int]], client_for: ClientFor
) -> None:
    member = client_for(make_user("practitioner"))
    moderator = client_for(make_user("moderator"))
    for topic_id in xss_forum["topics"]:
        _assert_clean(member, f"/forum/t/{topic_id}")
        _assert_clean(moderator, f"/forum/t/{topic_id}/moderate")
    for post_id in xss_forum["posts"]:
        _assert_clean(member, f"/forum/p/{post_id}/flag")
        _assert_clean(moderator, f"/forum/p/{post_id}/moderate")
    for user_id in xss_forum["users"]:
        _assert_clean(moderator, f"/forum/members/{user_id}/restrictions")
    pages = (len(PAYLOADS) + 19) // 20
    for page in range(1, pages + 1):
        _assert_clean(member, f"/forum/c/general?page={page}")
        _assert_clean(member, f"/forum/search?q=topic&page={page}")
    _assert_clean(moderator, "/moderation/")
    with app.app_context():
        items = list(db.session.scalars(select(ReviewItem.id).where(ReviewItem.kind == "flag")))
    assert len(items) == len(PAYLOADS)
    for item_id in items:
        page = _assert_clean(moderator, f"/moderation/items/{item_id}")
        assert "Something else" in page


def test_profile_pages_keep_payloads_as_text(make_user: User_, client_for: ClientFor) -> None:
    for payload in PAYLOADS:
        user = make_user("practitioner", display_name=payload[:80], organisation=payload[:200],
                         function=payload[:200], expertise=payload)  # fmt: skip
        session = client_for(user)
        _assert_clean(session, "/account")
        _assert_clean(session, "/forum/")


def test_library_entries_render_payloads_as_text(
    app: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    moderator = make_user("moderator")
    topic_id, post_id = make_topic(author)
    slugs = []
    with app.app_context():
        mod = db.session.get(User, moderator.id)
        post = db.session.get(Post, post_id)
        assert mod is not None and post is not None
        for number, payload in enumerate(PAYLOADS):
            nomination = library.nominate(db.session.get(User, author.id), post, payload)  # type: ignore[arg-type]
            fields = library.EntryFields(
                title=f"Entry {number} {payload}"[:200],
                summary=f"Summary of entry {number}:\n\n{payload}",
            )
            slugs.append(library.promote(mod, nomination.id, fields).slug)
            # Each promotion frees the post for the next nomination only once its entry is
            # removed: keep the entry but point the next nomination at the same post.
            db.session.execute(
                LibraryEntry.__table__.update()
                .where(LibraryEntry.slug == slugs[-1])
                .values(source_post_id=None)
            )
        db.commit()
    reader = client_for(make_user("practitioner"))
    curator = client_for(moderator)
    for slug in slugs:
        _assert_clean(reader, f"/forum/library/{slug}")
        _assert_clean(curator, f"/forum/library/{slug}/edit")
    for page in range(1, (len(PAYLOADS) + 19) // 20 + 1):
        _assert_clean(reader, f"/forum/library?page={page}")
    _assert_clean(reader, "/forum/library?q=entry")
    bad_tag = curator.post(
        f"/forum/library/{slugs[0]}/edit",
        data={"title": "Entry zero", "summary": "A summary long enough to keep.",
              "tags": "<script>alert(1)</script>"},
    )  # fmt: skip
    assert bad_tag.status_code == 400
    assert not executable_markup(bad_tag.get_data(as_text=True), SITE_TAGS)
    _assert_clean(reader, f"/forum/t/{topic_id}")
