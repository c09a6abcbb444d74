"""Progress figures are drawn without inline styles: the CSP (`style-src 'self'`) ignores them."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from tests.learning.factory import MakeCourse, Take

User_ = Callable[..., User]


def _progress_bars(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<progress[^>]* value="(\d+)" max="(\d+)"', html)


def test_dashboard_draws_progress_without_inline_styles(
    app: Flask, client: FlaskClient, login: User_, take: Take, make_course: MakeCourse
) -> None:
    make_course(modules=3)
    make_course(slug="short", modules=1)
    login()
    take(client, "basics-m1")
    take(client, "short-m1")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "style=" not in html
    assert "1 of 3 modules passed (33%)" in html and "1 of 1 modules passed (100%)" in html
    assert sorted(_progress_bars(html)) == [("1", "1"), ("1", "3")]


def test_catalogue_draws_progress_without_inline_styles(
    app: Flask, client: FlaskClient, login: User_, take: Take, make_course: MakeCourse
) -> None:
    make_course(modules=3)
    login()
    client.post("/courses/basics/enrol")
    take(client, "basics-m1")
    html = client.get("/courses").get_data(as_text=True)
    assert "style=" not in html
    assert _progress_bars(html) == [("1", "3")]
