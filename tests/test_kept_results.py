"""Kept search results and related-case lists (issue 15) follow the index: a repeated search or
case page shows a case indexed since, and a case taken out of the published set disappears."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.core.db import db
from app.digest.models import CaseDigest
from app.search import searchers
from tests.digest.factory import MakeCases
from tests.digest.search_world import slugs


def test_a_repeated_search_and_related_cases_show_a_case_indexed_since(
    app: Flask, client: FlaskClient, make_cases: MakeCases
) -> None:
    root = make_cases({"first-pistols": {"title": '"First pistols case"'}})
    assert slugs(client.get("/cases?q=pistols").get_data(as_text=True)) == ["first-pistols"]
    assert client.get("/cases?q=pistols").status_code == 200  # the kept result, again
    assert "Second pistols case" not in client.get("/cases/first-pistols").get_data(as_text=True)

    make_cases({"second-pistols": {"title": '"Second pistols case"'}}, root=root)
    found = slugs(client.get("/cases?q=pistols").get_data(as_text=True))
    assert sorted(found) == ["first-pistols", "second-pistols"]
    assert "Second pistols case" in client.get("/cases/first-pistols").get_data(as_text=True)
    searchers.close_all()


def test_a_case_restricted_since_leaves_a_visitors_kept_results(
    app: Flask, client: FlaskClient, make_cases: MakeCases
) -> None:
    root = make_cases({"first-pistols": {}, "second-pistols": {}})
    assert len(slugs(client.get("/cases?q=pistols").get_data(as_text=True))) == 2
    make_cases({"second-pistols": {"restricted": "true"}}, root=root)
    with app.app_context():
        case = db.session.query(CaseDigest).filter_by(slug="second-pistols").one()
        assert case.restricted
    assert slugs(client.get("/cases?q=pistols").get_data(as_text=True)) == ["first-pistols"]
    assert "second-pistols" not in client.get("/cases/first-pistols").get_data(as_text=True)
    searchers.close_all()
