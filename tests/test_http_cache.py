"""HTTP caching (issue 15): static files under a content hash kept a year, and ETags with 304
for the pages a visitor reads (glossary, case page, a lesson preview), never for a member."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from app.accounts.models import User
from app.core.db import db
from app.learning.models import GlossaryTerm
from app.search import searchers
from tests.conftest import form_token, sign_in_with_token
from tests.digest.factory import MakeCases
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]
STATIC = Path(__file__).resolve().parents[1] / "app" / "static"


def test_static_files_are_linked_by_content_hash_and_kept_a_year(client: FlaskClient) -> None:
    page = client.get("/glossary").get_data(as_text=True)
    digest = hashlib.sha256((STATIC / "site.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/site.css?v={digest}"' in page
    response = client.get(f"/static/site.css?v={digest}")
    assert response.status_code == 200
    response.close()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/static/site.css?v=000000000000")
    stale.close()
    assert stale.status_code == 200
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def _etag(headers: Headers) -> str:
    tag = headers.get("ETag")
    assert tag, "no ETag"
    return tag


def test_glossary_answers_304_until_the_glossary_changes(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        db.session.add(GlossaryTerm(slug="tracing", term="Tracing", definition="Following."))
        db.commit()
    first = client.get("/glossary")
    assert first.status_code == 200 and "Following." in first.get_data(as_text=True)
    tag = _etag(first.headers)
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/glossary", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""

    with app.app_context():
        term = db.session.query(GlossaryTerm).one()
        term.definition = "Following a firearm from maker to last owner."
        db.commit()
    changed = client.get("/glossary", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert "from maker to last owner" in changed.get_data(as_text=True)
    assert _etag(changed.headers) != tag


def test_a_signed_in_member_gets_no_etag(client: FlaskClient, login: User_) -> None:
    login("trainee")
    response = client.get("/glossary")
    assert response.status_code == 200 and "ETag" not in response.headers


def test_case_course_and_module_pages_and_lesson_preview_answer_304_to_visitors(
    client: FlaskClient, make_cases: MakeCases, make_course: MakeCourse
) -> None:
    make_cases({"converted-pistols": {}})
    make_course(modules=1)
    pages = ("/cases/converted-pistols", "/modules/basics-m1/lessons/lesson-1", "/courses",
             "/courses/basics", "/modules/basics-m1")  # fmt: skip
    for url in pages:
        first = client.get(url)
        assert first.status_code == 200, url
        again = client.get(url, headers={"If-None-Match": _etag(first.headers)})
        assert again.status_code == 304, url
    # The second lesson is for members: a visitor is sent to sign in, with no ETag.
    locked = client.get("/modules/basics-m1/lessons/lesson-2")
    assert locked.status_code == 302 and "ETag" not in locked.headers
    assert re.search(r"/sign-in", locked.headers["Location"])
    searchers.close_all()


def test_a_visitors_page_sets_no_session_and_is_rendered_once(
    client: FlaskClient, count_queries: Callable[..., object]
) -> None:
    """The footer's language picker asks no CSRF token of a visitor, so a visitor's page is the
    same for every visitor: no session cookie, and kept once per content generation (the second
    visit reads the generation and nothing else)."""
    first = client.get("/glossary")
    assert first.status_code == 200
    assert 'action="/language"' in first.get_data(as_text=True)
    assert 'name="csrf_token"' not in first.get_data(as_text=True)
    assert "Set-Cookie" not in first.headers
    with count_queries() as counter:  # type: ignore[attr-defined]
        again = client.get("/glossary")
    assert again.get_data() == first.get_data()
    assert counter.count == 1, counter.statements


def test_the_picker_needs_a_token_from_a_member_only(
    make_app: Callable[..., Flask], make_user: Callable[..., User]
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    visitor = app.test_client()
    chosen = visitor.post("/language", data={"language": "fr", "next": "/courses"})
    assert chosen.status_code == 303 and "lang=fr" in chosen.headers["Set-Cookie"]

    user = make_user()
    member = app.test_client()
    assert sign_in_with_token(member, user).status_code == 302
    refused = member.post("/language", data={"language": "fr", "next": "/courses"})
    assert refused.status_code == 400
    footer = member.get("/courses").get_data(as_text=True).split('class="language-picker"', 1)[1]
    chosen = member.post(
        "/language", data={"language": "fr", "next": "/", "csrf_token": form_token(footer)}
    )
    assert chosen.status_code == 303
    with app.app_context():
        assert db.session.get(User, user.id).language == "fr"  # type: ignore[union-attr]
