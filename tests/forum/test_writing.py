"""Writing: the Preview button without JavaScript, the live preview's endpoint, and a rejected
post given back to its author with the reason."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import db
from app.core.models import Notification
from app.forum.models import Post, Topic
from app.forum.services import posts as services
from tests.conftest import ClientFor, form_token, sign_in_with_token
from tests.forum.factory import MakeCategory, MakeTopic
from tests.forum.moderation_helpers import latest_post_id, open_review_items

MakeUser = Callable[..., User]
TEXT = "Steps:\n1. **Photograph** the marking\n2. Ask @Omar_Haddad\n\n<script>alert(1)</script>"


def _preview_section(page: str) -> str:
    found = re.search(r'<section class="card post-preview" id="preview".*?</section>', page, re.S)
    assert found is not None, page
    return found.group(0)


def _count(app: Flask, model: type[Post] | type[Topic]) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(model.id))) or 0)


def test_preview_of_a_new_topic_renders_above_the_form_and_keeps_the_text(
    app: Flask, client_for: ClientFor, make_user: MakeUser, make_category: MakeCategory
) -> None:
    make_category()
    named = make_user("practitioner", display_name="Omar Haddad")
    writer = client_for(make_user("practitioner"))
    before = _count(app, Post)
    response = writer.post("/forum/c/general/new", data={"title": "", "body": TEXT, "preview": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = _preview_section(page)
    assert "<strong>Photograph</strong>" in preview
    assert "<ol>" in preview
    assert f'href="/forum/u/{named.id}" class="mention"' in preview
    assert "<script>" not in preview
    assert "Steps:\n1. **Photograph** the marking" in page  # the text stays in the textarea
    assert page.index('id="preview"') < page.index('name="body"')
    assert _count(app, Post) == before


def test_preview_of_a_reply_and_of_an_edit_saves_nothing(
    app: Flask, client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    topic_id, post_id = make_topic(author, body="The original opening text.")
    writer = client_for(author)
    reply = writer.post(
        f"/forum/t/{topic_id}/reply", data={"body": "A *careful* reply", "preview": "1"}
    )
    assert reply.status_code == 200
    assert "<em>careful</em>" in _preview_section(reply.get_data(as_text=True))
    edit = writer.post(
        f"/forum/p/{post_id}/edit",
        data={"title": "Tracing a converted pistol", "body": "Changed `text`", "preview": "1"},
    )
    assert edit.status_code == 200
    assert "<code>text</code>" in _preview_section(edit.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 1
        post = db.session.get(Post, post_id)
        assert post is not None and post.body == "The original opening text."


def test_preview_of_an_empty_text_says_what_is_missing(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("practitioner"))
    response = client_for(make_user("practitioner")).post(
        f"/forum/t/{topic_id}/reply", data={"body": "", "preview": "1"}
    )
    assert response.status_code == 400
    assert "Write a message before posting." in response.get_data(as_text=True)


def test_forms_offer_preview_and_load_the_editor_script_deferred(
    client_for: ClientFor, make_user: MakeUser, make_topic: MakeTopic
) -> None:
    author = make_user("practitioner")
    topic_id, post_id = make_topic(author)
    writer = client_for(author)
    for url in ("/forum/c/general/new", f"/forum/t/{topic_id}/reply", f"/forum/p/{post_id}/edit",
                f"/forum/t/{topic_id}"):  # fmt: skip
        page = writer.get(url).get_data(as_text=True)
        assert 'name="preview"' in page, url
        assert 'data-preview-url="/forum/preview"' in page, url
        assert re.search(r'<script src="/static/forum-editor.js[^"]*" defer></script>', page)
        assert "<script>" not in page
    script = writer.get("/static/forum-editor.js")
    assert script.status_code == 200
    assert b"localStorage" in script.data and b"X-CSRFToken" in script.data
    script.close()


def test_live_preview_endpoint_renders_with_the_post_sanitiser(
    client_for: ClientFor, make_user: MakeUser
) -> None:
    writer = client_for(make_user("practitioner"))
    response = writer.post("/forum/preview", data={"body": "**Yes** <img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>Yes</strong>" in html
    assert "onerror" not in html and "<img" not in html
    too_long = writer.post("/forum/preview", data={"body": "x" * (services.BODY_MAX + 1)})
    assert too_long.status_code == 400
    assert "flash-error" in too_long.get_data(as_text=True)


def test_live_preview_needs_the_csrf_token(
    make_app: Callable[..., Flask], make_user: MakeUser
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user("practitioner")
    client = app.test_client()

    def token(path: str) -> str:
        return form_token(client.get(path).get_data(as_text=True))

    assert sign_in_with_token(client, user).status_code == 302
    assert client.post("/forum/preview", data={"body": "Hello"}).status_code == 400
    header = {"X-CSRFToken": token("/forum/preferences")}
    answered = client.post("/forum/preview", data={"body": "Hello *you*"}, headers=header)
    assert answered.status_code == 200
    assert "<em>you</em>" in answered.get_data(as_text=True)
    db.engine_for(app).dispose()


@pytest.fixture
def limited_app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app(RATELIMIT_ENABLED=True, FORUM_NEW_MEMBER_RATE_LIMIT="1 per minute")
    yield application
    db.engine_for(application).dispose()


def test_previews_do_not_use_up_the_posting_limit(
    limited_app: Flask, make_user: MakeUser, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    topic_id, _ = make_topic(make_user("moderator"))
    writer = client_for(make_user("practitioner"), limited_app)
    for _ in range(3):
        previewed = writer.post(
            f"/forum/t/{topic_id}/reply", data={"body": "Draft", "preview": "1"}
        )
        assert previewed.status_code == 200
    posted = writer.post(f"/forum/t/{topic_id}/reply", data={"body": "Now for real"})
    assert posted.status_code == 302


def test_a_rejected_post_comes_back_to_its_author_with_the_reason(
    make_app: Callable[..., Flask],
    make_user: MakeUser,
    client_for: ClientFor,
    make_category: MakeCategory,
) -> None:
    app = make_app(FORUM_PREMODERATE_FIRST=1)
    make_category()
    newcomer = make_user("practitioner")
    writer = client_for(newcomer, app)
    writer.post(
        "/forum/c/general/new",
        data={"title": "Parts from a dealer", "body": "A long text I spent an hour on."},
    )
    post_id = latest_post_id(app)
    [(item_id, _, _)] = open_review_items(app, "post")
    client_for(make_user("moderator"), app).post(
        f"/moderation/items/{item_id}", data={"decision": "reject", "reason": "Names a dealer"}
    )
    with app.app_context():
        url = db.session.scalar(select(Notification.url).where(Notification.user_id == newcomer.id))
    assert url == f"/forum/p/{post_id}/returned"
    page = writer.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Names a dealer" in text
    assert "A long text I spent an hour on." in text
    assert 'value="Parts from a dealer"' in text
    assert 'action="/forum/c/general/new"' in text
    other = client_for(make_user("practitioner"), app).get(url)
    assert other.status_code == 404
    db.engine_for(app).dispose()
