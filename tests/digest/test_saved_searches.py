"""Saved case searches: save from the search page, list, run, rename, alert, delete; owners only;
limits with clear messages; the member's data export lists them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from app.accounts.models import User
from app.core.db import db
from app.digest.models import SavedSearch
from app.digest.services import saved_searches
from tests.conftest import ClientFor, form_token, sign_in_with_token

User_ = Callable[..., User]
QUERY = "q=pistols&country=portugal&sort=newest&page=3"


def _saved(app: Flask) -> list[SavedSearch]:
    with app.app_context():
        rows = list(db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _save(client: FlaskClient, name: str, query: str = QUERY, alert: str = "none") -> TestResponse:
    return client.post("/cases/saved", data={"name": name, "query": query, "alert": alert})


def test_search_page_offers_to_save_the_search_it_shows(client: FlaskClient, login: User_) -> None:
    anonymous = client.get("/cases?q=pistols").get_data(as_text=True)
    assert "to save this search" in anonymous and 'id="save-search"' not in anonymous
    login("trainee")
    page = client.get("/cases?q=pistols&sort=oldest&page=2").get_data(as_text=True)
    assert "Save this search" in page
    assert 'form="save-search"' in page
    # The form holds the search as the page understood it, without the page number.
    assert re.search(r'name="query" value="q=pistols&amp;sort=oldest"', page)


def test_member_saves_lists_and_runs_a_search(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("trainee")
    response = _save(client, "Portuguese pistols", alert="weekly")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases/saved")
    listing = client.get("/cases/saved").get_data(as_text=True)
    assert "The search is saved as “Portuguese pistols”." in listing
    assert "Portuguese pistols" in listing
    assert "“pistols”; Country: portugal; newest first" in listing
    assert "Weekly e-mail" in listing
    (search,) = _saved(app)
    assert search.query == "q=pistols&country=portugal&sort=newest"  # the page number is dropped
    assert search.alert == "weekly"
    run = client.get(f"/cases/saved/{search.id}")
    assert run.status_code == 302
    assert run.headers["Location"] == "/cases?q=pistols&country=portugal&sort=newest"


def test_member_renames_sets_the_alert_and_deletes(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("trainee")
    _save(client, "Pistols")
    (search,) = _saved(app)
    renamed = client.post(f"/cases/saved/{search.id}/rename", data={"name": "Pistols, Portugal"})
    assert renamed.status_code == 302
    assert (
        client.post(f"/cases/saved/{search.id}/alert", data={"alert": "daily"}).status_code == 302
    )
    page = client.get("/cases/saved").get_data(as_text=True)
    assert "You will get at most one e-mail a day" in page
    (search,) = _saved(app)
    assert (search.name, search.alert) == ("Pistols, Portugal", "daily")
    wrong = client.post(f"/cases/saved/{search.id}/alert", data={"alert": "hourly"})
    assert wrong.status_code == 400
    assert "Not a valid choice" in wrong.get_data(as_text=True)
    deleted = client.post(f"/cases/saved/{search.id}/delete")
    assert deleted.status_code == 302
    assert "The saved search “Pistols, Portugal” is deleted." in client.get(
        "/cases/saved"
    ).get_data(as_text=True)
    assert _saved(app) == []


def test_names_are_required_limited_and_unique(
    app: Flask, client: FlaskClient, login: User_
) -> None:
    login("trainee")
    empty = _save(client, "  ")
    assert empty.status_code == 400
    assert "Give the search a name." in empty.get_data(as_text=True)
    long = _save(client, "x" * 81)
    assert long.status_code == 400
    assert "Use at most 80 characters." in long.get_data(as_text=True)
    assert _save(client, "Pistols").status_code == 302
    twice = _save(client, "pistols", query="q=rifles")
    assert twice.status_code == 409
    page = twice.get_data(as_text=True)
    assert "You already have a saved search named “pistols”" in page
    assert 'value="q=rifles"' in page  # the search waits in the form, to save under another name
    same = _save(client, "Again", query="sort=newest&country=portugal&q=pistols")
    assert same.status_code == 409
    assert "You already saved this search as “Pistols”." in same.get_data(as_text=True)
    (search,) = _saved(app)
    other = _save(client, "Rifles", query="q=rifles")
    assert other.status_code == 302
    clash = client.post(f"/cases/saved/{search.id}/rename", data={"name": "RIFLES"})
    assert clash.status_code == 409
    assert [s.name for s in _saved(app)] == ["Pistols", "Rifles"]


def test_a_member_keeps_at_most_the_limit(app: Flask, client: FlaskClient, login: User_) -> None:
    login("trainee")
    for number in range(saved_searches.MAX_PER_USER):
        assert _save(client, f"Search {number}", query=f"q=word{number}").status_code == 302
    refused = _save(client, "One more", query="q=more")
    assert refused.status_code == 409
    assert f"You have {saved_searches.MAX_PER_USER} saved searches" in refused.get_data(
        as_text=True
    )
    assert len(_saved(app)) == saved_searches.MAX_PER_USER


def test_nobody_else_can_see_run_rename_alert_or_delete_a_saved_search(
    app: Flask, client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    login("trainee")
    _save(client, "Mine")
    (search,) = _saved(app)
    other = client_for(make_user("admin"))
    assert "Mine" not in other.get("/cases/saved").get_data(as_text=True)
    for response in (
        other.get(f"/cases/saved/{search.id}"),
        other.post(f"/cases/saved/{search.id}/rename", data={"name": "Theirs"}),
        other.post(f"/cases/saved/{search.id}/alert", data={"alert": "daily"}),
        other.post(f"/cases/saved/{search.id}/delete"),
    ):
        assert response.status_code == 404
        assert "You have no saved search at this address" in response.get_data(as_text=True)
    (unchanged,) = _saved(app)
    assert (unchanged.name, unchanged.alert) == ("Mine", "none")


def test_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    assert client.get("/cases/saved").status_code == 302
    assert _save(client, "Mine").status_code == 302


def test_the_data_export_lists_the_saved_searches(client: FlaskClient, login: User_) -> None:
    login("trainee")
    _save(client, "Portuguese pistols", alert="daily")
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    (entry,) = data["saved_searches"]
    assert entry["name"] == "Portuguese pistols"
    assert entry["search"] == "q=pistols&country=portugal&sort=newest"
    assert entry["alert"] == "daily"
    assert entry["alerts_sent"] == []


def test_saving_needs_the_forms_csrf_token(
    make_app: Callable[..., Flask], make_user: User_
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    client = app.test_client()
    sign_in_with_token(client, user)
    search_page = client.get("/cases?q=pistols").get_data(as_text=True)
    token = form_token(search_page.split('<form id="save-search"', 1)[1])
    data = {"name": "Pistols", "query": "q=pistols", "alert": "none"}
    assert client.post("/cases/saved", data=data).status_code == 400
    assert _saved(app) == []
    assert client.post("/cases/saved", data={**data, "csrf_token": token}).status_code == 302
    (search,) = _saved(app)
    for action in ("rename", "alert", "delete"):
        refused = client.post(f"/cases/saved/{search.id}/{action}", data={"name": "X"})
        assert refused.status_code == 400
    with app.app_context():
        link = f"/cases/alerts/unsubscribe/{saved_searches.unsubscribe_token(search)}"
    assert client.post(link).status_code == 400
    assert _saved(app)[0].name == "Pistols"


def test_the_list_page_costs_the_same_queries_for_many_searches(
    client: FlaskClient, login: User_, count_queries: Callable[[], Any]
) -> None:
    login("trainee")
    _save(client, "Search 0", query="q=word0")
    client.get("/cases/saved")
    with count_queries() as few:
        assert client.get("/cases/saved").status_code == 200
    for number in range(1, 12):
        _save(client, f"Search {number}", query=f"q=word{number}&country=chile")
    with count_queries() as many:
        page = client.get("/cases/saved")
    assert "Search 11" in page.get_data(as_text=True)
    assert many.count == few.count
