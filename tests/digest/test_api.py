"""The read-only JSON API: filters and pagination, permissions, errors, the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.permissions import Role
from app.digest import openapi
from tests.conftest import ClientFor
from tests.digest.curation_helpers import SAMPLE, case_form, restricted_slugs
from tests.digest.factory import LoadPackagedCases

User_ = Callable[..., User]

RESTRICTED = restricted_slugs() & set(SAMPLE)
PUBLIC_CASE = "sweden-converted-alarm-pistols-gang-shootings"
RESTRICTED_CASE = "belgium-dark-web-vendor-pistols-hidden-in-electronics"


@pytest.fixture
def packaged(load_packaged_cases: LoadPackagedCases) -> int:
    return load_packaged_cases(SAMPLE)


def _get(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def _all_slugs(client: FlaskClient, query: str = "") -> list[str]:
    slugs: list[str] = []
    page = 1
    while True:
        data = _get(client, f"/api/v1/cases?per_page=3&page={page}{query}")
        slugs += [case["slug"] for case in data["cases"]]
        if page >= data["pages"]:
            return slugs
        page += 1


def test_visitor_lists_public_cases_without_a_session(client: FlaskClient, packaged: int) -> None:
    data = _get(client, "/api/v1/cases")
    assert data["total"] == 8 and data["page"] == 1 and data["per_page"] == 20
    slugs = _all_slugs(client)
    assert len(slugs) == len(set(slugs)) == 8
    assert not set(slugs) & RESTRICTED
    assert "Set-Cookie" not in client.get("/api/v1/cases").headers


def test_restricted_cases_appear_in_the_api_only_from_practitioner_up(
    client: FlaskClient, login: User_, packaged: int
) -> None:
    _get(client, f"/api/v1/cases/{RESTRICTED_CASE}", 404)
    login(Role.TRAINEE)
    _get(client, f"/api/v1/cases/{RESTRICTED_CASE}", 404)
    assert not set(_all_slugs(client)) & RESTRICTED
    facet_values = {v["value"] for v in _get(client, "/api/v1/cases")["facets"]["country"]}
    assert "belgium" not in facet_values
    client.post("/sign-out")
    login(Role.PRACTITIONER)
    assert _get(client, f"/api/v1/cases/{RESTRICTED_CASE}")["restricted"] is True
    assert set(_all_slugs(client)) >= RESTRICTED


def test_filters_and_sort_are_those_of_the_search_page(client: FlaskClient, packaged: int) -> None:
    data = _get(client, "/api/v1/cases?region=south-america&sort=oldest")
    assert data["total"] == 4
    years = [case["decision_year"] for case in data["cases"]]
    assert years == sorted(years)
    regions = {v["value"]: v["count"] for v in data["facets"]["region"]}
    assert regions["south-america"] == 4 and regions["european-union"] == 1
    two = _get(client, "/api/v1/cases?outcome=acquittal&outcome=conviction")
    assert {case["outcome"] for case in two["cases"]} <= {"acquittal", "conviction"}
    found = _get(client, "/api/v1/cases?q=cartridge+cases+ballistics")
    assert PUBLIC_CASE in [case["slug"] for case in found["cases"]]


def test_one_case_has_every_field_and_its_text(client: FlaskClient, packaged: int) -> None:
    case = _get(client, f"/api/v1/cases/{PUBLIC_CASE}")
    assert set(case) == {*openapi.document()["components"]["schemas"]["Case"]["properties"], "body"}
    assert case["quantities"] == {"firearms": 17, "ammunition": 640}
    assert case["route_origin"] == ["Türkiye"] and case["protocol_articles"] == [3, 5, 6, 12]
    assert case["body"].startswith("## Summary\n\nCartridge cases")
    assert case["url"] == f"http://localhost/cases/{PUBLIC_CASE}"


def test_drafts_exist_in_the_api_only_for_moderators(
    client: FlaskClient, login: User_, make_user: User_, client_for: ClientFor
) -> None:
    login(Role.MODERATOR)
    assert client.post("/cases/new", data=case_form()).status_code == 302
    assert _get(client, "/api/v1/cases/fuel-tank-courier")["status"] == "draft"
    practitioner = client_for(make_user(Role.PRACTITIONER))
    _get(practitioner, "/api/v1/cases/fuel-tank-courier", 404)
    assert _get(practitioner, "/api/v1/cases")["total"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour=red", "Unknown parameter(s): colour"),
        ("region=atlantis", "is not a known region"),
        ("year_from=soon", "must be a year"),
        ("per_page=1000", "'per_page' must be a whole number from 1 to 100"),
        ("page=-1", "'page' must be a whole number"),
        ("sort=random", "Unknown sort order"),
        ("q=" + "x" * 1200, "too long"),
    ],
)
def test_bad_parameters_give_a_json_400(
    client: FlaskClient, packaged: int, query: str, message: str
) -> None:
    error = _get(client, f"/api/v1/cases?{query}", 400)
    assert error["status"] == 400 and message in error["message"]


def test_unknown_case_is_a_json_404(client: FlaskClient) -> None:
    error = _get(client, "/api/v1/cases/no-such-case", 404)
    assert error["status"] == 404 and error["message"]


def test_openapi_documents_every_api_route_and_every_parameter_is_accepted(
    app: Flask, client: FlaskClient, packaged: int
) -> None:
    document = _get(client, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.1")
    routes = {
        rule.rule.replace("<slug>", "{slug}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(document["paths"])
    examples = {"q": "pistols", "country": "sweden", "region": "south-america",
                "modus_operandi": "drones", "weapon": "pistols", "article": "protocol-5",
                "link": "gangs", "technique": "undercover", "outcome": "acquittal",
                "year_from": "2000", "year_to": "2024", "sort": "oldest", "page": "1",
                "per_page": "5"}  # fmt: skip
    parameters = document["paths"]["/api/v1/cases"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == set(examples)
    for parameter in parameters:
        schema = parameter["schema"].get("items", parameter["schema"])
        if "enum" in schema:
            for value in schema["enum"]:
                _get(client, f"/api/v1/cases?{parameter['name']}={value}")
        _get(client, f"/api/v1/cases?{parameter['name']}={examples[parameter['name']]}")
    all_at_once = "&".join(f"{name}={value}" for name, value in examples.items())
    _get(client, f"/api/v1/cases?{all_at_once}")


def test_listed_cases_match_the_documented_schema(client: FlaskClient, packaged: int) -> None:
    document = openapi.document()
    listing = _get(client, "/api/v1/cases")
    assert set(listing) == set(document["components"]["schemas"]["CaseList"]["required"])
    required = set(document["components"]["schemas"]["Case"]["required"])
    assert all(set(case) == required for case in listing["cases"])


def test_api_is_rate_limited(make_app: Callable[..., Flask]) -> None:
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    statuses = [client.get("/api/v1/openapi.json").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    for _ in range(125):
        response = client.get("/api/v1/cases/no-such-case")
    assert response.status_code == 429
    assert response.get_json()["status"] == 429


def test_api_and_export_queries_do_not_grow_with_the_rows(
    client: FlaskClient, packaged: int, count_queries: Any
) -> None:
    _get(client, "/api/v1/cases?per_page=1")  # warm-up: the synonyms are read once per generation
    with count_queries() as few:
        assert len(_get(client, "/api/v1/cases?per_page=2")["cases"]) == 2
    with count_queries() as many:
        assert len(_get(client, "/api/v1/cases?per_page=8")["cases"]) == 8
    assert many.count == few.count
    with count_queries() as one_region:
        client.get("/cases/export.csv?region=caribbean")
    with count_queries() as everything:
        client.get("/cases/export.csv")
    assert everything.count == one_region.count
