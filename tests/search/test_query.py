"""The query service: what a user typing into a search box gets back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from whoosh.query import Term

from app.core.db import db
from app.search import SearchRequest, SearchResult, search
from tests.search import toy
from tests.search.backends import search_backend  # noqa: F401  (both backends)

TEXT = ["title", "summary", "body"]
PUBLIC = Term("restricted", "no")


def _search(app: Flask, text: str, **options: Any) -> SearchResult:
    options.setdefault("fields", TEXT)
    options.setdefault("allowed_fields", ["country", "weapon"])
    with app.app_context():
        return search(SearchRequest(toy.INDEX, text, **options))


def _keys(result: SearchResult) -> list[str]:
    return sorted(hit.key for hit in result.hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pistol", ["glock-ring", "gun-show"]),  # stemming: "pistols" in the documents
        ("PISTOLS", ["glock-ring", "gun-show"]),
        ("armas", ["armas-caso"]),  # accent folding before stemming: "Armás"
        ("trafico", ["armas-caso"]),  # "Tráfico"
        ('"fishing boat"', ["rifle-boat"]),  # phrase
        ('"boat fishing"', []),
        ("pistol AND italy", []),  # "italy" is only a facet value, not text
        ("pistol OR rifle", ["glock-ring", "gun-show", "rifle-boat"]),
        ("pistol NOT spain", ["gun-show"]),
        ("pistol -spain", ["gun-show"]),
        ("-pistol", ["armas-caso", "rifle-boat"]),
        ("NOT pistol", ["armas-caso", "rifle-boat"]),
        ('pistol -"gun shows"', ["glock-ring"]),
        ("straw-purchases", ["gun-show"]),  # a hyphen inside a word is not an exclusion
        ("country:italy", ["gun-show", "rifle-boat"]),
        ("weapon:ammunition", ["rifle-boat"]),
        ("pistol country:italy", ["gun-show"]),
        ("title:rifles", ["rifle-boat"]),
    ],
)
def test_query_syntax(seeded: Flask, text: str, expected: list[str]) -> None:
    result = _search(seeded, text, restrict=PUBLIC)
    assert (_keys(result), result.error) == (expected, None)


def test_field_the_user_may_not_address_is_searched_as_plain_words(seeded: Flask) -> None:
    result = _search(seeded, "restricted:yes", restrict=PUBLIC)
    assert (result.total, result.error) == (0, None)
    # Without the restriction it still cannot be used to list restricted documents.
    assert _search(seeded, "restricted:yes").total == 0
    assert _search(seeded, "restricted:yes", allowed_fields=["restricted"]).total == 1


@pytest.mark.parametrize(
    "text",
    [
        '"fishing boat',
        "(pistol",
        "pistol)",
        "[pistol",
        "pistol^",
        "pistol~",
        "country:",
        ":pistol",
        "nosuchfield:pistol",
        "pistol AND",
        "OR pistol",
        "((((pistol",
        "pis\x00tol",
        "pistol\x1b[31m",
        "pistol\u202e",
        "year:abc",
        "*",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
    ],
)
def test_malformed_queries_give_results_or_a_message(seeded: Flask, text: str) -> None:
    result = _search(seeded, text, restrict=PUBLIC, facets=["country"], suggest_field="words")
    assert result.error is None or result.error.endswith(".")
    assert result.total >= 0
    assert all(hit.fields["restricted"] == "no" for hit in result.hits)


def test_control_characters_are_removed_not_searched(seeded: Flask) -> None:
    assert _keys(_search(seeded, "pis\x00tol\x07")) == ["glock-ring", "gun-show"]
    assert _keys(_search(seeded, "fishing\tboat\n")) == ["rifle-boat"]


def test_unbalanced_quote_still_finds_the_words(seeded: Flask) -> None:
    assert _keys(_search(seeded, '"fishing boat')) == ["rifle-boat"]


def test_ten_kilobyte_query_gets_a_clear_message(seeded: Flask) -> None:
    result = _search(seeded, "pistol " * 1500)
    assert result.total == 0
    assert result.error is not None
    assert "too long" in result.error
    assert "1,000 characters" in result.error


def test_only_stop_words_get_a_clear_message(seeded: Flask) -> None:
    result = _search(seeded, "the of and")
    assert (result.total, result.error) == (0, None)
    assert result.notice == "Nothing to search for: type one or more words (not only stop words)."


def test_empty_text_lists_every_visible_document(seeded: Flask) -> None:
    assert _search(seeded, "").total == 5
    assert _search(seeded, "   ", restrict=PUBLIC).total == 4


def test_restricted_documents_never_appear_in_hits_totals_or_facets(seeded: Flask) -> None:
    everyone = _search(seeded, "", restrict=PUBLIC, facets=["country", "weapon", "year"])
    assert "secret-op" not in _keys(everyone)
    assert everyone.total == 4
    countries = dict(everyone.facets["country"])
    assert countries == {"italy": 2, "mexico": 1, "spain": 1}
    assert "grenade" not in dict(everyone.facets["weapon"])
    assert "2022" not in dict(everyone.facets["year"])
    # Searching for a word only the restricted document has finds nothing and counts nothing.
    secret = _search(seeded, "zarquon", restrict=PUBLIC, facets=["country"])
    assert (secret.total, secret.hits, secret.facets) == (0, [], {"country": []})
    # Practitioners (no restriction) see it.
    assert _keys(_search(seeded, "zarquon")) == ["secret-op"]


def test_facet_values_widen_within_a_facet_and_narrow_across(seeded: Flask) -> None:
    one = _search(seeded, "", restrict=PUBLIC, filters={"country": ["italy"]})
    assert _keys(one) == ["gun-show", "rifle-boat"]
    two = _search(
        seeded, "", restrict=PUBLIC, filters={"country": ["italy", "spain"]}, facets=["country"]
    )
    assert _keys(two) == ["glock-ring", "gun-show", "rifle-boat"]
    # The selected facet is counted without its own filter: the other values stay offered.
    assert dict(two.facets["country"]) == {"italy": 2, "mexico": 1, "spain": 1}
    narrowed = _search(
        seeded,
        "",
        restrict=PUBLIC,
        filters={"country": ["italy", "spain"], "weapon": ["pistol"]},
        facets=["country", "weapon"],
    )
    assert _keys(narrowed) == ["glock-ring", "gun-show"]
    assert dict(narrowed.facets["country"]) == {"italy": 1, "mexico": 1, "spain": 1}
    assert dict(narrowed.facets["weapon"]) == {"pistol": 2, "rifle": 1, "ammunition": 1}


def test_facet_counts_of_a_selected_facet_still_hide_restricted_documents(
    seeded: Flask,
) -> None:
    result = _search(
        seeded, "", restrict=PUBLIC, filters={"weapon": ["pistol"]}, facets=["country", "weapon"]
    )
    assert "grenade" not in dict(result.facets["weapon"])
    assert "serbia" not in dict(result.facets["country"])


def test_filters_that_only_restricted_documents_match_find_nothing(seeded: Flask) -> None:
    # Whoosh reads an empty allow-set as "no filter"; the service must not.
    for options in (
        {"filters": {"country": ["serbia"]}},
        {"filters": {"weapon": ["grenade"]}, "facets": ["country", "weapon"]},
        {"ranges": {"year": (2022, 2022)}, "facets": ["country"]},
    ):
        result = _search(seeded, "", restrict=PUBLIC, **options)
        assert (result.total, result.hits) == (0, []), options
        assert result.facets.get("country", []) == [], options
        # The weapon facet is counted without its own filter: the public values, no grenade.
        assert "grenade" not in dict(result.facets.get("weapon", [])), options
    nothing = _search(seeded, "zarqon", restrict=Term("restricted", "never"),
                      suggest_field="words", facets=["country"])  # fmt: skip
    assert (nothing.total, nothing.suggestion, nothing.facets) == (0, None, {"country": []})


def test_year_range_and_numeric_filters(seeded: Flask) -> None:
    assert _keys(_search(seeded, "", ranges={"year": (2019, 2020)})) == ["glock-ring", "gun-show"]
    assert _keys(_search(seeded, "", ranges={"year": (2021, None)}, restrict=PUBLIC)) == [
        "rifle-boat"
    ]
    assert _keys(_search(seeded, "", filters={"year": ["2018"]})) == ["armas-caso"]
    bad = _search(seeded, "", filters={"year": ["soon"]})
    assert bad.total == 0
    assert bad.notice == "Ignored filter values that are not numbers: soon"


def test_sort_newest_and_oldest(seeded: Flask) -> None:
    newest = _search(seeded, "", restrict=PUBLIC, sort="newest", sort_field="year")
    assert [hit.fields["year"] for hit in newest.hits] == [2021, 2020, 2019, 2018]
    oldest = _search(seeded, "", restrict=PUBLIC, sort="oldest", sort_field="year")
    assert [hit.fields["year"] for hit in oldest.hits] == [2018, 2019, 2020, 2021]
    relevance = _search(seeded, "pistol", sort="relevance", sort_field="year")
    assert relevance.hits[0].score >= relevance.hits[-1].score


def test_highlight_escapes_the_document_and_marks_the_match(seeded: Flask) -> None:
    result = _search(seeded, "pistols spain", highlight="summary")
    snippet = str(result.hits[0].highlight)
    assert snippet.startswith(  # Whoosh ends at the last match, PostgreSQL at the sentence's
        "A ring mailed &lt;b&gt;<mark>pistols</mark>&lt;/b&gt; in parcels from <mark>Spain</mark>"
    )
    assert "<b>" not in snippet


def test_snippet_without_a_match_in_the_summary_is_its_escaped_beginning(
    search_app: Flask,
) -> None:
    with search_app.app_context():
        toy.add("x", "Pistols", summary="<script>alert(1)</script> & more " + "words " * 60)
        db.commit()
    result = _search(search_app, "pistols", highlight="summary")
    snippet = str(result.hits[0].highlight)
    assert snippet.startswith("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more words")
    assert snippet.endswith(" …")
    assert len(snippet) < 300


SOME_WORDS = "No result has all of these words; showing results with some of them."


def test_a_correction_that_finds_something_is_searched_at_once(seeded: Flask) -> None:
    result = _search(seeded, "smugled rifles", restrict=PUBLIC, suggest_field="words")
    assert [hit.key for hit in result.hits] == ["rifle-boat"]
    assert result.corrected == "smuggled rifles"
    assert result.notice == (
        "Showing results for “smuggled rifles”; search instead for “smugled rifles”."
    )
    assert result.suggestion is None
    found = _search(seeded, "pistol", suggest_field="words")
    assert (found.corrected, found.suggestion, found.notice) == (None, None, None)


def test_a_correction_is_searched_word_by_word_when_no_document_has_every_word(
    seeded: Flask,
) -> None:
    result = _search(seeded, "smugled qwertzuiop", restrict=PUBLIC, suggest_field="words")
    assert [hit.key for hit in result.hits] == ["rifle-boat"]
    assert result.corrected == "smuggled qwertzuiop"
    assert result.notice == (
        "Showing results for “smuggled qwertzuiop”; search instead for “smugled qwertzuiop”. "
        + SOME_WORDS
    )


def test_did_you_mean_is_offered_beside_results_with_some_of_the_words(seeded: Flask) -> None:
    result = _search(seeded, "pistol smugled", restrict=PUBLIC, suggest_field="words")
    assert result.notice == SOME_WORDS
    assert result.suggestion == "pistol smuggled"
    assert result.corrected is None
    assert {hit.key for hit in result.hits} == {"glock-ring", "gun-show"}


def test_required_words_are_corrected_but_never_loosened(seeded: Flask) -> None:
    result = _search(seeded, "smugled AND rifles", restrict=PUBLIC, suggest_field="words")
    assert (result.total, result.corrected) == (1, "smuggled AND rifles")
    loose = _search(seeded, "pistol AND smugled", restrict=PUBLIC, suggest_field="words")
    assert (loose.total, loose.notice, loose.suggestion) == (0, None, None)


def test_corrections_never_use_a_word_only_restricted_documents_contain(
    seeded: Flask,
) -> None:
    hidden = _search(seeded, "zarqon", restrict=PUBLIC, suggest_field="words")
    assert (hidden.total, hidden.corrected, hidden.suggestion, hidden.notice) == (
        0,
        None,
        None,
        None,
    )
    assert _search(seeded, "zarqon", suggest_field="words").corrected == "zarquon"


def test_pagination_walks_every_result_once(search_app: Flask) -> None:
    with search_app.app_context():
        for number in range(25):
            toy.add(f"case-{number:02d}", f"Pistol case {number}", year=2000 + number)
        db.commit()
    pages = [
        _search(search_app, "pistol", sort="newest", sort_field="year", page=n, per_page=10)
        for n in (1, 2, 3)
    ]
    assert [(p.page, p.pages, p.total, len(p.hits)) for p in pages] == [
        (1, 3, 25, 10),
        (2, 3, 25, 10),
        (3, 3, 25, 5),
    ]
    keys = [hit.key for p in pages for hit in p.hits]
    assert keys == [f"case-{n:02d}" for n in range(24, -1, -1)]
    beyond = _search(search_app, "pistol", page=99, per_page=10)
    assert (beyond.page, len(beyond.hits)) == (3, 5)
    assert _search(search_app, "pistol", page=-4, per_page=10).page == 1
    assert len(_search(search_app, "pistol", per_page=10_000).hits) == 25


def test_requests_differing_only_in_page_return_consecutive_slices(search_app: Flask) -> None:
    with search_app.app_context():
        for number in range(7):
            toy.add(f"case-{number}", f"Pistol case {number}", year=2000 + number)
        db.commit()
        first = SearchRequest(
            toy.INDEX, "pistol", fields=TEXT, sort="oldest", sort_field="year", per_page=4
        )
        pages = [search(first), search(replace(first, page=2))]
    assert [[hit.key for hit in page.hits] for page in pages] == [
        ["case-0", "case-1", "case-2", "case-3"],
        ["case-4", "case-5", "case-6"],
    ]
    assert [(page.page, page.pages, page.total) for page in pages] == [(1, 2, 7), (2, 2, 7)]
