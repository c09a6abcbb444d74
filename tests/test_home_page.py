"""The home page says what each part offers with live figures and how a practitioner joins
(issue 17 item 11: it was three bare cards)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.search import searchers
from tests.conftest import ClientFor
from tests.digest.factory import MakeCases
from tests.forum.factory import MakeTopic
from tests.learning.factory import MakeCourse

User_ = Callable[..., User]


@pytest.fixture
def home_world(app: Flask, make_cases: MakeCases, make_course: MakeCourse) -> Iterator[Flask]:
    make_course()
    make_cases({
        "open-case": {"title": '"Pistols in a fuel tank"', "country": "chile"},
        "other-case": {"title": '"Rifles on a fishing boat"', "country": "jamaica"},
        "hidden-case": {"title": '"The hidden one"', "restricted": "true", "country": "chile"},
    })  # fmt: skip
    yield app
    searchers.close_all()


def _figure(page: str, words: str) -> str:
    """The number shown before `words` in a figure."""
    marker = f"</strong> {words}</li>"
    assert marker in page, words
    return page.split(marker)[0].rsplit("<strong>", 1)[1]


def test_a_visitor_reads_what_each_part_offers_and_how_to_join(
    home_world: Flask, client: FlaskClient
) -> None:
    page = client.get("/").get_data(as_text=True)
    for heading in ("Training curriculum", "Case digest", "Practitioners&#39; forum"):
        assert heading in page
    assert _figure(page, "cases") == "2"  # the restricted case is not counted for visitors
    assert _figure(page, "countries") == "2"
    assert "Pistols in a fuel tank" in page and "The hidden one" not in page
    assert "apply for practitioner access" in page and 'href="/sign-up"' in page
    assert "Latest discussions" not in page


def test_a_practitioner_sees_every_case_and_the_latest_topics(
    home_world: Flask, make_user: User_, client_for: ClientFor, make_topic: MakeTopic
) -> None:
    practitioner = make_user("practitioner")
    make_topic(practitioner, title="Tracing requests that come back empty")
    page = client_for(practitioner).get("/").get_data(as_text=True)
    assert _figure(page, "cases") == "3" and "The hidden one" in page
    assert "Latest discussions" in page and "Tracing requests that come back empty" in page
    assert _figure(page, "vetted member") == "1"  # one practitioner, no moderator yet


def test_a_trainee_is_told_how_to_apply(
    home_world: Flask, make_user: User_, client_for: ClientFor
) -> None:
    page = client_for(make_user("trainee")).get("/").get_data(as_text=True)
    assert 'href="/account/practitioner"' in page and "Apply for practitioner access" in page
