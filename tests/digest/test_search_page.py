"""The /cases search page: full text, syntax, facets, years, sort, pages, snippets, suggestions."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.search import searchers
from tests.digest.factory import CASES_DIR, LoadCaseFiles, summary, write_case
from tests.digest.search_world import PUBLIC, facet, slugs, world
from tests.search.backends import search_backend  # noqa: F401  (both backends)

__all__ = ["world"]


def _get(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_without_a_query_every_visible_case_is_listed_newest_first(
    world: Flask, client: FlaskClient
) -> None:
    html = _get(client, "/cases")
    assert slugs(html) == PUBLIC
    assert "<strong>4</strong> cases" in html
    # "Relevance" stays selected, so typing words and pressing Search ranks by relevance.
    assert 'value="relevance" selected' in html
    assert slugs(_get(client, "/cases?sort=relevance")) == PUBLIC


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("smuggling", ["rifles-boat-chile"]),  # stemming: the summary says "smuggled"
        ("cafe", ["turkiye-drone-ammunition"]),  # accent folding: the summary says "café"
        ("turkiye", ["turkiye-drone-ammunition"]),  # the title says "Türkiye"
        ('"fishing boat"', ["rifles-boat-chile"]),
        ('"boat fishing"', []),
        ("revolvers OR rifles", ["portugal-postal-revolvers", "rifles-boat-chile"]),
        ("parcels AND collector", ["portugal-postal-revolvers"]),
        ("parcels NOT collector", ["parcel-pistols-portugal"]),
        ("country:chile", ["rifles-boat-chile"]),
        ("country:Chile", ["rifles-boat-chile"]),
        ("modus_operandi:postal-courier", ["parcel-pistols-portugal", "portugal-postal-revolvers"]),
        ("article:protocol-11", ["rifles-boat-chile"]),
        ("outcome:acquittal OR outcome:pending", ["rifles-boat-chile", "turkiye-drone-ammunition"]),
    ],
)
def test_query_syntax(world: Flask, client: FlaskClient, query: str, expected: list[str]) -> None:
    html = _get(client, f"/cases?q={query}&sort=oldest")
    assert sorted(slugs(html)) == sorted(expected)


def test_several_values_in_one_facet_widen_and_facets_narrow(
    world: Flask, client: FlaskClient
) -> None:
    assert sorted(slugs(_get(client, "/cases?country=portugal"))) == [
        "parcel-pistols-portugal", "portugal-postal-revolvers",
    ]  # fmt: skip
    widened = _get(client, "/cases?country=portugal&country=chile")
    assert len(slugs(widened)) == 3
    narrowed = _get(client, "/cases?country=portugal&country=chile&weapon=revolvers")
    assert slugs(narrowed) == ["portugal-postal-revolvers"]


def test_facets_show_counts_of_the_current_search(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases")
    assert facet(html, "country", "portugal") == 2
    assert facet(html, "country", "turkiye") == 1
    assert ">\n          Türkiye <span" in html or "Türkiye <span" in html
    assert facet(html, "modus_operandi", "postal-courier") == 2
    assert "Postal and courier shipments" in html
    assert facet(html, "article", "protocol-11") == 1
    assert "Firearms Protocol, art. 11" in html
    filtered = _get(client, "/cases?weapon=revolvers")
    # Counts follow the other filters; a facet's own values stay listed so they can be added.
    assert facet(filtered, "country", "portugal") == 1
    assert facet(filtered, "country", "chile") is None
    assert facet(filtered, "weapon", "rifles") == 1
    assert 'name="weapon" value="revolvers" checked' in filtered


def test_year_range_filters_by_decision_year(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?year_from=2020&year_to=2022")
    assert slugs(html) == ["rifles-boat-chile"]
    assert sorted(slugs(_get(client, "/cases?year_from=2021"))) == [
        "portugal-postal-revolvers", "rifles-boat-chile",
    ]  # fmt: skip


def test_years_are_counted_and_link_to_their_range(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?country=portugal")
    years = re.findall(r'<a href="([^"]+)">(\d{4})</a> <span class="muted">\((\d+)\)</span>', html)
    assert [(year, count) for _, year, count in years] == [("2019", "1"), ("2023", "1")]
    link = years[0][0].replace("&amp;", "&")
    assert "country=portugal" in link and "year_from=2019" in link and "year_to=2019" in link
    assert slugs(_get(client, link)) == ["parcel-pistols-portugal"]


def test_sort_orders(world: Flask, client: FlaskClient) -> None:
    assert slugs(_get(client, "/cases?sort=oldest")) == list(reversed(PUBLIC))
    assert slugs(_get(client, "/cases?q=parcels&sort=newest")) == [
        "portugal-postal-revolvers", "parcel-pistols-portugal",
    ]  # fmt: skip
    assert 'value="newest" selected' in _get(client, "/cases?q=parcels&sort=newest")


def test_snippets_highlight_the_words_found(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=fishing")
    assert "<mark>fishing</mark> boat to the southern coast" in html


def test_a_misspelt_search_shows_the_corrected_results_at_once(
    world: Flask, client: FlaskClient
) -> None:
    html = _get(client, "/cases?q=smugled")
    assert slugs(html) == ["rifles-boat-chile"]
    assert "Showing results for “smuggled”; search instead for “smugled”." in html


def test_did_you_mean_offers_a_corrected_search(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=parcels smugled")  # no case has both words, corrected or not
    assert sorted(slugs(html)) == ["parcel-pistols-portugal", "portugal-postal-revolvers"]
    assert "No case has all of these words; showing cases with some of them." in html
    assert re.search(
        r'Did you mean <a href="/cases\?q=parcels[+]smuggled">parcels smuggled</a>\?', html
    )


def test_the_url_holds_the_whole_state(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=boat&country=chile&year_from=2000&year_to=2030&sort=oldest")
    assert 'name="q" value="boat"' in html
    assert 'name="country" value="chile" checked' in html
    assert 'name="year_from" min="1900" max="2100" value="2000"' in html
    assert 'value="oldest" selected' in html
    assert 'method="get" action="/cases"' in html
    # Removing one filter keeps the rest of the state.
    assert 'href="/cases?q=boat&amp;year_from=2000&amp;year_to=2030&amp;sort=oldest"' in html


def test_results_are_paged_and_pages_keep_the_filters(
    client: FlaskClient, tmp_path: Path, load_case_files: LoadCaseFiles
) -> None:
    load_case_files(CASES_DIR)
    first = _get(client, "/cases?region=european-union&region=western-balkans&region=sahel"
                 "&region=south-america&region=caribbean&region=north-america"
                 "&region=central-america-and-mexico&region=west-and-central-africa"
                 "&region=east-and-southern-africa&region=south-asia&region=south-east-asia"
                 "&region=oceania&region=eastern-europe&region=central-asia&region=global"
                 "&region=north-africa-and-middle-east")  # fmt: skip
    total = int(re.search(r"<strong>(\d+)</strong>", first).group(1))  # type: ignore[union-attr]
    assert total == 50  # the 60 packaged cases less the 10 restricted ones
    assert len(slugs(first)) == 20
    assert "Page 1 of 3" in first
    next_link = re.search(r'<a rel="next" href="([^"]+)">', first).group(1)  # type: ignore[union-attr]
    assert "region=sahel" in next_link and "page=2" in next_link
    last = _get(client, "/cases?page=3")
    assert len(slugs(last)) == 10
    beyond = _get(client, "/cases?page=99")
    assert "Page 3 of 3" in beyond
    searchers.close_all()


MALFORMED = [
    '"unbalanced quote',
    "(unbalanced (brackets",
    "pistols)",
    "colour:red",
    "restricted:yes",
    "status:draft",
    "year:[2000 TO",
    "AND OR NOT",
    "*",
    "pist*",
    "x" * 10_000,
    "pistols\x00\x01\x1b[31m\u202e",
    "%",
    "\\",
    "title:",
    ":::",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_give_results_or_a_clear_message(
    world: Flask, client: FlaskClient, query: str
) -> None:
    response = client.get("/cases", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'class="flash flash-error"' in html
    assert "secret-broker" not in html


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ({"year_from": "soon"}, "“From year” must be a year such as 2019"),
        ({"year_to": "99999"}, "“To year” must be between 1900 and 2100"),
        ({"sort": "random"}, "Unknown sort order"),
        ({"weapon": "ray-gun"}, "“ray-gun” is not a known weapon"),
        ({"country": "<script>"}, "is not a known country"),
        ({"q": "x" * 10_000}, "The search text is too long"),
    ],
)
def test_bad_parameters_are_explained(
    world: Flask, client: FlaskClient, query_string: dict[str, str], message: str
) -> None:
    response = client.get("/cases", query_string=query_string)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_page_numbers_that_are_not_numbers_mean_the_first_page(
    world: Flask, client: FlaskClient
) -> None:
    assert slugs(_get(client, "/cases?page=abc")) == PUBLIC


def test_loading_a_changed_file_updates_the_index(
    world: Flask, client: FlaskClient, tmp_path: Path, load_case_files: LoadCaseFiles
) -> None:
    assert slugs(_get(client, "/cases?q=trawler")) == []
    write_case(tmp_path / "cases", "rifles-boat-chile", country='"Chile"',
               region="South America", sections=summary("Rifles hidden on a trawler."))  # fmt: skip
    load_case_files(tmp_path / "cases")
    assert slugs(_get(client, "/cases?q=trawler")) == ["rifles-boat-chile"]
    assert facet(_get(client, "/cases"), "country", "chile") == 1


def test_the_search_page_is_rate_limited(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.get("/cases").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year:2021", ["rifles-boat-chile"]),
        ("kind:case AND region:south-america", ["rifles-boat-chile"]),
        ("technique:tracing-request", ["turkiye-drone-ammunition"]),
        ("link:drugs OR weapon:revolvers", ["portugal-postal-revolvers", "rifles-boat-chile"]),
        ("offence:illicit-trafficking AND (country:chile OR country:turkiye)",
         ["rifles-boat-chile", "turkiye-drone-ammunition"]),
    ],
)  # fmt: skip
def test_every_field_named_in_the_help_can_be_searched(
    world: Flask, client: FlaskClient, query: str, expected: list[str]
) -> None:
    html = _get(client, "/cases?" + urlencode({"q": query}))
    assert sorted(slugs(html)) == expected


def test_empty_parameters_are_ignored(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=&country=&weapon=&year_from=&year_to=&sort=&page=")
    assert slugs(html) == PUBLIC
    assert "flash-error" not in html
