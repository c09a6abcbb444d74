"""The /cases page's layout: results before the "Filters (n active)" disclosure, numbered pages
with first and last links and the total, a page out of range, the script that applies filters."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.pagination import page_window
from app.search import searchers
from tests.digest.factory import CASES_DIR, LoadCaseFiles

# 50 public cases (the packaged 60 less the 10 restricted ones): 3 pages of 20 for a visitor.
KEPT = "q=court&year_from=1900&sort=oldest"


@pytest.fixture
def packaged(app: Flask, load_case_files: LoadCaseFiles) -> Iterator[Flask]:
    load_case_files(CASES_DIR)
    yield app
    searchers.close_all()


def _page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.get_data(as_text=True)


def _active(html: str) -> int:
    match = re.search(r'Filters <span class="muted">\((\d+) active\)</span>', html)
    assert match, "no Filters disclosure"
    return int(match.group(1))


def _pager(html: str) -> list[tuple[str, str]]:
    """(link text, href) of each link of the numbered pager, in order."""
    nav = re.search(r'<nav class="pager pager-numbered".*?</nav>', html, re.S)
    assert nav, "no numbered pager"
    links = re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav.group(0), re.S)
    return [
        (re.sub(r"<[^>]+>", "", text).strip(), href.replace("&amp;", "&")) for href, text in links
    ]


def test_results_come_before_the_filters_which_sit_in_a_disclosure(
    packaged: Flask, client: FlaskClient
) -> None:
    html = _page(client, "/cases")
    assert html.index('<ol class="list hits">') < html.index(
        '<details class="facets" id="filters">'
    )
    disclosure = html[html.index('<details class="facets"') :]
    assert '<fieldset class="facet">' in disclosure and "Apply filters" in disclosure
    assert 'id="year_from"' in disclosure  # the years are filters too
    assert '<script src="/static/case-search.js?v=' in html  # content-hashed URL
    script = client.get("/static/case-search.js")
    script.close()
    assert script.status_code == 200


@pytest.mark.parametrize(
    ("query", "active"),
    [
        ("", 0),
        ("q=pistols&sort=newest", 0),  # words and sort are not filters
        ("region=sahel", 1),
        ("region=sahel&region=european-union&weapon=pistols", 3),
        ("region=sahel&year_from=2010", 2),
        ("year_from=2010&year_to=2020&outcome=conviction&outcome=acquittal", 4),
        ("region=sahel&region=sahel", 1),  # a value given twice counts once
    ],
)
def test_the_disclosure_counts_the_active_filters(
    packaged: Flask, client: FlaskClient, query: str, active: int
) -> None:
    assert _active(_page(client, f"/cases?{query}")) == active


def test_an_unknown_filter_value_is_not_counted(packaged: Flask, client: FlaskClient) -> None:
    html = _page(client, "/cases?region=atlantis&region=sahel", status=400)
    assert _active(html) == 1
    assert "“atlantis” is not a known region; it was ignored." in html


def test_numbered_pages_with_first_last_and_the_total(packaged: Flask, client: FlaskClient) -> None:
    first = _page(client, "/cases")
    assert "50 cases. Page 1 of 3." in first
    assert _pager(first) == [
        ("Page 1", "/cases"),
        ("Page 2", "/cases?page=2"),
        ("Page 3", "/cases?page=3"),
        ("Next →", "/cases?page=2"),
        ("Last »", "/cases?page=3"),
    ]
    middle = _page(client, "/cases?page=2")
    assert "50 cases. Page 2 of 3." in middle
    assert [text for text, _ in _pager(middle)] == [
        "« First", "← Previous", "Page 1", "Page 2", "Page 3", "Next →", "Last »",
    ]  # fmt: skip
    assert '<a aria-current="page" href="/cases?page=2">' in middle
    last = _page(client, "/cases?page=3")
    assert [text for text, _ in _pager(last)] == ["« First", "← Previous", "Page 1", "Page 2",
                                                  "Page 3"]  # fmt: skip


def test_page_links_keep_the_words_filters_and_sort(packaged: Flask, client: FlaskClient) -> None:
    html = _page(client, f"/cases?{KEPT}&page=2")
    links = dict(_pager(html))
    assert links["« First"] == f"/cases?{KEPT}"
    assert links["Page 1"] == f"/cases?{KEPT}"
    for text in ("Last »", "Next →", "Page 3"):
        assert links[text].startswith(f"/cases?{KEPT}&page=")


@pytest.mark.parametrize("page", ["99", "10000000000000000000"])
def test_a_page_beyond_the_last_shows_the_last_page_and_says_so(
    packaged: Flask, client: FlaskClient, page: str
) -> None:
    html = _page(client, f"/cases?page={page}")
    assert "50 cases. Page 3 of 3." in html
    assert "this is the last page, 3." in html


@pytest.mark.parametrize("page", ["0", "-4", "two", ""])
def test_an_odd_page_number_means_the_first_page(
    packaged: Flask, client: FlaskClient, page: str
) -> None:
    assert "50 cases. Page 1 of 3." in _page(client, f"/cases?page={page}")


def test_one_page_of_results_has_no_pager_but_the_total(
    packaged: Flask, client: FlaskClient
) -> None:
    html = _page(client, "/cases?region=sahel")
    assert re.search(r'<p class="pager-total">\d+ cases?\.</p>', html)
    assert "pager-numbered" not in html


@pytest.mark.parametrize(
    ("current", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),  # one page left out is shown, not "…"
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (10, 10, [1, None, 8, 9, 10]),
        (99, 10, [1, None, 8, 9, 10]),
    ],
)
def test_the_page_window_shows_first_last_and_neighbours(
    current: int, pages: int, window: list[int | None]
) -> None:
    assert page_window(current, pages) == window
