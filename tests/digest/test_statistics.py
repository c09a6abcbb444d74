"""The statistics page: SVG charts with text alternatives, frequent routes, only visible cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.core.permissions import Role
from app.digest import stats
from tests.digest.curation_helpers import SAMPLE, case_form
from tests.digest.factory import LoadPackagedCases


@pytest.fixture
def packaged(load_packaged_cases: LoadPackagedCases) -> int:
    return load_packaged_cases(SAMPLE, index=False)


def _table_rows(page: str, heading_id: str) -> dict[str, int]:
    section = page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', section)
    return {label: int(count) for label, count in rows}


def test_visitor_sees_charts_of_public_cases_only(client: FlaskClient, packaged: int) -> None:
    response = client.get("/cases/statistics")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "8 published case digests open to everyone" in page
    assert page.count('<svg class="chart" role="img"') == 3
    assert "<title>Cases by region</title>" in page and "<desc>" in page
    regions = _table_rows(page, "by-region")
    assert regions["South America"] == 4  # Colombia, the fifth, is restricted
    assert sum(regions.values()) == 8
    years = _table_rows(page, "by-year")
    assert years["2022"] == 1 and sum(years.values()) == 8
    assert list(years) == sorted(years)
    modus = _table_rows(page, "by-modus")
    assert modus["Conversion of alarm and blank-firing weapons"] >= 1
    assert "Belgium" not in page  # the restricted Belgian case's route is not counted


def test_practitioner_counts_include_restricted_cases(
    client: FlaskClient, login: Callable[..., User], packaged: int
) -> None:
    login(Role.PRACTITIONER)
    page = client.get("/cases/statistics").get_data(as_text=True)
    assert "13 published case digests" in page
    assert _table_rows(page, "by-region")["South America"] == 5


def test_drafts_are_never_counted(
    client: FlaskClient, login: Callable[..., User], packaged: int
) -> None:
    login(Role.MODERATOR)
    client.post("/cases/new", data=case_form())
    page = client.get("/cases/statistics").get_data(as_text=True)
    assert "13 published case digests" in page
    assert "Bulgaria" not in page


def test_routes_are_origin_destination_pairs_counted_per_case(app: Flask, packaged: int) -> None:
    class Visitor:
        is_authenticated = False

    with app.test_request_context():
        result = stats.statistics(Visitor())
    routes = {(origin, destination): count for origin, destination, count in result.routes}
    assert routes[("Türkiye", "Sweden")] == 1
    assert routes[("Haiti", "Jamaica")] == 1
    assert all(count >= 1 for count in routes.values())
    counts = [count for _, _, count in result.routes]
    assert counts == sorted(counts, reverse=True)
    assert len(result.routes) <= stats.TOP_ROUTES


def test_page_queries_do_not_grow_with_the_number_of_cases(
    client: FlaskClient, count_queries: Callable[[], Any], load_packaged_cases: LoadPackagedCases
) -> None:
    load_packaged_cases(SAMPLE[:3], index=False)
    with count_queries() as few:
        client.get("/cases/statistics")
    load_packaged_cases(SAMPLE, index=False)
    with count_queries() as many:
        client.get("/cases/statistics")
    assert many.count == few.count


def test_svg_labels_are_escaped(app: Flask) -> None:
    chart = stats.bar_chart([("<script>x</script>", 2.0)], title="A & B", description="<d>")
    assert "<script>x" not in chart and "&lt;script&gt;" in chart
    assert "<desc>&lt;d&gt;</desc>" in chart
