"""The /cases search in practitioners' words: structured fields as words, synonyms, any-word
fallback and corrected searches (issue 13)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.digest.search_world import slugs, world
from tests.search.backends import search_backend  # noqa: F401  (both backends)

__all__ = ["world"]


def _get(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chile", ["rifles-boat-chile"]),  # the country, in no sentence of the case
        ("South America", ["rifles-boat-chile"]),  # the region
        ("acquittal", ["rifles-boat-chile"]),  # the outcome's label
        ("interception", ["rifles-boat-chile"]),  # the technique's label ("Interception of…")
        ("pending", ["turkiye-drone-ammunition"]),
        ("concealment", ["rifles-boat-chile"]),  # modus operandi "Concealment in vehicles"
    ],
)
def test_structured_fields_are_found_as_plain_words(
    world: Flask, client: FlaskClient, query: str, expected: list[str]
) -> None:
    assert sorted(slugs(_get(client, f"/cases?q={query}"))) == expected


def test_not_a_country_leaves_that_countrys_cases_out(world: Flask, client: FlaskClient) -> None:
    assert sorted(slugs(_get(client, "/cases?q=revolvers OR rifles"))) == [
        "portugal-postal-revolvers", "rifles-boat-chile",
    ]  # fmt: skip
    html = _get(client, "/cases?q=(revolvers OR rifles) NOT chile")
    assert slugs(html) == ["portugal-postal-revolvers"]


SOME_WORDS = "No case has all of these words; showing cases with some of them."


def test_when_no_case_has_every_word_cases_with_some_of_them_are_shown(
    world: Flask, client: FlaskClient
) -> None:
    html = _get(client, "/cases?q=fishing boat collector")
    # The case with two of the words comes before the case with one.
    assert slugs(html) == ["rifles-boat-chile", "portugal-postal-revolvers"]
    assert SOME_WORDS in html
    assert "<strong>2</strong> cases" in html


def test_the_any_word_fallback_keeps_exclusions(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=fishing collector NOT chile")
    assert slugs(html) == ["portugal-postal-revolvers"]
    assert SOME_WORDS in html


def test_cases_with_every_word_are_shown_without_the_notice(
    world: Flask, client: FlaskClient
) -> None:
    html = _get(client, "/cases?q=fishing boat")
    assert slugs(html) == ["rifles-boat-chile"]
    assert SOME_WORDS not in html
    assert SOME_WORDS not in _get(client, "/cases?q=qwertzuiop")


def test_words_required_with_and_are_not_loosened(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=fishing AND collector")
    assert slugs(html) == []
    assert SOME_WORDS not in html


def test_several_misspelt_words_are_corrected_together(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=fishng bot")
    assert slugs(html) == ["rifles-boat-chile"]
    assert "Showing results for “fishing boat”; search instead for “fishng bot”." in html
    assert "Did you mean" not in html


def test_a_correction_that_finds_nothing_is_not_offered(world: Flask, client: FlaskClient) -> None:
    html = _get(client, "/cases?q=qwertzuiop")
    assert slugs(html) == []
    assert "Did you mean" not in html and "Showing results for" not in html
