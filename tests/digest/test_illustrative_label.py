"""Wherever a case appears, a composite says "Illustrative" and a real case does not: the case
page and its citation, search results, related cases, module pages, `[[case:]]` links, the CSV
and JSON exports, the API, the curators' list and the review queue. The statistics page lists no
case, only counts."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.moderation.models import ReviewItem
from app.search import searchers
from tests.digest.curation_helpers import case_form
from tests.digest.factory import MakeCases, summary
from tests.learning.factory import MakeCourse

COMPOSITE = "alarm-pistols"
COMPOSITE_TITLE = "Converted alarm pistols sold through a parcel network"
REAL = "real-operation"
REAL_TITLE = "Regional operation against converted pistols"
LABEL = '<span class="tag">Illustrative case</span>'


@pytest.fixture
def cases(make_course: MakeCourse, make_cases: MakeCases) -> Iterator[None]:
    make_course()
    make_cases({
        COMPOSITE: {"modules": "[basics-m1]"},
        REAL: {
            "title": f'"{REAL_TITLE}"', "kind": "operation", "court": '""',
            "court_level": "none", "illustrative": "false", "decision_year": None,
            "decision_date": "2019-11-17", "outcome": "operation-results",
            "modules": "[basics-m1]",
            "sections": summary("An operation seized converted alarm pistols sent by courier."),
        },
        "comparison": {
            "title": '"Two parcel networks compared"',
            "sections": summary(
                f"Compare [[case:{COMPOSITE}]] with [[case:{REAL}]]: converted pistols by parcel."
            ),
        },
    })  # fmt: skip
    yield
    searchers.close_all()


def _item(html: str, slug: str) -> str:
    """The list item that links to a case."""
    match = re.search(rf'<li>(?:(?!</li>).)*?href="/cases/{slug}".*?</li>', html, re.S)
    assert match, f"no list item for {slug}"
    return match.group(0)


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_case_pages_say_which_case_is_a_composite(cases: None, client: FlaskClient) -> None:
    composite = _page(client, f"/cases/{COMPOSITE}")
    assert LABEL in composite and "It is not a real, citable case." in composite
    cite = composite.split('id="cite"', 1)[1].split("</section>", 1)[0]
    assert "Not citable: an illustrative composite written to teach" in cite
    assert "illustrative case (training material, not a citable judgment)" in cite
    real = _page(client, f"/cases/{REAL}")
    head = real.split('id="related"', 1)[0]
    assert "Illustrative" not in head and "Not citable" not in head
    assert "Cite this digest" in real and "17 November 2019" in real


def test_search_results_label_the_composite_only(cases: None, client: FlaskClient) -> None:
    html = _page(client, "/cases?q=converted+pistols")
    assert LABEL in _item(html, COMPOSITE)
    assert "Illustrative" not in _item(html, REAL)


def test_related_cases_label_the_composite_only(cases: None, client: FlaskClient) -> None:
    html = _page(client, "/cases/comparison")
    related = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    assert LABEL in _item(related, COMPOSITE)
    assert "Illustrative" not in _item(related, REAL)


def test_case_links_in_text_label_the_composite_only(cases: None, client: FlaskClient) -> None:
    html = _page(client, "/cases/comparison")
    summary_text = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    links = dict(re.findall(r'<a href="/cases/([a-z-]+)"[^>]*>([^<]+)</a>', summary_text))
    assert links == {COMPOSITE: f"{COMPOSITE_TITLE} (illustrative case)", REAL: REAL_TITLE}


def test_the_module_page_labels_the_composite_only(cases: None, client: FlaskClient) -> None:
    html = _page(client, "/modules/basics-m1")
    listed = html.split("Cases that illustrate this module", 1)[1].split("</ul>", 1)[0]
    assert f"{COMPOSITE_TITLE} (illustrative case)</a>" in _item(listed, COMPOSITE)
    assert f">{REAL_TITLE}</a>" in _item(listed, REAL)


def test_exports_and_the_api_carry_the_illustrative_field(cases: None, client: FlaskClient) -> None:
    exported = json.loads(_page(client, "/cases/export.json"))["cases"]
    rows: dict[str, dict[str, Any]] = {row["slug"]: row for row in exported}
    assert rows[COMPOSITE]["illustrative"] is True and rows[REAL]["illustrative"] is False
    assert (rows[COMPOSITE]["decision_date"], rows[COMPOSITE]["decision_year"]) == (None, 2019)
    assert (rows[REAL]["decision_date"], rows[REAL]["decision_year"]) == ("2019-11-17", 2019)
    table = {
        row["slug"]: row for row in csv.DictReader(io.StringIO(_page(client, "/cases/export.csv")))
    }
    assert table[COMPOSITE]["illustrative"] == "yes" and table[REAL]["illustrative"] == "no"
    assert json.loads(_page(client, f"/api/v1/cases/{COMPOSITE}"))["illustrative"] is True
    assert json.loads(_page(client, f"/api/v1/cases/{REAL}"))["illustrative"] is False
    listed = {case["slug"]: case for case in json.loads(_page(client, "/api/v1/cases"))["cases"]}
    assert listed[COMPOSITE]["illustrative"] is True and listed[REAL]["illustrative"] is False


def test_the_statistics_page_lists_no_case(cases: None, client: FlaskClient) -> None:
    html = _page(client, "/cases/statistics")
    assert COMPOSITE_TITLE not in html and REAL_TITLE not in html
    assert "Most digests are illustrative composites" in html
    years = html.split('id="by-year"', 1)[1].split("</section>", 1)[0]
    assert "no date" not in years  # a composite counts under its year


def test_curators_see_the_label_in_their_list_and_the_review_queue(
    app: Flask, cases: None, client: FlaskClient, login: Callable[..., User]
) -> None:
    login("moderator")
    client.post("/cases/new", data=case_form())
    assert client.post("/cases/fuel-tank-courier/submit").status_code == 302
    rows = _page(client, "/cases/curate").split("<tbody>", 1)[1]
    found = re.findall(r"<td>(.*?)<code>([a-z-]+)</code></td>", rows)
    by_slug = {slug: cell for cell, slug in found}
    assert "Illustrative case" in by_slug[COMPOSITE]
    assert "Illustrative case" in by_slug["fuel-tank-courier"]
    assert "Illustrative" not in by_slug[REAL]
    with app.app_context():
        item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == "case_draft"))
        assert item is not None
        item_id = item.id
    queue = _page(client, "/moderation/?kind=case_draft")
    assert "Publish case: Pistols hidden in a fuel tank (illustrative case)" in queue
    assert LABEL in _page(client, f"/moderation/items/{item_id}")
