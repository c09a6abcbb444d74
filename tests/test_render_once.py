"""Markdown is rendered once per text; references are placeholders filled per reader (issue 15).

The rendered HTML kept for a text is the same for every reader and never holds a referenced
title: a restricted case's title reaches only the readers who may open it, when their page is
filled. Other placeholder kinds (lesson blocks) pass through untouched unless filled.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask_login import login_user

from app.accounts.models import User
from app.core.db import db
from app.core.markdown import fill_placeholders, render_markdown, render_skeleton
from app.digest.models import CaseDigest
from app.search import searchers
from tests.digest.factory import MakeCases

User_ = Callable[..., User]
TEXT = "See [[case:secret-case]] and [[case:open-case]]."


@pytest.fixture
def cases(make_cases: MakeCases) -> None:
    make_cases(
        {
            "open-case": {"title": '"Pistols in a camper van"'},
            "secret-case": {"restricted": "true", "title": '"Secret operation"'},
        }
    )
    searchers.close_all()


def _render_as(app: Flask, user: User | None, text: str = TEXT) -> str:
    with app.test_request_context():
        if user is not None:
            login_user(db.session.get(User, user.id))
        return str(render_markdown(text))


@pytest.mark.usefixtures("cases")
def test_the_kept_html_holds_placeholders_and_no_title(app: Flask) -> None:
    with app.app_context():
        kept = render_skeleton(TEXT)
    assert "<!--ref:case:secret-case-->" in kept and "<!--ref:case:open-case-->" in kept
    assert "Secret operation" not in kept and "camper van" not in kept


@pytest.mark.usefixtures("cases")
def test_each_reader_class_gets_its_own_filling(app: Flask, make_user: User_) -> None:
    visitor = _render_as(app, None)
    trainee = _render_as(app, make_user("trainee"))
    practitioner = _render_as(app, make_user("practitioner"))
    again = _render_as(app, None)  # served from the cache of the visitors' class
    for html in (visitor, trainee, again):
        assert "Secret operation" not in html and "secret-case" not in html
        assert "<em>case reference (not available)</em>" in html
        assert ">Pistols in a camper van (illustrative case)</a>" in html
    assert '<a href="/cases/secret-case"' in practitioner and "Secret operation" in practitioner


@pytest.mark.usefixtures("cases")
def test_a_changed_title_shows_at_once(app: Flask) -> None:
    assert "camper van" in _render_as(app, None)
    with app.app_context():
        case = db.session.query(CaseDigest).filter_by(slug="open-case").one()
        case.title = "Rifles in a horsebox"
        db.commit()
    html = _render_as(app, None)
    assert "Rifles in a horsebox" in html and "camper van" not in html


@pytest.mark.usefixtures("cases")
def test_references_inside_links_and_attributes_stay_text(app: Flask) -> None:
    text = "[see [[case:open-case]]](https://example.org) ![[[case:x]]](https://example.org/a.png)"
    html = _render_as(app, None, text)
    assert html.count("<a ") == 2  # the author's link and the image turned into a link
    assert '<a href="/cases/open-case"' not in html  # links do not nest
    assert ">see Pistols in a camper van (illustrative case)</a>" in html
    assert ">case reference (not available)</a>" in html and "<!--" not in html


def test_placeholders_written_by_an_author_are_dropped(app: Flask) -> None:
    html = _render_as(app, None, "Hello <!--ref:case:open-case--> \ue000case:open-case\ue001")
    assert "<!--" not in html and "\ue000" not in html and "open-case" in html
    assert "<a " not in html


def test_unknown_placeholder_kinds_stay_until_filled(app: Flask) -> None:
    with app.app_context():
        html = "<p>Before</p><!--block:check-1--><p>After</p>"
        assert fill_placeholders(html) == html
        filled = fill_placeholders(
            html, {"block": lambda ids: {i: f"<form>{i}</form>" for i in ids}}
        )
    assert filled == "<p>Before</p><form>check-1</form><p>After</p>"
