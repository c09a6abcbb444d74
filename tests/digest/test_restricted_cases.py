"""Restricted cases exist only for practitioners and above; drafts only for moderators and above.

Below practitioner a restricted case is absent everywhere: its page, results, counts, snippets,
suggestions, related cases, module pages and `[[case:slug]]` references.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.core.db import db
from app.digest.index import enqueue_case
from app.digest.models import CaseDigest
from app.search import searchers
from tests.digest.factory import SECTIONS, MakeCases
from tests.digest.search_world import facet, slugs, world
from tests.learning.factory import MakeCourse

__all__ = ["world"]
BELOW = ["anonymous", "trainee"]
ABOVE = ["practitioner", "moderator", "admin"]


def _as(login: Callable[..., User], role: str) -> None:
    if role != "anonymous":
        login(role)


@pytest.mark.parametrize("role", BELOW)
def test_below_practitioner_a_restricted_case_is_nowhere(
    world: Flask, client: FlaskClient, login: Callable[..., User], role: str
) -> None:
    _as(login, role)
    assert client.get("/cases/secret-broker").status_code == 404
    everything = client.get("/cases").get_data(as_text=True)
    assert "secret-broker" not in slugs(everything)
    assert "<strong>4</strong> cases" in everything
    assert facet(everything, "country", "serbia") is None
    assert facet(everything, "modus_operandi", "postal-courier") == 2
    assert facet(everything, "weapon", "machine-guns") is None
    assert ">2022</a>" not in everything  # the year count of the restricted case
    found = client.get("/cases?q=zarquon").get_data(as_text=True)
    assert slugs(found) == [] and "zarquon machine" not in found
    misspelt = client.get("/cases?q=zarqon").get_data(as_text=True)
    assert "Did you mean" not in misspelt and "zarquon" not in misspelt
    for query in (
        "country:serbia",
        "forged",
        "broker",
        "modus_operandi:brokering-forged-documents",
    ):
        # A correction may find public cases; the restricted one is never among them.
        html = client.get("/cases", query_string={"q": query}).get_data(as_text=True)
        assert "secret-broker" not in slugs(html) and "zarquon" not in html
    assert slugs(client.get("/cases?country=serbia").get_data(as_text=True)) == []


@pytest.mark.parametrize("role", ABOVE)
def test_practitioners_and_above_find_restricted_cases(
    world: Flask, client: FlaskClient, login: Callable[..., User], role: str
) -> None:
    login(role)
    page = client.get("/cases/secret-broker")
    assert page.status_code == 200
    assert "Practitioners only" in page.get_data(as_text=True)
    everything = client.get("/cases").get_data(as_text=True)
    assert "secret-broker" in slugs(everything)
    assert facet(everything, "country", "serbia") == 1
    assert facet(everything, "modus_operandi", "postal-courier") == 3
    assert ">2022</a>" in everything
    found = client.get("/cases?q=zarquon").get_data(as_text=True)
    assert slugs(found) == ["secret-broker"]
    assert "<mark>zarquon</mark> machine guns" in found
    misspelt = client.get("/cases?q=zarqon").get_data(as_text=True)
    assert "Showing results for “zarquon”; search instead for “zarqon”." in misspelt
    assert slugs(misspelt) == ["secret-broker"]


def _related(html: str) -> list[str]:
    if 'id="related"' not in html:
        return []
    section = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    return [part.split('"', 1)[0] for part in section.split('href="/cases/')[1:]]


@pytest.mark.parametrize(("role", "sees"), [("anonymous", False), ("trainee", False),
                                            ("practitioner", True)])  # fmt: skip
def test_related_cases_respect_the_restriction(
    world: Flask, client: FlaskClient, login: Callable[..., User], role: str, sees: bool
) -> None:
    _as(login, role)
    html = client.get("/cases/portugal-postal-revolvers").get_data(as_text=True)
    related = _related(html)
    assert "parcel-pistols-portugal" in related  # shares postal-courier
    assert "rifles-boat-chile" not in related  # shares no modus operandi
    assert ("secret-broker" in related) is sees


@pytest.fixture
def course_world(app: Flask, make_cases: MakeCases, make_course: MakeCourse) -> Iterator[Flask]:
    """A course whose module basics-m1 is illustrated by a public and a restricted case."""
    make_course()
    commentary = {**SECTIONS, "Commentary": "Compare [[case:hidden-case]] with this one."}
    make_cases({
        "open-case": {"modules": "[basics-m1]", "sections": commentary},
        "hidden-case": {"title": '"The hidden one"', "modules": "[basics-m1]",
                        "restricted": "true"},
        "other-case": {"title": '"Not about this module"', "modules": "[basics-m2]"},
    })  # fmt: skip
    yield app
    searchers.close_all()


@pytest.mark.parametrize(("role", "sees"), [("anonymous", False), ("trainee", False),
                                            ("practitioner", True), ("admin", True)])  # fmt: skip
def test_module_pages_and_references_respect_the_restriction(
    course_world: Flask, client: FlaskClient, login: Callable[..., User], role: str, sees: bool
) -> None:
    _as(login, role)
    module = client.get("/modules/basics-m1").get_data(as_text=True)
    assert "Cases that illustrate this module" in module
    assert 'href="/cases/open-case"' in module
    assert 'href="/cases/other-case"' not in module
    assert ('href="/cases/hidden-case"' in module) is sees
    case = client.get("/cases/open-case").get_data(as_text=True)
    assert ('<a href="/cases/hidden-case"' in case) is sees
    if not sees:
        assert "case reference (not available)" in case
        assert "hidden-case" not in case
        assert "The hidden one" not in case


def _make_draft(app: Flask, slug: str) -> None:
    with app.app_context():
        case = db.session.scalar(select(CaseDigest).where(CaseDigest.slug == slug))
        assert case is not None
        case.status = "draft"
        enqueue_case(case)
        db.commit()


@pytest.mark.parametrize(("role", "sees"), [("anonymous", False), ("practitioner", False),
                                            ("moderator", True), ("admin", True)])  # fmt: skip
def test_drafts_are_visible_only_to_moderators(
    world: Flask, client: FlaskClient, login: Callable[..., User], role: str, sees: bool
) -> None:
    _make_draft(world, "rifles-boat-chile")
    _as(login, role)
    assert client.get("/cases/rifles-boat-chile").status_code == (200 if sees else 404)
    html = client.get("/cases?q=fishing").get_data(as_text=True)
    assert (slugs(html) == ["rifles-boat-chile"]) is sees
    assert (facet(client.get("/cases").get_data(as_text=True), "country", "chile") == 1) is sees


@pytest.mark.parametrize("role", BELOW)
def test_a_country_found_only_in_a_restricted_case_is_never_named_below_practitioner(
    world: Flask, client: FlaskClient, login: Callable[..., User], role: str
) -> None:
    """Facet labels come from the cases the reader may see (issue 12, finding 10)."""
    _as(login, role)
    page = client.get("/cases?country=serbia").get_data(as_text=True)
    assert "Serbia" not in page
    assert slugs(page) == []
