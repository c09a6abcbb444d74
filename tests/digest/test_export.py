"""CSV and JSON exports of the search page's result set: filters, limits, permissions, safety."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.digest import exports
from app.digest.models import CaseDigest
from tests.digest.curation_helpers import SAMPLE, restricted_slugs
from tests.digest.factory import LoadPackagedCases

RESTRICTED = restricted_slugs() & set(SAMPLE)
SWEDEN = "sweden-converted-alarm-pistols-gang-shootings"


@pytest.fixture
def packaged(load_packaged_cases: LoadPackagedCases) -> int:
    return load_packaged_cases(SAMPLE)


def _json(client: FlaskClient, query: str = "") -> dict[str, Any]:
    response = client.get(f"/cases/export.json{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data: dict[str, Any] = json.loads(response.get_data(as_text=True))
    assert response.headers["X-Total-Count"] == str(data["total"])
    return data


def _csv(client: FlaskClient, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/cases/export.csv{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_visitor_export_has_every_public_case_and_no_restricted_one(
    client: FlaskClient, packaged: int
) -> None:
    data = _json(client)
    slugs = {row["slug"] for row in data["cases"]}
    assert len(RESTRICTED) == 5
    assert data["total"] == data["count"] == 8 and data["truncated"] is False
    assert not slugs & RESTRICTED
    rows = _csv(client)
    assert len(rows) == 8 and not {row["slug"] for row in rows} & RESTRICTED


@pytest.mark.parametrize(("role", "sees"), [("trainee", False), ("practitioner", True),
                                            ("moderator", True)])  # fmt: skip
def test_restricted_cases_are_exported_only_to_practitioners_and_above(
    client: FlaskClient, login: Callable[..., User], packaged: int, role: str, sees: bool
) -> None:
    login(role)
    slugs = {row["slug"] for row in _json(client)["cases"]}
    assert (slugs >= RESTRICTED) is sees and bool(slugs & RESTRICTED) is sees
    csv_slugs = {row["slug"] for row in _csv(client)}
    assert bool(csv_slugs & RESTRICTED) is sees


def test_export_follows_the_search_filters_and_order(client: FlaskClient, packaged: int) -> None:
    data = _json(client, "?region=south-america&sort=oldest")
    assert data["total"] == 4  # five in South America, one of them restricted
    assert all(row["region"] == "South America" for row in data["cases"])
    years = [row["decision_year"] for row in data["cases"]]
    assert years == sorted(years)
    text = _json(client, "?q=ballistic&modus_operandi=conversion-alarm-blank")
    assert text["total"] >= 1
    assert all("conversion-alarm-blank" in row["modus_operandi"] for row in text["cases"])
    rows = _csv(client, "?region=south-america&sort=oldest")
    assert [row["slug"] for row in rows] == [row["slug"] for row in data["cases"]]


def test_export_rows_carry_the_structured_fields(client: FlaskClient, packaged: int) -> None:
    [row] = [
        r for r in _csv(client) if r["slug"] == "sweden-converted-alarm-pistols-gang-shootings"
    ]
    assert row["title"].startswith("Converted alarm pistols supplied to rival gangs")
    assert row["quantity_firearms"] == "17" and row["quantity_ammunition"] == "640"
    assert row["route_origin"] == "Türkiye" and row["route_transit"] == "Germany"
    assert (
        row["sentences"] == "Supplier: 7 years' imprisonment; Storage helper: 2 years' imprisonment"
    )
    assert row["url"].endswith("/cases/sweden-converted-alarm-pistols-gang-shootings")
    assert row["restricted"] == "no" and row["illustrative"] == "yes"
    assert row["decision_date"] == "" and row["decision_year"] == "2022"
    assert row["summary"].startswith("Cartridge cases from six shootings")


def test_bad_parameters_are_refused_with_a_message(client: FlaskClient, packaged: int) -> None:
    response = client.get("/cases/export.json?region=atlantis")
    assert response.status_code == 400
    assert "is not a known region" in response.get_data(as_text=True)
    assert client.get("/cases/export.csv?year_from=soon").status_code == 400


def test_csv_cells_cannot_start_a_formula() -> None:
    rows = [{"slug": "x", "title": "=HYPERLINK(\"http://evil\")", "country": "+1", "court": "-2",
             "sentences": ["@SUM(A1)", "fine"], "quantities": {}}]  # fmt: skip
    [parsed] = list(csv.DictReader(io.StringIO(exports.csv_text(rows))))
    assert parsed["title"] == '\'=HYPERLINK("http://evil")'
    assert (parsed["country"], parsed["court"]) == ("'+1", "'-2")
    assert parsed["sentences"] == "'@SUM(A1); fine"


def test_a_formula_in_a_case_is_neutralised_in_the_csv(
    app: Flask, client: FlaskClient, packaged: int
) -> None:
    with app.app_context():
        case = db.session.get(CaseDigest, 1)
        assert case is not None and not case.restricted
        case.court = '=cmd|" /C calc"!A0'
        slug = case.slug
        db.commit()
    [row] = [r for r in _csv(client) if r["slug"] == slug]
    assert row["court"] == '\'=cmd|" /C calc"!A0'


def test_export_stops_at_the_limit_and_says_so(
    client: FlaskClient, packaged: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 7)
    monkeypatch.setattr(exports, "SEARCH_PAGE", 3)
    response = client.get("/cases/export.csv")
    assert response.headers["X-Export-Truncated"] == "true"
    assert response.headers["X-Total-Count"] == "8"
    assert len(list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))) == 7
    data = _json(client)
    assert (data["count"], data["total"], data["truncated"], data["limit"]) == (7, 8, True, 7)
    full = {row["slug"] for row in _json(client, "?region=south-america")["cases"]}
    assert len(full) == 4


def test_search_page_links_its_result_set_as_csv_and_json(
    client: FlaskClient, packaged: int
) -> None:
    page = client.get("/cases?region=south-america&sort=oldest&page=1").get_data(as_text=True)
    assert 'href="/cases/export.csv?region=south-america&amp;sort=oldest"' in page
    assert 'href="/cases/export.json?region=south-america&amp;sort=oldest"' in page


def test_exports_are_rate_limited(make_app: Callable[..., Flask]) -> None:
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    statuses = [client.get("/cases/export.json").status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_a_case_restricted_before_reindexing_is_not_exported(
    app: Flask, client: FlaskClient, packaged: int
) -> None:
    with app.app_context():
        case = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == SWEDEN))
        assert case is not None
        case.restricted = True  # changed without queueing a reindex: the index still says public
        db.commit()
    assert SWEDEN not in {row["slug"] for row in _json(client)["cases"]}
    assert SWEDEN not in {row["slug"] for row in _csv(client)}
    assert SWEDEN not in {case["slug"] for case in client.get("/api/v1/cases").get_json()["cases"]}
